"""The required plans per unit kind (横向到边、纵向到底): RULES.md §5.1, §5.2 and DOMAIN.md §5."""

from django.db import migrations

COUNTY = "§5.1 县级人民政府制定总体应急预案和专项应急预案"
TOWNSHIP = "§5.1 单位和基层组织应急预案: 乡镇(街道)制定本级应急预案, 报县级应急管理部门备案 (§5.1(六))"
VILLAGE = "§5.1 单位和基层组织应急预案: 村(社区)制定应急预案, 报乡镇(街道)备案 (§5.1(六))"
ENTERPRISE = "§5.2 《生产安全事故应急预案管理办法》: 生产经营单位编制{}; 高危行业(矿山、金属冶炼、建筑施工、危险物品等)"

# (unit kind, plan kind code, high-risk enterprises only, rule)
ROWS = [
    ("county", "overall", False, COUNTY),
    ("county", "special", False, COUNTY),
    ("banner", "overall", False, COUNTY),
    ("banner", "special", False, COUNTY),
    ("township", "township", False, TOWNSHIP),
    ("town", "township", False, TOWNSHIP),
    ("sumu", "township", False, TOWNSHIP),
    ("street", "township", False, TOWNSHIP),
    ("village", "village", False, VILLAGE),
    ("gacha", "village", False, VILLAGE),
    ("community", "village", False, VILLAGE),
    ("enterprise", "enterprise-comprehensive", True, ENTERPRISE.format("综合应急预案")),
    ("enterprise", "enterprise-special", True, ENTERPRISE.format("专项应急预案")),
    ("enterprise", "enterprise-onsite", True, ENTERPRISE.format("现场处置方案")),
]


def seed(apps, schema_editor):
    PlanKind = apps.get_model("plans", "PlanKind")
    RequiredPlan = apps.get_model("plans", "RequiredPlan")
    kinds = {kind.code: kind for kind in PlanKind.objects.all()}
    for unit_kind, code, only_hazardous, rule in ROWS:
        if code in kinds:
            RequiredPlan.objects.get_or_create(
                unit_kind=unit_kind,
                plan_kind=kinds[code],
                defaults={"only_hazardous": only_hazardous, "rule": rule},
            )


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_required_plans"), ("grids", "0006_gridunit_is_hazardous")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
