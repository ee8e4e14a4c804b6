"""The hazard admin: the register scoped and read-only (state only through the services), the rule
tables editable — and an edit there changes how hazards are graded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from grids.models import Sector, User
from hazards.models import Hazard, HazardCategory, RiskBand, RiskFactorOption, RiskLevel, State
from hazards.tests.factories import category, confirmed, photo, report

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:hazards_hazard_changelist"


def staff(user: User, *codenames: str) -> User:
    """Make ``user`` staff with the given Django permissions of the hazards app."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="hazards", codename__in=codenames))
    return User.objects.get(pk=user.pk)  # no cached permissions


@pytest.fixture
def leader(world):
    return staff(world.township_leader, "view_hazard", "change_hazard", "delete_hazard")


@pytest.fixture
def spread(world):
    return {
        "a": confirmed(world, title="陇雅村山体裂缝", photos=[photo()]),
        "b": report(world, by=world.village_officer_b, unit=world.village_b, title="平兰村危房"),
        "c": report(world, by=world.county_dispatcher, unit=world.village_c, title="逻楼村河堤"),
    }


def change_url(hazard: Hazard) -> str:
    return reverse("admin:hazards_hazard_change", args=[hazard.pk])


# --- the register ---------------------------------------------------------------------------------


def test_township_leader_changelist_shows_only_their_township(
    world, spread, leader, client_for, django_assert_max_num_queries
):
    client = client_for(leader)
    client.get(reverse(CHANGELIST))  # warm caches
    with django_assert_max_num_queries(15):
        response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {spread["a"], spread["b"]}
    content = response.content.decode()
    assert spread["a"].number in content and spread["b"].number in content
    assert spread["c"].number not in content


def test_changelist_queries_do_not_grow_with_hazards(world, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.admin)
    for n in range(3):
        report(world, title=f"隐患{n}")
    client.get(reverse(CHANGELIST))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(CHANGELIST))
    for n in range(3, 15):
        report(world, title=f"隐患{n}", unit=(world.village_a, world.village_b)[n % 2], by=world.township_officer)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse(CHANGELIST))
    assert len(response.context["cl"].result_list) == 15
    assert len(many) == len(few)


def test_township_leader_cannot_open_another_townships_hazard(world, spread, leader, client_for):
    client = client_for(leader)
    response = client.get(change_url(spread["c"]))
    assert response.status_code == 302  # "does not exist" back to the index
    assert client.get(reverse("admin:hazards_hazard_history", args=[spread["c"].pk])).status_code == 404
    assert client.get(change_url(spread["a"])).status_code == 200


def test_staff_without_superuser_sees_the_record_read_only_with_its_timeline(world, spread, leader, client_for):
    client = client_for(leader)
    response = client.get(change_url(spread["a"]))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert "title" not in response.context["adminform"].form.fields
    inlines = {formset.opts.model._meta.model_name: formset for formset in response.context["inline_admin_formsets"]}
    assert set(inlines) == {"hazardevent", "hazardphoto", "hazardcopy"}
    assert len(inlines["hazardevent"].formset.forms) == 2  # reported, confirmed
    assert not inlines["hazardevent"].has_change_permission
    content = response.content.decode()
    picture = spread["a"].photos.get()
    assert reverse("hazards:photo", args=[picture.pk]) in content
    assert picture.raw.name and picture.raw.name not in content  # never the file's own MEDIA_URL
    before = Hazard.objects.values_list("title", "state").get(pk=spread["a"].pk)
    client.post(change_url(spread["a"]), {"title": "改名", "state": State.CLOSED})
    assert Hazard.objects.values_list("title", "state").get(pk=spread["a"].pk) == before


def test_no_one_adds_a_hazard_in_the_admin_and_only_a_superuser_deletes(world, spread, leader, client_for):
    assert client_for(leader).get(reverse("admin:hazards_hazard_add")).status_code == 403
    assert client_for(leader).get(reverse("admin:hazards_hazard_delete", args=[spread["a"].pk])).status_code == 403
    assert Hazard.objects.filter(pk=spread["a"].pk).exists()
    admin = client_for(world.admin)
    assert admin.get(reverse("admin:hazards_hazard_add")).status_code == 403
    assert admin.get(reverse("admin:hazards_hazard_delete", args=[spread["a"].pk])).status_code == 200


