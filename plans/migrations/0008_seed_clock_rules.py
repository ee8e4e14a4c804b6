"""The clock rules: how often plans are evaluated (评估) and drilled (演练).

Sources: RULES.md §5.1 (国办发〔2024〕5号: government and department plans evaluated in principle every
3 years; 专项 and 部门 plans drilled at least once every 3 years), §5.2 (应急管理部令第2号 Art 33, 35:
enterprise 综合/专项 drills yearly, 现场处置方案 every six months, the high-risk list evaluated every 3
years; 应急条例 Art 8: high-risk units drill every six months) and DOMAIN.md §6 (the county asks
yearly drills of 专项 and 部门 plans, seed 004, and of townships and villages, seed 000). Township,
village and park plans: §5.1 asks every owner for a 定期评估 system without a period; the county
applies the government's 3 years."""

from django.db import migrations

# (clock, owner kind or "", plan kind code or None, high-risk only, months, rule)
RULES = [
    ("evaluation", "county", None, False, 36, "§5.1 县级以上政府预案原则上每3年评估一次"),
    ("evaluation", "department", None, False, 36, "§5.1 部门预案原则上每3年评估一次"),
    ("evaluation", "township", None, False, 36, "§5.1 各单位建立定期评估制度；县参照政府预案每3年评估"),
    ("evaluation", "village", None, False, 36, "§5.1 各单位建立定期评估制度；县参照政府预案每3年评估"),
    ("evaluation", "park", None, False, 36, "§5.1 各单位建立定期评估制度；县参照政府预案每3年评估"),
    ("evaluation", "enterprise", None, True, 36, "§5.2 令第2号第35条 高危行业企业每3年评估一次"),
    ("drill", "", "special", False, 12, "县要求每年演练一次(DOMAIN §6 seed 004)；法定下限：专项预案每3年至少一次(§5.1)"),
    ("drill", "", "department", False, 12, "县要求每年演练一次(DOMAIN §6 seed 004)；法定下限：部门预案每3年至少一次(§5.1)"),
    ("drill", "", "enterprise-comprehensive", False, 12, "§5.2 令第2号第33条 综合或专项预案每年至少一次"),
    ("drill", "", "enterprise-special", False, 12, "§5.2 令第2号第33条 综合或专项预案每年至少一次"),
    ("drill", "", "enterprise-onsite", False, 6, "§5.2 令第2号第33条 现场处置方案每半年至少一次"),
    ("drill", "enterprise", None, True, 6, "§5.2 应急条例第8条 高危单位每半年至少演练一次"),
    ("drill", "township", None, False, 12, "DOMAIN §6 seed 000 乡镇每年一次综合或重点灾种演练"),
    ("drill", "village", None, False, 12, "DOMAIN §6 seed 000 村每年一次防灾演练"),
]


def seed(apps, schema_editor):
    PlanKind = apps.get_model("plans", "PlanKind")
    ClockRule = apps.get_model("plans", "ClockRule")
    kinds = {kind.code: kind for kind in PlanKind.objects.all()}
    for clock, owner, kind, high_risk, months, rule in RULES:
        if kind and kind not in kinds:
            continue
        ClockRule.objects.get_or_create(
            clock=clock,
            owner_kind=owner,
            plan_kind=kinds[kind] if kind else None,
            high_risk_only=high_risk,
            defaults={"months": months, "rule": rule},
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0007_clocks_and_triggers")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
