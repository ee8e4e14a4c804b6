"""The resources part of the demo county: the county brigade, a militia squadron per township,
a vanguard team in the persona village (one of them below its required strength), experts of the
county's common hazards, and a roll call of the persona township, partly answered.

Names and texts are *data* (what the people would type), so they are Chinese literals here."""

from __future__ import annotations

from dispatch.models import IncidentType
from grids.models import Role
from hazards.models import HazardCategory
from resources.models import Expert, Speciality, Team, TeamKind
from resources.services import rollcalls, teams

DEMO_ORDER = 65  # after supplies (team equipment is in its catalogue), before the library

EXPERTS = [
    # name, speciality, employer, title, phone, hazard category codes, incident type codes
    ("覃志明", "水文水资源", "县水利局", "高级工程师", "13907760101", ["flood", "mountain_torrent"], ["flood_drought"]),
    ("岑海燕", "地质灾害防治", "县自然资源局", "工程师", "13907760102", ["geological"], ["geological"]),
    ("黄建国", "森林防火", "县林业局", "高级工程师", "13907760103", ["forest_fire"], ["forest_fire"]),
    ("罗文斌", "危险化学品安全", "市化工设计院", "注册安全工程师", "13907760104", ["hazardous_chemicals"],
     ["hazardous_chemicals"]),
    ("韦丽", "急诊医学", "县人民医院", "主任医师", "13907760105", [], ["traffic", "industrial"]),
]  # fmt: skip


def _point(unit, dx=0.0, dy=0.0):
    from resources.selectors.dispatch import point_of

    point = point_of(unit)
    return (round(point[0] + dy, 5), round(point[1] + dx, 5)) if point else (None, None)


def run(story) -> None:
    county, by = story.county, story.dispatcher
    specialities = {s.code: s for s in Speciality.objects.all()}
    lat, lng = _point(county)
    brigade = teams.team_save(by=by, data={
        "name": "凌云县综合应急救援大队", "unit": county, "kind": TeamKind.BRIGADE, "on_duty": 30,
        "base_address": "县城消防站旁", "lat": lat, "lng": lng, "leader_name": "李大队长",
        "leader_phone": "13907760001", "duty_phone": "0776-7612119",
        "specialities": [specialities[c] for c in ("flood", "geological", "forest_fire", "general") if c in specialities],
    })  # fmt: skip
    for number in range(32):
        teams.member_add(team=brigade, by=by, name=f"救援队员{number + 1:02d}", role="member", phone="")
    made = 1
    for index, township in enumerate(story.townships):
        lat, lng = _point(township)
        leader = story.cast.all(township, Role.GRID_LEADER)
        team = teams.team_save(by=by, data={
            "name": f"{township.name}民兵应急中队", "unit": township, "kind": TeamKind.SQUADRON,
            "force": Team.Force.MILITIA, "on_duty": 12 if index else 6, "lat": lat, "lng": lng,
            "base_address": f"{township.name}人民武装部", "leader_name": f"{township.name}武装部长",
            "leader_phone": f"139077602{index:02d}",
            "specialities": [specialities[c] for c in ("flood", "forest_fire") if c in specialities],
        })  # fmt: skip
        for number in range(3 if index == 0 else 10):  # the first township's squadron is short
            teams.member_add(team=team, by=by, name=f"民兵{number + 1:02d}", role="member", phone="")
        if leader:
            teams.member_add(team=team, by=by, name="", role="captain", person=leader[0])
        made += 1
    village = story.persona_village
    lat, lng = _point(village)
    vanguard = teams.team_save(by=by, data={
        "name": f"{village.name}应急分队", "unit": village, "kind": TeamKind.VANGUARD, "on_duty": 5,
        "lat": lat, "lng": lng, "leader_name": f"{village.name}村支书", "leader_phone": "13907760300",
        "specialities": [specialities[c] for c in ("flood", "geological") if c in specialities],
    })  # fmt: skip
    for number in range(6):
        teams.member_add(team=vanguard, by=by, name=f"分队员{number + 1:02d}", role="member", phone="")
    made += 1
    categories = {c.code: c for c in HazardCategory.objects.all()}
    types = {t.code: t for t in IncidentType.objects.all()}
    for name, speciality, employer, title, phone, cats, kinds in EXPERTS:
        teams.expert_save(by=by, data={
            "name": name, "unit": county, "speciality": speciality, "employer": employer, "title": title,
            "phone": phone, "hazard_categories": [categories[c] for c in cats if c in categories],
            "incident_types": [types[c] for c in kinds if c in types],
        })  # fmt: skip
    caller = story.cast.one(story.sicheng, Role.GRID_LEADER, Role.GRID_OFFICER)
    roll_call = rollcalls.roll_call_start(by=caller, unit=story.sicheng, message="汛后联络网点名测试，请收到后应答。")
    answered = 0
    for entry in roll_call.entries.select_related("person").order_by("pk")[::2]:
        answered += rollcalls.roll_call_acknowledge(roll_call=roll_call, by=entry.person)
    story.tell(f"救援队伍 {made} 支、专家 {len(EXPERTS)} 名；{story.sicheng.name}点名一次，{answered} 人已应答")


def present() -> bool:
    """The demo is written once: not when any team or expert exists."""
    return Team.objects.exists() or Expert.objects.exists()
