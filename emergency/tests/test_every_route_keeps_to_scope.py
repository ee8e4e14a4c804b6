"""Generated from the URLconf: every route of the site, for every persona, keeps to the grid scope.

Two townships each get one object of every kind (a unit, a person and their role, a hazard with a
photo and a department copy, an import job, a monthly report and its delivery, a consultation and
a countermeasure, a warning, an incident, a duty shift and a log entry), made through the services.
Then, for every route that names an object:

- every persona of one side gets 404 for the other side's object, whatever the method (GET, POST);
  a former member (their role has ended) gets 404 for both sides;
- the read-only department officer never changes anything (POST is refused);
- every list page, export and JSON list never shows the other side's unit names or numbers.

``ROUTES`` says which kind of object each route's arguments name. A route missing from it fails
``test_every_route_is_covered``, so a new register is checked from its first commit.
"""

from __future__ import annotations

import datetime
import re
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from core.periods import month_start, previous_month
from delivery.models import Delivery
from dispatch.models import Escalation, IncidentType, WarningType
from dispatch.services import duty, incidents, warnings
from drills import services as drill_services
from drills.tests import factories as drill_factories
from emergency import testclock
from grids import services as grid_services
from grids.models import Membership, Role
from grids.tests.factories import build_world, grant, make_person
from hazards.models import HazardCopy
from hazards.tests.factories import photo
from hazards.tests.factories import report as report_hazard
from library import services as library_services
from library.tests import factories as library_factories
from patrols import services as patrol_services
from patrols.tests import factories as patrol_factories
from plans import services as plan_services
from plans.models import Household
from plans.tests import evacuation_data
from plans.tests import factories as plan_factories
from reports import services as report_services
from reports.models import Consultation, MonthlyReport
from resources.services import participants as resource_participants
from resources.services import rollcalls as resource_rollcalls
from resources.tests import factories as resource_factories
from supplies.tests import factories as supply_factories

