"""The drill rule tables (DOMAIN.md §6, RULES.md §8): unit categories, who must drill what how
often (county documents, seeds 000 and 004; the national minimum of once in three years is noted
in the row's rule text), evaluation indicators per drill form with weights (GB/T 46792-2025 annexes
for 实战 and 桌面, AQ/T 9009-2015 and the 2013 办法 Art 23 content) and the conclusion bands."""

from django.db import migrations

CATEGORIES = [
    ("hazchem", "危险化学品"),
    ("mine", "矿山"),
    ("construction", "建筑施工"),
    ("crowded", "人员密集场所"),
    ("school", "学校"),
]

# (name, unit group, category code, plan kind code, comprehensive only, times a year, rule)
REQUIREMENTS = [
    ("乡镇(街道)综合或重点灾种演练", "township", None, None, False, 1,
     "乡镇每年开展1次以上综合性或重点灾种应急预案演练(种子000)"),
    ("村(社区)防灾演练", "village", None, None, False, 1, "村级防灾演练每年不少于1次(种子000)"),
    ("企业综合演练", "enterprise", None, None, True, 2, "企业、学校及人员密集场所每年综合演练不少于2次(种子004)"),
    ("危化品企业综合演练", "enterprise", "hazchem", None, True, 2, "企业每年综合演练不少于2次(种子004)"),
    ("矿山企业综合演练", "enterprise", "mine", None, True, 2, "企业每年综合演练不少于2次(种子004)"),
    ("建筑施工企业综合演练", "enterprise", "construction", None, True, 2, "企业每年综合演练不少于2次(种子004)"),
    ("学校综合演练", "village", "school", None, True, 2, "学校每年综合演练不少于2次(种子004)"),
    ("人员密集场所综合演练", "village", "crowded", None, True, 2, "人员密集场所每年综合演练不少于2次(种子004)"),
    ("专项应急预案演练", "county", None, "special", False, 1,
     "县级文件:专项预案每年至少演练1次(种子004);国家最低要求:每3年至少1次(国办发〔2024〕5号)"),
    ("部门应急预案演练", "county", None, "department", False, 1,
     "县级文件:部门预案每年至少演练1次(种子004);国家最低要求:每3年至少1次(国办发〔2024〕5号)"),
    ("现场处置方案演练", "enterprise", None, "enterprise-onsite", False, 2,
     "现场处置方案每半年至少演练1次(应急管理部令第2号)"),
]

# (form, code, name, weight)
INDICATORS = [
    ("live", "preparation", "演练准备(方案、脚本、保障)", 10),
    ("live", "alarm", "预警与信息报告", 10),
    ("live", "command", "指挥协调与应急联动", 20),
    ("live", "response", "应急响应与现场处置", 20),
    ("live", "personnel", "应急人员处置能力", 15),
    ("live", "equipment", "设备装备与物资的适用性", 10),
    ("live", "safety", "安全保障与后勤", 5),
    ("live", "plan", "预案的合理性与可操作性", 10),
    ("tabletop", "scenario", "情景设计与推演组织", 15),
    ("tabletop", "plan_knowledge", "对预案的熟悉程度", 20),
    ("tabletop", "decision", "决策与指挥", 20),
    ("tabletop", "duties", "职责分工与协调", 20),
    ("tabletop", "information", "信息报告与传递", 10),
    ("tabletop", "plan", "预案的合理性与可操作性", 15),
    ("remote", "communication", "通信联络与视频会商", 20),
    ("remote", "information", "信息报告与传递", 20),
    ("remote", "command", "远程指挥调度", 25),
    ("remote", "coordination", "协调联动", 20),
    ("remote", "plan", "预案的合理性与可操作性", 15),
]

BANDS = [("excellent", "优", 90), ("good", "良", 75), ("fair", "中", 60), ("poor", "差", 0)]


def seed(apps, schema_editor):
    UnitCategory = apps.get_model("drills", "UnitCategory")
    DrillRequirement = apps.get_model("drills", "DrillRequirement")
    EvaluationIndicator = apps.get_model("drills", "EvaluationIndicator")
    ConclusionBand = apps.get_model("drills", "ConclusionBand")
    PlanKind = apps.get_model("plans", "PlanKind")
    categories = {}
    for order, (code, name) in enumerate(CATEGORIES, start=1):
        categories[code], _ = UnitCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    for order, (name, group, category, plan_kind, comprehensive, times, rule) in enumerate(REQUIREMENTS, start=1):
        DrillRequirement.objects.get_or_create(
            name=name,
            defaults={
                "unit_group": group,
                "category": categories[category] if category else None,
                "plan_kind": PlanKind.objects.filter(code=plan_kind).first() if plan_kind else None,
                "comprehensive_only": comprehensive,
                "times_per_year": times,
                "rule": rule,
                "order": order * 10,
            },
        )
    for order, (form, code, name, weight) in enumerate(INDICATORS, start=1):
        EvaluationIndicator.objects.get_or_create(
            form=form, code=code, defaults={"name": name, "weight": weight, "order": order}
        )
    for code, name, min_score in BANDS:
        ConclusionBand.objects.get_or_create(code=code, defaults={"name": name, "min_score": min_score})


class Migration(migrations.Migration):
    dependencies = [("drills", "0001_initial"), ("plans", "0002_seed_rules")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
