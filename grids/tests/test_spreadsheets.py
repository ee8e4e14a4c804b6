"""Spreadsheets and CSV files keep user text as text: a cell that begins with = + - @ (or a tab or
carriage return) is never a live formula (OWASP "CSV injection"), and numbers stay numbers."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from grids.importing import import_people, import_units
from grids.models import GridUnit, User
from grids.spreadsheets import append_row, csv_unescape, csv_value, write_csv_row

HOSTILE = ["=1+1", "@SUM(A1)", "-2+3", "+86 1+1", "\t=1", "\r=1"]


def saved(workbook) -> Workbook:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("write_only", [True, False])
def test_strings_are_text_cells_and_numbers_stay_numbers(write_only):
    workbook = Workbook(write_only=write_only)
    sheet = workbook.create_sheet("x") if write_only else workbook.active
    append_row(sheet, [*HOSTILE, "平常文字", 5, 2.5, None, datetime.datetime(2026, 3, 1, 8, 30)])
    row = list(saved(workbook).worksheets[0][1])
    for cell, text in zip(row, HOSTILE, strict=False):
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix
    words, five, half, empty, when = row[len(HOSTILE) :]
    assert words.value == "平常文字" and words.data_type == "s" and not words.quotePrefix
    assert (five.value, five.data_type) == (5, "n")
    assert (half.value, half.data_type) == (2.5, "n")
    assert empty.value is None
    assert when.value == datetime.datetime(2026, 3, 1, 8, 30) and when.is_date


def test_text_that_reads_like_an_error_code_stays_text():
    workbook = Workbook()
    append_row(workbook.active, ["#N/A", "#REF!"])
    assert [(c.value, c.data_type) for c in saved(workbook).active[1]] == [("#N/A", "s"), ("#REF!", "s")]


def test_csv_values_beginning_with_a_trigger_get_a_quote_and_come_back():
    buffer = io.StringIO()
    write_csv_row(csv.writer(buffer), [*HOSTILE, "平常", 7, -3])
    values = next(csv.reader(io.StringIO(buffer.getvalue())))
    assert values[: len(HOSTILE)] == ["'" + text for text in HOSTILE]
    assert values[len(HOSTILE) :] == ["平常", "7", "-3"]  # numbers are not text: left alone
    assert [csv_unescape(v) for v in values[: len(HOSTILE)]] == HOSTILE
    assert csv_value("it's") == "it's" and csv_unescape("'plain") == "'plain"


def _plant(world):
    GridUnit.objects.filter(pk=world.village_a.pk).update(name="=1+1", address="@SUM(A1)")
    User.objects.filter(pk=world.village_officer_a.pk).update(real_name="-2+3")


def test_unit_export_xlsx_writes_names_as_text_and_reimports_unchanged(client_for, world):
    _plant(world)
    response = client_for(world.township_leader).get(reverse("grids:export", args=["units", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    village = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == world.village_a.code)
    assert (village[1].value, village[1].data_type) == ("=1+1", "s")
    assert (village[9].value, village[9].data_type) == ("@SUM(A1)", "s")
    result = import_units(by=world.township_leader, data=response.content, filename="export.xlsx")
    assert result.ok and result.unchanged == 3


def test_unit_and_people_csv_exports_escape_formulas_and_reimport_unchanged(client_for, world):
    _plant(world)
    client = client_for(world.county_dispatcher)
    units = client.get(reverse("grids:export", args=["units", "csv"]))
    rows = list(csv.reader(io.StringIO(units.content.decode("utf-8-sig"))))
    village = next(row for row in rows if row[0] == world.village_a.code)
    assert village[1] == "'=1+1" and village[9] == "'@SUM(A1)"
    people = client.get(reverse("grids:export", args=["people", "csv"]))
    assert "'-2+3" in people.content.decode("utf-8-sig")
    again = import_units(by=world.county_dispatcher, data=units.content, filename="units.csv")
    assert again.ok and again.created == again.updated == 0
    assert GridUnit.objects.get(pk=world.village_a.pk).name == "=1+1"
    result = import_people(by=world.county_dispatcher, data=people.content, filename="people.csv")
    assert result.ok and result.created == result.updated == 0
    assert User.objects.get(pk=world.village_officer_a.pk).real_name == "-2+3"
