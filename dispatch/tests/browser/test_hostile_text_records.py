"""Text from users is never HTML in the browser, continued from test_hostile_text.py: markup planted
through the services in the free-text fields of the records (monthly reports, consultations and
their countermeasures, the hazard loop's notes, the warning's local instructions, the incident's
reports, people, import files, duty shifts) shows literally on every page where it appears — and
no script ever runs (any dialog fails).

Free-text fields a person fills (CharField/TextField of grids, hazards, reports, dispatch) and where
they are covered:

- grids.GridUnit name — test_hostile_text.py (and here, village A and B); address — here (unit page).
- grids.User real_name, position — here (unit page people list, person page, admin people list).
- grids.ImportJob original_name — here (import job page, upload page's list, admin).
- hazards.Hazard title, description, address, risk_reason — test_hostile_text.py; measures,
  responsible_unit, responsible_person, contingency, supervision_requirements — here (detail, prints).
- hazards.HazardEvent note (confirm note: test_hostile_text.py; plan note, evidence note, fail
  reason, reject reason, escalation reason, supervision requirements, copy feedback — here, timeline).
- hazards.HazardCopy feedback — here (hazard detail; the copies page shows only that feedback was
  given, by whom: checked for the hazard's unit name and no markup).
- reports.MonthlyReport annotation, signer_name, correction_reason — here (detail, list, township
  inbox, matrix, admin change list).
- reports.Consultation participants, summary; reports.Countermeasure risk, measure, done_note —
  here (consultation detail, list, overview; the responsible village has no page that
  shows its countermeasures — the township's consultation is out of its scope).
- dispatch.DutyLogEntry summary, caller, details; dispatch.Incident title, place, description —
  test_hostile_text.py; Incident measures — here (incident detail).
- dispatch.IncidentReport text (follow-up and final) — here (incident detail).
- dispatch.Warning title, content, instructions — test_hostile_text.py.
- dispatch.LocalInstruction text — here (warning detail for the county and for the village, board).
- dispatch.DutyShift note — here (duty calendar).

Not covered, and why:

- dispatch.EvacuationReport has no free text (two numbers); its figures are reported here so the
  board shows the row beside the planted unit names.
- grids.GridUnit code and credit_code, grids.User mobile, hazards.Hazard responsible_phone,
  dispatch.Incident reporter_phone: validated formats (digits, codes) that refuse markup.
- Numbers, identifiers and sequence keys the code writes itself (Hazard.number,
  supervision_order_no default, Incident.number, Warning.identifier, WarningMessage, JobFailure).
- delivery.Document title/body, dispatch.Warning sender_name: written by the services from the
  fields above (unit names, warning and incident text), covered through them (the inbox).
- Of the tables the county's staff edit in the admin, grids.Department name and short_name,
  hazards.HazardCategory name and reports.SeasonalRisk advice are planted here (hazard detail,
  copies page, consultation briefing, admin lists); the others (RiskFactorOption label, WarningType,
  IncidentType, Sector names, SeasonalRisk name) and grids.Membership note (shown only in the
  admin's form, as an input's value) are not, to keep the test within its time budget; they render
  through the same autoescaped templates.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from core.periods import month_start
from dispatch.models import IncidentType, WarningType
from dispatch.services import duty, warning_receipts
from dispatch.services import incidents as incident_services
from dispatch.services import warnings as warning_services
from emergency.tests.hostile import (
    IMG,
    SCRIPT,
    log_in_as,
    plant_unit_names,
    record_dialogs,
    seeded_world,
    shows_literally,
)
from grids import services as grid_services
from grids.models import Department, GridUnit, ImportJob, User
from hazards import services as hazard_services
from hazards.models import Grade, HazardCategory, HazardCopy
from hazards.tests.factories import photo, report
from reports import services as report_services
from reports.models import Consultation, MonthlyReport, SeasonalRisk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def plant_people(world) -> None:
    """People's names and positions come from the import or the admin; written here directly."""
    User.objects.filter(pk=world.village_officer_a.pk).update(real_name=f"陆信息{IMG}", position=f"信息员{SCRIPT}")
    GridUnit.objects.filter(pk=world.village_a.pk).update(address=f"陇雅村委{IMG}")
    for person in (world.village_officer_a, world.village_a):
        person.refresh_from_db()


def plant_rules(world) -> None:
    """What the county's staff edit in the admin: a department, a category, the seasonal calendar."""
    Department.objects.filter(pk=world.department.pk).update(name=f"凌云县水利局{IMG}", short_name=f"水利局{SCRIPT}")
    HazardCategory.objects.filter(code="flood").update(name=f"洪涝{IMG}")
    SeasonalRisk.objects.update(advice=f"注意防范{IMG}")
    world.department.refresh_from_db()


