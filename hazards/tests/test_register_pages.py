"""Pages about many hazards: the register list and export, the risk map and its data, the
statistics table and its export, the dashboard, the department copies and the printable forms.

Every page is scoped (village A never sees village B; the township sees both; an outsider sees
nothing; a department sees only what was copied to it), answers 404 for units it cannot see and
405 for wrong methods, and costs the same number of queries whatever the number of hazards."""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hazards import selectors, services
from hazards.models import Hazard, HazardCategory, State
from hazards.tests import factories as hf


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _past(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def register(world):
    """Seven hazards across the county, in every state that counts (see the statistics tests).

    - a1 village A, geological, reported
    - a2 village A, geological, rectifying and overdue (fire-free address 后山)
    - b1 village B, flood, confirmed major, red, under supervision (copied to the water bureau)
    - b2 village B, geological, fixed on the spot (closed)
    - c1 village C (other township), fire, reported by the county dispatcher
    - e1 enterprise in the park, hazardous chemicals, not confirmed (rejected)
    - t1 the township itself, fire, reported by the township officer
    """
    a1 = hf.report(world, title="村后山体裂缝", address="陇雅村后山", lng=106.45, lat=24.25, found_at=_past(40))
    a2 = hf.rectifying(world, title="挡土墙开裂", lng=106.46, lat=24.26, found_at=_past(20))
    services.mark_overdue(today=a2.deadline + datetime.timedelta(days=1))
    b1 = hf.report(
        world,
        by=world.village_officer_b,
        unit=world.village_b,
        code="flood",
        title="河堤渗水",
        lng=106.55,
        lat=24.25,
        found_at=_past(10),
    )
    b1 = services.hazard_confirm(
        hazard=b1, by=world.township_officer, grade="major", risk_method="direct", risk_level=1, risk_reason="汛期临河"
    )
    b1 = services.hazard_supervise(
        hazard=b1,
        by=world.county_dispatcher,
        department=world.department,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        requirements="汛前完成加固",
        order_no="凌应急督〔2026〕1号",
    )
    b2 = hf.report(
        world,
        by=world.village_officer_b,
        unit=world.village_b,
        title="落石",
        found_at=_past(5),
        fixed_on_spot=True,
        evidence_photos=[hf.photo("done.jpg")],
        photos=[hf.photo("found.jpg")],
    )
    c1 = hf.report(
        world, by=world.county_dispatcher, unit=world.village_c, code="fire", title="柴草堆放", lng=106.65, lat=24.25
    )
    e1 = hf.report(
        world, by=world.county_dispatcher, unit=world.enterprise, code="hazardous_chemicals", title="储罐标识不清"
    )
    e1 = services.hazard_reject(hazard=e1, by=world.county_dispatcher, reason="已整改到位，不构成隐患")
    t1 = hf.report(world, by=world.township_officer, unit=world.township, code="fire", title="镇集市消防通道堵塞")
    for hazard in (a1, a2, b1, b2, c1, e1, t1):
        hazard.refresh_from_db()
    return SimpleNamespace(a1=a1, a2=a2, b1=b1, b2=b2, c1=c1, e1=e1, t1=t1)


def listed(client, **params) -> set[int]:
    response = client.get(reverse("hazards:list"), params)
    assert response.status_code == 200
    return {hazard.pk for hazard in response.context["page_obj"].object_list}


def ids(*hazards) -> set[int]:
    return {hazard.pk for hazard in hazards}


# --- scope ----------------------------------------------------------------------------------------


def test_village_officer_lists_only_own_village(client_for, world, register):
    client = client_for(world.village_officer_a)
    assert listed(client) == ids(register.a1, register.a2)
    html = client.get(reverse("hazards:list")).content.decode()
    assert register.a1.number in html and register.b1.number not in html


def test_township_officer_lists_both_villages_and_the_township(client_for, world, register):
    assert listed(client_for(world.township_officer)) == ids(
        register.a1, register.a2, register.b1, register.b2, register.t1
    )


def test_county_dispatcher_lists_everything(client_for, world, register):
    assert listed(client_for(world.county_dispatcher)) == ids(*vars(register).values())


def test_outsider_lists_nothing(client_for, world, register):
    assert listed(client_for(world.outsider)) == set()


def test_department_officer_lists_only_hazards_copied_to_the_department(client_for, world, register):
    assert listed(client_for(world.department_officer)) == ids(register.b1)


def test_anonymous_is_sent_to_login(client, world):
    for name in ("list", "export", "map", "map_data", "statistics", "statistics_export", "dashboard", "copies"):
        response = client.get(reverse(f"hazards:{name}"))
        assert response.status_code == 302, name


@pytest.mark.parametrize("name", ["list", "export", "map", "map_data", "statistics", "statistics_export"])
def test_filtering_to_an_unseen_unit_is_404(client_for, world, register, name):
    client = client_for(world.village_officer_a)
    assert client.get(reverse(f"hazards:{name}"), {"unit": world.village_b.pk}).status_code == 404
    assert client.get(reverse(f"hazards:{name}"), {"unit": world.village_a.pk}).status_code == 200


@pytest.mark.parametrize(
    "name,args",
    [
        ("list", []),
        ("export", []),
        ("map", []),
        ("map_data", []),
        ("statistics", []),
        ("statistics_export", []),
        ("dashboard", []),
        ("copies", []),
        ("print_report_form", ["a1"]),
        ("print_supervision_order", ["b1"]),
    ],
)
def test_register_pages_refuse_post(client_for, world, register, name, args):
    url = reverse(f"hazards:{name}", args=[getattr(register, a).pk for a in args])
    assert client_for(world.county_dispatcher).post(url).status_code == 405


def test_map_data_is_scoped(client_for, world, register):
    data = client_for(world.village_officer_a).get(reverse("hazards:map_data")).json()
    assert data["mode"] == "points"
    assert {p["id"] for p in data["points"]} == ids(register.a1, register.a2)
    data = client_for(world.village_officer_b).get(reverse("hazards:map_data")).json()
    assert {p["id"] for p in data["points"]} == ids(register.b1)  # b2 has no location
    assert client_for(world.outsider).get(reverse("hazards:map_data")).json()["points"] == []
    data = client_for(world.department_officer).get(reverse("hazards:map_data")).json()
    assert {p["id"] for p in data["points"]} == ids(register.b1)


def test_map_data_points_carry_what_the_popup_needs(client_for, world, register):
    data = client_for(world.township_officer).get(reverse("hazards:map_data"), {"supervised": "on"}).json()
    (point,) = data["points"]
    assert point == {
        "id": register.b1.pk,
        "number": register.b1.number,
        "title": "河堤渗水",
        "level": 1,
        "state": "confirmed",
        "overdue": False,
        "lng": 106.55,
        "lat": 24.25,
    }
    overdue = client_for(world.township_officer).get(reverse("hazards:map_data"), {"overdue": "on"}).json()
    assert [p["overdue"] for p in overdue["points"]] == [True]


def test_map_data_keeps_to_the_bounding_box(client_for, world, register):
    client = client_for(world.county_dispatcher)
    data = client.get(reverse("hazards:map_data"), {"bbox": "106.44,24.24,106.455,24.255", "zoom": 14}).json()
    assert {p["id"] for p in data["points"]} == ids(register.a1)
    assert client.get(reverse("hazards:map_data"), {"bbox": "106,24,oops"}).status_code == 400
    assert client.get(reverse("hazards:map_data"), {"bbox": "107,24,106,25"}).status_code == 400
    assert client.get(reverse("hazards:map_data"), {"zoom": "near"}).status_code == 400


def test_map_data_switches_to_buckets_above_the_point_limit(client_for, world, register, settings):
    for i in range(6):
        hf.report(world, title=f"点{i}", lng=106.41 + i * 0.001, lat=24.21, found_at=_past(1))
    client = client_for(world.county_dispatcher)
    located = Hazard.objects.filter(lng__isnull=False).count()
    assert located == 10

    settings.HAZARDS_MAP_POINT_LIMIT = 5
    data = client.get(reverse("hazards:map_data"), {"zoom": 6}).json()
    assert data["mode"] == "clusters"
    assert sum(c["count"] for c in data["clusters"]) == data["total"] == located
    # at zoom 6 a bucket is ~1.4°: the whole county falls in one, coloured by its highest (red) level
    assert [c["level"] for c in data["clusters"]] == [1]

    data = client.get(reverse("hazards:map_data"), {"zoom": 16}).json()
    assert data["mode"] == "clusters" and len(data["clusters"]) > 1
    assert sum(c["count"] for c in data["clusters"]) == located

    settings.HAZARDS_MAP_POINT_LIMIT = 10
    data = client.get(reverse("hazards:map_data")).json()
    assert data["mode"] == "points" and data["total"] == located


def test_map_data_bucket_query_count_does_not_grow(client_for, world, settings, django_assert_max_num_queries):
    settings.HAZARDS_MAP_POINT_LIMIT = 2
    client = client_for(world.county_dispatcher)
    for i in range(5):
        hf.report(world, title=f"点{i}", lng=106.41 + i * 0.01, lat=24.21)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("hazards:map_data"), {"zoom": 12}).json()["mode"] == "clusters"
    for i in range(25):
        hf.report(world, title=f"更多{i}", lng=106.41 + i * 0.003, lat=24.22)
    with django_assert_max_num_queries(len(first)):
        assert client.get(reverse("hazards:map_data"), {"zoom": 12}).json()["total"] == 30


