"""Dispatch's part of the demo county's activity: a rainstorm warning in force, two incidents
(a road accident on its way up, a forest fire closed) and this week's duty roster with its log.
Registered from ``dispatch/apps.py`` as the last demo step.

The titles, places and notes are *data* (what the people would type), so they are Chinese
literals, not gettext strings; they are all in the tables at the top of this module.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dispatch.models import DutyLogEntry, DutyShift, Incident, IncidentType, Level, Warning, WarningType
from dispatch.selectors import duty as duty_selectors
from dispatch.services import duty as duty_services
from dispatch.services import incident_tiers, warning_receipts
from dispatch.services import incidents as incident_services
from dispatch.services import warnings as warning_services
from grids.demo_story import PERSONA_TOWNSHIP, DemoStory, point_in
from grids.models import Role, User

DEMO_ORDER = 30  # after the hazards and the reports

# --- what the people write --------------------------------------------------------------------

WARNING_TOWNSHIPS = (PERSONA_TOWNSHIP, "逻楼镇")
WARNING = {
    "sender_name": "凌云县应急管理局",
    "content": "凌云县气象台预计，未来24小时泗城镇、逻楼镇将出现暴雨，局部大暴雨，累计雨量50～100毫米，"
    "最大小时雨强40毫米，山洪、地质灾害和城乡内涝风险高。",
    "instructions": "1. 各乡镇、村（社区）加强值班值守，保持通信畅通；2. 对地质灾害隐患点、山洪沟、"
    "病险山塘开展巡查，危险区群众提前转移；3. 暂停户外作业和涉水活动，车辆绕行易积水路段。",
}
LOCAL_INSTRUCTION = "各村（社区）立即组织网格员对辖区地灾点、山洪沟开展一次全面巡查，18时前向镇应急办报告巡查情况。"
POST_A, POST_B = "A岗", "B岗"  # the membership notes naming a dispatcher's post
FALLBACK_PHONE = "0776-7612345"
CRASH = {
    "title": "{village}村道一辆农用三轮车侧翻",
    "place": "{village}二组村道急弯处",
    "description": "一辆载有化肥的农用三轮车在下坡急弯处侧翻，驾驶员及乘车人2人受伤，车辆损毁。",
    "measures": "已拨打120，伤者送县人民医院；现场设置警示标志，疏导过往车辆。",
    "follow_up": "伤者已送县人民医院救治，生命体征平稳；事故车辆已拖离，道路恢复通行。交警正在调查事故原因。",
}
FIRE_TOWNSHIP = "朝里瑶族乡"
FIRE = {
    "title": "{village}后山发生森林火情",
    "place": "{village}后山松林",
    "description": "村民烧田埂杂草引燃后山松林，火场面积约5亩，无人员被困。",
    "measures": "村护林队和民兵20人已赶赴现场扑救。",
    "final": "明火已全部扑灭，过火面积约0.3公顷，无人员伤亡；已留守8人看守火场防止复燃，肇事村民已移交森林公安处理。",
}
EMERGENCY_DEPARTMENT = "应急管理局"
LOG = {
    "handover": (
        "交接班：夜间全县平稳，无突发事件报告",
        "在办事项：挂牌督办重大隐患1件、县级在办重大隐患3件；值班电话、卫星电话测试正常。",
    ),
    "fire_call": ("{township}电话报告{title}", "已通知县林业局、消防救援大队做好增援准备。", "{township}应急办 {name}"),
    "crash_call": ("{township}电话报告{title}", "已通知县公安局交警大队、县卫健局。", "{township}应急办 {name}"),
    "warning": ("向{township}等发布暴雨黄色预警", "已电话通知各乡镇应急办值班人员，要求逐级传达到村到户。"),
    "crash_report": (
        "{village}网格员报告{title}",
        "已派镇派出所、卫生院赶赴现场，同时电话报告县应急管理局。",
        "{village}网格员 {name}",
    ),
    "patrol": ("组织各村（社区）开展地灾隐患点和山洪沟巡查",),
}


def warning(story: DemoStory) -> tuple[Warning, int, int]:
    """A rainstorm warning (yellow, the next 24 h) from the county to 泗城镇 and 逻楼镇; the
    townships and some villages acknowledge it, the persona's village and others do not yet.
    Returns the warning, the units it reached and how many acknowledged it."""
    townships = {u.name: u for u in story.townships}
    areas = [townships.get(name, story.townships[i]) for i, name in enumerate(WARNING_TOWNSHIPS)]
    draft = warning_services.warning_draft(
        by=story.dispatcher,
        issuer_unit=story.county,
        type=WarningType.objects.get(code="rainstorm"),
        level=Level.III,
        title="",
        valid_from=story.now,
        valid_to=story.now + datetime.timedelta(hours=24),
        areas=areas,
        **WARNING,
    )
    issued = warning_services.warning_issue(warning=draft, by=story.dispatcher)
    sicheng, luolou = areas
    warning_receipts.warning_acknowledge(warning=issued, unit=sicheng, by=story.cast.post(sicheng, POST_A))
    warning_receipts.warning_add_local_instruction(
        warning=issued, unit=sicheng, by=story.cast.post(sicheng, POST_A), text=LOCAL_INSTRUCTION
    )
    acknowledging = [u for u in story.leaves_of(sicheng) if u.pk != story.persona_village.pk][:6]
    acknowledging += story.leaves_of(luolou)[:3]
    for unit in acknowledging:
        warning_receipts.warning_acknowledge(warning=issued, unit=unit, by=story.cast.reporter(unit))
    reached = 2 + len(story.leaves_of(sicheng)) + len(story.leaves_of(luolou))
    return issued, reached, 1 + len(acknowledging)


def incidents(story: DemoStory) -> tuple[Incident, Incident]:
    """A road accident reported by the persona's village 80 minutes ago, confirmed and forwarded
    by 泗城镇 (the county still to confirm it); a small forest fire put out and closed with the
    final report. Both well inside the reporting deadlines."""
    village = story.persona_village
    township = story.owner(village)
    occurred = story.now - datetime.timedelta(minutes=80)
    lng, lat = point_in(village, story.rng)
    crash, _created = incident_services.incident_first_report(
        by=story.cast.reporter(village),
        unit=village,
        type=IncidentType.objects.get(code="traffic"),
        title=CRASH["title"].format(village=village.name),
        occurred_at=occurred,
        place=CRASH["place"].format(village=village.name),
        lng=lng,
        lat=lat,
        description=CRASH["description"],
        reporter_phone=story.cast.reporter(village).mobile or FALLBACK_PHONE,
        injured=2,
        direct_loss="0.8",
        measures=CRASH["measures"],
    )
    township_post = story.cast.post(township, POST_A)
    incident_tiers.incident_record_phone(
        incident=crash, unit=township, by=township_post, at=occurred + datetime.timedelta(minutes=12)
    )
    incident_tiers.incident_confirm(incident=crash, unit=township, by=township_post)
    incident_tiers.incident_forward(incident=crash, unit=township, by=township_post)
    incident_tiers.incident_record_phone(
        incident=crash, unit=story.county, by=story.dispatcher, at=occurred + datetime.timedelta(minutes=25)
    )
    incident_services.incident_follow_up(
        incident=crash,
        by=story.cast.ruler(township),
        text=CRASH["follow_up"],
        figures={"injured": 2, "serious_injuries": 0},
    )

    forest_township = next((u for u in story.townships if u.name == FIRE_TOWNSHIP), story.townships[-1])
    village = story.first_village(forest_township)
    fire_start = story.now - datetime.timedelta(minutes=100)
    lng, lat = point_in(village, story.rng)
    fire, _created = incident_services.incident_first_report(
        by=story.cast.reporter(village),
        unit=village,
        type=IncidentType.objects.get(code="forest_fire"),
        title=FIRE["title"].format(village=village.name),
        occurred_at=fire_start,
        place=FIRE["place"].format(village=village.name),
        lng=lng,
        lat=lat,
        level=Level.IV,
        description=FIRE["description"],
        reporter_phone=story.cast.reporter(village).mobile or FALLBACK_PHONE,
        measures=FIRE["measures"],
    )
    post = story.cast.post(forest_township, POST_A)
    incident_tiers.incident_record_phone(
        incident=fire, unit=forest_township, by=post, at=fire_start + datetime.timedelta(minutes=8)
    )
    incident_tiers.incident_forward(incident=fire, unit=forest_township, by=post)
    incident_tiers.incident_record_phone(
        incident=fire, unit=story.county, by=story.dispatcher, at=fire_start + datetime.timedelta(minutes=20)
    )
    incident_tiers.incident_confirm(incident=fire, unit=story.county, by=story.dispatcher)
    incident_services.incident_final(
        incident=fire, by=story.cast.ruler(forest_township), text=FIRE["final"], figures={"direct_loss": "0.5"}
    )
    return crash, fire


def duty(story: DemoStory, issued: Warning, crash: Incident, fire: Incident) -> tuple[int, int]:
    """This week's 24-hour shifts (08:30 to 08:30) at the county and 泗城镇, with the county
    dispatcher and 泗城镇's A post on duty now, and a few lines in each duty log. Returns the
    number of shifts and of log entries of the two units."""
    first_start = timezone.make_aware(
        datetime.datetime.combine(
            duty_selectors.week_start(story.today) - datetime.timedelta(days=1), datetime.time(8, 30)
        )
    )
    starts = [first_start + datetime.timedelta(days=k) for k in range(8)]
    current = max(k for k, start in enumerate(starts) if start <= story.now)
    county, sicheng = story.county, story.sicheng
    county_leaders = story.cast.all(county, Role.GRID_LEADER) + story.cast.all(county, Role.DEPUTY_LEADER)
    emergency = story.departments.get(EMERGENCY_DEPARTMENT)
    heads = {user.pk for user in story.cast.all(county, Role.GRID_MANAGER)}
    staff = [
        user
        for user in User.objects.filter(department=emergency, is_active=True).order_by("pk")
        if emergency and user.pk not in heads
    ]
    county_posts = [story.dispatcher, *staff] if staff else [story.dispatcher]
    sicheng_leaders = story.cast.all(sicheng, Role.GRID_LEADER) + story.cast.all(sicheng, Role.DEPUTY_LEADER)
    sicheng_posts = [story.cast.post(sicheng, POST_A), story.cast.post(sicheng, POST_B), story.cast.ruler(sicheng)]
    sicheng_posts = list(dict.fromkeys(sicheng_posts))
    for k, start in enumerate(starts):
        turn = k - current
        a = county_posts[turn % len(county_posts)]
        b = county_posts[(turn + 1) % len(county_posts)] if len(county_posts) > 1 else None
        duty_services.duty_shift_add(
            by=story.dispatcher,
            unit=county,
            starts_at=start,
            ends_at=start + datetime.timedelta(days=1),
            leader=county_leaders[k % len(county_leaders)],
            post_a=a,
            post_b=b,
        )
        a = sicheng_posts[turn % len(sicheng_posts)]
        duty_services.duty_shift_add(
            by=story.cast.post(sicheng, POST_A),
            unit=sicheng,
            starts_at=start,
            ends_at=start + datetime.timedelta(days=1),
            leader=sicheng_leaders[k % len(sicheng_leaders)],
            post_a=a,
            post_b=sicheng_posts[(turn + 1) % len(sicheng_posts)],
        )

    patrol_at = max(starts[current], story.now - datetime.timedelta(hours=1))
    sicheng_post = story.cast.post(sicheng, POST_A)
    fire_township = fire.unit.parent
    handover, fire_call, crash_call = LOG["handover"], LOG["fire_call"], LOG["crash_call"]
    to_township, crash_report, (patrol,) = LOG["warning"], LOG["crash_report"], LOG["patrol"]
    Kind = DutyLogEntry.Kind
    entries = [
        (story.dispatcher, county, Kind.HANDOVER, starts[current], *handover, "", None, None),
        (
            story.dispatcher,
            county,
            Kind.CALL,
            fire.occurred_at + datetime.timedelta(minutes=20),
            fire_call[0].format(township=fire_township.name, title=fire.title),
            fire_call[1],
            fire_call[2].format(township=fire_township.name, name=story.cast.post(fire_township, POST_A).real_name),
            None,
            fire,
        ),
        (
            story.dispatcher,
            county,
            Kind.CALL,
            crash.occurred_at + datetime.timedelta(minutes=25),
            crash_call[0].format(township=sicheng.name, title=crash.title),
            crash_call[1],
            crash_call[2].format(township=sicheng.name, name=sicheng_post.real_name),
            None,
            crash,
        ),
        (
            story.dispatcher,
            county,
            Kind.WARNING,
            story.now,
            to_township[0].format(township=sicheng.name),
            to_township[1],
            "",
            issued,
            None,
        ),
        (
            sicheng_post,
            sicheng,
            Kind.CALL,
            crash.occurred_at + datetime.timedelta(minutes=12),
            crash_report[0].format(village=crash.unit.name, title=crash.title),
            crash_report[1],
            crash_report[2].format(village=crash.unit.name, name=crash.reporter.real_name),
            None,
            crash,
        ),
        (sicheng_post, sicheng, Kind.OTHER, patrol_at, patrol, "", "", None, None),
    ]
    for by, unit, kind, at, summary, details, caller, linked_warning, incident in entries:
        duty_services.duty_log_add(
            by=by,
            unit=unit,
            kind=kind,
            at=min(at, story.now),
            summary=summary,
            details=details,
            caller=caller,
            warning=linked_warning,
            incident=incident,
        )
    shifts = DutyShift.objects.filter(unit__in=[county, sicheng]).count()
    return shifts, DutyLogEntry.objects.filter(unit__in=[county, sicheng]).count()


def demo_dispatch(story: DemoStory) -> None:
    """The demo step: the warning, the incidents and the duty desk, and their summary lines."""
    issued, reached, acknowledged = warning(story)
    crash, fire = incidents(story)
    shifts, entries = duty(story, issued, crash, fire)
    story.tell(
        _("warning in force: %(title)s, acknowledged by %(acknowledged)d of %(units)d units")
        % {"title": issued.title, "acknowledged": acknowledged, "units": reached}
    )
    story.tell(
        _("incidents: %(incidents)d; duty shifts: %(shifts)d; duty log entries: %(entries)d")
        % {"incidents": 2, "shifts": shifts, "entries": entries}
    )
