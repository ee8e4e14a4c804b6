"""The hazard roll-ups stay exact through every kind of write, and the pages read from them give
what a scan of the register gives."""

import datetime
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from grids import services as grid_services
from grids.models import GridUnit
from grids.tests.concurrency import run_together
from grids.tests.factories import build_world
from hazards import rollup, selectors, services, tallies
from hazards.models import Grade, Hazard, HazardMapTally, HazardMonthTally, HazardTally, RiskLevel, State
from hazards.tests.factories import category, confirmed, photo, rectifying, report


def exact():
    assert rollup.differences() == []


def open_in(unit) -> int:
    return tallies.total([unit.pk], Q(state__in=[State.REPORTED, State.CONFIRMED, State.RECTIFYING]))


def test_a_hazard_counts_in_its_village_township_and_county_through_its_loop(world):
    hazard = report(world)
    for unit in (world.village_a, world.township, world.county):
        assert tallies.total([unit.pk], Q(state=State.REPORTED)) == 1
    assert tallies.total([world.other_township.pk], Q()) == 0
    exact()

    services.hazard_confirm(
        hazard=hazard,
        by=world.township_officer,
        grade="general",
        risk_method="direct",
        risk_level=RiskLevel.ORANGE,
        risk_reason="现场认定",
    )
    assert tallies.total([world.county.pk], Q(state=State.REPORTED)) == 0
    assert tallies.total([world.county.pk], Q(state=State.CONFIRMED, level=RiskLevel.ORANGE)) == 1
    exact()

    late = rectifying(world)
    services.mark_overdue(today=timezone.localdate() + datetime.timedelta(days=30))
    assert tallies.total([world.township.pk], Q(state=State.RECTIFYING, overdue=True)) == 1
    exact()

    services.hazard_submit_evidence(hazard=late, by=world.village_officer_a, note="已整改", photos=[photo()])
    services.hazard_accept(hazard=late, by=world.township_officer)
    assert tallies.total([world.county.pk], Q(state=State.CLOSED)) == 1
    this_month = timezone.localdate().replace(day=1)
    assert tallies.months([world.county.pk], this_month) == {
        (rollup.FOUND, this_month): 2,
        (rollup.CLOSED, this_month): 1,
    }
    exact()


def test_a_title_edit_writes_no_roll_up(world):
    from django.test.utils import CaptureQueriesContext

    hazard = report(world)
    with CaptureQueriesContext(connection) as queries:
        hazard.title = "山体裂缝（复核）"
        hazard.save(update_fields=["title"])
    assert queries.captured_queries
    assert not any("tally" in q["sql"] for q in queries.captured_queries)