def test_map_page_draws_boundaries_of_the_units_below(client_for, world, register):
    response = client_for(world.county_dispatcher).get(reverse("hazards:map"))
    assert response.status_code == 200
    features = response.context["boundaries"]["features"]
    assert {f["properties"]["name"] for f in features} == {"凌云县", "泗城镇", "逻楼镇", "凌云工业园区"}
    response = client_for(world.county_dispatcher).get(reverse("hazards:map"), {"unit": world.township.pk})
    names = {f["properties"]["name"] for f in response.context["boundaries"]["features"]}
    assert names == {"泗城镇", "陇雅村", "平兰村"}
    html = response.content.decode()
    assert 'id="risk-map-config"' in html and "js/risk-map.js" in html and "<script>" not in html
    village = client_for(world.village_officer_a).get(reverse("hazards:map")).context["boundaries"]["features"]
    assert [f["properties"]["name"] for f in village] == ["陇雅村"]


# --- filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"unit": "village_b"}, ["b1", "b2"]),
        ({"unit": "other_township"}, ["c1"]),
        ({"unit": "park"}, ["e1"]),
        ({"category": "fire"}, ["c1", "t1"]),
        ({"family": "natural"}, ["a1", "a2", "b1", "b2"]),
        ({"grade": "major"}, ["b1"]),
        ({"level": "1"}, ["b1"]),
        ({"level": "3"}, ["a2"]),  # LEC 3 × 6 × 7 = 126: yellow
        ({"level": "none"}, ["a1", "b2", "c1", "e1", "t1"]),
        ({"state": "reported"}, ["a1", "c1", "t1"]),
        ({"state": "open"}, ["a1", "a2", "b1", "c1", "t1"]),
        ({"state": "rejected"}, ["e1"]),
        ({"overdue": "on"}, ["a2"]),
        ({"supervised": "on"}, ["b1"]),
        ({"q": "后山"}, ["a1"]),
        ({"q": "河堤"}, ["b1"]),
        ({"found_to": "past25"}, ["a1"]),
        ({"found_from": "past25", "found_to": "past8"}, ["a2", "b1"]),
        ({"family": "natural", "state": "open", "unit": "village_a"}, ["a1", "a2"]),
    ],
)
def test_each_filter_narrows_the_list(client_for, world, register, params, expected):
    values = {}
    for key, value in params.items():
        if key == "unit":
            value = getattr(world, value).pk
        elif key == "category":
            value = HazardCategory.objects.get(code=value).pk
        elif value.startswith("past"):
            value = timezone.localdate(_past(int(value[4:]))).isoformat()
        values[key] = value
    assert listed(client_for(world.county_dispatcher), **values) == ids(*(getattr(register, k) for k in expected))


