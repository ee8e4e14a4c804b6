"""The warning form (issue 17, items 1 and 3): the target area as a tree of townships and their
villages, and 生效/失效时间 filled in for a new warning."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from django.utils import timezone


def test_new_warning_starts_valid_from_now_for_the_default_hours(world, client_for, settings):
    settings.WARNING_DEFAULT_VALID_HOURS = 12
    page = client_for(world.county_dispatcher).get(reverse("dispatch:warning_new")).content.decode()
    start = timezone.localtime().replace(second=0, microsecond=0)
    assert f'value="{start:%Y-%m-%dT%H:%M}"' in page
    assert f'value="{start + datetime.timedelta(hours=12):%Y-%m-%dT%H:%M}"' in page


def test_the_area_is_a_tree_of_townships_and_their_villages(world, client_for):
    page = client_for(world.county_dispatcher).get(reverse("dispatch:warning_new")).content.decode()
    tree = page[page.index("data-unit-tree") : page.index("</fieldset>")]
    values = [int(v) for v in re.findall(r'name="areas" value="(\d+)"', tree)]
    assert values[0] == world.county.pk
    # each township is followed by its own villages, nested in its branch
    assert values.index(world.village_a.pk) > values.index(world.township.pk)
    assert values.index(world.village_c.pk) > values.index(world.other_township.pk)
    assert set(values) >= {world.township.pk, world.village_a.pk, world.village_b.pk, world.village_c.pk}
    township = tree[tree.index(f'value="{world.township.pk}"') :]
    assert township.index(world.village_a.name) < township.index("</details>")
    assert "data-selects-all-under" in tree


def test_a_village_ticked_in_the_tree_is_a_target(world, client_for):
    from dispatch.models import Warning, WarningType

    start = timezone.localtime() + datetime.timedelta(minutes=1)
    kind = WarningType.objects.filter(is_active=True).order_by("order").first()
    response = client_for(world.county_dispatcher).post(
        reverse("dispatch:warning_new"),
        {
            "issuer_unit": world.county.pk,
            "type": kind.pk,
            "level": kind.levels[-1],
            "title": "",
            "content": "强降雨",
            "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
            "valid_to": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
            "areas": [world.village_c.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(Warning.objects.get().areas.all()) == [world.village_c]
