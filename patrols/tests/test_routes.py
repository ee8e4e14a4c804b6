"""Patrol routes: a route is one village's points in order; a route window counts as patrolled
only when ONE patrol on the route checked in at every point of it in use; route windows stay out
of the village's figures; the pages and the API keep to the scope."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from patrols import selectors, services
from patrols.models import Patrol, PatrolRule, RouteStop
from patrols.tests import factories

pytestmark = pytest.mark.django_db


def _yesterday():
    return timezone.localdate() - datetime.timedelta(days=1)


def _route_row(world, route, day):
    table = selectors.compliance(world.township, day, day, timezone.localdate())
    return next(row for row in table.routes if row.route == route), table


def _on_route(world, route, day, points):
    patrol, _created = services.patrol_start(
        unit=route.unit, by=world.village_officer_a, client_key=uuid.uuid4(), route=route
    )
    factories.started_on(patrol, day)
    for point in points:
        factories.check_in(patrol, point)
    return patrol


# --- the route itself ------------------------------------------------------------------------------


def test_a_route_keeps_its_points_in_order_with_history(world):
    first, second, third = factories.points(world)
    route = factories.route(world, [third, first, second])
    assert [s.point for s in route.stops.order_by("order")] == [third, first, second]
    services.route_save(by=world.village_officer_a, route=route, name=route.name, points=[first, third])
    assert [(s.order, s.point) for s in route.stops.order_by("order")] == [(1, first), (2, third)]
    history = RouteStop.history.filter(route_id=route.pk)
    assert history.filter(history_type="+").count() == 5 and history.filter(history_type="-").count() == 3
    assert route.history.count() == 2


def test_every_point_of_a_route_belongs_to_its_village(world):
    ours = factories.points(world)
    theirs = factories.points(world, unit=world.village_b, by=world.village_officer_b, names=("平兰村河堤",))
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.route_save(by=world.township_officer, unit=world.village_a, name="混合路线", points=[*ours, *theirs])
    assert "路线上的每个巡查点都必须是该路线所在网格的巡查点" in str(refused.value)
    with override("zh-hans"), pytest.raises(ValidationError) as empty:
        services.route_save(by=world.village_officer_a, unit=world.village_a, name="空路线", points=[])
    assert "至少要有一个巡查点" in str(empty.value)
    with override("zh-hans"), pytest.raises(ValidationError) as twice:
        services.route_save(by=world.village_officer_a, unit=world.village_a, name="重复", points=[ours[0], ours[0]])
    assert "只能出现一次" in str(twice.value)
    route = factories.route(world, ours)
    with override("zh-hans"), pytest.raises(ValidationError) as stop:
        RouteStop(route=route, point=theirs[0], order=9).full_clean()
    assert "必须是该路线所在网格的巡查点" in str(stop.value)
    with override("zh-hans"), pytest.raises(ValidationError) as same_name:
        factories.route(world, ours[:1])
    assert "同名" in str(same_name.value)


def test_a_neighbour_may_not_make_a_route_of_our_village(world):
    points = factories.points(world)
    with pytest.raises(PermissionDenied):
        services.route_save(by=world.village_officer_b, unit=world.village_a, name="越权", points=points)


def test_a_rule_for_a_route_is_of_the_routes_unit_kind(world):
    route = factories.route(world, factories.points(world))
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        PatrolRule(unit_kind="community", route=route, interval_days=1).full_clean()
    assert "网格类型必须与路线所在网格的类型一致" in str(refused.value)
    PatrolRule(unit_kind=world.village_a.kind, route=route, interval_days=1).full_clean()


def test_a_patrol_starts_only_on_a_route_of_its_own_village(world):
    route = factories.route(world, factories.points(world))
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.patrol_start(unit=world.village_b, by=world.village_officer_b, route=route)
    assert "不是所巡查网格正在使用的巡查路线" in str(refused.value)


# --- the route rule --------------------------------------------------------------------------------


def test_one_patrol_at_every_point_patrols_the_route_window(world):
    points = factories.points(world)
    route = factories.route(world, points, every_days=1)
    day = _yesterday()
    patrol = _on_route(world, route, day, points)
    row, _table = _route_row(world, route, day)
    (window,) = row.windows
    assert window.state == "done" and window.missing == [] and window.patrol_id == patrol.pk
    assert (row.due, row.done, row.missed) == (1, 1, 0)


def test_an_incomplete_patrol_misses_the_route_and_names_the_points_missed(world):
    first, second, third = factories.points(world)
    route = factories.route(world, [first, second, third], every_days=1)
    day = _yesterday()
    _on_route(world, route, day, [first, third])
    (window,) = _route_row(world, route, day)[0].windows
    assert window.state == "missed" and window.missing == [second]


def test_two_patrols_each_covering_half_the_route_miss_it(world):
    first, second, third, fourth = factories.points(world, names=("甲点", "乙点", "丙点", "丁点"))
    route = factories.route(world, [first, second, third, fourth], every_days=1)
    day = _yesterday()
    _on_route(world, route, day, [first, second])
    _on_route(world, route, day, [third, fourth])
    (window,) = _route_row(world, route, day)[0].windows
    assert window.state == "missed" and len(window.missing) == 2


def test_a_patrol_without_the_route_does_not_patrol_it(world):
    points = factories.points(world)
    route = factories.route(world, points, every_days=1)
    day = _yesterday()
    patrol = factories.started_on(factories.patrol(world), day)
    for point in points:
        factories.check_in(patrol, point)
    (window,) = _route_row(world, route, day)[0].windows
    assert window.state == "missed" and window.missing == points


def test_a_point_out_of_use_is_not_asked_for(world):
    first, second, third = factories.points(world)
    route = factories.route(world, [first, second, third], every_days=1)
    type(third).objects.filter(pk=third.pk).update(active=False)
    day = _yesterday()
    _on_route(world, route, day, [first, second])
    (window,) = _route_row(world, route, day)[0].windows
    assert window.state == "done"


def test_todays_window_stays_open_until_it_is_patrolled(world):
    points = factories.points(world)
    route = factories.route(world, points, every_days=1)
    today = timezone.localdate()
    (window,) = _route_row(world, route, today)[0].windows
    assert window.state == "open" and window.missing == points


def test_route_windows_are_not_counted_in_the_villages_figures(world):
    day = _yesterday()
    before = _village(selectors.compliance(world.township, day, day, timezone.localdate()), world.village_a)
    points = factories.points(world)
    route = factories.route(world, points, every_days=1)
    _on_route(world, route, day, points[:1])
    row, table = _route_row(world, route, day)
    after = _village(table, world.village_a)
    assert after.due == before.due == 1 and (before.missed, after.done) == (1, 1)  # the patrol is the village's
    assert row.missed == 1
    assert table.totals["due"] == sum(r.due for r in table.villages)


def _village(table, unit):
    return next(row for row in table.villages if row.unit == unit)


# --- pages -----------------------------------------------------------------------------------------


def test_the_points_page_renders_for_the_village_and_the_township(world, client_for):
    factories.points(world)
    url = reverse("patrols:points", args=[world.village_a.pk])
    for person in (world.village_officer_a, world.township_officer):
        page = client_for(person).get(url)
        body = page.content.decode()
        assert page.status_code == 200, person
        assert "后山滑坡点" in body and "巡查点" in body and 'id="point-form"' in body
        assert reverse("patrols:routes", args=[world.village_a.pk]) in body
        assert body.count("patrols-points.js") == 1


def test_an_officer_makes_a_route_on_the_page_in_the_order_given(world, client_for):
    first, second, third = factories.points(world)
    client = client_for(world.village_officer_a)
    url = reverse("patrols:route_new", args=[world.village_a.pk])
    assert client.get(url).status_code == 200
    answer = client.post(
        url, {"name": "村口到河坝", "active": "on", f"order_{third.pk}": "1", f"order_{first.pk}": "2"}
    )
    assert answer.status_code == 302
    route = world.village_a.patrol_routes.get(name="村口到河坝")
    assert [s.point for s in route.stops.order_by("order")] == [third, first]
    refused = client.post(url, {"name": "空", "active": "on"})
    assert refused.status_code == 400 and "至少为一个巡查点填写" in refused.content.decode()
    listing = client.get(reverse("patrols:routes", args=[world.village_a.pk])).content.decode()
    assert "村口到河坝" in listing
    edit = reverse("patrols:route_edit", args=[route.pk])
    assert client.post(edit, {"name": "村口到河坝", f"order_{second.pk}": "1"}).status_code == 302
    route.refresh_from_db()
    assert not route.active and [s.point for s in route.stops.all()] == [second]


def test_the_route_pages_keep_to_the_scope(world, client_for):
    route = factories.route(world, factories.points(world))
    detail = reverse("patrols:route_detail", args=[route.pk])
    edit = reverse("patrols:route_edit", args=[route.pk])
    new = reverse("patrols:route_new", args=[world.village_a.pk])
    listing = reverse("patrols:routes", args=[world.village_a.pk])
    neighbour = client_for(world.village_officer_b)
    for url in (detail, edit, new, listing):
        assert neighbour.get(url).status_code == 404, url
    department = client_for(world.department_officer)
    assert department.get(detail).status_code == 200
    assert department.get(edit).status_code == 403 and department.post(edit, {"name": "x"}).status_code == 403
    assert department.get(new).status_code == 403
    township = client_for(world.township_officer)
    assert township.get(edit).status_code == 200 and township.get(listing).status_code == 200


def test_the_route_page_shows_its_windows_missed_points_and_recent_patrols(world, client_for):
    first, second, third = factories.points(world)
    route = factories.route(world, [first, second, third], every_days=1)
    day = _yesterday()
    patrol = _on_route(world, route, day, [first, second])
    page = client_for(world.township_officer).get(
        reverse("patrols:route_detail", args=[route.pk]), {"start": day.isoformat(), "end": day.isoformat()}
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert 'class="pt-route-missed"' in body and third.name in body
    assert f'data-patrol="{patrol.pk}"' in body and "漏巡的巡查点" in body


def test_the_start_page_starts_a_patrol_on_a_route_with_its_points_in_order(world, client_for):
    first, second, third = factories.points(world)
    route = factories.route(world, [third, first])
    client = client_for(world.village_officer_a)
    home = client.get(reverse("patrols:home")).content.decode()
    assert 'name="route"' in home and route.name in home
    answer = client.post(reverse("patrols:start"), {"unit": world.village_a.pk, "route": route.pk})
    patrol = Patrol.objects.get()
    assert answer.status_code == 302 and patrol.route == route
    page = client.get(reverse("patrols:patrol_detail", args=[patrol.pk])).content.decode()
    assert page.index(third.name) < page.index(first.name)
    assert second.name not in page and 'id="patrol-route"' in page


def test_a_route_of_another_village_cannot_be_chosen(world, client_for):
    route = factories.route(world, factories.points(world))
    client = client_for(world.village_officer_b)
    client.post(reverse("patrols:start"), {"unit": world.village_b.pk, "route": route.pk})
    assert not Patrol.objects.exists()


# --- API -------------------------------------------------------------------------------------------


def test_the_route_api_keeps_to_the_scope(world, client_for):
    first, second, third = factories.points(world)
    route = factories.route(world, [first, second])
    own = client_for(world.village_officer_a)
    listed = own.get(reverse("patrol-routes-list")).json()["results"]
    assert [r["name"] for r in listed] == [route.name]
    assert [s["point"] for s in listed[0]["stops"]] == [first.pk, second.pk]
    made = own.post(
        reverse("patrol-routes-list"),
        {"unit": world.village_a.pk, "name": "夜间路线", "points": [third.pk, first.pk]},
        content_type="application/json",
    )
    assert made.status_code == 201 and [s["point"] for s in made.json()["stops"]] == [third.pk, first.pk]
    changed = own.patch(
        reverse("patrol-routes-detail", args=[route.pk]), {"points": [second.pk]}, content_type="application/json"
    )
    assert changed.status_code == 200 and [s["point"] for s in changed.json()["stops"]] == [second.pk]
    neighbour = client_for(world.village_officer_b)
    assert neighbour.get(reverse("patrol-routes-list")).json()["results"] == []
    assert neighbour.get(reverse("patrol-routes-detail", args=[route.pk])).status_code == 404
    body = {"unit": world.village_a.pk, "name": "越权", "points": [first.pk]}
    assert neighbour.post(reverse("patrol-routes-list"), body, content_type="application/json").status_code == 404
    department = client_for(world.department_officer)
    assert department.get(reverse("patrol-routes-detail", args=[route.pk])).status_code == 200
    assert (
        department.patch(
            reverse("patrol-routes-detail", args=[route.pk]), {"name": "改名"}, content_type="application/json"
        ).status_code
        == 403
    )
    theirs = factories.points(world, unit=world.village_b, by=world.village_officer_b, names=("平兰村河堤",))
    wrong = client_for(world.village_officer_a).patch(
        reverse("patrol-routes-detail", args=[route.pk]), {"points": [theirs[0].pk]}, content_type="application/json"
    )
    assert wrong.status_code == 404, wrong.content


def test_a_new_route_has_no_windows_before_it_was_made(world):
    from patrols.models import PatrolRoute

    route = factories.route(world, factories.points(world), every_days=1)
    PatrolRoute.objects.filter(pk=route.pk).update(created_at=timezone.now())
    today = timezone.localdate()
    table = selectors.compliance(world.township, today - datetime.timedelta(days=9), today, today)
    (row,) = table.routes
    assert [w.window.start for w in row.windows] == [today]


def test_the_admin_shows_a_route_with_its_stops_and_history(world, client_for):
    first, second, _third = factories.points(world)
    route = factories.route(world, [second, first])
    services.route_save(by=world.village_officer_a, route=route, name="改过的路线", points=[first])
    client = client_for(world.admin)
    change = client.get(reverse("admin:patrols_patrolroute_change", args=[route.pk]))
    assert change.status_code == 200 and first.name in change.content.decode()
    history = client.get(reverse("admin:patrols_patrolroute_history", args=[route.pk]))
    assert history.status_code == 200 and "日常巡查路线" in history.content.decode()  # the name before
    assert client.get(reverse("admin:patrols_patrolrule_add")).status_code == 200


def test_the_compliance_export_has_a_sheet_of_route_windows(world, client_for):
    import io

    from openpyxl import load_workbook

    first, second, _third = factories.points(world)
    route = factories.route(world, [first, second], every_days=1)
    day = _yesterday()
    _on_route(world, route, day, [first])
    answer = client_for(world.township_officer).get(
        reverse("patrols:compliance_export", args=[world.township.pk]), {"start": day, "end": day}
    )
    sheet = load_workbook(io.BytesIO(answer.content), read_only=True)["巡查路线"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1][0] == route.name and rows[1][4] == "漏巡" and rows[1][5] == second.name