def test_search_finds_by_number(client_for, world, register):
    assert listed(client_for(world.county_dispatcher), q=register.c1.number) == ids(register.c1)


@pytest.mark.parametrize("fmt", ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "{y}年{m}月{d}日", "%Y%m%d"])
def test_dates_in_chinese_formats_filter_the_list(client_for, world, register, fmt):
    day = timezone.localdate(_past(25))
    text = fmt.format(y=day.year, m=day.month, d=day.day) if "{" in fmt else day.strftime(fmt)
    client = client_for(world.county_dispatcher)
    assert listed(client, found_to=text) == ids(register.a1)
    assert register.a1.pk not in listed(client, found_from=text)


def test_a_bad_date_is_shown_as_an_error_and_the_rest_still_filters(client_for, world, register):
    response = client_for(world.county_dispatcher).get(
        reverse("hazards:list"), {"found_from": "昨天", "grade": "major"}
    )
    assert response.status_code == 200
    assert "found_from" in response.context["filterset"].form.errors
    assert {h.pk for h in response.context["page_obj"].object_list} == ids(register.b1)


def test_overdue_and_supervised_rows_stand_out(client_for, world, register):
    html = client_for(world.township_officer).get(reverse("hazards:list")).content.decode()
    assert html.count('class="rg-overdue') == 1
    assert "rg-flag-supervised" in html