def test_a_report_writes_its_roll_ups_in_one_statement_on_postgresql(world):
    """Its kinds, its month and its map cell (a report with a position): three upserts, one round
    trip on PostgreSQL (data-modifying WITHs); SQLite runs them one by one. Exact either way."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        report(world, lng=106.45, lat=24.25)
    upserts = [q["sql"] for q in queries.captured_queries if "tally" in q["sql"]]
    tables = ("hazards_hazardtally", "hazards_hazardmonthtally", "hazards_hazardmaptally")
    if connection.vendor == "postgresql":
        assert len(upserts) == 1, upserts
        assert all(f'INSERT INTO "{table}"' in upserts[0] for table in tables), upserts
    else:
        assert len(upserts) == 3, upserts
    assert HazardMapTally.objects.filter(unit=world.county).exists()
    exact()


def test_queryset_writes_keep_the_roll_ups(world):
    first = report(world)
    second = report(world, unit=world.village_b, by=world.village_officer_b, code="flood", title="河堤渗水")
    Hazard.objects.filter(pk=first.pk).update(state=State.CONFIRMED, risk_level=RiskLevel.RED, grade=Grade.MAJOR)
    assert tallies.total([world.county.pk], Q(level=RiskLevel.RED, grade=Grade.MAJOR)) == 1
    exact()

    copies = Hazard.objects.bulk_create(
        [
            Hazard(
                number=f"BULK-{i}",
                title="批量",
                family=second.family,
                category_id=second.category_id,
                unit=world.village_b,
                owner_unit=world.township,
                reporter=world.village_officer_b,
                state=State.CLOSED,
                closed_at=timezone.now(),
            )
            for i in range(3)
        ]
    )
    assert tallies.total([world.village_b.pk], Q(state=State.CLOSED)) == 3
    exact()

    Hazard.objects.filter(pk__in=[h.pk for h in copies[:2]]).delete()
    copies[2].delete()
    assert tallies.total([world.village_b.pk], Q()) == 1  # the flood report
    exact()


def test_moving_a_village_moves_its_hazards_to_the_new_township(world):
    report(world)
    report(world, title="第二处裂缝")
    assert tallies.total([world.township.pk], Q()) == 2
    code = "451027101209"  # 逻楼镇's prefix
    grid_services.unit_move(by=world.admin, unit=world.village_a, new_parent=world.other_township, code=code)
    assert tallies.total([world.township.pk], Q()) == 0
    assert tallies.total([world.other_township.pk], Q()) == 2
    exact()


def test_the_command_finds_and_mends_a_wrong_count(world):
    report(world)
    HazardTally.objects.filter(unit=world.county).update(n=F("n") + 1)
    HazardMonthTally.objects.filter(unit=world.township).delete()
    out = io.StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("rebuild_hazard_tallies", "--check", stdout=out)
    assert exc.value.code == 1
    assert "stored 2, register 1" in out.getvalue()
    call_command("rebuild_hazard_tallies", stdout=io.StringIO())
    exact()
    call_command("rebuild_hazard_tallies", "--check", stdout=io.StringIO())  # no exit: exact


def _varied(world):
    """Hazards in every state, level, grade and tier of the world, some overdue, one at the
    township itself and one found last month."""
    report(world)
    report(world, unit=world.village_b, by=world.village_officer_b, code="flood", title="河堤渗水")
    report(world, unit=world.township, by=world.township_officer, title="镇政府后山")
    report(world, found_at=timezone.now() - datetime.timedelta(days=40), title="上月的裂缝")
    confirmed(world, grade="major")
    services.hazard_reject(hazard=report(world, title="误报"), by=world.township_officer, reason="不是隐患")
    rectifying(world)
    rectifying(world, code="flood")
    services.mark_overdue(today=timezone.localdate() + datetime.timedelta(days=30))
    done = rectifying(world, title="已整改")
    services.hazard_submit_evidence(hazard=done, by=world.village_officer_a, note="", photos=[photo()])
    services.hazard_accept(hazard=done, by=world.township_officer)
    report(world, unit=world.village_b, by=world.village_officer_b, code="flood", title="陇雅村河堤")
    exact()


FILTERS = [
    {},
    {"state": selectors.STATE_OPEN},
    {"state": State.RECTIFYING, "overdue": True},
    {"level": selectors.LEVEL_NONE},
    {"grade": Grade.MAJOR},
    {"family": "natural"},
]


@pytest.mark.parametrize("persona", ["county_dispatcher", "township_officer", "village_officer_a", "admin"])
def test_the_pages_read_from_the_roll_ups_what_a_scan_reads(world, persona, monkeypatch):
    _varied(world)
    user = getattr(world, persona)
    units = [None, world.township, world.village_a]
    counted = {}
    for filters in FILTERS:
        for unit in units:
            chosen = dict(filters, unit=unit) if unit else filters
            counted[("count", str(filters), unit)] = selectors.hazard_count(user, chosen)
            counted[("table", str(filters), unit)] = selectors.statistics_table(user, chosen).grid()
    figures = selectors.dashboard_figures(user)
    trend = selectors.monthly_trend(user)
    assert counted[("count", "{}", None)] is not None  # read from the roll-ups

    monkeypatch.setattr(tallies, "roots", lambda user, unit=None: None)  # the scan
    for filters in FILTERS:
        for unit in units:
            chosen = dict(filters, unit=unit) if unit else filters
            assert counted[("count", str(filters), unit)] == selectors.hazard_list(user, chosen).count()
            scanned = selectors.statistics_table(user, chosen).grid()
            assert [(r.unit, cells) for r, cells in counted[("table", str(filters), unit)]] == [
                (r.unit, cells) for r, cells in scanned
            ]
    assert figures == selectors.dashboard_figures(user)
    assert trend == selectors.monthly_trend(user)


def test_department_staff_and_text_filters_are_counted_on_the_register(world):
    _varied(world)
    assert selectors.hazard_count(world.department_officer) is None
    assert selectors.hazard_count(world.county_dispatcher, {"q": "裂缝"}) is None
    assert selectors.hazard_count(world.county_dispatcher, {"found_from": timezone.localdate()}) is None


def test_the_county_pages_cost_the_same_queries_for_three_hazards_or_thirty_and_never_count_the_register(
    world, client_for
):
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = client_for(world.county_dispatcher)
    pages = [reverse(name) for name in ("hazards:list", "hazards:statistics", "hazards:dashboard")]
    pages.append(reverse("hazards:map_data") + "?zoom=9")
    counts = []
    for size in (3, 30):
        while Hazard.objects.count() < size:
            report(world, title=f"裂缝 {Hazard.objects.count()}", lng=106.41, lat=24.21)
        row = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            row.append(len(queries))
            on_register = [
                q["sql"].upper() for q in queries.captured_queries if 'FROM "HAZARDS_HAZARD"' in q["sql"].upper()
            ]
            assert not any(word in sql for sql in on_register for word in ("COUNT(", "SUM(", "GROUP BY")), url
        counts.append(row)
    assert counts[0] == counts[1]


pg = pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL")


@pg
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_reports_and_rulings_add_up():
    world = build_world()
    waiting = [report(world, title=f"待确认 {i}") for i in range(4)]

    def new_report(i):
        return lambda: services.hazard_report(
            by=world.village_officer_a,
            unit=world.village_a,
            category=category(),
            title=f"同时上报 {i}",
            client_key=uuid.uuid4(),
        )

    def confirm(hazard):
        return lambda: services.hazard_confirm(
            hazard=hazard,
            by=world.township_officer,
            grade="general",
            risk_method="direct",
            risk_level=RiskLevel.BLUE,
            risk_reason="现场认定",
        )

    outcomes = run_together(*(new_report(i) for i in range(6)), *(confirm(h) for h in waiting))
    assert [kind for kind, _ in outcomes].count("ok") == 10
    assert tallies.total([world.county.pk], Q(state=State.REPORTED)) == 6
    assert tallies.total([world.county.pk], Q(state=State.CONFIRMED, level=RiskLevel.BLUE)) == 4
    exact()
    assert GridUnit.objects.filter(pk=world.county.pk).exists()


@pytest.mark.parametrize("persona", ["county_dispatcher", "township_officer", "admin"])
@pytest.mark.parametrize("zoom", [6, 9, 12, 14])
def test_the_map_buckets_of_the_roll_ups_are_those_of_a_scan(world, persona, zoom, monkeypatch):
    _varied(world)
    spots = [(106.41, 24.21), (106.419, 24.219), (106.47, 24.29), (106.55, 24.25), (106.6501, 24.3)]
    for i, (lng, lat) in enumerate(spots):
        hazard = report(world, lng=lng, lat=lat, title=f"定位 {i}")
        if i % 2:
            services.hazard_confirm(
                hazard=hazard,
                by=world.township_officer,
                grade="general",
                risk_method="direct",
                risk_level=RiskLevel.RED if i == 1 else RiskLevel.YELLOW,
                risk_reason="现场认定",
            )
    Hazard.objects.filter(title="定位 4").update(lng=106.52)  # moved: the old cell loses it
    exact()
    user = getattr(world, persona)
    tallied = selectors.map_points(user, {}, zoom=zoom, limit=1)
    monkeypatch.setattr(tallies, "map_roots", lambda user, unit=None: None)
    scanned = selectors.map_points(user, {}, zoom=zoom, limit=1)
    assert tallied["mode"] == scanned["mode"] == "clusters"
    assert tallied["total"] == scanned["total"] == 5

    def key(c):
        return (round(c["lng"], 4), round(c["lat"], 4))

    pairs = zip(sorted(tallied["clusters"], key=key), sorted(scanned["clusters"], key=key), strict=True)
    for mine, theirs in pairs:
        assert (mine["count"], mine["level"]) == (theirs["count"], theirs["level"])
        assert (mine["lng"], mine["lat"]) == pytest.approx((theirs["lng"], theirs["lat"]), abs=2e-6)


def test_a_village_map_and_a_filtered_map_are_read_from_the_register(world):
    report(world, lng=106.41, lat=24.21)
    report(world, lng=106.42, lat=24.22, title="第二处")
    assert tallies.map_roots(world.village_officer_a) is None
    assert selectors.map_points(world.village_officer_a, {}, limit=1)["mode"] == "clusters"
    assert HazardMapTally.objects.filter(unit=world.village_a).count() == 0  # counties and townships only
    assert sum(HazardMapTally.objects.filter(unit=world.county).values_list("n", flat=True)) == 2


def test_a_bulk_insert_that_skips_conflicts_is_recounted(world):
    first = report(world)
    fields = {f.attname: getattr(first, f.attname) for f in Hazard._meta.concrete_fields if not f.primary_key}
    Hazard.objects.bulk_create(
        [Hazard(**fields), Hazard(**{**fields, "number": "NEW-1", "client_key": None})], ignore_conflicts=True
    )
    assert tallies.total([world.county.pk], Q()) == 2  # the duplicate number was skipped, the new one counted
    exact()
