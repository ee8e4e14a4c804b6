"""At 360 px: a village officer makes a route of the village's points in an order of their own,
starts a patrol on it, checks in at every point in the route's order, and the township's
compliance table shows the route's window patrolled."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from hazards.tests.browser.test_hazard_loop import fits_the_phone, log_in_as
from patrols.models import Patrol, PatrolRoute, PatrolRule
from patrols.tests import factories
from patrols.tests.browser.test_patrol_flow import seeded_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_officer_patrols_a_route_and_the_township_sees_it_patrolled(page, context, live_server, screenshot):
    world = seeded_world()
    first, second, third = factories.points(world)
    context.grant_permissions(["geolocation"], origin=live_server.url)
    context.clock.install(time=timezone.now())
    context.set_geolocation({"longitude": third.lng, "latitude": third.lat})

    log_in_as(page, live_server, world, world.village_officer_a)
    page.goto(f"{live_server.url}{reverse('patrols:points', args=[world.village_a.pk])}")
    expect(page.locator("#points li")).to_have_count(3)
    page.click("#points-routes")
    page.click("#route-new")
    page.fill("#id_name", "村小学到后山")
    page.fill(f"#id_order_{third.pk}", "1")
    page.fill(f"#id_order_{second.pk}", "2")
    page.fill(f"#id_order_{first.pk}", "3")
    screenshot("route-1-form")
    fits_the_phone(page)
    page.click("#route-form button[type=submit]")
    expect(page.locator("#route-points li")).to_have_count(3)
    route = PatrolRoute.objects.get()
    assert page.locator("#route-points li").all_inner_texts() == [third.name, second.name, first.name]
    PatrolRule.objects.create(unit_kind=world.village_a.kind, route=route, interval_days=1)  # the county's rule
    screenshot("route-2-detail")
    fits_the_phone(page)

    page.goto(f"{live_server.url}{reverse('patrols:home')}")
    page.select_option("#id_route", str(route.pk))
    screenshot("route-3-start")
    fits_the_phone(page)
    page.click("#patrol-start button[type=submit]")
    expect(page.locator("#patrol-route")).to_contain_text(route.name)
    names = page.locator("#patrol-points li.pt-point .pt-name")
    expect(names).to_have_count(3)
    assert names.all_inner_texts() == [third.name, second.name, first.name]
    patrol = Patrol.objects.get()
    assert patrol.route == route
    for point in (third, second, first):
        context.set_geolocation({"longitude": point.lng, "latitude": point.lat})
        page.reload()
        expect(page.locator("#pt-location")).to_contain_text(f"{point.lng:.5f}")
        page.locator(f"li[data-point='{point.pk}'] button[value=normal]").click()
        expect(page.locator(f"li[data-point='{point.pk}'].done")).to_be_visible()
    screenshot("route-4-checked-in")
    fits_the_phone(page)
    page.click("#patrol-finish button[type=submit]")
    expect(page.locator("#patrol-state")).to_have_text("已完成")

    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('patrols:compliance', args=[world.township.pk])}")
    today = timezone.localdate().isoformat()
    window = page.locator(f"#compliance-routes tr[data-route='{route.pk}'][data-start='{today}']")
    expect(window).to_have_class("pt-route-done")
    expect(window.locator(".pt-route-state")).to_have_text("已巡查")
    screenshot("route-5-compliance")
    fits_the_phone(page)
