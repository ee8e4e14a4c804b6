"""The grid hazard statistics table (网格隐患统计表) as data: its rows, columns and measures, built
from the counts of one GROUP BY (``hazards.selectors.statistics_table`` reads them from the
roll-ups or the register)."""

from __future__ import annotations

from dataclasses import dataclass, field

from grids.models import GridUnit
from hazards.models import OPEN_STATES, Family, HazardCategory, State

MEASURES_SUMMARY = "summary"
MEASURES_STATE = "state"
COLUMNS_CATEGORY = "category"
COLUMNS_FAMILY = "family"


@dataclass
class StatColumn:
    key: str | int  # category id or family code; "total" for the row total
    label: str


@dataclass
class StatRow:
    unit: GridUnit | None  # None: hazards located at the root unit itself
    label: str
    cells: dict[tuple, int] = field(default_factory=dict)  # (column key, measure) -> count

    def get(self, key, measure) -> int:
        return self.cells.get((key, measure), 0)

    @property
    def has_children(self) -> bool:
        return self.unit is not None and self.unit.rght - self.unit.lft > 1


@dataclass
class StatisticsTable:
    roots: list[GridUnit]
    rows: list[StatRow]
    columns: list[StatColumn]
    measures: list[tuple[str, str]]  # (measure key, label)
    totals: StatRow

    def grid(self) -> list[tuple[StatRow, list[int]]]:
        """Each row (totals last) with its flat list of figures: the row total first, then column by
        column, measure by measure (the same order as the table's and the sheet's headers)."""
        keys = [(c.key, m) for c in [StatColumn("total", ""), *self.columns] for m, _label in self.measures]
        return [(row, [row.get(*k) for k in keys]) for row in [*self.rows, self.totals]]


def build_table(groups, roots, row_units, row_ids, columns: str, measures: str) -> StatisticsTable:
    measure_list = _measures(measures)
    rows_by_id = {u.pk: StatRow(unit=u, label=u.name) for u in row_units}
    at_root = StatRow(unit=None, label="")
    totals = StatRow(unit=None, label="")
    seen_columns: set = set()
    measures_of: dict[tuple, list[str]] = {}  # (state, overdue) -> its measures, worked out once
    total_cells = totals.cells
    for g in groups:
        row_cells = rows_by_id.get(g["row"], at_root).cells
        column, n = g["column"], g["n"]
        seen_columns.add(column)
        kind = (g["state"], bool(g["is_overdue"]))
        found = measures_of.get(kind)
        if found is None:
            found = measures_of[kind] = _measures_of(*kind, measures)
        for measure in found:
            for cell in ((column, measure), ("total", measure)):
                row_cells[cell] = row_cells.get(cell, 0) + n
                total_cells[cell] = total_cells.get(cell, 0) + n

    if columns == COLUMNS_CATEGORY:
        column_list = [
            StatColumn(c.pk, c.display_name)
            for c in HazardCategory.objects.filter(pk__in=seen_columns).order_by("family", "order", "code")
        ]
    else:
        column_list = [StatColumn(value, str(label)) for value, label in Family.choices if value in seen_columns]
    rows = [rows_by_id[pk] for pk in row_ids]
    if at_root.cells:
        rows.append(at_root)
    return StatisticsTable(roots=roots, rows=rows, columns=column_list, measures=measure_list, totals=totals)


def _measures(measures: str) -> list[tuple[str, str]]:
    from django.utils.translation import gettext as _

    if measures == MEASURES_STATE:
        return [(value, str(label)) for value, label in State.choices] + [("all", _("Total"))]
    return [("all", _("Total")), ("open", _("Open")), ("overdue", _("Overdue")), ("closed", _("Closed"))]


def _measures_of(state: str, is_overdue: bool, measures: str) -> list[str]:
    if measures == MEASURES_STATE:
        return [state, "all"]
    found = ["all"]
    if state in OPEN_STATES:
        found.append("open")
    if is_overdue:
        found.append("overdue")
    if state == State.CLOSED:
        found.append("closed")
    return found
