"""Spreadsheets of grid units and of people with their roles: template, export, import.

The import reads the whole file, checks every row and reports each bad one with its row number
and the reason in Chinese; it saves nothing unless every row is good, and then saves all rows in
one transaction. Importing the same file twice changes nothing the second time.

``reading`` reads a file and parses its cells, ``units`` and ``people`` check and save each
dataset, ``tables`` writes templates and exports. The public names are imported from here.
"""

from __future__ import annotations

from grids.importing.people import import_people
from grids.importing.reading import (
    COLUMNS,
    MAX_ROWS,
    PEOPLE_COLUMNS,
    UNIT_COLUMNS,
    FileError,
    ImportResult,
    RowError,
    read_rows,
)
from grids.importing.tables import TEMPLATE_EXAMPLES, headers, people_rows, unit_rows, write_table
from grids.importing.units import import_units
from grids.models import User

__all__ = [
    "COLUMNS",
    "MAX_ROWS",
    "PEOPLE_COLUMNS",
    "TEMPLATE_EXAMPLES",
    "UNIT_COLUMNS",
    "FileError",
    "ImportResult",
    "RowError",
    "headers",
    "import_people",
    "import_units",
    "people_rows",
    "read_rows",
    "run_import",
    "unit_rows",
    "write_table",
]


def run_import(*, by: User, dataset: str, data: bytes, filename: str) -> ImportResult:
    if dataset == "units":
        return import_units(by=by, data=data, filename=filename)
    return import_people(by=by, data=data, filename=filename)
