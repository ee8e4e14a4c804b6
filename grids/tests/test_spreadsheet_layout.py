"""Every .xlsx the site sends is laid out to read and print and named in Chinese (issue 17, item 11):
``grids.spreadsheets`` start_table / lay_out / xlsx_response / attachment."""

from __future__ import annotations

import datetime
import io
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from grids import spreadsheets


def test_a_download_is_named_in_chinese_with_an_rfc_5987_header():
    name = spreadsheets.export_name("隐患台账", "凌云县", datetime.date(2026, 12, 2))
    assert name == "隐患台账-凌云县-2026年12月.xlsx"
    header = spreadsheets.attachment(name)
    assert header.startswith('attachment; filename="')
    assert f"filename*=UTF-8''{quote(name)}" in header
    header.encode("latin-1")  # a header value must be ASCII-safe


def test_a_written_sheet_gets_widths_a_frozen_header_a_filter_and_a_print_layout():
    book = Workbook()
    sheet = book.active
    spreadsheets.append_row(sheet, ["编号", "标题", "所在网格"])
    spreadsheets.append_row(sheet, ["YH-1", "凌云县工业园区后山山体裂缝隐患", "泗城镇"])
    response = spreadsheets.xlsx_response(book, "测试.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C2"
    assert sheet.column_dimensions["B"].width >= 2 * len("凌云县工业园区后山山体裂缝隐患")
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet["A1"].font.bold


def test_a_streamed_sheet_is_laid_out_from_its_header():
    book = Workbook(write_only=True)
    sheet = book.create_sheet("值班记录")
    spreadsheets.start_table(sheet, ["时间", "摘要"], widths=[16, 40])
    spreadsheets.append_row(sheet, ["2026-12-02 08:30", "接报"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(buffer).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:B")
    assert sheet.column_dimensions["B"].width == 42


def test_the_hazard_export_is_named_for_the_unit_and_month(world, client_for):
    response = client_for(world.county_dispatcher).get(reverse("hazards:export"))
    assert response.status_code == 200
    today = timezone.localdate()
    assert quote(f"隐患台账-凌云县-{today.year}年{today.month:02d}月.xlsx") in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref


def _xlsx_routes():
    """Every download of the site ending in .xlsx that takes no object (the listed registers)."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    def walk(patterns, prefix="", namespace=""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                yield from walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern) and str(entry.pattern).endswith(".xlsx") and entry.name:
                if "<" not in prefix + str(entry.pattern):
                    yield f"{namespace}{entry.name}"

    return sorted(set(walk(get_resolver().url_patterns)))


def test_every_listed_download_is_named_in_chinese_and_laid_out(world, client_for):
    routes = _xlsx_routes()
    assert "hazards:export" in routes and "supplies:readiness_export" in routes
    client = client_for(world.county_dispatcher)
    problems = []
    for name in routes:
        response = client.get(reverse(name))
        if response.status_code != 200:  # a download that needs a choice first (a unit, a year)
            continue
        disposition = response["Content-Disposition"]
        if "%E" not in disposition.split("filename*=UTF-8''")[-1]:  # a Chinese name, percent-encoded UTF-8
            problems.append((name, disposition))
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        if not (sheet.freeze_panes == "A2" and sheet.auto_filter.ref):
            problems.append((name, "not laid out"))
    assert problems == [], "\n".join(map(str, problems))
