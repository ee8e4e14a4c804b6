"""The pages of the tier reports: scope of every page, wrong methods, the monthly report signed and
sent through the pages, receipts, corrected versions, the matrix, the Excel exports, the
consultation flow, and bounded query counts."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from openpyxl import load_workbook

from core.models import JobFailure
from core.periods import add_months, month_start, previous_month
from delivery import services as delivery
from delivery.models import Delivery, Document
from grids.rules import Kind
from grids.scope import forget_scope
from grids.tests.factories import grant, make_person, make_unit
from hazards.models import Hazard, State
from hazards.tests.factories import report as report_hazard
from reports import exports, services
from reports.models import Consultation, Countermeasure, MonthlyReport

pytestmark = pytest.mark.django_db
TZ = timezone.get_current_timezone()
TODAY = timezone.localdate()
PERIOD = previous_month(TODAY)  # the month the job of this month compiles
BEFORE = add_months(PERIOD, -1)
GEOLOGICAL = "地质灾害（崩塌、滑坡、泥石流）"


def at(day: int, month: datetime.date = PERIOD) -> datetime.datetime:
    return datetime.datetime(month.year, month.month, day, 10, tzinfo=TZ)


@pytest.fixture
def compiled(world):
    """Last month: village A found a geological danger (open) and a flood danger (closed in the
    month); village B one geological danger. The monthly job has compiled the drafts."""
    report_hazard(world, found_at=at(3), title="后山裂缝")
    flood = report_hazard(world, code="flood", found_at=at(12), title="河堤渗水")
    Hazard.objects.filter(pk=flood.pk).update(state=State.CLOSED, closed_at=at(20))
    report_hazard(world, by=world.village_officer_b, unit=world.village_b, found_at=at(5), title="危房")
    services.monthly_job(today=month_start(TODAY))
    return world


def draft_of(unit) -> MonthlyReport:
    return MonthlyReport.objects.exclude(state=MonthlyReport.State.SUPERSEDED).get(unit=unit, period=PERIOD)


def submit(world, unit=None, by=None) -> MonthlyReport:
    report = draft_of(unit or world.village_a)
    return services.monthly_report_submit(report=report, by=by or world.village_officer_a, signer_name="陆信息")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- scope ----------------------------------------------------------------------------------------


def test_village_officer_cannot_open_another_villages_report(compiled, client_for):
    client = client_for(compiled.village_officer_a)
    other = draft_of(compiled.village_b)
    assert client.get(reverse("reports:monthly_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("reports:monthly_export", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("reports:monthly_submit", args=[other.pk]), {"signer_name": "陆信息", "action": "submit"}
    )
    assert response.status_code == 404
    assert draft_of(compiled.village_b).state == MonthlyReport.State.DRAFT


def test_village_officer_opens_own_report_with_the_signing_form(compiled, client_for):
    report = draft_of(compiled.village_a)
    response = client_for(compiled.village_officer_a).get(reverse("reports:monthly_detail", args=[report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="report-submit"' in html and 'name="signer_name"' in html
    assert "后山裂缝" not in html  # a general hazard: only counted, not listed
    assert 'data-metric="new"><b>2</b>' in html


def test_township_officer_reads_village_reports_but_cannot_submit_them(compiled, client_for):
    client = client_for(compiled.township_officer)
    report = draft_of(compiled.village_a)
    response = client.get(reverse("reports:monthly_detail", args=[report.pk]))
    assert response.status_code == 200
    assert 'id="report-submit"' not in response.content.decode()
    response = client.post(
        reverse("reports:monthly_submit", args=[report.pk]), {"signer_name": "黄网格", "action": "submit"}
    )
    assert response.status_code == 403
    response = client.post(reverse("reports:monthly_submit", args=[report.pk]), {"annotation": "x", "action": "save"})
    assert response.status_code == 403
    submit(compiled)
    assert client.post(reverse("reports:monthly_reissue", args=[report.pk]), {"reason": "更正"}).status_code == 403
    assert draft_of(compiled.village_a).version == 1


def test_outsider_and_department_see_no_report_or_consultation(compiled, client_for):
    services.consultations_open(today=month_start(TODAY))
    report = draft_of(compiled.village_a)
    consultation = Consultation.objects.get(unit=compiled.township)
    for person in (compiled.outsider, compiled.department_officer):
        forget_scope(person)
        client = client_for(person)
        for url in (
            reverse("reports:monthly_detail", args=[report.pk]),
            reverse("reports:monthly_export", args=[report.pk]),
            reverse("reports:matrix", args=[compiled.township.pk]),
            reverse("reports:matrix_export", args=[compiled.township.pk]),
            reverse("reports:consultation_detail", args=[consultation.pk]),
            reverse("reports:consultation_overview", args=[compiled.county.pk]),
        ):
            assert client.get(url).status_code == 404, (person, url)
        assert (
            client.post(
                reverse("reports:consultation_record", args=[consultation.pk]),
                {"held_on": "2026-11-03", "participants": "x"},
            ).status_code
            == 404
        )
        listing = client.get(reverse("reports:monthly_list"))
        assert listing.status_code == 200 and not listing.context["reports"]
        assert not client.get(reverse("reports:consultation_list")).context["consultations"]


def test_monthly_list_shows_the_reports_in_scope(compiled, client_for):
    response = client_for(compiled.township_officer).get(reverse("reports:monthly_list"))
    units = {r.unit for r in response.context["reports"]}
    assert units == {compiled.township, compiled.village_a, compiled.village_b}
    assert reverse("reports:matrix", args=[compiled.township.pk]) in response.content.decode()
    mine = client_for(compiled.village_officer_a).get(reverse("reports:monthly_list"))
    assert {r.unit for r in mine.context["reports"]} == {compiled.village_a}
    assert "rp-matrix-link" not in mine.content.decode()


def test_monthly_list_filters_by_unit_month_and_state(compiled, client_for):
    submit(compiled)
    client = client_for(compiled.township_officer)
    url = reverse("reports:monthly_list")
    by_unit = client.get(url, {"unit": compiled.township.pk, "month": PERIOD.strftime("%Y年%m月")})
    assert len(by_unit.context["reports"]) == 3
    submitted = client.get(url, {"state": "submitted"})
    assert [r.unit for r in submitted.context["reports"]] == [compiled.village_a]
    assert not client.get(url, {"month": BEFORE.strftime("%Y-%m")}).context["reports"]
    bad = client.get(url, {"month": "not a month"})
    assert bad.status_code == 200 and bad.context["form"].errors


def test_every_form_refuses_get_and_every_page_refuses_post(compiled, client_for):
    services.consultations_open(today=month_start(TODAY))
    client = client_for(compiled.village_officer_a)
    report = draft_of(compiled.village_a)
    consultation = Consultation.objects.get(unit=compiled.township)
    item = services.countermeasure_add(
        consultation=consultation,
        by=compiled.township_leader,
        risk="山洪",
        level=2,
        trend="rising",
        measure="巡查",
        responsible_unit=compiled.village_a,
        deadline=TODAY,
    )
    posts = [
        reverse("delivery:delivery_receipt", args=[1]),
        reverse("reports:monthly_submit", args=[report.pk]),
        reverse("reports:monthly_reissue", args=[report.pk]),
        reverse("reports:consultation_record", args=[consultation.pk]),
        reverse("reports:countermeasure_add", args=[consultation.pk]),
        reverse("reports:consultation_complete", args=[consultation.pk]),
        reverse("reports:countermeasure_done", args=[item.pk]),
    ]
    for url in posts:
        assert client.get(url).status_code == 405, url
    gets = [
        reverse("delivery:inbox"),
        reverse("delivery:delivery_open", args=[1]),
        reverse("reports:monthly_list"),
        reverse("reports:monthly_detail", args=[report.pk]),
        reverse("reports:monthly_export", args=[report.pk]),
        reverse("reports:matrix", args=[compiled.township.pk]),
        reverse("reports:matrix_export", args=[compiled.township.pk]),
        reverse("reports:consultation_list"),
        reverse("reports:consultation_detail", args=[consultation.pk]),
        reverse("reports:consultation_overview", args=[compiled.county.pk]),
    ]
    for url in gets:
        assert client.post(url).status_code == 405, url


def test_pages_need_a_login(compiled, client):
    response = client.get(reverse("delivery:inbox"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- signing, inbox, receipt ----------------------------------------------------------------------


def test_submit_through_the_page_lands_in_the_township_inbox(compiled, client_for):
    report = draft_of(compiled.village_a)
    client = client_for(compiled.village_officer_a)
    response = client.post(
        reverse("reports:monthly_submit", args=[report.pk]),
        {"annotation": "已逐户核实", "signer_name": "陆信息", "action": "submit"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("reports:monthly_detail", args=[report.pk])
    report.refresh_from_db()
    assert report.state == MonthlyReport.State.SUBMITTED
    assert (report.signer_name, report.annotation, report.submitted_by) == (
        "陆信息",
        "已逐户核实",
        compiled.village_officer_a,
    )

    inbox = client_for(compiled.township_officer).get(reverse("delivery:inbox"))
    entry = inbox.context["entries"][0]
    assert entry.recipient_unit == compiled.township and entry.state == Delivery.State.DELIVERED
    html = inbox.content.decode()
    assert f"<strong>{entry.document.title}</strong>" in html  # unread: bold
    assert client_for(compiled.township_officer).get(reverse("delivery:inbox"), {"show": "unread"}).context["entries"]


def test_opening_an_inbox_entry_marks_it_read_and_shows_the_report(compiled, client_for):
    report = submit(compiled)
    entry = Delivery.objects.get(recipient_unit=compiled.township)
    client = client_for(compiled.township_officer)
    response = client.get(reverse("delivery:delivery_open", args=[entry.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("reports:monthly_detail", args=[report.pk])
    entry.refresh_from_db()
    assert entry.state == Delivery.State.READ and entry.read_by == compiled.township_officer
    assert not client.get(reverse("delivery:inbox"), {"show": "unread"}).context["entries"]
    page = client.get(response["Location"])
    assert f'data-receipt="{entry.pk}"' in page.content.decode()  # one tap on the report page


def test_receipt_through_the_inbox(compiled, client_for):
    submit(compiled)
    entry = Delivery.objects.get(recipient_unit=compiled.township)
    client = client_for(compiled.township_officer)
    response = client.post(reverse("delivery:delivery_receipt", args=[entry.pk]), {"next": reverse("delivery:inbox")})
    assert response.status_code == 302 and response["Location"] == reverse("delivery:inbox")
    entry.refresh_from_db()
    assert entry.state == Delivery.State.RECEIPTED and entry.receipted_by == compiled.township_officer
    html = client.get(reverse("delivery:inbox")).content.decode()
    assert 'data-state="receipted"' in html and f'data-receipt="{entry.pk}"' not in html


def test_someone_elses_delivery_is_not_found(compiled, client_for):
    submit(compiled)
    entry = Delivery.objects.get(recipient_unit=compiled.township)
    for person in (
        compiled.village_officer_a,
        compiled.village_officer_b,
        compiled.outsider,
        compiled.county_dispatcher,
    ):
        client = client_for(person)
        assert client.get(reverse("delivery:delivery_open", args=[entry.pk])).status_code == 404
        assert client.post(reverse("delivery:delivery_receipt", args=[entry.pk])).status_code == 404
    entry.refresh_from_db()
    assert entry.state == Delivery.State.DELIVERED


def test_receipt_does_not_redirect_elsewhere(compiled, client_for):
    submit(compiled)
    entry = Delivery.objects.get(recipient_unit=compiled.township)
    response = client_for(compiled.township_officer).post(
        reverse("delivery:delivery_receipt", args=[entry.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("delivery:inbox")


def test_submit_without_a_name_shows_the_error(compiled, client_for):
    report = draft_of(compiled.village_a)
    response = client_for(compiled.village_officer_a).post(
        reverse("reports:monthly_submit", args=[report.pk]),
        {"annotation": "备注", "signer_name": " ", "action": "submit"},
    )
    assert response.status_code == 400
    assert response.context["sign_form"].errors["signer_name"]
    report.refresh_from_db()
    assert report.state == MonthlyReport.State.DRAFT


def test_save_notes_keeps_the_draft(compiled, client_for):
    report = draft_of(compiled.village_a)
    response = client_for(compiled.village_officer_a).post(
        reverse("reports:monthly_submit", args=[report.pk]), {"annotation": "先存草稿", "action": "save"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == MonthlyReport.State.DRAFT and report.annotation == "先存草稿"
    assert not Delivery.objects.exists()


def test_submitting_twice_is_refused_with_a_message(compiled, client_for):
    report = submit(compiled)
    response = client_for(compiled.village_officer_a).post(
        reverse("reports:monthly_submit", args=[report.pk]), {"signer_name": "陆信息", "action": "submit"}
    )
    assert response.status_code == 302
    assert messages_of(response)
    assert Delivery.objects.count() == 1


def test_reissue_through_the_page(compiled, client_for):
    old = submit(compiled)
    client = client_for(compiled.village_officer_a)
    page = client.get(reverse("reports:monthly_detail", args=[old.pk])).content.decode()
    assert reverse("reports:monthly_reissue", args=[old.pk]) in page
    assert client.post(reverse("reports:monthly_reissue", args=[old.pk]), {"reason": ""}).status_code == 400
    report_hazard(compiled, found_at=at(28), title="补录")
    response = client.post(reverse("reports:monthly_reissue", args=[old.pk]), {"reason": "补录月底隐患"})
    new = draft_of(compiled.village_a)
    assert response.status_code == 302 and response["Location"] == reverse("reports:monthly_detail", args=[new.pk])
    old.refresh_from_db()
    assert old.state == MonthlyReport.State.SUPERSEDED and new.version == 2 and new.figures["totals"]["new"] == 3
    page = client.get(response["Location"]).content.decode()
    assert reverse("reports:monthly_detail", args=[old.pk]) in page  # a link to the older version
    again = client.post(reverse("reports:monthly_reissue", args=[old.pk]), {"reason": "再改"})
    assert again.status_code == 302 and messages_of(again)  # a superseded version is not reissued


def test_township_report_lists_its_villages_and_who_reported(compiled, client_for):
    submit(compiled)
    township = draft_of(compiled.township)
    html = (
        client_for(compiled.township_officer)
        .get(reverse("reports:monthly_detail", args=[township.pk]))
        .content.decode()
    )
    assert f'data-child="{compiled.village_a.pk}"' in html
    rows = re.findall(r'data-child="(\d+)".*?class="rp-reported-(\w+)"', html, re.S)
    assert dict(rows) == {str(compiled.village_a.pk): "yes", str(compiled.village_b.pk): "no"}


# --- matrix ---------------------------------------------------------------------------------------


def matrix_states(html: str) -> dict[tuple[str, str], str]:
    states = {}
    for unit, row in re.findall(r'<tr data-unit="(\d+)">(.*?)</tr>', html, re.S):
        for status, month in re.findall(r'data-status="(\w+)" data-month="([\d-]+)"', row):
            states[(unit, month)] = status
    return states


def test_matrix_colours_each_month(compiled, client_for):
    world = compiled
    on_time = submit(world)
    MonthlyReport.objects.filter(pk=on_time.pk).update(submitted_at=at(2, TODAY))
    deadline = PERIOD.replace(day=5)
    MonthlyReport.objects.create(
        unit=world.village_a,
        period=BEFORE,
        state="submitted",
        deadline=deadline,
        submitted_at=at(9),
        signer_name="陆信息",
    )
    MonthlyReport.objects.create(
        unit=world.village_b,
        period=BEFORE,
        state="submitted",
        deadline=deadline,
        submitted_at=at(6),
        auto_submitted=True,
        signer_name="x",
    )
    response = client_for(world.township_officer).get(reverse("reports:matrix", args=[world.township.pk]))
    assert response.status_code == 200
    states = matrix_states(response.content.decode())
    a, b = str(world.village_a.pk), str(world.village_b.pk)
    assert states[(a, f"{PERIOD:%Y-%m}")] == "submitted"
    assert states[(a, f"{BEFORE:%Y-%m}")] == "late"
    assert states[(b, f"{BEFORE:%Y-%m}")] == "auto"
    assert states[(b, f"{PERIOD:%Y-%m}")] == "draft"
    assert states[(a, f"{add_months(PERIOD, -2):%Y-%m}")] == "missing"
    assert len({month for _unit, month in states}) == 12
    html = response.content.decode()
    assert reverse("reports:monthly_detail", args=[on_time.pk]) in html
    for status in exports.STATUSES:
        assert f"rp-cell-{status}" in html  # the legend shows every colour


def test_matrix_months_can_be_narrowed(compiled, client_for):
    response = client_for(compiled.township_officer).get(
        reverse("reports:matrix", args=[compiled.township.pk]), {"months": "6"}
    )
    assert len(response.context["months"]) == 6 and response.context["months"][0] == PERIOD  # newest first


def test_matrix_needs_the_unit_in_scope(compiled, client_for):
    assert (
        client_for(compiled.village_officer_a).get(reverse("reports:matrix", args=[compiled.township.pk])).status_code
        == 404
    )
    assert (
        client_for(compiled.township_officer)
        .get(reverse("reports:matrix", args=[compiled.other_township.pk]))
        .status_code
        == 404
    )
    assert client_for(compiled.township_officer).get(reverse("reports:matrix", args=[999999])).status_code == 404
    county = client_for(compiled.county_dispatcher).get(reverse("reports:matrix", args=[compiled.county.pk]))
    assert county.status_code == 200
    assert {row["unit"] for row in county.context["rows"]} == {
        compiled.township,
        compiled.other_township,
        compiled.park,
    }


def test_matrix_queries_do_not_grow_with_units(compiled, client_for, django_assert_max_num_queries):
    client = client_for(compiled.county_dispatcher)
    url = reverse("reports:matrix", args=[compiled.township.pk])
    client.get(url)
    for i in range(15):
        make_unit(compiled.township, Kind.VILLAGE, f"451027100{300 + i}", f"新村{i}")
    services.monthly_reports_open(period=PERIOD)
    services.monthly_reports_compile(period=PERIOD)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert len(response.context["rows"]) == 17


# --- Excel ----------------------------------------------------------------------------------------


def rows_of(response) -> list[tuple]:
    assert response["Content-Type"] == exports.XLSX
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_monthly_export_has_the_reports_figures(compiled, client_for):
    report = submit(compiled)
    response = client_for(compiled.township_officer).get(reverse("reports:monthly_export", args=[report.pk]))
    assert response.status_code == 200
    rows = rows_of(response)
    labels = {row[0]: row[1] for row in rows if row and row[0]}
    assert labels[str(exports.METRIC_LABELS["new"])] == 2
    assert labels[str(exports.METRIC_LABELS["closed"])] == 1
    assert labels[str(exports.METRIC_LABELS["open_end"])] == 1
    assert labels[gettext("Signed by")] == "陆信息"
    by_name = {row[0]: row[1:7] for row in rows if row and row[0] in ("洪涝", GEOLOGICAL)}
    # columns: open at start, new, closed, rejected, open at end, overdue
    assert by_name["洪涝"] == (0, 1, 1, 0, 0, 0)
    assert by_name[GEOLOGICAL] == (0, 1, 0, 0, 1, 0)


def test_matrix_export_has_a_coloured_cell_per_unit_and_month(compiled, client_for, clock):
    clock.move_to(datetime.datetime(TODAY.year, TODAY.month, 6, 10, tzinfo=TZ))  # a day after the deadline
    submit(compiled)
    response = client_for(compiled.township_officer).get(
        reverse("reports:matrix_export", args=[compiled.township.pk]), {"months": "3"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header[1:] == [f"{m:%Y-%m}" for m in (add_months(PERIOD, -2), BEFORE, PERIOD)]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(3, 5)}
    a_row, b_row = rows[compiled.village_a.name], rows[compiled.village_b.name]
    assert sheet.cell(row=a_row, column=4).value == str(
        exports.STATUSES["late"][0]
    )  # submitted on the 6th, after the 5th
    assert sheet.cell(row=b_row, column=4).value == str(exports.STATUSES["draft"][0])
    assert sheet.cell(row=b_row, column=2).fill.start_color.rgb.endswith(exports.STATUSES["missing"][1])


# --- consultations --------------------------------------------------------------------------------


@pytest.fixture
def consultation(compiled):
    services.consultations_open(today=month_start(TODAY))
    return Consultation.objects.get(unit=compiled.township)


def test_consultation_flow_through_the_pages(compiled, consultation, client_for):
    world = compiled
    client = client_for(world.township_leader)
    page = client.get(reverse("reports:consultation_detail", args=[consultation.pk]))
    assert page.status_code == 200 and 'data-section="warnings"' in page.content.decode()
    response = client.post(
        reverse("reports:consultation_record", args=[consultation.pk]),
        {
            "held_on": "2026年11月3日",
            "participants": "镇应急办、水利站、各村支书",
            "summary": "汛末地质灾害风险仍高",
        },
    )
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.held_on == datetime.date(2026, 11, 3)
    response = client.post(
        reverse("reports:countermeasure_add", args=[consultation.pk]),
        {
            "risk": "后山滑坡",
            "category": "",
            "level": "2",
            "trend": "rising",
            "measure": "雨后巡查，设置警示牌",
            "responsible_unit": world.village_a.pk,
            "deadline": "2026/12/10",
        },
    )
    assert response.status_code == 302
    item = consultation.countermeasures.get()
    assert (item.responsible_unit, item.deadline, item.level) == (world.village_a, datetime.date(2026, 12, 10), 2)
    response = client.post(reverse("reports:consultation_complete", args=[consultation.pk]))
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == Consultation.State.COMPLETED
    inbox = client_for(world.county_dispatcher).get(reverse("delivery:inbox"))
    entry = inbox.context["entries"][0]
    assert entry.document.kind == Document.Kind.CONSULTATION and entry.document.sender_unit == world.township
    opened = client_for(world.county_dispatcher).get(reverse("delivery:delivery_open", args=[entry.pk]))
    assert opened["Location"] == reverse("reports:consultation_detail", args=[consultation.pk])
    county_page = client_for(world.county_dispatcher).get(opened["Location"]).content.decode()
    assert "后山滑坡" in county_page and f'data-receipt="{entry.pk}"' in county_page
    assert 'id="record-form"' not in county_page  # the county reads, the township records


def test_consultation_refusals_through_the_pages(compiled, consultation, client_for):
    world = compiled
    client = client_for(world.township_leader)
    assert client.post(reverse("reports:consultation_complete", args=[consultation.pk])).status_code == 400
    bad = client.post(
        reverse("reports:consultation_record", args=[consultation.pk]), {"held_on": "11月3日", "participants": ""}
    )
    assert bad.status_code == 400 and set(bad.context["record_form"].errors) == {"held_on", "participants"}
    outside = client.post(
        reverse("reports:countermeasure_add", args=[consultation.pk]),
        {
            "risk": "x",
            "level": "3",
            "trend": "steady",
            "measure": "x",
            "responsible_unit": world.village_c.pk,
            "deadline": "2026-12-01",
        },
    )
    assert outside.status_code == 400 and "responsible_unit" in outside.context["add_form"].errors
    # the county sees the township's consultation but may not record it
    county = client_for(world.county_dispatcher)
    assert county.get(reverse("reports:consultation_detail", args=[consultation.pk])).status_code == 200
    assert (
        county.post(
            reverse("reports:consultation_record", args=[consultation.pk]),
            {"held_on": "2026-11-03", "participants": "x"},
        ).status_code
        == 403
    )
    assert county.post(reverse("reports:consultation_complete", args=[consultation.pk])).status_code == 403
    # a village cannot see the township's consultation
    village = client_for(world.village_officer_a)
    assert village.get(reverse("reports:consultation_detail", args=[consultation.pk])).status_code == 404


def test_completed_consultation_refuses_more_with_a_message(compiled, consultation, client_for):
    world = compiled
    services.consultation_record(
        consultation=consultation, by=world.township_leader, held_on=TODAY, participants="镇应急办", summary=""
    )
    services.countermeasure_add(
        consultation=consultation,
        by=world.township_leader,
        risk="山洪",
        level=2,
        trend="rising",
        measure="巡查",
        responsible_unit=world.township,
        deadline=TODAY,
    )
    services.consultation_complete(consultation=consultation, by=world.township_leader)
    response = client_for(world.township_leader).post(
        reverse("reports:consultation_record", args=[consultation.pk]), {"held_on": "2026-11-04", "participants": "x"}
    )
    assert response.status_code == 302 and messages_of(response)


def test_overdue_countermeasure_is_marked_and_can_be_done(compiled, consultation, client_for):
    world = compiled
    item = services.countermeasure_add(
        consultation=consultation,
        by=world.township_leader,
        risk="森林火险",
        level=1,
        trend="rising",
        measure="护林员上岗",
        responsible_unit=world.village_a,
        deadline=TODAY - datetime.timedelta(days=3),
    )
    on_time = services.countermeasure_add(
        consultation=consultation,
        by=world.township_leader,
        risk="道路结冰",
        level=3,
        trend="steady",
        measure="撒盐",
        responsible_unit=world.township,
        deadline=TODAY + datetime.timedelta(days=10),
    )
    assert services.countermeasures_mark_overdue(today=TODAY) == 1
    client = client_for(world.township_leader)
    html = client.get(reverse("reports:consultation_detail", args=[consultation.pk])).content.decode()
    rows = dict(re.findall(r'data-countermeasure="(\d+)".*?(data-overdue="[\d-]+"|</tr>)', html, re.S))
    assert rows[str(item.pk)].startswith("data-overdue") and rows[str(on_time.pk)] == "</tr>"
    missing_note = client.post(reverse("reports:countermeasure_done", args=[item.pk]), {f"done-{item.pk}-note": ""})
    assert missing_note.status_code == 400
    response = client.post(
        reverse("reports:countermeasure_done", args=[item.pk]), {f"done-{item.pk}-note": "已安排护林员"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == Countermeasure.State.DONE and item.done_note == "已安排护林员"
    assert (
        client_for(world.outsider)
        .post(reverse("reports:countermeasure_done", args=[on_time.pk]), {f"done-{on_time.pk}-note": "x"})
        .status_code
        == 404
    )


def test_consultation_overview_shows_who_has_held_theirs(compiled, consultation, client_for):
    world = compiled
    services.consultation_record(
        consultation=consultation, by=world.township_leader, held_on=TODAY, participants="镇应急办", summary=""
    )
    response = client_for(world.county_dispatcher).get(
        reverse("reports:consultation_overview", args=[world.county.pk]), {"period": TODAY.strftime("%Y-%m")}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-unit="{world.township.pk}" data-held="yes"' in html
    assert f'data-unit="{world.other_township.pk}" data-held="no"' in html
    assert response.context["held"] == 1
    listing = client_for(world.county_dispatcher).get(reverse("reports:consultation_list"))
    assert reverse("reports:consultation_overview", args=[world.county.pk]) in listing.content.decode()
    assert (
        client_for(world.township_officer)
        .get(reverse("reports:consultation_overview", args=[world.county.pk]))
        .status_code
        == 404
    )


def test_consultation_list_is_scoped(compiled, consultation, client_for):
    mine = client_for(compiled.township_officer).get(reverse("reports:consultation_list"))
    assert [c.unit for c in mine.context["consultations"]] == [compiled.township]
    county = client_for(compiled.county_dispatcher).get(reverse("reports:consultation_list"))
    assert {c.unit for c in county.context["consultations"]} >= {compiled.township, compiled.other_township}


# --- query counts ---------------------------------------------------------------------------------


def test_inbox_queries_do_not_grow_with_entries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.township_officer)

    def send(n: int):
        for i in range(n):
            delivery.send_document(
                sender_unit=world.village_a,
                kind=Document.Kind.NOTICE,
                title=f"通知{i}",
                url="/",
                to_units=[world.township],
            )

    send(2)
    Delivery.objects.filter(pk=Delivery.objects.first().pk).update(
        state=Delivery.State.RECEIPTED, receipted_by=world.township_officer
    )
    client.get(reverse("delivery:inbox"))
    send(25)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("delivery:inbox"))
    assert len(response.context["entries"]) == 27


# --- admin ----------------------------------------------------------------------------------------


def test_admin_lists_the_reports_and_job_failures_for_administrators(compiled, client_for):
    submit(compiled)
    JobFailure.objects.create(
        task="reports.tasks.monthly_reports", unit=compiled.village_a, error="OperationalError: boom"
    )
    client = client_for(compiled.admin)
    for model in (
        "monthlyreport",
        "consultation",
        "countermeasure",
        "reportingrule",
        "seasonalrisk",
    ):
        assert client.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200, model
    for model in ("delivery_delivery", "core_jobfailure"):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
    html = client.get(reverse("admin:core_jobfailure_changelist")).content.decode()
    assert "OperationalError: boom" in html


def test_admin_scopes_reports_and_hides_job_failures_from_staff(compiled, client):
    from django.contrib.auth.models import Permission

    staff = make_person("township_clerk", is_staff=True)
    grant(staff, compiled.township, "grid_officer")
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="reports"))
    client.force_login(staff)
    response = client.get(reverse("admin:reports_monthlyreport_changelist"))
    assert response.status_code == 200
    units = {r.unit for r in response.context["cl"].queryset}
    assert units == {compiled.township, compiled.village_a, compiled.village_b}
    assert client.get(reverse("admin:core_jobfailure_changelist")).status_code == 403
    report = draft_of(compiled.village_a)
    assert (
        client.post(reverse("admin:reports_monthlyreport_change", args=[report.pk]), {"state": "submitted"}).status_code
        == 403
    )


def test_exports_write_formula_like_text_as_text(compiled, client_for, clock):
    from grids.models import GridUnit

    GridUnit.objects.filter(pk=compiled.village_b.pk).update(name="@SUM(A1)")
    report = draft_of(compiled.village_a)
    report = services.monthly_report_submit(report=report, by=compiled.village_officer_a, signer_name="=1+1")
    sheet = load_workbook(
        io.BytesIO(
            client_for(compiled.township_officer).get(reverse("reports:monthly_export", args=[report.pk])).content
        )
    ).active
    signed = next(row for row in sheet.iter_rows() if row[0].value == gettext("Signed by"))
    assert (signed[1].value, signed[1].data_type) == ("=1+1", "s")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    matrix = load_workbook(
        io.BytesIO(
            client_for(compiled.township_officer)
            .get(reverse("reports:matrix_export", args=[compiled.township.pk]), {"months": "3"})
            .content
        )
    ).active
    names = {row[0].value: (row[0].data_type, row[0].quotePrefix) for row in matrix.iter_rows(min_row=3)}
    assert names["@SUM(A1)"] == ("s", True)  # Excel keeps it text even when the cell is edited


# --- submitting while villages have not reported (issue 17, item 4) -------------------------------


def test_a_township_report_asks_to_confirm_while_villages_have_not_reported(compiled, client_for):
    submit(compiled)  # village A reported; village B has not
    report = draft_of(compiled.township)
    client = client_for(compiled.township_officer)
    page = client.get(reverse("reports:monthly_detail", args=[report.pk])).content.decode()
    assert 'name="confirm_unreported"' in page and compiled.village_b.name in page
    data = {"signer_name": "黄网格", "action": "submit"}
    response = client.post(reverse("reports:monthly_submit", args=[report.pk]), data)
    assert response.status_code == 400
    assert compiled.village_b.name in response.content.decode()
    assert draft_of(compiled.township).state == MonthlyReport.State.DRAFT  # nothing saved
    response = client.post(reverse("reports:monthly_submit", args=[report.pk]), {**data, "confirm_unreported": "1"})
    assert response.status_code == 302
    assert draft_of(compiled.township).state == MonthlyReport.State.SUBMITTED


def test_a_township_report_submits_without_a_question_once_every_village_reported(compiled, client_for):
    submit(compiled)
    submit(compiled, unit=compiled.village_b, by=compiled.village_officer_b)
    report = draft_of(compiled.township)
    client = client_for(compiled.township_officer)
    assert (
        'name="confirm_unreported"'
        not in client.get(reverse("reports:monthly_detail", args=[report.pk])).content.decode()
    )
    response = client.post(
        reverse("reports:monthly_submit", args=[report.pk]), {"signer_name": "黄网格", "action": "submit"}
    )
    assert response.status_code == 302
    assert draft_of(compiled.township).state == MonthlyReport.State.SUBMITTED


def test_no_new_hazard_says_this_month(world, client_for):
    report_hazard(world, found_at=at(3), title="后山裂缝")  # village A found one; village B none
    services.monthly_job(today=month_start(TODAY))
    report = draft_of(world.township)
    page = client_for(world.township_officer).get(reverse("reports:monthly_detail", args=[report.pk])).content.decode()
    row = page[page.index(f'<th scope="row" class="rp-fig-label">{world.village_b.name}') :][:400]
    assert "本月无新增隐患" in row
    assert "未发现隐患" not in page
