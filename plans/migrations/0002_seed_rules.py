"""The plan kinds (RULES.md §5.1 types, §5.2 enterprise plans) and the filing routes (§5.1 (一)–(六), §5.2)."""

from django.db import migrations

KINDS = [
    ("overall", "总体应急预案", False),
    ("special", "专项应急预案", True),
    ("department", "部门应急预案", False),
    ("township", "乡镇(街道)应急预案", False),
    ("village", "村(社区)应急预案", False),
    ("enterprise-comprehensive", "企事业单位综合应急预案", False),
    ("enterprise-special", "企事业单位专项应急预案", False),
    ("enterprise-onsite", "现场处置方案", False),
    ("joint", "联合应急预案", False),
]

# (owner kind, plan kind code or None, receiver, copy to the county emergency bureau, rule)
ROUTES = [
    ("township", None, "county", False, "§5.1(六) 乡镇(街道)预案报县级应急管理部门"),
    ("village", None, "parent", False, "§5.1(六) 村(社区)预案报乡镇(街道)"),
    ("department", None, "county", False, "§5.1(三) 部门预案报本级应急管理部门"),
    ("enterprise", None, "county", False, "§5.2 生产经营单位预案报县级应急管理部门"),
    ("park", None, "county", False, "园区预案报县级应急管理部门"),
    ("county", "special", "lead_department", True, "§5.1(二) 专项预案报牵头部门, 抄送应急管理部门"),
    ("department", "special", "lead_department", True, "§5.1(二) 专项预案报牵头部门, 抄送应急管理部门"),
    ("township", "special", "lead_department", True, "§5.1(二) 专项预案报牵头部门, 抄送应急管理部门"),
    ("county", "joint", "county", False, "§5.1(四) 联合预案抄送共同上一级应急管理部门"),
]


def seed(apps, schema_editor):
    PlanKind = apps.get_model("plans", "PlanKind")
    FilingRoute = apps.get_model("plans", "FilingRoute")
    kinds = {}
    for order, (code, name, special) in enumerate(KINDS, start=1):
        kinds[code], _ = PlanKind.objects.get_or_create(
            code=code, defaults={"name": name, "is_special": special, "order": order * 10}
        )
    for owner, kind, receiver, copy, rule in ROUTES:
        FilingRoute.objects.get_or_create(
            owner_kind=owner,
            plan_kind=kinds[kind] if kind else None,
            defaults={"receiver": receiver, "copy_to_county": copy, "due_workdays": 20, "rule": rule},
        )


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