# --- queries do not grow with rows ------------------------------------------------------------------


def _many(world, count, *, prefix):
    for i in range(count):
        hf.report(
            world, title=f"{prefix}{i}", lng=106.41 + i * 0.001, lat=24.21, code="geological" if i % 2 else "fire"
        )


@pytest.mark.parametrize("name", ["list", "export", "map", "statistics", "statistics_export", "dashboard"])
def test_page_queries_do_not_grow_with_hazards(client_for, world, name, django_assert_max_num_queries):
    client = client_for(world.township_officer)
    _many(world, 5, prefix="五")
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse(f"hazards:{name}")).status_code == 200
    _many(world, 25, prefix="三十")
    with django_assert_max_num_queries(len(first)):
        assert client.get(reverse(f"hazards:{name}")).status_code == 200


def test_the_list_reads_only_what_its_rows_show(client_for, world):
    """The page of fifty reads the columns its rows show (``selectors.LIST_ROW_FIELDS``): not a
    hazard's description, not a unit's boundary; and every row still shows its unit, category,
    grade, level, state and supervision."""
    client = client_for(world.township_officer)
    hf.report(world, title="<b>沟边</b>塌方", code="geological")
    with CaptureQueriesContext(connection) as counted:
        html = client.get(reverse("hazards:list")).content.decode()
    page = [
        q["sql"]
        for q in counted.captured_queries
        if 'FROM "hazards_hazard"' in q["sql"] and "LIMIT" not in q["sql"][-12:]
    ]
    assert page and not any('"description"' in sql or '"boundary"' in sql for sql in page), page
    assert "&lt;b&gt;沟边&lt;/b&gt;塌方" in html and world.village_a.name in html


def test_copies_queries_do_not_grow(client_for, world, django_assert_max_num_queries):
    client = client_for(world.department_officer)

    def copied(count):
        for i in range(count):
            hazard = hf.report(world, code="flood", title=f"抄告{i}")
            services.hazard_confirm(
                hazard=hazard,
                by=world.township_officer,
                grade="general",
                risk_method="direct",
                risk_level=3,
                risk_reason="目测",
            )

    copied(3)
    with CaptureQueriesContext(connection) as first:
        assert client.get(reverse("hazards:copies")).status_code == 200
    copied(12)
    with django_assert_max_num_queries(len(first)):
        response = client.get(reverse("hazards:copies"))
    assert len(response.context["copies"]) == 15


