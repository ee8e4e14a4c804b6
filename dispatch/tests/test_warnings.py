"""Warnings: drafting rules, issue and delivery to every unit tier by tier, update and lift to the
same units, acknowledgement once, local instructions, evacuation figures, scope, the board, the
reminders at their boundaries, the pages and the API — and delivery to a county of 10,000 units
in as many queries as to a county of 100."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery.models import Delivery, Document
from dispatch import access
from dispatch import identifiers as cap_identifiers
from dispatch.models import (
    DutyLogEntry,
    EvacuationReport,
    LocalInstruction,
    Warning,
    WarningMessage,
    WarningSequence,
    WarningType,
)
from dispatch.selectors import warnings as warning_selectors
from dispatch.services import warning_receipts
from dispatch.services import warning_reminders as reminders
from dispatch.services import warnings as services
from dispatch.services.warnings import WarningRefused
from grids.models import GridUnit, Role, User
from grids.scope import forget_scope
from grids.tests.concurrency import run_together
from grids.tests.factories import build_world, grant, make_person, make_unit

IDENTIFIER = re.compile(r"^(\d{6})(\d{3})(\d{3})(\d{2})_(\d{14})_(\d)$")


def rainstorm() -> WarningType:
    return WarningType.objects.get(code="rainstorm")


def draft(world, *, by=None, areas=None, level=2, type=None, **fields) -> Warning:
    now = timezone.now()
    values = {
        "title": "",
        "content": "预计未来6小时内降雨量将达50毫米以上。",
        "instructions": "远离河道，转移低洼地带群众。",
        "valid_from": now - datetime.timedelta(minutes=5),
        "valid_to": now + datetime.timedelta(hours=6),
    }
    values.update(fields)
    return services.warning_draft(
        by=by or world.county_dispatcher,
        type=type or rainstorm(),
        level=level,
        areas=areas if areas is not None else [world.county],
        **values,
    )


def issued(world, **kwargs) -> Warning:
    warning = draft(world, **kwargs)
    return services.warning_issue(warning=warning, by=world.county_dispatcher)


def subtree_ids(*units) -> set[int]:
    ids = set()
    for unit in units:
        ids |= set(unit.get_descendants(include_self=True).values_list("pk", flat=True))
    return ids


def delivered_ids(warning) -> list[int]:
    return list(
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit__isnull=False).values_list(
            "recipient_unit_id", flat=True
        )
    )


# --- drafting --------------------------------------------------------------------------------------


def test_draft_takes_the_headline_pattern_when_no_title_is_given(world):
    warning = draft(world)
    assert warning.state == Warning.State.DRAFT
    assert warning.issuer_unit == world.county
    assert warning.title == services.default_headline(sender=world.county.name, type_name="暴雨", level=2)
    assert warning.title.endswith("暴雨橙色预警")


def test_draft_refuses_a_level_the_type_does_not_allow(world):
    drought = WarningType.objects.get(code="drought")  # orange and red only
    with pytest.raises(ValidationError) as refused:
        draft(world, type=drought, level=4)
    assert "level" in refused.value.message_dict


def test_draft_refuses_an_end_before_the_start(world):
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        draft(world, valid_from=now, valid_to=now)
    assert "valid_to" in refused.value.message_dict


def test_draft_refuses_areas_outside_the_issuers_grid(world):
    other_county = make_unit(None, "county", "451028", "乐业县")
    with pytest.raises(ValidationError) as refused:
        draft(world, areas=[other_county])
    # another county's unit is named by its code only, never by its name (issue 8)
    assert other_county.code in refused.value.message_dict["areas"][0]
    assert other_county.name not in refused.value.message_dict["areas"][0]


def test_township_officer_cannot_draft_a_warning(world):
    with pytest.raises(PermissionDenied):
        draft(world, by=world.township_officer)


# --- issue and delivery ----------------------------------------------------------------------------


def test_issue_delivers_once_to_every_active_unit_of_the_area(world):
    closed = make_unit(world.other_township, "village", "451027101202", "已撤并村", is_active=False)
    warning = issued(world)
    ids = delivered_ids(warning)
    assert len(ids) == len(set(ids))
    # The issuing county is not a recipient of its own warning (it does not acknowledge it).
    assert set(ids) == subtree_ids(world.county) - {closed.pk, world.county.pk}
    document = warning.document
    assert document.kind == Document.Kind.WARNING
    assert document.url == reverse("dispatch:warning_detail", args=[warning.pk])
    assert warning.state == Warning.State.ACTIVE and warning.version == 1


def test_issue_to_a_township_reaches_only_its_subtree(world):
    warning = issued(world, areas=[world.township])
    assert set(delivered_ids(warning)) == {world.township.pk, world.village_a.pk, world.village_b.pk}


def test_issue_allocates_the_national_identifier_in_beijing_time(world):
    warning = draft(world)
    at = datetime.datetime(2024, 7, 1, 2, 3, 4, tzinfo=datetime.UTC)  # 10:03:04 in Beijing
    warning = services.warning_issue(warning=warning, by=world.county_dispatcher, now=at)
    match = IDENTIFIER.match(warning.identifier)
    assert match, warning.identifier
    assert match.groups() == ("451027", "000", "000", "00", "20240701100304", "0")
    message = warning.messages.get()
    assert message.msg_type == WarningMessage.MsgType.ALERT and message.identifier == warning.identifier


def test_identifier_codes_come_from_settings(world, settings):
    settings.WARNING_CAP_SECTOR_CODE = "123"
    settings.WARNING_CAP_SUBUNIT_CODE = "456"
    settings.WARNING_CAP_EXTENSION = "78"
    warning = issued(world)
    assert warning.identifier.startswith("45102712345678_")


def test_two_issues_in_the_same_second_get_different_sequence_numbers(world):
    at = timezone.now().replace(microsecond=0)
    first = services.warning_issue(warning=draft(world), by=world.county_dispatcher, now=at)
    second = services.warning_issue(
        warning=draft(world), by=world.county_dispatcher, now=at + datetime.timedelta(microseconds=5)
    )
    assert first.identifier[:-1] == second.identifier[:-1]
    assert {first.identifier[-1], second.identifier[-1]} == {"0", "1"}


def test_the_eleventh_identifier_of_a_second_moves_to_the_next_second(world):
    at = datetime.datetime(2024, 7, 1, 2, 3, 4, tzinfo=datetime.UTC)
    identifiers = [cap_identifiers.allocate_identifier(issuer=world.county, at=at)[0] for _ in range(11)]
    assert len(set(identifiers)) == 11
    assert [i[-1] for i in identifiers[:10]] == [str(n) for n in range(10)]
    assert identifiers[10].endswith("_20240701100305_0")
    assert WarningSequence.objects.count() == 2


def test_issue_is_refused_twice_and_for_an_expired_warning(world):
    warning = issued(world)
    with pytest.raises(WarningRefused):
        services.warning_issue(warning=warning, by=world.county_dispatcher)
    old = draft(
        world,
        valid_from=timezone.now() - datetime.timedelta(days=2),
        valid_to=timezone.now() - datetime.timedelta(days=1),
    )
    with pytest.raises(WarningRefused):
        services.warning_issue(warning=old, by=world.county_dispatcher)


def test_townships_pass_the_warning_on_and_it_is_recorded_in_their_duty_log(world):
    warning = issued(world)
    passed = dict(
        DutyLogEntry.objects.filter(warning=warning, kind=DutyLogEntry.Kind.WARNING).values_list("unit_id", "by_id")
    )
    # The county's own log has the issue, by the dispatcher; each township's is written by the system.
    assert passed == {
        world.county.pk: world.county_dispatcher.pk,
        world.township.pk: None,
        world.other_township.pk: None,
        world.park.pk: None,
    }


def test_the_county_departments_get_the_warning_in_their_inbox(world, client_for):
    warning = issued(world)
    assert Delivery.objects.filter(document_id=warning.document_id, recipient_department=world.department).exists()
    page = client_for(world.department_officer).get(reverse("delivery:inbox"))
    assert warning.title in page.content.decode()


def test_village_officer_may_not_issue(world):
    warning = draft(world)
    with pytest.raises(PermissionDenied):
        services.warning_issue(warning=warning, by=world.village_officer_a)


# --- update and lift -------------------------------------------------------------------------------


def test_update_sends_a_new_message_to_the_same_units_who_acknowledge_again(world):
    warning = issued(world, areas=[world.township])
    warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_a)
    first_document = warning.document_id
    updated = services.warning_update(
        warning=warning, by=world.county_dispatcher, changes={"level": 1, "content": "雨势加强。"}
    )
    assert updated.version == 2 and updated.level == 1 and updated.document_id != first_document
    assert set(delivered_ids(updated)) == {world.township.pk, world.village_a.pk, world.village_b.pk}
    assert not Delivery.objects.filter(document_id=updated.document_id, state=Delivery.State.RECEIPTED).exists()
    message = updated.messages.order_by("-sent_at", "-pk").first()
    assert message.msg_type == WarningMessage.MsgType.UPDATE
    assert message.identifier != warning.identifier and message.snapshot["level"] == 1
    assert updated.identifier == warning.identifier  # the first Alert's, which Update messages reference


def test_update_of_a_warning_in_force_cannot_change_its_area(world):
    warning = issued(world)
    with pytest.raises(WarningRefused):
        services.warning_update(warning=warning, by=world.county_dispatcher, changes={"areas": [world.township]})


def test_update_with_nothing_changed_is_refused(world):
    warning = issued(world)
    with pytest.raises(ValidationError):
        services.warning_update(warning=warning, by=world.county_dispatcher, changes={"level": warning.level})


def test_a_draft_is_edited_without_any_message(world):
    warning = draft(world)
    services.warning_update(
        warning=warning, by=world.county_dispatcher, changes={"areas": [world.township], "level": 3}
    )
    warning.refresh_from_db()
    assert warning.level == 3 and list(warning.areas.all()) == [world.township]
    assert not warning.messages.exists() and warning.document_id is None


def test_lift_sends_a_cancel_to_the_same_units(world):
    warning = issued(world, areas=[world.township])
    lifted = services.warning_lift(warning=warning, by=world.county_dispatcher)
    assert lifted.state == Warning.State.LIFTED and lifted.lifted_at
    assert lifted.messages.order_by("-sent_at", "-pk").first().msg_type == WarningMessage.MsgType.CANCEL
    assert set(delivered_ids(lifted)) == {world.township.pk, world.village_a.pk, world.village_b.pk}
    with pytest.raises(WarningRefused):
        services.warning_lift(warning=lifted, by=world.county_dispatcher)
    with pytest.raises(WarningRefused):
        services.warning_update(warning=lifted, by=world.county_dispatcher, changes={"level": 1})


# --- acknowledgement, local instructions, evacuation ------------------------------------------------


def test_village_officer_acknowledges_once(world):
    warning = issued(world)
    delivery = warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_a)
    assert delivery.state == Delivery.State.RECEIPTED and delivery.receipted_by == world.village_officer_a
    first_at = delivery.receipted_at
    again = warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_a)
    assert again.receipted_at == first_at


def test_nobody_acknowledges_for_another_unit(world):
    warning = issued(world)
    with pytest.raises(PermissionDenied):
        warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_b)
    with pytest.raises(PermissionDenied):  # the county sees the village but does not sign for it
        warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.county_dispatcher)


def test_acknowledging_a_unit_the_warning_did_not_reach_is_refused(world):
    warning = issued(world, areas=[world.other_township])
    with pytest.raises(PermissionDenied):
        warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_a)


def test_township_adds_local_instructions_its_villages_see(world):
    warning = issued(world)
    warning_receipts.warning_add_local_instruction(
        warning=warning, unit=world.township, by=world.township_officer, text="泗城镇：今晚22时前完成陇雅村低洼户转移。"
    )
    seen = warning_selectors.local_instructions_for(world.village_officer_a, warning, [world.village_a])
    assert [item.unit for item in seen] == [world.township]
    assert warning_selectors.local_instructions_for(world.village_officer_a, warning, [world.village_c]) == []


def test_village_officer_cannot_add_local_instructions(world):
    warning = issued(world)
    with pytest.raises(PermissionDenied):
        warning_receipts.warning_add_local_instruction(
            warning=warning, unit=world.village_a, by=world.village_officer_a, text="x"
        )
    assert not LocalInstruction.objects.exists()


def test_evacuation_figures_only_when_the_warning_asks(world):
    plain = issued(world)
    with pytest.raises(WarningRefused):
        warning_receipts.report_evacuation(
            warning=plain, unit=world.village_a, by=world.village_officer_a, evacuated=5, sheltered=3
        )
    asking = issued(world, report_evacuation=True)
    warning_receipts.report_evacuation(
        warning=asking, unit=world.village_a, by=world.village_officer_a, evacuated=5, sheltered=3
    )
    warning_receipts.report_evacuation(
        warning=asking, unit=world.village_a, by=world.village_officer_a, evacuated=8, sheltered=6
    )
    report = EvacuationReport.objects.get(warning=asking)
    assert (report.evacuated, report.sheltered) == (8, 6)
    with pytest.raises(ValidationError):
        warning_receipts.report_evacuation(
            warning=asking, unit=world.village_a, by=world.village_officer_a, evacuated=1, sheltered=2
        )
    with pytest.raises(PermissionDenied):
        warning_receipts.report_evacuation(
            warning=asking, unit=world.village_a, by=world.village_officer_b, evacuated=1, sheltered=1
        )


# --- who sees what ---------------------------------------------------------------------------------


def test_village_officer_sees_a_warning_delivered_to_the_village(world):
    warning = issued(world, areas=[world.township])
    assert access.get_warning_for_user(world.village_officer_a, warning.pk) == warning
    assert list(access.visible_warnings(world.department_officer)) == [warning]


def test_warning_of_another_township_is_unseen(world):
    warning = issued(world, areas=[world.other_township])
    with pytest.raises(Http404):
        access.get_warning_for_user(world.village_officer_a, warning.pk)
    with pytest.raises(Http404):
        access.get_warning_for_user(world.outsider, warning.pk)


def test_drafts_are_seen_only_by_those_who_may_issue(world):
    warning = draft(world)
    assert access.get_warning_for_user(world.county_dispatcher, warning.pk) == warning
    for person in (world.township_officer, world.village_officer_a, world.department_officer):
        with pytest.raises(Http404):
            access.get_warning_for_user(person, warning.pk)


def test_seeing_a_warning_does_not_allow_changing_it(world):
    warning = issued(world)
    with pytest.raises(PermissionDenied):
        access.get_warning_for_user(world.township_officer, warning.pk, action="warning.issue")


# --- the board -------------------------------------------------------------------------------------


def test_board_counts_each_tier_and_lists_who_has_not_acknowledged(world):
    warning = issued(world)
    warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_a)
    board = warning_selectors.warning_board(world.county_dispatcher, warning)
    counts = {row.tier: (row.total, row.acknowledged) for row in board.tiers}
    assert counts == {2: (3, 0), 3: (4, 1)}  # the issuing county is not a recipient
    tier3 = next(row for row in board.tiers if row.tier == 3)
    assert tier3.average_minutes is not None and tier3.median_minutes is not None
    pending = [d.recipient_unit for d in board.pending]
    assert world.village_a not in pending
    assert pending == sorted(pending, key=lambda u: (u.level, u.code))
    village_b = next(d.recipient_unit for d in board.pending if d.recipient_unit == world.village_b)
    assert [c.user for c in village_b.contacts] == [world.village_officer_b]
    village_a_pending = warning_selectors.warning_board(world.county_dispatcher, issued(world)).pending
    contacts = next(d.recipient_unit.contacts for d in village_a_pending if d.recipient_unit == world.village_a)
    assert [(c.user, len(c.roles)) for c in contacts] == [(world.village_officer_a, 2)]  # one line, two roles
    assert [d.recipient_unit for d in board.recent] == [world.village_a]


def test_board_of_a_township_shows_only_its_own_subtree(world):
    warning = issued(world)
    board = warning_selectors.warning_board(world.township_officer, warning)
    assert board.total == 3
    assert {d.recipient_unit_id for d in board.pending} == {world.township.pk, world.village_a.pk, world.village_b.pk}


def test_board_queries_do_not_grow_with_the_units(world, django_assert_max_num_queries):
    warning = issued(world)
    forget_scope(world.county_dispatcher)
    with django_assert_max_num_queries(8):
        board = warning_selectors.warning_board(world.county_dispatcher, warning)
        [d.recipient_unit.contacts for d in board.pending]


def test_board_is_paginated(world):
    warning = issued(world)
    board = warning_selectors.warning_board(world.county_dispatcher, warning, per_page=3, page=2)
    assert board.pending.number == 2 and board.pending.paginator.count == 7


def test_the_board_page_asks_the_same_queries_for_more_units_and_names_their_people(world, client_for):
    """The page, not only the selector: its pending units with their people, the latest
    acknowledgements and the township coverage take as many queries for 7 units as for 17 (nothing
    read lazily from the template: a unit's boundary and a person's password are never loaded)."""
    client = client_for(world.county_dispatcher)

    def board_queries(warning) -> tuple[int, str]:
        url = reverse("dispatch:warning_board", args=[warning.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as counted:
            html = client.get(url).content.decode()
        heavy = [
            q["sql"][:160] for q in counted.captured_queries[2:] if '"boundary"' in q["sql"] or '"password"' in q["sql"]
        ]
        assert not heavy, heavy
        return len(counted.captured_queries), html

    first = issued(world)
    warning_receipts.warning_acknowledge(warning=first, unit=world.village_a, by=world.village_officer_a)
    before, _html = board_queries(first)
    for n in range(10):
        village = make_unit(world.township, "village", f"{world.township.code[:9]}5{n:02d}", f"新村{n}")
        name = f"新网格员{n}" if n else '<img src=x onerror="x()">新网格员0'  # a person's text is never HTML
        grant(make_person(f"new-officer-{n}", real_name=name), village, Role.INFORMATION_OFFICER)
    forget_scope(world.county_dispatcher, world.village_officer_a)  # the tree's ranges moved
    second = issued(world)
    warning_receipts.warning_acknowledge(warning=second, unit=world.village_a, by=world.village_officer_a)
    after, html = board_queries(second)
    assert after == before
    assert "新网格员9" in html and "新村9" in html and world.village_officer_a.display_name in html
    assert "&lt;img src=x onerror=&quot;x()&quot;&gt;新网格员0" in html and "<img src=x" not in html


# --- reminders and escalation ----------------------------------------------------------------------


def reminded_units(warning) -> set[int]:
    return set(
        Delivery.objects.filter(document_id=warning.document_id, reminded_at__isnull=False).values_list(
            "recipient_unit_id", flat=True
        )
    )


def told_units(warning) -> set[int]:
    return set(
        Delivery.objects.filter(document_id=warning.document_id, parent_told_at__isnull=False).values_list(
            "recipient_unit_id", flat=True
        )
    )


def test_reminders_follow_each_tiers_rule_at_the_boundaries(world):
    warning = issued(world)  # seeded rules: tier 1 after 15/30, tier 2 after 20/40, tier 3 after 30/60 minutes
    sent = warning.document.sent_at
    minutes = lambda m, s=0: sent + datetime.timedelta(minutes=m, seconds=s)  # noqa: E731
    tier2 = {world.township.pk, world.other_township.pk, world.park.pk}
    tier3 = {world.village_a.pk, world.village_b.pk, world.village_c.pk, world.enterprise.pk}

    assert reminders.warning_reminders(now=minutes(19, 59)).reminded == 0  # the county issued it: no reminder
    assert reminders.warning_reminders(now=minutes(20)).reminded == 3
    assert reminded_units(warning) == tier2
    assert reminders.warning_reminders(now=minutes(29, 59)).reminded == 0
    run = reminders.warning_reminders(now=minutes(30))
    assert run.reminded == 4
    assert reminded_units(warning) == tier2 | tier3
    assert run.notices == 0


def test_acknowledged_units_are_never_reminded(world):
    warning = issued(world, areas=[world.township])
    warning_receipts.warning_acknowledge(warning=warning, unit=world.village_a, by=world.village_officer_a)
    reminders.warning_reminders(now=warning.document.sent_at + datetime.timedelta(hours=2))
    assert world.village_a.pk not in reminded_units(warning) | told_units(warning)
    assert world.village_b.pk in reminded_units(warning)


def test_a_reminder_is_sent_once_by_email_to_the_units_people(world, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.village_officer_b.pk).update(email="nong@example.cn")
    warning = issued(world, areas=[world.township])
    at = warning.document.sent_at + datetime.timedelta(minutes=30)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = reminders.warning_reminders(now=at)
    assert run.emails == 1
    assert [m.to for m in mail.outbox] == [["nong@example.cn"]]
    with django_capture_on_commit_callbacks(execute=True):
        again = reminders.warning_reminders(now=at + datetime.timedelta(minutes=1))
    assert again.reminded == 0 and len(mail.outbox) == 1


def test_parent_is_told_once_with_one_notice_listing_its_children(world):
    warning = issued(world, areas=[world.township])
    sent = warning.document.sent_at
    # the township's parent (the county) is told after 40 minutes, the villages' parent after 60
    assert reminders.warning_reminders(now=sent + datetime.timedelta(minutes=39, seconds=59)).notices == 0
    assert reminders.warning_reminders(now=sent + datetime.timedelta(minutes=40)).notices == 1
    assert told_units(warning) == {world.township.pk}
    assert reminders.warning_reminders(now=sent + datetime.timedelta(minutes=59, seconds=59)).notices == 0
    run = reminders.warning_reminders(now=sent + datetime.timedelta(minutes=60))
    assert told_units(warning) == {world.township.pk, world.village_a.pk, world.village_b.pk}
    notices = Document.objects.filter(kind=Document.Kind.NOTICE)
    assert run.notices == 1 and notices.count() == 2
    assert notices.filter(deliveries__recipient_unit=world.county).count() == 1
    to_township = notices.get(deliveries__recipient_unit=world.township)
    assert world.village_a.name in to_township.body and world.village_b.name in to_township.body
    assert to_township.url == reverse("dispatch:warning_board", args=[warning.pk])
    assert reminders.warning_reminders(now=sent + datetime.timedelta(hours=3)).notices == 0


def test_lifted_warnings_are_not_reminded(world):
    warning = issued(world)
    services.warning_lift(warning=warning, by=world.county_dispatcher)
    run = reminders.warning_reminders(now=timezone.now() + datetime.timedelta(hours=3))
    assert run.reminded == 0 and run.parents_told == 0


def test_reminder_task_runs_the_service(world):
    from dispatch.tasks import remind_unacknowledged_warnings

    issued(world)
    assert remind_unacknowledged_warnings.delay().get() == {"reminded": 0, "parents_told": 0, "notices": 0, "emails": 0}


# --- pages -----------------------------------------------------------------------------------------


def test_village_officer_acknowledges_from_the_page(world, client_for):
    warning = issued(world)
    client = client_for(world.village_officer_a)
    page = client.get(reverse("dispatch:warning_detail", args=[warning.pk]))
    assert page.status_code == 200
    assert f'data-ack="{world.village_a.pk}"'.encode() in page.content
    response = client.post(reverse("dispatch:warning_acknowledge", args=[warning.pk]), {"unit": world.village_a.pk})
    assert response.status_code == 302
    page = client.get(reverse("dispatch:warning_detail", args=[warning.pk]))
    assert f'data-acked="{world.village_a.pk}"'.encode() in page.content


def test_acknowledging_for_someone_elses_unit_is_forbidden(world, client_for):
    warning = issued(world)
    response = client_for(world.village_officer_b).post(
        reverse("dispatch:warning_acknowledge", args=[warning.pk]), {"unit": world.village_a.pk}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name", ["warning_issue", "warning_lift", "warning_acknowledge", "warning_local_instruction", "warning_discard"]
)
def test_actions_are_post_only(world, client_for, name):
    warning = issued(world)
    assert client_for(world.county_dispatcher).get(reverse(f"dispatch:{name}", args=[warning.pk])).status_code == 405


@pytest.mark.parametrize("name", ["warning_detail", "warning_board", "warning_cap"])
def test_pages_of_an_unseen_warning_are_404(world, client_for, name):
    warning = issued(world, areas=[world.other_township])
    assert client_for(world.village_officer_a).get(reverse(f"dispatch:{name}", args=[warning.pk])).status_code == 404


def test_only_command_may_issue_edit_lift_or_draft(world, client_for):
    warning = issued(world)
    client = client_for(world.township_officer)
    assert client.post(reverse("dispatch:warning_lift", args=[warning.pk])).status_code == 403
    assert client.get(reverse("dispatch:warning_edit", args=[warning.pk])).status_code == 403
    assert client.get(reverse("dispatch:warning_new")).status_code == 403
    assert client.get(reverse("dispatch:warning_import")).status_code == 403


def test_dispatcher_drafts_and_issues_through_the_pages(world, client_for):
    client = client_for(world.county_dispatcher)
    assert client.get(reverse("dispatch:warning_new")).status_code == 200
    start = timezone.localtime() + datetime.timedelta(minutes=1)
    response = client.post(
        reverse("dispatch:warning_new"),
        {
            "issuer_unit": world.county.pk,
            "type": rainstorm().pk,
            "level": 3,
            "title": "",
            "content": "强降雨",
            "instructions": "注意防范",
            "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
            "valid_to": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "areas": [world.township.pk],
            "area_codes": world.village_c.code,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    warning = Warning.objects.get()
    assert set(warning.areas.all()) == {world.township, world.village_c}
    assert client.post(reverse("dispatch:warning_issue", args=[warning.pk])).status_code == 302
    warning.refresh_from_db()
    assert warning.state == Warning.State.ACTIVE
    board = client.get(reverse("dispatch:warning_board", args=[warning.pk]))
    assert board.status_code == 200 and b'http-equiv="refresh"' in board.content
    response = client.post(
        reverse("dispatch:warning_edit", args=[warning.pk]),
        {
            "level": 2,
            "title": warning.title,
            "content": "雨势加强",
            "instructions": "",
            "valid_from": timezone.localtime(warning.valid_from).strftime("%Y-%m-%dT%H:%M"),
            "valid_to": timezone.localtime(warning.valid_to).strftime("%Y-%m-%dT%H:%M"),
            "sender_name": "",
        },
    )
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.version == 2 and warning.level == 2


def test_draft_form_shows_the_refusal_of_a_disallowed_level(world, client_for):
    client = client_for(world.county_dispatcher)
    start = timezone.localtime()
    response = client.post(
        reverse("dispatch:warning_new"),
        {
            "issuer_unit": world.county.pk,
            "type": WarningType.objects.get(code="drought").pk,
            "level": 4,
            "content": "干旱",
            "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
            "valid_to": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "areas": [world.county.pk],
        },
    )
    assert response.status_code == 400 and not Warning.objects.exists()
    assert response.context["form"].errors["level"]


def test_warning_list_puts_warnings_in_force_first(world, client_for):
    lifted = issued(world)
    services.warning_lift(warning=lifted, by=world.county_dispatcher)
    active = issued(world)
    response = client_for(world.village_officer_a).get(reverse("dispatch:warning_list"))
    assert [w.pk for w in response.context["warnings"]] == [active.pk, lifted.pk]


def test_township_adds_local_instructions_through_the_page(world, client_for):
    warning = issued(world)
    client = client_for(world.township_officer)
    page = client.get(reverse("dispatch:warning_detail", args=[warning.pk]))
    assert page.context["instruct_form"] is not None
    client.post(
        reverse("dispatch:warning_local_instruction", args=[warning.pk]),
        {"unit": world.township.pk, "text": "今晚转移"},
    )
    page = client_for(world.village_officer_a).get(reverse("dispatch:warning_detail", args=[warning.pk]))
    assert "今晚转移" in page.content.decode()


def test_evacuation_page_saves_figures(world, client_for):
    warning = issued(world, report_evacuation=True)
    client = client_for(world.village_officer_a)
    assert client.get(reverse("dispatch:warning_evacuation", args=[warning.pk])).status_code == 200
    response = client.post(
        reverse("dispatch:warning_evacuation", args=[warning.pk]),
        {"unit": world.village_a.pk, "evacuated": 12, "sheltered": 10},
    )
    assert response.status_code == 302
    assert EvacuationReport.objects.get().evacuated == 12
    board = warning_selectors.warning_board(world.county_dispatcher, warning)
    assert (board.evacuated, board.sheltered) == (12, 10)


def test_inbox_entry_opens_the_warning(world, client_for):
    warning = issued(world)
    client = client_for(world.village_officer_a)
    delivery = Delivery.objects.get(document=warning.document, recipient_unit=world.village_a)
    response = client.get(reverse("delivery:delivery_open", args=[delivery.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("dispatch:warning_detail", args=[warning.pk])


# --- API -------------------------------------------------------------------------------------------


def test_api_lists_only_warnings_in_scope(world, client_for):
    mine = issued(world, areas=[world.township])
    issued(world, areas=[world.other_township])
    response = client_for(world.village_officer_a).get("/api/v1/warnings/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_api_issue_acknowledge_board_and_lift(world, client_for):
    warning = draft(world, areas=[world.township])
    assert (
        client_for(world.township_officer).post(f"/api/v1/warnings/{warning.pk}/issue/").status_code == 404
    )  # a draft
    client = client_for(world.county_dispatcher)
    response = client.post(f"/api/v1/warnings/{warning.pk}/issue/")
    assert response.status_code == 200 and response.json()["state"] == "active"
    assert client.post(f"/api/v1/warnings/{warning.pk}/issue/").status_code == 409
    village = client_for(world.village_officer_a)
    response = village.post(
        f"/api/v1/warnings/{warning.pk}/acknowledge/", {"unit": world.village_a.pk}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["state"] == "receipted"
    detail = village.get(f"/api/v1/warnings/{warning.pk}/").json()
    assert detail["my_deliveries"][0]["state"] == "receipted"
    client = client_for(world.county_dispatcher)
    board = client.get(f"/api/v1/warnings/{warning.pk}/board/").json()
    assert board["total"] == 3 and board["acknowledged"] == 1
    assert {row["unit"] for row in board["pending"]} == {world.township.pk, world.village_b.pk}
    assert board["pending"][1]["people"][0]["mobile"] == world.village_officer_b.mobile
    assert client_for(world.township_officer).post(f"/api/v1/warnings/{warning.pk}/lift/").status_code == 403
    client = client_for(world.county_dispatcher)
    response = client.post(f"/api/v1/warnings/{warning.pk}/update/", {"level": 1}, content_type="application/json")
    assert response.status_code == 200 and response.json()["version"] == 2
    assert client.post(f"/api/v1/warnings/{warning.pk}/lift/").json()["state"] == "lifted"


def test_api_unseen_warning_is_404(world, client_for):
    warning = issued(world, areas=[world.other_township])
    client = client_for(world.village_officer_a)
    assert client.get(f"/api/v1/warnings/{warning.pk}/").status_code == 404
    assert client.get(f"/api/v1/warnings/{warning.pk}/board/").status_code == 404


# --- concurrency (PostgreSQL) ----------------------------------------------------------------------


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_acknowledgements_are_counted_once():
    world = build_world()
    second = make_person("village_leader_a", real_name="陆书记")
    grant(second, world.village_a, Role.GRID_LEADER)
    warning = issued(world, areas=[world.township])
    people = [world.village_officer_a, second, world.village_officer_a, second]
    outcomes = run_together(
        *[
            (
                lambda p=p: warning_receipts.warning_acknowledge(
                    warning=warning, unit=world.village_a, by=User.objects.get(pk=p.pk)
                )
            )
            for p in people
        ]
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    delivery = Delivery.objects.get(document_id=warning.document_id, recipient_unit=world.village_a)
    assert delivery.state == Delivery.State.RECEIPTED
    assert len({value.receipted_at for _, value in outcomes}) == 1
    board = warning_selectors.warning_board(world.county_dispatcher, warning)
    assert board.acknowledged == 1


@postgres_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_issues_in_the_same_second_get_distinct_identifiers():
    world = build_world()
    at = timezone.now().replace(microsecond=0)
    drafts = [draft(world) for _ in range(4)]
    outcomes = run_together(
        *[
            (lambda w=w: services.warning_issue(warning=w, by=User.objects.get(pk=world.county_dispatcher.pk), now=at))
            for w in drafts
        ]
    )
    assert all(kind == "ok" for kind, _ in outcomes), outcomes
    identifiers = set(Warning.objects.values_list("identifier", flat=True))
    assert len(identifiers) == 4
    assert {i[-1] for i in identifiers} == {"0", "1", "2", "3"}


# --- scale -----------------------------------------------------------------------------------------


def issue_queries(admin, county) -> tuple[int, Warning]:
    now = timezone.now()
    warning = services.warning_draft(
        by=admin,
        type=rainstorm(),
        level=2,
        title="",
        content="暴雨",
        areas=[county],
        issuer_unit=county,
        valid_from=now,
        valid_to=now + datetime.timedelta(hours=6),
    )
    forget_scope(admin)
    with CaptureQueriesContext(connection) as captured:
        warning = services.warning_issue(warning=warning, by=admin)
    return len(captured.captured_queries), warning


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite splits bulk inserts by its variable limit; CI runs PostgreSQL"
)
def test_issue_to_ten_thousand_units_takes_as_many_queries_as_to_a_hundred(db):
    admin = User.objects.create_superuser("scale-admin", password="x")
    call_command(
        "seed_scale", counties=1, townships=4, villages=24, people=0, prefix="46", no_boundaries=True, verbosity=0
    )
    call_command(
        "seed_scale", counties=1, townships=25, villages=399, people=0, prefix="45", no_boundaries=True, verbosity=0
    )
    small = GridUnit.objects.get(level=0, code__startswith="46")
    big = GridUnit.objects.get(level=0, code__startswith="45")
    assert small.descendant_total + 1 == 101
    assert big.descendant_total + 1 >= 10_000
    small_queries, _ = issue_queries(admin, small)
    big_queries, warning = issue_queries(admin, big)
    assert big_queries == small_queries
    ids = delivered_ids(warning)
    assert len(ids) == len(set(ids)) == big.descendant_total  # every unit under the county; not the issuer itself
    assert set(ids) == set(big.get_descendants().values_list("pk", flat=True))