def plant_monthly_report(world) -> tuple[MonthlyReport, MonthlyReport]:
    """Village A signs and submits last month's report with notes, then corrects it (a new version)."""
    report_services.monthly_job(today=month_start(timezone.localdate()))
    draft = MonthlyReport.objects.get(unit=world.village_a, version=1)
    submitted = report_services.monthly_report_submit(
        report=draft, by=world.village_officer_a, signer_name=f"签名{IMG}", annotation=f"已逐户核实{SCRIPT}{IMG}"
    )
    corrected = report_services.monthly_report_reissue(
        report=submitted, by=world.village_officer_a, reason=f"数字有误{IMG}"
    )
    return submitted, corrected


def plant_consultation(world) -> Consultation:
    report_services.consultations_open(today=month_start(timezone.localdate()))
    consultation = Consultation.objects.get(unit=world.township)
    consultation = report_services.consultation_record(
        consultation=consultation,
        by=world.township_leader,
        held_on=timezone.localdate(),
        participants=f"水利局、应急局{IMG}",
        summary=f"山洪风险上升{SCRIPT}{IMG}",
    )
    item = report_services.countermeasure_add(
        consultation=consultation,
        by=world.township_leader,
        risk=f"山洪{IMG}",
        level=2,
        trend="rising",
        measure=f"加密巡查{SCRIPT}",
        responsible_unit=world.village_a,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    report_services.countermeasure_done(item=item, by=world.village_officer_a, note=f"已巡查三次{IMG}")
    return consultation


def plant_hazards(world):
    """One general hazard through plan, evidence, a failed acceptance and an escalation; one
    rejected; one major hazard supervised by the county and copied to the water department."""
    hazard = report(world, title="挡墙开裂")
    hazard = hazard_services.hazard_confirm(
        hazard=hazard,
        by=world.township_officer,
        grade="general",
        risk_method="direct",
        risk_level=2,
        risk_reason="现场研判",
    )
    hazard = hazard_services.hazard_plan(
        hazard=hazard,
        by=world.township_officer,
        measures=f"削坡减载{IMG}",
        responsible_unit=f"泗城镇安监站{SCRIPT}",
        responsible_person=f"黄网格{IMG}",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        contingency=f"雨天转移{IMG}",
        note=f"五落实{SCRIPT}",
    )
    hazard = hazard_services.hazard_submit_evidence(
        hazard=hazard, by=world.village_officer_a, note=f"已削坡{IMG}", photos=[photo()]
    )
    hazard = hazard_services.hazard_fail_acceptance(hazard=hazard, by=world.township_officer, reason=f"警示牌未设{IMG}")
    hazard = hazard_services.hazard_escalate(hazard=hazard, by=world.township_officer, reason=f"超出权限{SCRIPT}")

    rejected = report(world, title="路面沉降")
    rejected = hazard_services.hazard_reject(hazard=rejected, by=world.township_officer, reason=f"正常沉降{IMG}")

    major = report(world, code="flood", title="河堤渗水")
    major = hazard_services.hazard_confirm(
        hazard=major,
        by=world.township_officer,
        grade=Grade.MAJOR,
        risk_method="ls",
        risk_inputs={"ls_l": 5, "ls_s": 5},
    )
    major = hazard_services.hazard_supervise(
        hazard=major,
        by=world.county_dispatcher,
        department=world.department,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        requirements=f"30日内完成治理{IMG}",
    )
    copy = HazardCopy.objects.get(hazard=major, department=world.department)
    hazard_services.hazard_copy_feedback(copy=copy, by=world.department_officer, feedback=f"已派员核查{IMG}{SCRIPT}")
    return hazard, rejected, major


def plant_dispatch(world):
    now = timezone.now()
    warning = warning_services.warning_draft(
        by=world.county_dispatcher,
        type=WarningType.objects.get(code="rainstorm"),
        level=2,
        title="暴雨预警",
        content="预计今夜大暴雨",
        valid_from=now,
        valid_to=now + datetime.timedelta(hours=12),
        areas=[world.township],
        report_evacuation=True,
    )
    warning = warning_services.warning_issue(warning=warning, by=world.county_dispatcher)
    warning_receipts.warning_add_local_instruction(
        warning=warning, unit=world.township, by=world.township_officer, text=f"今晚转移低洼户{IMG}{SCRIPT}"
    )
    warning_receipts.report_evacuation(
        warning=warning, unit=world.village_a, by=world.village_officer_a, evacuated=12, sheltered=8
    )
    incident, _created = incident_services.incident_first_report(
        by=world.village_officer_a,
        unit=world.village_a,
        type=IncidentType.objects.get(code="fire"),
        title="仓库起火",
        occurred_at=now - datetime.timedelta(minutes=5),
        place="三组仓库",
        description="仓库着火",
        reporter_phone="13800000000",
        measures=f"已疏散{IMG}",
    )
    incident_services.incident_follow_up(incident=incident, by=world.village_officer_a, text=f"火势控制{IMG}")
    incident_services.incident_final(incident=incident, by=world.township_officer, text=f"明火扑灭{SCRIPT}{IMG}")
    duty.duty_shift_add(
        by=world.county_dispatcher,
        unit=world.county,
        starts_at=now - datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=8),
        leader=world.county_dispatcher,
        post_a=world.county_dispatcher,
        note=f"值班备注{IMG}",
    )
    return warning, incident