# --- export ---------------------------------------------------------------------------------------


def _sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def test_export_contains_the_filtered_visible_rows(client_for, world, register):
    rows = _sheet_rows(client_for(world.township_officer).get(reverse("hazards:export"), {"family": "natural"}))
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {register.a1.number, register.a2.number, register.b1.number, register.b2.number}
    b1 = next(row for row in rows if row[0] == register.b1.number)
    assert b1[1] == "河堤渗水" and b1[2] == world.village_b.name


def test_export_for_village_a_has_no_village_b_rows(client_for, world, register):
    rows = _sheet_rows(client_for(world.village_officer_a).get(reverse("hazards:export")))
    assert {row[0] for row in rows[1:]} == {register.a1.number, register.a2.number}


def test_export_for_outsider_has_only_the_header(client_for, world, register):
    rows = _sheet_rows(client_for(world.outsider).get(reverse("hazards:export")))
    assert len(rows) == 1


# --- statistics table ------------------------------------------------------------------------------


def _table(client, **params):
    response = client.get(reverse("hazards:statistics"), params)
    assert response.status_code == 200
    table = response.context["table"]
    columns = {c.key: c.label for c in table.columns}
    by_label = {}
    for row in [*table.rows, table.totals]:
        label = "TOTAL" if row is table.totals else ("ITSELF" if row.unit is None else row.label)
        by_label[label] = {
            (columns.get(key, key), measure): value for (key, measure), value in row.cells.items() if value
        }
    return table, by_label


def _cat(code):
    return HazardCategory.objects.get(code=code).name


def test_statistics_for_the_county_match_hand_counts(client_for, world, register):
    table, rows = _table(client_for(world.county_dispatcher))
    assert [r.label for r in table.rows] == ["凌云工业园区", "泗城镇", "逻楼镇"]  # tree order (codes)
    geo, flood, fire, chem = _cat("geological"), _cat("flood"), _cat("fire"), _cat("hazardous_chemicals")
    assert rows["泗城镇"] == {
        (geo, "all"): 3,
        (geo, "open"): 2,
        (geo, "overdue"): 1,
        (geo, "closed"): 1,
        (flood, "all"): 1,
        (flood, "open"): 1,
        (fire, "all"): 1,
        (fire, "open"): 1,
        ("total", "all"): 5,
        ("total", "open"): 4,
        ("total", "overdue"): 1,
        ("total", "closed"): 1,
    }
    assert rows["逻楼镇"] == {(fire, "all"): 1, (fire, "open"): 1, ("total", "all"): 1, ("total", "open"): 1}
    assert rows["凌云工业园区"] == {(chem, "all"): 1, ("total", "all"): 1}
    assert rows["TOTAL"] == {
        (geo, "all"): 3,
        (geo, "open"): 2,
        (geo, "overdue"): 1,
        (geo, "closed"): 1,
        (flood, "all"): 1,
        (flood, "open"): 1,
        (fire, "all"): 2,
        (fire, "open"): 2,
        (chem, "all"): 1,
        ("total", "all"): 7,
        ("total", "open"): 5,
        ("total", "overdue"): 1,
        ("total", "closed"): 1,
    }
    assert [c.label for c in table.columns] == [flood, geo, fire, chem]  # categories in their configured order


def test_statistics_for_the_township_has_villages_and_the_township_itself(client_for, world, register):
    table, rows = _table(client_for(world.township_officer))
    geo, flood, fire = _cat("geological"), _cat("flood"), _cat("fire")
    assert [r.label for r in table.rows] == ["陇雅村", "平兰村", ""]
    assert rows["陇雅村"] == {
        (geo, "all"): 2,
        (geo, "open"): 2,
        (geo, "overdue"): 1,
        ("total", "all"): 2,
        ("total", "open"): 2,
        ("total", "overdue"): 1,
    }
    assert rows["平兰村"] == {
        (flood, "all"): 1,
        (flood, "open"): 1,
        (geo, "all"): 1,
        (geo, "closed"): 1,
        ("total", "all"): 2,
        ("total", "open"): 1,
        ("total", "closed"): 1,
    }
    assert rows["ITSELF"] == {(fire, "all"): 1, (fire, "open"): 1, ("total", "all"): 1, ("total", "open"): 1}
    assert rows["TOTAL"][("total", "all")] == 5


