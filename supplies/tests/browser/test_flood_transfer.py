"""Done when: during a flood warning a township asks for sandbags and life jackets; the county
approves and dispatches from its depot (first expiry first, the expired lot skipped); the township
signs for them; both depots' ledgers and the readiness table show it; an issue to an incident
appears on the incident."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from dispatch.models import IncidentType, WarningType
from dispatch.services import incidents, warnings
from hazards.tests.browser.test_hazard_loop import log_in_as
from supplies.models import Lot, Movement, ReserveNorm, Transfer
from supplies.tests.browser.test_supply_screens import seeded_world
from supplies.tests.factories import depot, item, lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _flood_warning(world):
    now = timezone.now()
    return warnings.warning_issue(
        warning=warnings.warning_draft(
            by=world.county_dispatcher, type=WarningType.objects.get(code="flood"), level=3,
            title="凌云县洪水黄色预警", content="泗城河水位上涨，沿河村屯做好转移准备。",
            valid_from=now, valid_to=now + datetime.timedelta(hours=12), areas=[world.township],
        ),
        by=world.county_dispatcher,
    )  # fmt: skip


def test_a_township_asks_the_county_signs_and_issues_to_an_incident(page, live_server, screenshot):
    world = seeded_world()
    county = depot(world.county, name="凌云县应急物资储备库", kind="depot", lat=24.35, lng=106.56)
    town = depot(world.township, name="泗城镇应急物资储备点", lat=24.30, lng=106.45)
    by = world.county_dispatcher
    expired = lot(county, "救生衣", 100, by=by, expires_in=-5)
    soon = lot(county, "救生衣", 60, by=by, expires_in=40)
    late = lot(county, "救生衣", 200, by=by, expires_in=400)
    bags = lot(county, "编织袋", 5000, by=by, expires_in=None)
    ReserveNorm.objects.filter(tier=2, item=item("编织袋")).update(quantity=1000, per_thousand=0)
    _flood_warning(world)
    incident, _created = incidents.incident_first_report(
        by=world.township_leader, unit=world.township, type=IncidentType.objects.get(code="traffic"),
        title="泗城河堤管涌险情", occurred_at=timezone.now(), place="泗城河左岸", description="堤脚管涌",
        reporter_phone=world.township_leader.mobile, level=4,
    )  # fmt: skip

    # The township asks the county.
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(f"{live_server.url}{reverse('supplies:transfer_create')}")
    page.get_by_label("向哪个单位申请").select_option(label="凌云县")
    page.get_by_label("紧急程度").select_option(value="emergency")
    page.locator("select[name=item_0]").select_option(label="编织袋（条）")
    page.locator("input[name=quantity_0]").fill("1000")
    page.locator("select[name=item_1]").select_option(label="救生衣（件）")
    page.locator("input[name=quantity_1]").fill("80")
    page.locator("textarea[name=reason], input[name=reason]").first.fill("洪水黄色预警：加固泗城河堤、转移群众")
    page.get_by_role("main").get_by_role("button", name="发送").click()
    expect(page.locator("h1")).to_contain_text("调")
    transfer = Transfer.objects.get()
    assert transfer.state == "requested" and transfer.urgency == "emergency"
    detail = f"{live_server.url}{reverse('supplies:transfer_detail', args=[transfer.pk])}"

    # The county approves from its depot and dispatches.
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(detail)
    page.get_by_label("调出储备库（点）").select_option(label=county.name)
    page.locator(f"form[action$='/transfers/{transfer.pk}/approve/'] button").click()
    expect(page.locator("h1 .badge")).to_have_text("已批准")
    page.locator(f"form[action$='/transfers/{transfer.pk}/dispatch/'] button").click()
    expect(page.locator("h1 .badge")).to_have_text("在途")
    left = {name: Lot.objects.get(pk=lot_.pk).quantity for name, lot_ in
            (("expired", expired), ("soon", soon), ("late", late), ("bags", bags))}  # fmt: skip
    assert left == {"expired": 100, "soon": 0, "late": 180, "bags": 4000}  # FEFO, the expired lot skipped
    screenshot("supplies-transfer-dispatched")

    # The township signs for it.
    log_in_as(page, live_server, world, world.township_officer)
    page.goto(detail)
    page.get_by_label("入库至").select_option(label=town.name)
    expect(page.get_by_role("alert", name="待签收的预警")).to_contain_text("洪水")  # the warning is in force
    page.get_by_role("main").get_by_role("button", name="签收").click()
    expect(page.locator("h1 .badge")).to_have_text("已签收")

    # Both ledgers show it.
    page.goto(f"{live_server.url}{reverse('supplies:depot_detail', args=[town.pk])}")
    expect(page.locator(".sp-ledger")).to_contain_text("+1000")
    expect(page.locator(".sp-ledger")).to_contain_text("+60")  # a new lot per lot sent, keeping its expiry date
    expect(page.locator(".sp-ledger")).to_contain_text("+20")
    screenshot("supplies-township-ledger")
    log_in_as(page, live_server, world, world.county_dispatcher)
    page.goto(f"{live_server.url}{reverse('supplies:depot_detail', args=[county.pk])}")
    expect(page.locator(".sp-ledger")).to_contain_text("-1000")
    expect(page.locator(".sp-ledger")).to_contain_text("-60")
    expect(page.locator(".sp-ledger")).to_contain_text("-20")
    page.goto(f"{live_server.url}{reverse('supplies:readiness')}")
    row = page.locator(".sp-readiness tr", has_text="泗城镇")
    expect(row).to_contain_text("1000 / 1000")
    screenshot("supplies-readiness-after-transfer")

    # The township issues life jackets to the incident; the incident shows them.
    log_in_as(page, live_server, world, world.township_officer)
    jackets = Lot.objects.filter(depot=town, item=item("救生衣")).order_by("expiry_date").first()
    page.goto(f"{live_server.url}{reverse('supplies:issue', args=[jackets.pk])}")
    page.get_by_label("数量").fill("20")
    page.locator("select[name=incident]").select_option(value=str(incident.pk))
    page.get_by_role("main").get_by_role("button", name="出库").click()
    expect(page.locator(".sp-ledger")).to_contain_text("-20")
    page.goto(f"{live_server.url}{reverse('dispatch:incident_detail', args=[incident.pk])}")
    expect(page.locator("body")).to_contain_text("救生衣")
    expect(page.locator("body")).to_contain_text("20")
    screenshot("supplies-incident-issue")
    assert Movement.objects.get(kind="out").incident == incident