def plant_import(world) -> ImportJob:
    """An upload keeps its original name for the page; the import itself waits in the outbox."""
    upload = SimpleUploadedFile(f"网格{IMG}.xlsx", b"not a workbook", content_type="application/octet-stream")
    return grid_services.import_job_create(by=world.county_dispatcher, dataset=ImportJob.Dataset.UNITS, upload=upload)


def test_planted_markup_in_records_shows_as_text_and_never_runs(page, live_server):
    world = seeded_world()
    plant_unit_names(world)
    plant_people(world)
    plant_rules(world)
    submitted, corrected = plant_monthly_report(world)
    consultation = plant_consultation(world)
    hazard, rejected, major = plant_hazards(world)
    warning, incident = plant_dispatch(world)
    job = plant_import(world)
    dialogs = record_dialogs(page)
    page.set_viewport_size({"width": 1280, "height": 900})
    url = live_server.url

    log_in_as(page, live_server, world, world.township_officer)
    # people: the village's page lists them, the person's page, its address
    shows_literally(
        page,
        f"{url}{reverse('grids:unit_detail', args=[world.village_a.pk])}",
        f"陆信息{IMG}",
        f"信息员{SCRIPT}",
        f"陇雅村委{IMG}",
    )
    shows_literally(
        page, f"{url}{reverse('grids:person_detail', args=[world.village_officer_a.pk])}", f"陆信息{IMG}", SCRIPT
    )

    # the monthly report: both versions, the list, the township's inbox and matrix
    shows_literally(
        page,
        f"{url}{reverse('reports:monthly_detail', args=[submitted.pk])}",
        f"签名{IMG}",
        f"已逐户核实{SCRIPT}{IMG}",
        f"陇雅村{IMG}",
    )
    shows_literally(page, f"{url}{reverse('reports:monthly_detail', args=[corrected.pk])}", f"数字有误{IMG}")
    shows_literally(page, f"{url}{reverse('reports:monthly_list')}", f"陇雅村{IMG}", f"平兰村{SCRIPT}")
    shows_literally(page, f"{url}{reverse('delivery:inbox')}", f"陇雅村{IMG}")
    shows_literally(page, f"{url}{reverse('reports:matrix', args=[world.township.pk])}", f"陇雅村{IMG}", SCRIPT)

    # the consultation, its judgement list and the list of consultations
    shows_literally(
        page,
        f"{url}{reverse('reports:consultation_detail', args=[consultation.pk])}",
        f"水利局、应急局{IMG}",
        f"山洪风险上升{SCRIPT}{IMG}",
        f"山洪{IMG}",
        f"加密巡查{SCRIPT}",
        f"已巡查三次{IMG}",
        f"陇雅村{IMG}",
        f"注意防范{IMG}",
    )
    shows_literally(page, f"{url}{reverse('reports:consultation_list')}")

    # the hazard loop's timeline, the five-in-place, the print of the report form
    shows_literally(
        page,
        f"{url}{reverse('hazards:detail', args=[hazard.pk])}",
        f"削坡减载{IMG}",
        f"泗城镇安监站{SCRIPT}",
        f"黄网格{IMG}",
        f"雨天转移{IMG}",
        f"五落实{SCRIPT}",
        f"已削坡{IMG}",
        f"警示牌未设{IMG}",
        f"超出权限{SCRIPT}",
        f"陆信息{IMG}",
    )
    shows_literally(
        page,
        f"{url}{reverse('hazards:print_report_form', args=[hazard.pk])}",
        f"削坡减载{IMG}",
        f"雨天转移{IMG}",
    )
    shows_literally(page, f"{url}{reverse('hazards:detail', args=[rejected.pk])}", f"正常沉降{IMG}")

    # the incident's reports; the warning as the township passes it on
    shows_literally(
        page,
        f"{url}{reverse('dispatch:incident_detail', args=[incident.pk])}",
        f"已疏散{IMG}",
        f"火势控制{IMG}",
        f"明火扑灭{SCRIPT}{IMG}",
        f"陆信息{IMG}",
    )
    shows_literally(
        page, f"{url}{reverse('dispatch:warning_detail', args=[warning.pk])}", f"今晚转移低洼户{IMG}{SCRIPT}"
    )

    # The village a countermeasure is given to has no page of it (the township's consultation is out
    # of its scope: 404), so the township's detail above is where its text shows.
    log_in_as(page, live_server, world, world.village_officer_a)  # the instructed village
    shows_literally(
        page, f"{url}{reverse('dispatch:warning_detail', args=[warning.pk])}", f"今晚转移低洼户{IMG}{SCRIPT}"
    )

    log_in_as(page, live_server, world, world.county_dispatcher)
    # the import job's page and the upload page's list of jobs
    shows_literally(page, f"{url}{reverse('grids:import_job', args=[job.pk])}", f"网格{IMG}.xlsx")
    shows_literally(page, f"{url}{reverse('grids:import_upload')}", f"网格{IMG}.xlsx")
    shows_literally(
        page,
        f"{url}{reverse('hazards:detail', args=[major.pk])}",
        f"30日内完成治理{IMG}",
        f"已派员核查{IMG}{SCRIPT}",
        f"凌云县水利局{IMG}",
        f"洪涝{IMG}",
    )
    shows_literally(page, f"{url}{reverse('hazards:print_supervision_order', args=[major.pk])}", f"30日内完成治理{IMG}")
    shows_literally(
        page, f"{url}{reverse('dispatch:warning_board', args=[warning.pk])}", f"陇雅村{IMG}", f"平兰村{SCRIPT}"
    )
    shows_literally(page, f"{url}{reverse('dispatch:duty_calendar')}", f"值班备注{IMG}")
    shows_literally(page, f"{url}{reverse('reports:consultation_overview', args=[world.county.pk])}")
    shows_literally(page, f"{url}{reverse('grids:home')}")
    shows_literally(page, f"{url}{reverse('hazards:dashboard')}")

    log_in_as(page, live_server, world, world.department_officer)  # the department the hazard was copied to
    shows_literally(page, f"{url}{reverse('hazards:copies')}", "河堤渗水", f"陇雅村{IMG}", f"洪涝{IMG}")

    # the admin's change lists and a change form
    log_in_as(page, live_server, world, world.admin)
    for model, text in (
        ("reports/monthlyreport", f"签名{IMG}"),
        ("reports/countermeasure", f"山洪{IMG}"),
        ("grids/user", f"陆信息{IMG}"),
        ("grids/importjob", f"网格{IMG}.xlsx"),
    ):
        shows_literally(page, f"{url}/admin/{model}/", text)
    shows_literally(page, f"{url}/admin/reports/monthlyreport/{submitted.pk}/change/", f"已逐户核实{SCRIPT}{IMG}")
    shows_literally(page, f"{url}/admin/grids/importjob/{job.pk}/change/", f"网格{IMG}.xlsx")
    for path, *texts in (
        (f"hazards/hazard/{hazard.pk}", f"削坡减载{IMG}", f"警示牌未设{IMG}", f"超出权限{SCRIPT}"),
        (f"hazards/hazard/{major.pk}", f"30日内完成治理{IMG}", f"已派员核查{IMG}{SCRIPT}"),
        (f"reports/consultation/{consultation.pk}", f"水利局、应急局{IMG}", f"加密巡查{SCRIPT}"),
        (f"dispatch/warning/{warning.pk}", f"今晚转移低洼户{IMG}{SCRIPT}"),
        (f"dispatch/incident/{incident.pk}", f"火势控制{IMG}", f"明火扑灭{SCRIPT}{IMG}"),
    ):
        shows_literally(page, f"{url}/admin/{path}/change/", *texts)
    shows_literally(page, f"{url}/admin/grids/user/{world.village_officer_a.pk}/change/")
    expect(page.locator("#id_position")).to_have_value(f"信息员{SCRIPT}")  # a form field: its value, as typed
    shows_literally(page, f"{url}/admin/grids/department/", f"凌云县水利局{IMG}", f"水利局{SCRIPT}")
    shows_literally(page, f"{url}/admin/reports/seasonalrisk/", f"注意防范{IMG}")
    shows_literally(page, f"{url}/admin/hazards/hazardcategory/", f"洪涝{IMG}")
    for model in ("dispatch/dutyshift", "delivery/delivery", "core/outboxmessage"):
        shows_literally(page, f"{url}/admin/{model}/")

    assert dialogs == []
