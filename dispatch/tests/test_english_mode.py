"""English mode (issue 17 item 13): a warning's generated headline, its inbox document and its
duty-log lines are written in Chinese and shown in the reader's language; the warning pages show
rule names in English; Chinese pages are what they were."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone, translation

from delivery.models import Document
from dispatch.models import DutyLogEntry, Warning, WarningType
from dispatch.services import warnings as services

HEADLINE_ZH = "凌云县发布暴雨橙色预警"
HEADLINE_EN = "凌云县: Rainstorm warning (orange)"


def issue(world, *, title: str = "") -> Warning:
    now = timezone.now()
    warning = services.warning_draft(
        by=world.county_dispatcher,
        type=WarningType.objects.get(code="rainstorm"),
        level=2,
        areas=[world.county],
        title=title,
        content="预计未来6小时内降雨量将达50毫米以上。",
        valid_from=now - datetime.timedelta(minutes=5),
        valid_to=now + datetime.timedelta(hours=6),
    )
    return services.warning_issue(warning=warning, by=world.county_dispatcher)


def speak(client, language: str):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def page(client, name: str, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, name
    return response.content.decode()


def test_the_stored_texts_stay_chinese(world):
    warning = issue(world)
    assert warning.title == HEADLINE_ZH
    assert warning.texts["title"]["key"] == "dispatch.headline"
    document = Document.objects.get(pk=warning.document_id)
    assert document.title == HEADLINE_ZH
    issued_line = DutyLogEntry.objects.get(unit=world.county, warning=warning)
    assert issued_line.summary == f"已发布：{HEADLINE_ZH}"
    assert issued_line.details.startswith("已送达 ")
    passed = DutyLogEntry.objects.get(unit=world.township, warning=warning)
    assert passed.summary == f"已转发下级网格：{HEADLINE_ZH}"
    assert passed.details == "预警送达时已自动转发。"


def test_an_english_speaking_dispatcher_still_writes_chinese_for_everyone(world):
    with translation.override("en"):
        warning = issue(world)
        services.warning_lift(warning=warning, by=world.county_dispatcher)
    assert Warning.objects.get(pk=warning.pk).title == HEADLINE_ZH
    lifted = Document.objects.get(pk=Warning.objects.get(pk=warning.pk).document_id)
    assert lifted.title == f"已解除：{HEADLINE_ZH}"
    assert set(DutyLogEntry.objects.filter(unit=world.county).values_list("summary", flat=True)) == {
        f"已发布：{HEADLINE_ZH}",
        f"已发布解除：已解除：{HEADLINE_ZH}",  # the lifting document's own title, as before
    }


def test_english_pages_compose_the_texts_and_chinese_pages_show_them_as_stored(world, client_for):
    warning = issue(world)
    dispatcher = client_for(world.county_dispatcher)

    speak(dispatcher, "en")
    for name, args in (("dispatch:warning_list", ()), ("dispatch:warning_detail", (warning.pk,))):
        body = page(dispatcher, name, *args)
        assert HEADLINE_EN in body, name
        assert HEADLINE_ZH not in body, name
    board = page(dispatcher, "dispatch:warning_board", warning.pk)
    assert HEADLINE_EN in board and HEADLINE_ZH not in board
    log = page(dispatcher, "dispatch:duty_log")
    assert f"Issued: {HEADLINE_EN}" in log
    assert re.search(r"Delivered to \d+ units and \d+ departments\.", log)
    assert "已发布" not in log and "已送达" not in log
    for body in (board, log):
        assert not re.search(r"\d+月\d+日", re.sub(r'placeholder="[^"]*"', "", body))  # input help may be Chinese

    speak(dispatcher, "zh-hans")
    assert HEADLINE_ZH in page(dispatcher, "dispatch:warning_detail", warning.pk)
    log = page(dispatcher, "dispatch:duty_log")
    assert f"已发布：{HEADLINE_ZH}" in log and "Issued:" not in log


def test_the_township_reads_its_inbox_and_log_in_english(world, client_for):
    warning = issue(world)
    services.warning_lift(warning=warning, by=world.county_dispatcher)
    officer = speak(client_for(world.township_officer), "en")
    inbox = page(officer, "delivery:inbox")
    assert f"Lifted: {HEADLINE_EN}" in inbox
    assert HEADLINE_EN in inbox
    assert "已解除" not in inbox and HEADLINE_ZH not in inbox

    speak(officer, "zh-hans")
    inbox = page(officer, "delivery:inbox")
    assert f"已解除：{HEADLINE_ZH}" in inbox and "Lifted:" not in inbox


def test_a_headline_written_by_hand_is_shown_as_written(world, client_for):
    warning = issue(world, title="凌云县气象台发布暴雨橙色预警信号")
    assert "title" not in warning.texts
    dispatcher = speak(client_for(world.county_dispatcher), "en")
    assert "凌云县气象台发布暴雨橙色预警信号" in page(dispatcher, "dispatch:warning_detail", warning.pk)


def test_a_headline_changed_by_hand_drops_its_pattern(world):
    warning = issue(world)
    warning = services.warning_update(
        warning=warning, by=world.county_dispatcher, changes={"title": "暴雨橙色预警（更正）"}
    )
    assert "title" not in warning.texts
    assert Warning.objects.get(pk=warning.pk).shown.title == "暴雨橙色预警（更正）"


def test_warning_pages_show_rule_names_in_english(world, client_for):
    warning = issue(world, title="凌云县暴雨预警")
    dispatcher = speak(client_for(world.county_dispatcher), "en")
    body = page(dispatcher, "dispatch:warning_detail", warning.pk)
    assert "Rainstorm" in body
    assert not re.search(r"\d+月\d+日", body)
    row = dispatcher.get(f"/api/v1/warnings/{warning.pk}/").json()
    assert (row["type_name"], row["type_name_en"]) == ("暴雨", "Rainstorm")


def test_an_incident_report_reads_in_english_in_the_township_inbox(world, client_for):
    from dispatch.models import IncidentType
    from dispatch.services import incidents

    with translation.override("en"):  # the village officer speaks English: the rows stay Chinese
        incident, _created = incidents.incident_first_report(
            by=world.village_officer_a,
            unit=world.village_a,
            type=IncidentType.objects.get(code="fire"),
            title="仓库起火",
            occurred_at=timezone.now() - datetime.timedelta(minutes=5),
            place="三组仓库",
            description="仓库着火，已报119。",
            reporter_phone="13800000000",
        )
    document = Document.objects.get(kind=Document.Kind.INCIDENT, deliveries__recipient_unit=world.township)
    assert document.title == "首报：仓库起火"
    assert "死亡 0 人" in document.body, document.body

    officer = speak(client_for(world.township_officer), "en")
    inbox = page(officer, "delivery:inbox")
    assert "First report: 仓库起火" in inbox
    assert "Dead 0, injured 0" in inbox
    speak(officer, "zh-hans")
    assert "首报：仓库起火" in page(officer, "delivery:inbox")


def test_a_log_line_corrected_by_hand_is_shown_as_corrected(world):
    from dispatch.services import duty

    warning = issue(world)
    entry = DutyLogEntry.objects.get(unit=world.county, warning=warning)
    entry = duty.duty_log_change(
        by=world.county_dispatcher, entry=entry, summary="已发布暴雨橙色预警（已电话通知各乡镇）"
    )
    assert set(entry.texts) == {"details"}
    with translation.override("en"):
        assert entry.shown.summary == "已发布暴雨橙色预警（已电话通知各乡镇）"
        assert entry.shown.details.startswith("Delivered to ")
