"""Demo data for plan coverage: the park's high-risk enterprises (they must keep 综合 + 专项 +
现场处置方案, RULES.md §5.2), and a summary of the coverage gaps the demo county shows."""

from __future__ import annotations

from grids import services as grid_services
from grids.rules import Kind

DEMO_ORDER = 45

# Enterprises of the demo park marked high-risk (建材: 矿山开采和危险物品储存), with the reason told.
HIGH_RISK_ENTERPRISES = (("凌云县泗水建材有限责任公司", "石料开采, 储存民用爆炸物品"),)
SUMMARY = (
    "预案覆盖: {enterprises} 家高危企业须编制综合、专项预案和现场处置方案; 覆盖表缺 {gaps} 项, 隐患未覆盖 {hazards} 项"
)


def run(story) -> None:
    from plans.selectors.coverage import coverage_table, hazard_gaps

    names = {name for name, _reason in HIGH_RISK_ENTERPRISES}
    marked = 0
    for unit in story.leaves:
        if unit.kind == Kind.ENTERPRISE and unit.name in names:
            grid_services.unit_update(by=story.dispatcher, unit=unit, is_hazardous=True)
            marked += 1
    gaps = coverage_table(story.dispatcher).gaps
    hazards = sum(len(group.gaps) for group in hazard_gaps(story.dispatcher))
    story.tell(SUMMARY.format(enterprises=marked, gaps=gaps, hazards=hazards))