def test_statistics_drills_down_from_the_county_to_a_township(client_for, world, register):
    table, rows = _table(client_for(world.county_dispatcher), unit=world.township.pk)
    assert [r.label for r in table.rows] == ["陇雅村", "平兰村", ""]
    assert rows["TOTAL"][("total", "all")] == 5


def test_statistics_for_village_officers_never_mix_villages(client_for, world, register):
    table, rows = _table(client_for(world.village_officer_a))
    assert [r.label for r in table.rows] == ["陇雅村"]
    assert rows["TOTAL"][("total", "all")] == 2
    table, rows = _table(client_for(world.village_officer_b))
    assert [r.label for r in table.rows] == ["平兰村"]
    assert rows["TOTAL"][("total", "all")] == 2
    table, rows = _table(client_for(world.outsider))
    assert table.rows == [] and rows["TOTAL"] == {}


def test_statistics_for_a_department_count_only_its_copies(client_for, world, register):
    _table_, rows = _table(client_for(world.department_officer))
    assert rows["TOTAL"] == {
        (_cat("flood"), "all"): 1,
        (_cat("flood"), "open"): 1,
        ("total", "all"): 1,
        ("total", "open"): 1,
    }
    assert rows["泗城镇"][("total", "all")] == 1


def test_statistics_by_family_and_state(client_for, world, register):
    _t, rows = _table(client_for(world.county_dispatcher), columns="family", measures="state")
    natural, production = "natural", "production"
    from hazards.models import Family

    natural, production = str(Family.NATURAL.label), str(Family.PRODUCTION.label)
    assert rows["TOTAL"] == {
        (natural, "reported"): 1,
        (natural, "rectifying"): 1,
        (natural, "confirmed"): 1,
        (natural, "closed"): 1,
        (natural, "all"): 4,
        (production, "reported"): 2,
        (production, "rejected"): 1,
        (production, "all"): 3,
        ("total", "reported"): 3,
        ("total", "rectifying"): 1,
        ("total", "confirmed"): 1,
        ("total", "closed"): 1,
        ("total", "rejected"): 1,
        ("total", "all"): 7,
    }


def test_statistics_filters_apply(client_for, world, register):
    _t, rows = _table(client_for(world.county_dispatcher), state="open", family="production")
    assert rows["TOTAL"] == {
        (_cat("fire"), "all"): 2,
        (_cat("fire"), "open"): 2,
        ("total", "all"): 2,
        ("total", "open"): 2,
    }


def test_statistics_unknown_layout_is_404(client_for, world):
    assert client_for(world.county_dispatcher).get(reverse("hazards:statistics"), {"columns": "x"}).status_code == 404


def test_statistics_table_is_one_aggregate_query(world, register, django_assert_max_num_queries):
    user = world.county_dispatcher
    selectors.statistics_table(user)  # warm the scope cache
    # the top units, the row units, ONE GROUP BY over the hazards, the category labels
    with django_assert_max_num_queries(4):
        selectors.statistics_table(user)


def test_statistics_export_has_the_same_figures(client_for, world, register):
    rows = _sheet_rows(client_for(world.county_dispatcher).get(reverse("hazards:statistics_export")))
    header, sub = rows[2], rows[3]
    with translation.override("zh-hans"):
        assert header[1] == _("Total")
        assert sub[1:5] == [_("Total"), _("Open"), _("Overdue"), _("Closed")]
    township = next(row for row in rows if row[0] == "泗城镇")
    # the "total" group comes first: all, open, overdue, closed
    assert township[1:5] == [5, 4, 1, 1]
    assert rows[-1][1:5] == [7, 5, 1, 1]
    assert sum(township[5:]) == sum(township[1:5])  # every category's figures add up to the row
    assert not any(row[0] == "陇雅村" for row in rows)


