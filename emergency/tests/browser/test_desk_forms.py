"""The office desk in Chromium (issue 17, item 1): on every form with checkboxes or radios, each box
and its label share a row, at a phone (360 px) and a desk (1366 × 900); the warning form's area
is a tree where ticking a township ticks (and disables) the villages under it. Screenshots:
test-artifacts/desk-form-*.png."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from grids.tests.factories import build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Each visible box: its label's first text and the box overlap vertically, the text right of the box.
MISALIGNED = """() => {
  const bad = [];
  for (const box of document.querySelectorAll("input[type=checkbox], input[type=radio]")) {
    const r = box.getBoundingClientRect();
    if (r.width < 4 || r.height < 4 || getComputedStyle(box).visibility === "hidden") continue;
    const label = box.closest("label") || (box.id && document.querySelector(`label[for="${box.id}"]`));
    if (!label) { bad.push(`${box.name}: no label`); continue; }
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT,
      {acceptNode: n => n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
    const text = walker.nextNode();
    if (!text) continue;
    const range = document.createRange(); range.selectNodeContents(text);
    const t = range.getClientRects()[0];
    if (!t) continue;
    const middle = r.top + r.height / 2;
    if (middle < t.top || middle > t.bottom || t.left < r.left) bad.push(`${box.name}=${box.value}: ${text.textContent.trim()}`);
  }
  return bad;
}"""


def login(page, live_server, user, password):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    page.click("form[method=post] button[type=submit]")
    page.wait_for_load_state()


def test_every_box_shares_a_row_with_its_label(page, live_server, screenshot):
    world = build_world()
    login(page, live_server, world.county_dispatcher, world.password(world.county_dispatcher))
    forms = {
        "warning": reverse("dispatch:warning_new"),
        "import": reverse("grids:import_upload"),
        "hazard-report": reverse("hazards:report"),
        "incident-report": reverse("dispatch:incident_report"),
        "plans": reverse("plans:list"),
    }
    for width, height in ((360, 740), (1366, 900)):
        page.set_viewport_size({"width": width, "height": height})
        for name, path in forms.items():
            page.goto(f"{live_server.url}{path}")
            for details in page.locator("details:not([open])").all():  # open every branch of the trees
                if details.locator("input[type=checkbox]").count():
                    details.evaluate("d => d.open = true")
            assert page.evaluate(MISALIGNED) == [], name
            screenshot(f"desk-form-{name}-{width}")

    page.goto(f"{live_server.url}{forms['warning']}")
    township = page.locator(f"input[name=areas][value='{world.township.pk}']")
    village = page.locator(f"input[name=areas][value='{world.village_a.pk}']")
    township.check()
    expect(village).to_be_checked()
    expect(village).to_be_disabled()
    township.uncheck()
    expect(village).not_to_be_checked()
    expect(village).to_be_enabled()