# route name -> {URL argument: kind of object}; a kind in GLOBAL is a rule table everyone reads.
GLOBAL = "global"
ROUTES: dict[str, dict[str, str]] = {
    "grids:unit_detail": {"pk": "unit"},
    "grids:import_job": {"pk": "import_job"},
    "grids:import_file": {"pk": "import_job"},
    "grids:person_detail": {"pk": "person"},
    "grids:person_password_reset": {"pk": "person"},
    "grids:person_unlock": {"pk": "person"},
    "hazards:detail": {"pk": "hazard"},
    "hazards:act": {"pk": "hazard"},
    "hazards:copy_feedback": {"pk": "copy"},
    "hazards:photo": {"pk": "photo"},
    "hazards:photo_thumb": {"pk": "photo"},
    "hazards:print_report_form": {"pk": "hazard"},
    "hazards:print_supervision_order": {"pk": "hazard"},
    "delivery:delivery_open": {"pk": "delivery"},
    "delivery:delivery_receipt": {"pk": "delivery"},
    "reports:monthly_detail": {"pk": "monthly"},
    "reports:monthly_submit": {"pk": "monthly"},
    "reports:monthly_reissue": {"pk": "monthly"},
    "reports:monthly_export": {"pk": "monthly"},
    "reports:matrix": {"unit_pk": "town"},
    "reports:matrix_export": {"unit_pk": "town"},
    "reports:consultation_detail": {"pk": "consultation"},
    "reports:consultation_record": {"pk": "consultation"},
    "reports:countermeasure_add": {"pk": "consultation"},
    "reports:consultation_complete": {"pk": "consultation"},
    "reports:countermeasure_done": {"pk": "countermeasure"},
    "reports:consultation_overview": {"unit_pk": "town"},
    "dispatch:warning_detail": {"pk": "warning"},
    "dispatch:warning_edit": {"pk": "warning"},
    "dispatch:warning_issue": {"pk": "warning"},
    "dispatch:warning_lift": {"pk": "warning"},
    "dispatch:warning_discard": {"pk": "warning"},
    "dispatch:warning_acknowledge": {"pk": "warning"},
    "dispatch:warning_local_instruction": {"pk": "warning"},
    "dispatch:warning_evacuation": {"pk": "warning"},
    "dispatch:warning_board": {"pk": "warning"},
    "dispatch:warning_cap": {"pk": "warning"},
    "dispatch:call_record": {"pk": "call"},
    "dispatch:safe_report_send": {"unit_pk": "unit"},
    "dispatch:incident_detail": {"pk": "incident"},
    "dispatch:incident_tier_act": {"pk": "incident", "unit_pk": "incident_tier_unit"},
    "dispatch:incident_follow_up": {"pk": "incident"},
    "dispatch:incident_final": {"pk": "incident"},
    "dispatch:duty_shift_add": {"unit_pk": "town"},
    "dispatch:duty_week_copy": {"unit_pk": "town"},
    "dispatch:duty_shift_edit": {"pk": "shift"},
    "dispatch:duty_shift_delete": {"pk": "shift"},
    "dispatch:duty_log_edit": {"pk": "entry"},
    "dispatch:duty_handover": {"unit_pk": "town"},
    "dispatch:duty_log_print": {"unit_pk": "town"},
    "plans:detail": {"pk": "plan"},
    "plans:edit": {"pk": "plan"},
    "plans:act": {"pk": "plan_version"},
    "plans:document": {"pk": "plan_document"},
    "plans:filing_detail": {"pk": "filing"},
    "plans:filing_decide": {"pk": "filing"},
    "plans:filing_print": {"pk": "filing"},
    "plans:filing_register_form": {"pk": "filing"},
    "plans-detail": {"pk": "plan"},
    **{f"plans:evacuation_{name}": {"unit_pk": "unit"} for name in ("village", "export", "import", "cards")},
    "plans:evacuation_card": {"pk": "household"},
    "plans:evacuation_shelter_state": {"pk": "shelter"},
    "danger-zones-detail": {"pk": "danger_zone"},
    "evacuation-households-detail": {"pk": "household"},
    "shelters-detail": {"pk": "shelter"},
    "shelters-state": {"pk": "shelter"},
    "evacuation-lists-import": {"pk": "unit"},
    "plans-open-revision": {"pk": "plan"},
    "plans:calendar_unit": {"unit_pk": "town"},
    "plans:clock_record": {"pk": "plan"},
    "plans:version_into_force": {"pk": "plan_version"},
    "revision-triggers-detail": {"pk": "revision_trigger"},
    **{
        f"plan-versions-{action}": {"pk": "plan_version"}
        for action in ("detail", "documents", "submit-review", "review", "issue", "file", "withdraw")
    },
    **{f"plan-filings-{action}": {"pk": "filing"} for action in ("detail", "receipt", "return")},
    **{
        f"drills:{name}": {"pk": "drill"}
        for name in (
            "detail",
            "edit",
            "record",
            "evaluate",
            "finding_add",
            "print_plan",
            "print_evaluation",
            "print_signin",
            "act",
        )
    },  # fmt: skip
    "drills:finding_close": {"pk": "finding"},
    "drills:media_add": {"pk": "drill"},
    "drills:media": {"pk": "drill_media"},
    "drills:media_thumb": {"pk": "drill_media"},
    "drills:annual_plan": {"pk": "annual_drill_plan"},
    "drills:annual_plan_file": {"pk": "annual_drill_plan"},
    **{
        f"drills-{action}": {"pk": "drill"}
        for action in ("detail", "start", "acknowledge", "record-time", "held", "evaluate", "findings", "sign-in")
    },
    "drill-findings-detail": {"pk": "finding"},
    "drill-findings-close": {"pk": "finding"},
    "drill-trainings-detail": {"pk": "training"},
    "supplies:depot_detail": {"pk": "depot"},
    "supplies:receive": {"pk": "depot"},
    "supplies:issue": {"pk": "lot"},
    "supplies:lot_act": {"pk": "lot"},
    "supplies:movement_print": {"pk": "movement"},
    "supplies:transfer_detail": {"pk": "transfer"},
    "supplies:transfer_print": {"pk": "transfer"},
    "supplies:transfer_act": {"pk": "transfer"},
    "supplies:agreement_detail": {"pk": "agreement"},
    "supplies:agreement_end": {"pk": "agreement"},
    "supplies:maintenance_record": {"pk": "lot"},
    "supplies:stocktake_sheet": {"pk": "depot"},
    "supplies:stocktake_import": {"pk": "depot"},
    "supplies:stocktake_detail": {"pk": "stock_take"},
    "supplies:stocktake_act": {"pk": "stock_take"},
    **{f"library:case_{name}": {"pk": "case"} for name in ("detail", "edit", "publish", "attach")},
    "library:case_file": {"pk": "case_attachment"},
    "library:case_from_incident": {"pk": "incident"},
    "library:case_from_drill": {"pk": "drill"},
    **{
        f"library:regulation_{name}": {"pk": "regulation"} for name in ("detail", "edit", "replace", "repeal", "attach")
    },
    "library:regulation_file": {"pk": "regulation_file"},
    **{f"patrols:{name}": {"pk": "patrol"} for name in ("patrol_detail", "check_in", "finish")},
    **{f"patrols:{name}": {"key": "patrol_key"} for name in ("check_in_by_key", "finish_by_key")},
    "patrols:checkin_photo": {"pk": "checkin"},
    **{
        f"patrols:{name}": {"unit_pk": "unit"}
        for name in ("points", "routes", "route_new", "ledger", "ledger_print", "ledger_export")
    },
    **{f"patrols:{name}": {"pk": "patrol_route"} for name in ("route_detail", "route_edit")},
    **{f"patrols:{name}": {"unit_pk": "town"} for name in ("compliance", "compliance_export")},
    **{f"patrols:{name}": {"pk": "warning"} for name in ("presence_board", "presence_new", "presence_export")},
    **{f"patrols:{name}": {"pk": "presence_request"} for name in ("presence_request", "presence_answer")},
    **{f"library-cases-{action}": {"pk": "case"} for action in ("detail", "publish")},
    **{f"library-regulations-{action}": {"pk": "regulation"} for action in ("detail", "replace", "repeal")},
    "supply-items-detail": {"pk": GLOBAL},
    "supply-depots-detail": {"pk": "depot"},
    "supply-depots-receive": {"pk": "depot"},
    **{f"supply-lots-{action}": {"pk": "lot"} for action in ("detail", "issue", "dispose", "adjust")},
    "supply-transfers-detail": {"pk": "transfer"},
    **{f"resources:{name}": {"pk": "team"} for name in ("team_detail", "team_edit", "member_add", "equipment_set")},
    "resources:member_remove": {"pk": "team_member"},
    **{f"resources:{name}": {"pk": "expert"} for name in ("expert_detail", "expert_edit")},
    **{f"resources:{name}": {"pk": "roll_call"} for name in ("roll_call_detail", "roll_call_answer")},
    **{f"resource-teams-{action}": {"pk": "team"} for action in ("detail", "readiness")},
    "resource-experts-detail": {"pk": "expert"},
    **{f"roll-calls-{action}": {"pk": "roll_call"} for action in ("detail", "acknowledge")},
    "supply-agreements-detail": {"pk": "agreement"},
    "units-detail": {"pk": "unit"},
    "units-deactivate": {"pk": "unit"},
    "units-move": {"pk": "unit"},
    "people-detail": {"pk": "person"},
    "memberships-detail": {"pk": "membership"},
    "memberships-revoke": {"pk": "membership"},
    "departments-detail": {"pk": GLOBAL},
    "sectors-detail": {"pk": GLOBAL},
    "hazard-categories-detail": {"pk": GLOBAL},
    "risk-options-detail": {"pk": GLOBAL},
    "risk-bands-detail": {"pk": GLOBAL},
    "incident-types-detail": {"pk": GLOBAL},
    **{
        f"hazards-{action}": {"pk": "hazard"}
        for action in (
            "detail",
            "accept",
            "confirm",
            "escalate",
            "evidence",
            "fail",
            "photos",
            "plan",
            "reject",
            "supervise",
            "timeline",
        )
    },
    "hazard-copies-detail": {"pk": "copy"},
    "hazard-copies-feedback": {"pk": "copy"},
    **{
        f"warnings-{action}": {"pk": "warning"}
        for action in ("detail", "acknowledge", "board", "cap", "update", "issue", "lift")
    },
    **{
        f"incidents-{action}": {"pk": "incident"}
        for action in ("detail", "confirm", "final", "follow-up", "forward", "phone")
    },
    **{f"monthly-reports-{action}": {"pk": "monthly"} for action in ("detail", "annotate", "submit", "reissue")},
    **{
        f"consultations-{action}": {"pk": "consultation"}
        for action in ("detail", "record", "add-countermeasure", "complete")
    },
    **{f"countermeasures-{action}": {"pk": "countermeasure"} for action in ("detail", "done")},
    **{f"inbox-{action}": {"pk": "delivery"} for action in ("detail", "read", "receipt")},
    **{f"patrols-{action}": {"pk": "patrol"} for action in ("detail", "check-in", "finish")},
    "patrol-points-detail": {"pk": "patrol_point"},
    "patrol-routes-detail": {"pk": "patrol_route"},
    **{f"presence-requests-{action}": {"pk": "presence_request"} for action in ("detail", "answer")},
    "duty-shifts-detail": {"pk": "shift"},
    "duty-log-detail": {"pk": "entry"},
}
# Other arguments a route needs, with a value that names no object.
FIXED_ARGUMENTS = {"action": "confirm", "dataset": "units", "fmt": "xlsx"}
# Routes with no object argument that answer the public (tested in test_every_url_needs_login).
PUBLIC = {"login", "logout", "set_language", "javascript-catalog", "favicon"}
# Lists, exports and JSON that show many rows: none may name the other side.
NOT_LISTS = {
    "api-schema",
    "api-docs",
    "api-root",
    "grids:import_upload",
    "grids:import_template",
    "hazards:report",
    "hazards:propose_unit",  # answers one point's unit (tested with hazards)
}
# What department staff do write: feedback on the hazards copied to their department.
DEPARTMENT_WRITES = {"hazards:copy_feedback", "hazard-copies-feedback"}