def test_statistics_export_for_village_a_has_only_village_a(client_for, world, register):
    rows = _sheet_rows(client_for(world.village_officer_a).get(reverse("hazards:statistics_export")))
    assert [row[0] for row in rows[4:]] == ["陇雅村", rows[-1][0]]
    assert rows[-1][1:5] == [2, 2, 1, 0]


# --- dashboard ------------------------------------------------------------------------------------


def test_dashboard_figures_for_the_township(client_for, world, register):
    response = client_for(world.township_officer).get(reverse("hazards:dashboard"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["open"] == 4  # a1, a2, b1, t1
    assert figures["open_red"] == 1 and figures["open_yellow"] == 1 and figures["open_ungraded"] == 2
    assert figures["major"] == 1 and figures["supervised"] == 1 and figures["overdue"] == 1
    assert figures["closed_this_month"] == 1
    assert figures["rectification_rate"] == 20.0  # 1 closed of 5
    body = response.content.decode()
    assert 'data-chart="trend-chart"' in body and 'id="trend-chart" type="application/json"' in body
    trend = response.context["chart"]
    assert len(trend["series"]) == 2
    assert len(trend["categories"]) == 12 and sum(trend["series"][1]["data"]) == 1  # the one closure
    assert "<script>" not in body  # the figures are JSON (json_script), the drawing is static/js/charts.js


def test_dashboard_never_counts_another_village(client_for, world, register):
    figures = client_for(world.village_officer_a).get(reverse("hazards:dashboard")).context["figures"]
    assert figures["total"] == 2 and figures["open"] == 2 and figures["major"] == 0
    figures = client_for(world.outsider).get(reverse("hazards:dashboard")).context["figures"]
    assert figures["total"] == 0 and figures["rectification_rate"] is None


def test_monthly_trend_counts_reported_and_closed_per_month(world, register):
    trend = selectors.monthly_trend(world.county_dispatcher, months=12)
    assert len(trend) == 12 and trend[-1]["month"] == timezone.localdate().replace(day=1)
    assert sum(m["reported"] for m in trend) == 7
    assert sum(m["closed"] for m in trend) == 1
    assert trend[-1]["closed"] == 1


def test_monthly_trend_is_two_queries(world, register, django_assert_max_num_queries):
    selectors.monthly_trend(world.county_dispatcher)
    with django_assert_max_num_queries(2):
        selectors.monthly_trend(world.county_dispatcher, months=24)


# --- department copies ------------------------------------------------------------------------------


def test_department_sees_its_copies_with_feedback_state(client_for, world, register):
    copy = register.b1.copies.get(department=world.department)
    client = client_for(world.department_officer)
    response = client.get(reverse("hazards:copies"))
    assert [c.pk for c in response.context["copies"]] == [copy.pk]
    assert "rg-flag-overdue" in response.content.decode()  # awaiting feedback
    services.hazard_copy_feedback(copy=copy, by=world.department_officer, feedback="已派员现场查看")
    html = client.get(reverse("hazards:copies")).content.decode()
    assert "rg-flag-done" in html and register.a1.number not in html


@pytest.mark.parametrize("persona", ["village_officer_a", "township_officer", "county_dispatcher", "outsider"])
def test_copies_refused_to_people_outside_departments(client_for, world, persona):
    assert client_for(getattr(world, persona)).get(reverse("hazards:copies")).status_code == 403


def test_superuser_sees_every_copy(client_for, world, register):
    response = client_for(world.admin).get(reverse("hazards:copies"))
    assert response.status_code == 200 and len(response.context["copies"]) == register.b1.copies.count()


# --- printable forms ------------------------------------------------------------------------------


def test_report_form_prints_for_those_who_see_the_hazard(client_for, world, register):
    url = reverse("hazards:print_report_form", args=[register.b2.pk])
    response = client_for(world.village_officer_b).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert register.b2.number in html and "css/print.css" in html and "js/print.js" in html
    photo = register.b2.photos.get(kind="report")
    assert reverse("hazards:photo", args=[photo.pk]) in html
    assert "/media/" not in html
    assert client_for(world.township_officer).get(url).status_code == 200


@pytest.mark.parametrize("persona", ["village_officer_a", "outsider", "department_officer"])
def test_report_form_is_404_for_those_who_cannot_see_it(client_for, world, register, persona):
    url = reverse("hazards:print_report_form", args=[register.b2.pk])
    assert client_for(getattr(world, persona)).get(url).status_code == 404


def test_report_form_of_a_missing_hazard_is_404(client_for, world):
    assert client_for(world.admin).get(reverse("hazards:print_report_form", args=[999999])).status_code == 404


def test_supervision_order_prints_for_a_supervised_hazard(client_for, world, register):
    url = reverse("hazards:print_supervision_order", args=[register.b1.pk])
    for persona in ("county_dispatcher", "township_officer", "village_officer_b", "department_officer"):
        response = client_for(getattr(world, persona)).get(url)
        assert response.status_code == 200, persona
        html = response.content.decode()
        assert "凌应急督〔2026〕1号" in html and "汛前完成加固" in html and world.department.name in html
    assert client_for(world.village_officer_a).get(url).status_code == 404


def test_supervision_order_of_an_unsupervised_hazard_is_refused_politely(client_for, world, register):
    response = client_for(world.village_officer_a).get(
        reverse("hazards:print_supervision_order", args=[register.a1.pk])
    )
    assert response.status_code == 404
    assert response.context["not_supervised"] is True
    assert reverse("hazards:print_report_form", args=[register.a1.pk]) in response.content.decode()


# --- selectors called directly (the benchmark's entry points) ---------------------------------------


def test_selectors_take_a_plain_dict_of_filters(world, register):
    user = world.county_dispatcher
    assert set(selectors.hazard_list(user, {"state": State.REPORTED}).values_list("pk", flat=True)) == ids(
        register.a1, register.c1, register.t1
    )
    assert selectors.map_points(user, {}, limit=1)["mode"] == "clusters"
    assert selectors.statistics_table(user, {}).totals.get("total", "all") == 7
    assert selectors.dashboard_figures(user)["total"] == 7


def test_export_stops_at_the_row_limit_and_says_so(client_for, world, register, settings):
    settings.HAZARDS_EXPORT_MAX_ROWS = 2
    rows = _sheet_rows(client_for(world.county_dispatcher).get(reverse("hazards:export")))
    assert len(rows) == 1 + 2 + 1  # header, two hazards, the note
    newest = list(Hazard.objects.order_by("-found_at", "-id").values_list("number", flat=True)[:2])
    assert [rows[1][0], rows[2][0]] == newest
    assert "2" in rows[-1][0] and not any(rows[-1][1:])


def test_exports_write_user_text_beginning_with_a_formula_sign_as_text(client_for, world, register):
    from grids.models import GridUnit

    hazard = hf.report(world, title="=1+1", address="@SUM(A1)")
    GridUnit.objects.filter(pk=world.village_a.pk).update(name="-2+3")
    client = client_for(world.township_officer)
    response = client.get(reverse("hazards:export"))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == hazard.number)
    assert (row[1].value, row[1].data_type) == ("=1+1", "s")
    assert (row[2].value, row[2].data_type) == ("-2+3", "s")
    assert "@SUM(A1)" in [c.value for c in row] and all(c.data_type != "f" for c in row)
    assert row[12].data_type == "n"  # the longitude stays a number
    statistics = client.get(reverse("hazards:statistics_export"))
    sheet = load_workbook(io.BytesIO(statistics.content)).active
    labels = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    assert labels["-2+3"][0].data_type == "s" and labels["-2+3"][0].quotePrefix
    assert labels["-2+3"][1].data_type == "n"