def test_superuser_form_has_state_owner_and_number_read_only(world, spread, client_for):
    client = client_for(world.admin)
    response = client.get(change_url(spread["a"]))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    for name in ("state", "owner_unit", "number", "grade", "risk_level", "supervised"):
        assert name not in form_fields
    assert "title" in form_fields


def test_superuser_corrects_a_title_but_cannot_move_the_state(world, spread, client_for):
    hazard = spread["a"]
    client = client_for(world.admin)
    form = client.get(change_url(hazard)).context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    found_at = timezone.localtime(hazard.found_at)
    data.update({"found_at_0": found_at.date().isoformat(), "found_at_1": found_at.strftime("%H:%M:%S")})
    data.update({"title": "陇雅村后山裂缝", "state": State.CLOSED, "owner_unit": world.county.pk, "number": "X-1"})
    for prefix in ("events", "photos", "copies"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(change_url(hazard), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    hazard.refresh_from_db()
    assert hazard.title == "陇雅村后山裂缝"
    assert (hazard.state, hazard.owner_unit, hazard.number) == (State.CONFIRMED, world.township, spread["a"].number)
    record = hazard.history.latest("history_date")
    assert record.history_user == world.admin and record.title == "陇雅村后山裂缝"


# --- rule tables ----------------------------------------------------------------------------------


def grade(user, **inputs):
    client = APIClient()
    client.force_login(user)
    response = client.post("/api/v1/risk-grade/", {"method": "lec", "inputs": inputs}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["level"]


def test_changing_the_red_band_in_the_admin_changes_grading(world, client_for):
    d_360 = {"lec_l": "3", "lec_e": "3", "lec_c": "40"}  # D = 360
    assert grade(world.village_officer_a, **d_360) == RiskLevel.RED
    editor = staff(world.county_dispatcher, "view_riskband", "change_riskband")
    red = RiskBand.objects.get(method="lec", level=RiskLevel.RED)
    response = client_for(editor).post(
        reverse("admin:hazards_riskband_change", args=[red.pk]), {"min_score": "400", "_save": "Save"}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    red.refresh_from_db()
    assert red.min_score == Decimal("400")
    assert grade(world.village_officer_a, **d_360) == RiskLevel.ORANGE


@pytest.mark.parametrize(("level", "score"), [(RiskLevel.RED, "100"), (RiskLevel.YELLOW, "200"), (RiskLevel.BLUE, "5")])
def test_bands_out_of_order_are_refused(world, client_for, level, score):
    band = RiskBand.objects.get(method="lec", level=level)
    before = band.min_score
    response = client_for(world.admin).post(
        reverse("admin:hazards_riskband_change", args=[band.pk]), {"min_score": score, "_save": "Save"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["min_score"]
    band.refresh_from_db()
    assert band.min_score == before


def test_category_sector_is_edited_in_the_admin(world, client_for):
    editor = staff(world.county_dispatcher, "view_hazardcategory", "change_hazardcategory")
    geological = category("geological")
    water = Sector.objects.get(code="water")
    response = client_for(editor).post(
        reverse("admin:hazards_hazardcategory_change", args=[geological.pk]),
        {"name": geological.name, "sector": water.pk, "icon": "", "order": "3", "is_active": "on", "_save": "Save"},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert HazardCategory.objects.get(pk=geological.pk).sector == water


def test_factor_values_are_listed_by_factor(world, client_for):
    response = client_for(world.admin).get(reverse("admin:hazards_riskfactoroption_changelist"), {"factor": "lec_l"})
    assert response.status_code == 200
    values = [option.value for option in response.context["cl"].result_list]
    assert values == sorted(values, reverse=True) and len(values) == 7


def test_rule_rows_are_deleted_only_by_a_superuser(world, client_for):
    editor = staff(world.county_dispatcher, "view_riskband", "change_riskband", "delete_riskband")
    band = RiskBand.objects.get(method="lec", level=RiskLevel.RED)
    assert client_for(editor).get(reverse("admin:hazards_riskband_delete", args=[band.pk])).status_code == 403


@pytest.mark.parametrize("model", [HazardCategory, RiskFactorOption, RiskBand])
def test_rule_tables_keep_their_history(db, model):
    """Every rule row starts with its seeded values in the history, and each change adds one."""
    row = model.objects.order_by("pk").first()
    before = row.history.count()
    assert before >= 1
    row.save()
    assert row.history.count() == before + 1