def routes():
    """(name, route, argument names) of every route outside the admin, format suffixes aside."""

    def walk(resolver, prefix="", namespace=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if str(entry.pattern).startswith("admin/"):
                    continue
                space = ":".join(filter(None, [namespace, entry.namespace]))
                yield from walk(entry, prefix + str(entry.pattern), space)
            elif isinstance(entry, URLPattern) and entry.name:
                route = prefix + str(entry.pattern)
                if "format" in entry.pattern.regex.groupindex:
                    continue  # DRF's .json variants of the routes below
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                yield name, route, tuple(entry.pattern.regex.groupindex)

    return sorted(set(walk(get_resolver())))


OBJECT_ROUTES = [(name, args) for name, _route, args in routes() if set(args) - set(FIXED_ARGUMENTS)]
LIST_ROUTES = [
    name
    for name, _route, args in routes()
    if not set(args) - set(FIXED_ARGUMENTS) and name not in PUBLIC and name not in NOT_LISTS
]


def test_every_route_is_covered():
    """A route that names an object must say here which kind it names."""
    missing = [name for name, _args in OBJECT_ROUTES if name not in ROUTES]
    assert not missing, f"add these routes to ROUTES: {missing}"


# --- the two sides ---------------------------------------------------------------------------


def _side(world, *, town, village, leader, officer) -> dict:
    """One object of every kind in ``town``, made by its own people through the services."""
    now = timezone.now()
    hazard = report_hazard(
        world, by=officer, unit=village, title=f"{village.name}滑坡隐患", photos=[photo()], code="flood"
    )
    copy = HazardCopy.objects.create(hazard=hazard, department=world.department)
    job = grid_services.import_job_create(
        by=leader,
        dataset="people",
        upload=SimpleUploadedFile(f"{town.code}.csv", "姓名,手机号\n".encode("utf-8-sig")),
    )
    monthly = MonthlyReport.objects.get(unit=village, period=previous_month(timezone.localdate()), version=1)
    report_services.monthly_report_submit(report=monthly, by=officer, signer_name=officer.real_name)
    delivery = Delivery.objects.filter(recipient_unit=town, document__sender_unit=village).latest("pk")
    consultation = Consultation.objects.get(unit=town, period_start=month_start(timezone.localdate()))
    countermeasure = report_services.countermeasure_add(
        consultation=consultation,
        by=leader,
        risk=f"{town.name}汛期山洪",
        level=3,
        trend="rising",
        measure="加密巡查",
        responsible_unit=village,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    warning = warnings.warning_issue(
        warning=warnings.warning_draft(
            by=world.county_dispatcher,
            type=WarningType.objects.get(code="rainstorm"),
            level=4,
            title=f"{town.name}暴雨蓝色预警",
            content="…",
            valid_from=now,
            valid_to=now + datetime.timedelta(hours=6),
            areas=[town],
        ),
        by=world.county_dispatcher,
    )
    incident, _created = incidents.incident_first_report(
        by=leader,
        unit=town,
        type=IncidentType.objects.get(code="traffic"),
        title=f"{town.name}交通事故",
        occurred_at=now,
        place="国道",
        description="…",
        reporter_phone=leader.mobile,
        level=4,
    )
    start = now + datetime.timedelta(days=3)
    shift = duty.duty_shift_add(
        by=leader,
        unit=town,
        starts_at=start,
        ends_at=start + datetime.timedelta(days=1),
        leader=leader,
        post_a=leader,
        post_b=world.county_dispatcher,
    )
    entry = duty.duty_log_add(by=leader, unit=town, kind="other", summary=f"{town.name}值班记录")
    plan = plan_factories.draft(world, by=leader, unit=town, title=f"{town.name}乡镇应急预案")
    plan_version = plan_factories.in_force(world, plan, by=leader, leader=leader)
    filing = plan_version.filings.get()
    year = timezone.localdate().year
    annual = drill_services.annual_plan_create(by=leader, unit=town, year=year, title=f"{town.name}年度演练计划")
    drill = drill_factories.drill(
        world, by=leader, organiser=town, unit=village, title=f"{village.name}山洪转移演练", linked_plans=[plan]
    )
    drill_services.drill_sign_in(drill=drill, by=officer)
    drill_factories.held(world, drill, by=leader)
    drill_factories.evaluated(world, drill, by=leader)
    (drill_media,) = drill_services.drill_media_add(drill=drill, by=leader, uploads=[photo(f"{village.name}演练.jpg")])
    finding = drill_services.finding_add(
        drill=drill, by=leader, kind="equipment", description=f"{village.name}抽水泵故障", owner_unit=village,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )  # fmt: skip
    training = drill_services.training_record(
        by=leader, unit=town, topic=f"{town.name}网格员培训", held_on=timezone.localdate(), hours=2,
        attendees=[officer],
    )  # fmt: skip
    evacuation = evacuation_data.workbook(
        zones=[["山洪", f"{village.name}沟口", "", ""]],
        shelters=[[f"{village.name}小学", "10", "", "", "", "覃", "13800000001", "", "开放"]],
        households=[
            evacuation_data.household(f"{village.name}户主", zone=f"{village.name}沟口", shelter=f"{village.name}小学")
        ],
    )
    assert plan_services.evacuation_import(by=officer, unit=village, data=evacuation, filename="a.xlsx").ok
    household = Household.objects.select_related("zone", "shelter").get(zone__unit=village)
    from plans.services import clocks as plan_clocks

    plan_clocks.evaluation_record(
        plan=plan, by=leader, held_on=timezone.localdate(), evaluated_by=f"{town.name}评估组", conclusion="适用"
    )
    plan_drill = plan_clocks.drill_recorded(plan, timezone.localdate(), leader, True, f"{town.name}演练")
    depot = supply_factories.depot(village)
    lot = supply_factories.lot(depot, "救生衣", 20, by=officer)
    transfer = supply_factories.request(village, town, by=officer)
    agreement = supply_factories.agreement(town, by=leader, supplier=f"{town.name}协议供应商")
    stock_take = supply_factories.stock_take(depot, lot, counted=19, by=officer)
    maintenance = supply_factories.maintenance(depot, by=officer)
    case = library_factories.case(world, by=leader, unit=village, title=f"{village.name}山洪转移案例")
    case_attachment = library_services.case_attach(case=case, by=leader, upload=library_factories.pdf())
    regulation = library_factories.regulation(
        world, by=leader, unit=town, title=f"{town.name}防汛工作规定", plans=[plan]
    )
    regulation_file = library_services.regulation_attach(
        regulation=regulation, by=leader, upload=library_factories.pdf()
    )
    call = Escalation.objects.create(step=Escalation.Step.CALL, unit=village, day=timezone.localdate(), at=now)
    patrol_point = patrol_services.point_create(
        unit=village, by=officer, name=f"{village.name}后山巡查点", lng=106.45, lat=24.25
    )
    patrol_route = patrol_services.route_save(
        by=officer, unit=village, name=f"{village.name}日常巡查路线", points=[patrol_point]
    )
    patrol, _created = patrol_services.patrol_start(
        unit=village, by=officer, route=patrol_route, client_key=uuid.uuid4()
    )
    checkin = patrol_factories.check_in(patrol, patrol_point)
    presence_warning = patrol_factories.warning(world, level=2, areas=[town])
    presence_check = patrol_services.presence_check_start(
        warning=presence_warning, unit=town, by=leader, officers=[officer]
    )
    team = resource_factories.team(world, unit=town, by=leader, name=f"{town.name}民兵应急中队", members=1)
    expert = resource_factories.expert(world, unit=town, by=leader, name=f"{town.name}地灾专家")
    roll_call = resource_rollcalls.roll_call_start(by=leader, unit=town, message=f"{town.name}点名")
    resource_participants.participant_add(by=leader, target=incident, place="incident", team=team)
    return {
        "unit": village,
        "town": town,
        "call": call,
        "patrol_point": patrol_point,
        "patrol_route": patrol_route,
        "patrol": patrol,
        "patrol_key": SimpleNamespace(pk=patrol.client_key),  # the by-key routes name the start's client key
        "checkin": checkin,
        "presence_check": presence_check,
        "presence_request": presence_check.requests.get(),
        "person": officer,
        "membership": Membership.objects.filter(user=officer, unit=village).first(),
        "hazard": hazard,
        "photo": hazard.photos.first(),
        "copy": copy,
        "import_job": job,
        "monthly": monthly,
        "delivery": delivery,
        "consultation": consultation,
        "countermeasure": countermeasure,
        "warning": warning,
        "incident": incident,
        "incident_tier_unit": incident.tiers.order_by("pk").first().unit,
        "shift": shift,
        "entry": entry,
        "plan": plan,
        "plan_version": plan_version,
        "plan_document": plan_version.documents.first(),
        "filing": filing,
        "annual_drill_plan": annual,
        "drill": drill,
        "drill_media": drill_media,
        "finding": finding,
        "training": training,
        "danger_zone": household.zone,
        "household": household,
        "shelter": household.shelter,
        "names": [
            village.name,
            town.name,
            hazard.number,
            hazard.title,
            incident.title,
            entry.summary,
            plan.title,
            drill.title,
            finding.description,
            training.topic,
            annual.title,
            household.head_name,
            household.zone.name,
            case.title,
            regulation.title,
            patrol_point.name,
            patrol_route.name,
            team.name,
            expert.name,
            agreement.supplier,
        ],  # fmt: skip
        "plan_evaluation": plan.evaluations.get(),
        "plan_drill": plan_drill,
        "revision_trigger": plan.revision_triggers.get(),
        "depot": depot,
        "lot": lot,
        "movement": lot.movements.get(),
        "transfer": transfer,
        "agreement": agreement,
        "stock_take": stock_take,
        "maintenance": maintenance,
        "case": case,
        "case_attachment": case_attachment,
        "regulation": regulation,
        "regulation_file": regulation_file,
        "team": team,
        "team_member": team.members.first(),
        "expert": expert,
        "roll_call": roll_call,
    }


@pytest.fixture(scope="module")
def sides(django_db_setup, django_db_blocker):
    """Both townships with their objects, built once for the module and rolled back at its end."""
    with testclock.travel(), django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        report_services.monthly_job(today=month_start(timezone.localdate()))
        report_services.consultations_open(today=month_start(timezone.localdate()))
        other_leader = make_person("other_leader", real_name="逻镇长")
        grant(other_leader, world.other_township, Role.GRID_LEADER)
        officer_c = make_person("village_officer_c", real_name="班信息")
        grant(officer_c, world.village_c, Role.INFORMATION_OFFICER)
        grant(officer_c, world.village_c, Role.GRID_MANAGER)
        former = make_person("former_member", real_name="离任干部")
        ended = grant(former, world.township, Role.GRID_OFFICER)
        grid_services.membership_revoke(by=world.township_leader, membership=ended)
        ours = _side(
            world, town=world.township, village=world.village_a, leader=world.township_leader,
            officer=world.village_officer_a,
        )  # fmt: skip
        theirs = _side(
            world, town=world.other_township, village=world.village_c, leader=other_leader, officer=officer_c
        )
        yield {"world": world, "ours": ours, "theirs": theirs, "officer_c": officer_c, "former": former}
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def sessions(sides, django_db_blocker):
    """Each persona (and the department officer) logged in once, in the module's transaction:
    user id -> session key. A test's client carries the key; what the test's requests change
    in the session is rolled back with the test."""
    keys = {}
    with django_db_blocker.unblock():
        for user in [*(persona_user(sides, persona) for persona in PERSONAS), sides["world"].department_officer]:
            client = Client()
            client.force_login(user)
            keys[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return keys


def logged_in(sessions, user) -> Client:
    """A new client with ``user``'s session of ``sessions``."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = sessions[user.pk]
    assert client.session.get("_auth_user_id") == str(user.pk), user  # still logged in
    return client


@pytest.fixture
def clock():
    """The module's data is built at the test clock's instant and takes a while: its tests go on
    from when it was built (its warning would not have begun otherwise)."""
    with testclock.travel(timezone.now()) as traveller:
        yield traveller


# persona -> (the user, which sides lie outside their scope)
PERSONAS = {
    "village_officer_a": ("village_officer_a", ("theirs",)),
    "village_officer_c": ("officer_c", ("ours",)),
    "township_officer": ("township_officer", ("theirs",)),
    "former_member": ("former", ("ours", "theirs")),
}


def persona_user(sides, persona):
    attribute, _outside = PERSONAS[persona]
    return sides[attribute] if attribute in sides else getattr(sides["world"], attribute)


def url_for(name: str, args: tuple[str, ...], objects: dict) -> str:
    kwargs = {}
    for arg in args:
        kind = ROUTES[name].get(arg)
        if kind is None:
            kwargs[arg] = FIXED_ARGUMENTS[arg]
        elif kind == GLOBAL:
            kwargs[arg] = 1
        else:
            kwargs[arg] = objects[kind].pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
@pytest.mark.parametrize(("name", "args"), [r for r in OBJECT_ROUTES if ROUTES.get(r[0], {}).get("pk") != GLOBAL])
def test_an_object_outside_the_scope_is_not_found(sides, sessions, db, persona, name, args):
    client = logged_in(sessions, persona_user(sides, persona))
    for side in PERSONAS[persona][1]:
        url = url_for(name, args, sides[side])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code in {404, 405}, (persona, method, url, response.status_code)
            if response.status_code == 405:
                assert response.has_header("Allow"), (persona, method, url)


@pytest.mark.parametrize(("name", "args"), [r for r in OBJECT_ROUTES if r[0] not in DEPARTMENT_WRITES])
def test_the_read_only_department_officer_changes_nothing(sides, sessions, db, name, args):
    """The department's staff read the county; a write anywhere is refused (403, 404 or 405)."""
    client = logged_in(sessions, sides["world"].department_officer)
    url = url_for(name, args, sides["ours"])
    response = client.post(url)
    assert response.status_code in {403, 404, 405}, (url, response.status_code)


def _without_visible_names(names: list[str], visible: list[str]) -> list[str]:
    return [n for n in names if n and not any(n in v for v in visible)]


@pytest.mark.parametrize("persona", sorted(p for p in PERSONAS if p != "former_member"))
@pytest.mark.parametrize("name", LIST_ROUTES)
def test_lists_exports_and_json_never_name_the_other_side(sides, sessions, db, persona, name):
    client = logged_in(sessions, persona_user(sides, persona))
    (outside,) = PERSONAS[persona][1]
    inside = "ours" if outside == "theirs" else "theirs"
    url = reverse(name, kwargs={a: FIXED_ARGUMENTS[a] for a in _args_of(name)})
    response = client.get(url)
    assert response.status_code in {200, 302, 403, 405}, (persona, url, response.status_code)
    if response.status_code != 200 or response.get("Content-Type", "").startswith("image/"):
        return
    body = _text_of(response)
    names = _without_visible_names(sides[outside]["names"], sides[inside]["names"])
    leaked = [n for n in names if n in body]
    assert not leaked, (persona, url, leaked)


DRILL_ROUTES = [(name, args) for name, args in OBJECT_ROUTES if ROUTES.get(name, {}).get("pk") == "drill"]


def test_a_double_blind_drill_is_hidden_from_the_drilled_unit_until_it_starts(sides, db, clock):
    """The county's double-blind drill of the township: every drill route answers 404 and no list,
    calendar, export or JSON names it for the township's and its villages' people until the
    county starts it; the organiser sees it throughout, the township from the start."""
    world = sides["world"]
    title = "泗城镇双盲应急演练"
    blind = drill_factories.blind(world, title=title, planned_date=timezone.localdate())
    drilled = [world.township_officer, world.township_leader, world.village_officer_a]
    for person in drilled:
        client = Client()
        client.force_login(person)
        for name, args in DRILL_ROUTES:
            url = url_for(name, args, {"drill": blind})
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                assert response.status_code in {404, 405}, (person, method, url, response.status_code)
        for name in LIST_ROUTES:
            response = client.get(reverse(name, kwargs={a: FIXED_ARGUMENTS[a] for a in _args_of(name)}))
            if response.status_code == 200 and not response.get("Content-Type", "").startswith("image/"):
                assert title not in _text_of(response), (person, name)
    organiser = Client()
    organiser.force_login(world.county_dispatcher)
    assert organiser.get(reverse("drills:detail", args=[blind.pk])).status_code == 200
    drill_services.drill_start(drill=blind, by=world.county_dispatcher)
    township = Client()
    township.force_login(world.township_officer)
    assert township.get(reverse("drills:detail", args=[blind.pk])).status_code == 200
    assert title in township.get(reverse("drills:list")).content.decode()


def _args_of(name: str) -> tuple[str, ...]:
    return next(args for n, _route, args in routes() if n == name)


def _text_of(response) -> str:
    content_type = response.get("Content-Type", "")
    if "spreadsheetml" in content_type:
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row
        )
    text = response.content.decode("utf-8", errors="replace")
    if "json" in content_type:
        text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    return text


# --- the admin ---------------------------------------------------------------------------------

# Models of the admin that only a superuser opens, whatever permissions a staff member holds:
# everyone's API keys and login records.
SUPERUSER_ONLY = {
    "authtoken.tokenproxy",
    "axes.accessattempt",
    "axes.accessfailurelog",
    "axes.accesslog",
    "core.outboxmessage",
}
# Models of the admin that are rule tables or settings everyone with the permission reads.
ADMIN_GLOBAL = SUPERUSER_ONLY | {
    "auth.group",
    "django_celery_beat.clockedschedule",
    "django_celery_beat.crontabschedule",
    "django_celery_beat.intervalschedule",
    "django_celery_beat.periodictask",
    "django_celery_beat.solarschedule",
    "grids.department",
    "grids.sector",
    "hazards.hazardcategory",
    "hazards.riskband",
    "hazards.riskfactoroption",
    "dispatch.accidentthreshold",
    "dispatch.acknowledgementrule",
    "dispatch.escalationrule",
    "dispatch.incidenttype",
    "dispatch.reportingdeadline",
    "dispatch.warningtype",
    "core.jobfailure",
    "plans.evacuationtrigger",
    "plans.filingroute",
    "drills.categorisedunit",
    "drills.conclusionband",
    "drills.drillrequirement",
    "drills.evaluationindicator",
    "drills.unitcategory",
    "plans.plankind",
    "plans.requiredplan",
    "plans.workdayadjustment",
    "plans.clockrule",
    "plans.highriskunit",
    "supplies.reservenorm",
    "supplies.supplycategory",
    "supplies.supplyclass",
    "supplies.supplyitem",
    "resources.requiredrole",
    "resources.speciality",
    "resources.strengthrule",
    "reports.reportingrule",
    "reports.seasonalrisk",
    "patrols.season",
    "patrols.patrolrule",
}


def admin_models():
    from django.contrib import admin

    return sorted(model._meta.label_lower for model in admin.site._registry)


def _objects_by_model(side: dict) -> dict[str, object]:
    found = {}
    for value in side.values():
        meta = getattr(value, "_meta", None)
        if meta is not None:
            found.setdefault(meta.label_lower, value)
    found.setdefault("delivery.document", side["delivery"].document)
    return found


def test_every_admin_model_is_covered(sides, db):
    """A register in the admin needs an object of its kind in ``_side`` (or is a rule table)."""
    objects = _objects_by_model(sides["theirs"])
    missing = [label for label in admin_models() if label not in ADMIN_GLOBAL and label not in objects]
    assert not missing, f"give _side an object of these kinds, or add them to ADMIN_GLOBAL: {missing}"


@pytest.fixture
def staff_leader(sides, db):
    """The township leader as staff holding every model permission of the admin."""
    from django.contrib.auth.models import Permission

    leader = sides["world"].township_leader
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    leader.user_permissions.set(Permission.objects.all())
    return type(leader).objects.get(pk=leader.pk)


@pytest.mark.parametrize("label", [label for label in admin_models() if label not in ADMIN_GLOBAL])
def test_admin_pages_of_another_township_are_closed(sides, staff_leader, label):
    """Change, history and delete pages of the other township's object are closed; the list, and
    the change, history and add pages of one's own object (their selects), name nothing of the other side."""
    client = Client()
    client.force_login(staff_leader)
    obj = _objects_by_model(sides["theirs"]).get(label)
    if obj is None:
        pytest.fail(f"no object of {label} (see test_every_admin_model_is_covered)")
    app, model = label.split(".")
    for page in ("change", "history", "delete"):
        url = reverse(f"admin:{app}_{model}_{page}", args=[obj.pk])
        response = client.get(url)
        assert response.status_code in {302, 403, 404}, (label, page, response.status_code)
    names = _without_visible_names(sides["theirs"]["names"], sides["ours"]["names"])
    own = _objects_by_model(sides["ours"])[label]
    for page, args in (("changelist", []), ("change", [own.pk]), ("history", [own.pk]), ("add", [])):
        response = client.get(reverse(f"admin:{app}_{model}_{page}", args=args))
        assert response.status_code in {200, 302, 403}, (label, page, response.status_code)
        if response.status_code == 200:
            leaked = [n for n in names if n in response.content.decode()]
            assert not leaked, (label, page, leaked)


@pytest.mark.parametrize("label", sorted(SUPERUSER_ONLY))
def test_keys_and_login_records_are_for_the_superuser_alone(sides, staff_leader, label):
    client = Client()
    client.force_login(staff_leader)
    app, model = label.split(".")
    assert client.get(reverse(f"admin:{app}_{model}_changelist")).status_code == 403
