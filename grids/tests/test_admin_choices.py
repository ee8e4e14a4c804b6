"""The admin shows only what the person's scope allows: selects, autocompletes, list filters and
history pages of every app; the API tokens only to a superuser."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token, TokenProxy

from grids.admin.base import ScopedChoicesMixin, ScopedRelatedFieldListFilter
from grids.models import Department, GridUnit, Membership, Role, User
from grids.tests.factories import grant, make_person, make_unit

pytestmark = pytest.mark.django_db

OUR_APPS = {"grids", "hazards", "reports", "dispatch", "authtoken"}


def staff(user: User, *codenames: str) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return User.objects.get(pk=user.pk)


def request_as(user: User):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


@pytest.fixture
def foreign(world):
    """A person whose only role is in the other township, and a second county with a department."""
    person = make_person("other_officer", real_name="逻网格")
    grant(person, world.other_township, Role.GRID_OFFICER)
    county = make_unit(None, "county", "451028", "乐业县")
    Department.objects.create(county=county, name="乐业县水利局", short_name="乐业水利")
    return person


FOREIGN_NAMES = ("逻楼镇", "逻楼村", "逻网格", "乐业县", "乐业水利")


def assert_no_foreign_names(content: str) -> None:
    for name in FOREIGN_NAMES:
        assert name not in content, name


def test_every_admin_and_inline_of_our_apps_takes_its_choices_from_the_scope():
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OUR_APPS:
            continue
        if not isinstance(model_admin, ScopedChoicesMixin):
            missing.append(type(model_admin).__name__)
        for inline in model_admin.inlines:
            if not issubclass(inline, ScopedChoicesMixin):
                missing.append(inline.__name__)
    assert missing == []


@pytest.mark.parametrize(
    "app_model, field",
    [
        ("dispatch.DutyShift", "unit"),
        ("dispatch.DutyShift", "leader"),
        ("dispatch.LocalInstruction", "unit"),
        ("hazards.Hazard", "unit"),
        ("hazards.Hazard", "reporter"),
        ("hazards.Hazard", "supervising_department"),
        ("reports.Countermeasure", "responsible_unit"),
        ("grids.Membership", "user"),
    ],
)
def test_select_choices_of_any_admin_are_scoped(world, foreign, app_model, field):
    from django.apps import apps

    model = apps.get_model(app_model)
    model_admin = admin.site._registry.get(model)
    if model_admin is None:  # an inline's model: ask the inline of its parent's admin
        model_admin = next(
            inline(parent, admin.site)
            for parent, parent_admin in admin.site._registry.items()
            for inline in parent_admin.inlines
            if inline.model is model
        )
    leader = staff(world.township_leader)
    formfield = model_admin.formfield_for_dbfield(model._meta.get_field(field), request_as(leader))
    labels = [str(choice) for choice in formfield.queryset]
    assert labels, "the person's own rows are offered"
    assert not [label for label in labels if any(name in label for name in FOREIGN_NAMES)]
    everything = model_admin.formfield_for_dbfield(model._meta.get_field(field), request_as(world.admin))
    assert any(any(name in str(choice) for name in FOREIGN_NAMES) for choice in everything.queryset)


def test_add_page_selects_hold_no_foreign_unit(world, foreign, client_for):
    leader = staff(world.township_leader, "view_gridunit", "add_gridunit", "change_gridunit")
    response = client_for(leader).get(reverse("admin:grids_gridunit_add"))
    assert response.status_code == 200
    content = response.content.decode()
    assert world.village_a.name in content  # the select is there, with the person's own units
    assert_no_foreign_names(content)


def test_membership_autocomplete_offers_no_foreign_unit_or_person(world, foreign, client_for):
    leader = staff(world.township_leader, "view_gridunit", "view_user", "view_membership", "add_membership")
    client = client_for(leader)
    for field in ("unit", "user"):
        response = client.get(
            reverse("admin:autocomplete"),
            {"app_label": "grids", "model_name": "membership", "field_name": field, "term": ""},
        )
        assert response.status_code == 200
        texts = [item["text"] for item in response.json()["results"]]
        assert texts
        assert not [text for text in texts if any(name in text for name in FOREIGN_NAMES)], texts


def test_list_filter_on_a_department_lists_only_visible_ones(world, foreign):
    leader = staff(world.county_dispatcher, "view_user")
    user_admin = admin.site._registry[User]
    filters = user_admin.get_list_filter(request_as(leader))
    assert ("department", ScopedRelatedFieldListFilter) in filters
    request = request_as(leader)
    changelist = user_admin.get_changelist_instance(request)
    department_filter = next(f for f in changelist.filter_specs if isinstance(f, ScopedRelatedFieldListFilter))
    assert [label for _pk, label in department_filter.lookup_choices] == [world.department.short_name]


# --- history pages ------------------------------------------------------------------------------


def test_history_pages_of_a_unit_show_no_foreign_unit(world, foreign, client_for):
    leader = staff(world.township_leader, "view_gridunit", "change_gridunit")
    client = client_for(leader)
    village = world.village_a
    listing = client.get(reverse("admin:grids_gridunit_history", args=[village.pk]))
    assert listing.status_code == 200
    assert_no_foreign_names(listing.content.decode())
    record = GridUnit.history.filter(id=village.pk).latest("history_date")
    page = client.get(reverse("admin:grids_gridunit_simple_history", args=[village.pk, record.history_id]))
    assert page.status_code == 200
    content = page.content.decode()
    assert village.name in content
    assert "<select" not in content  # a past version is read, as text
    assert_no_foreign_names(content)


def test_history_form_of_a_membership_and_a_person_is_read_only(world, foreign, client_for):
    leader = staff(world.township_leader, "view_membership", "change_membership", "view_user", "change_user")
    client = client_for(leader)
    membership = Membership.objects.get(user=world.village_officer_b)
    record = Membership.history.filter(id=membership.pk).latest("history_date")
    page = client.get(reverse("admin:grids_membership_simple_history", args=[membership.pk, record.history_id]))
    assert page.status_code == 200 and "<select" not in page.content.decode()
    person = world.village_officer_b
    record = User.history.filter(id=person.pk).latest("history_date")
    page = client.get(reverse("admin:grids_user_simple_history", args=[person.pk, record.history_id]))
    content = page.content.decode()
    assert page.status_code == 200 and "<select" not in content
    assert person.password not in content  # the hash is never shown
    assert_no_foreign_names(content)


def test_history_of_a_foreign_object_is_404(world, foreign, client_for):
    leader = staff(world.township_leader, "view_membership", "view_gridunit")
    client = client_for(leader)
    membership = Membership.objects.get(user=foreign)
    record = Membership.history.filter(id=membership.pk).latest("history_date")
    assert client.get(reverse("admin:grids_membership_history", args=[membership.pk])).status_code == 404
    url = reverse("admin:grids_membership_simple_history", args=[membership.pk, record.history_id])
    assert client.get(url).status_code == 404


# --- API tokens -----------------------------------------------------------------------------------


def test_token_admin_is_for_superusers_only(world, client_for):
    Token.objects.create(user=world.township_officer)
    manager = staff(
        world.county_dispatcher, "view_tokenproxy", "change_tokenproxy", "add_tokenproxy", "delete_tokenproxy"
    )
    client = client_for(manager)
    changelist = reverse("admin:authtoken_tokenproxy_changelist")
    assert client.get(changelist).status_code == 403
    assert client.get(reverse("admin:authtoken_tokenproxy_add")).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert changelist not in index
    assert client_for(world.admin).get(changelist).status_code == 200
    assert isinstance(admin.site._registry[TokenProxy], ScopedChoicesMixin)


def test_history_list_of_a_person_never_shows_a_password_hash(world, client_for):
    person = world.village_officer_b
    person.set_password("new-secret-1")
    person.save()
    leader = staff(world.township_leader, "view_user", "change_user")
    content = client_for(leader).get(reverse("admin:grids_user_history", args=[person.pk])).content.decode()
    assert person.password not in content
    assert person.password.split("$")[-1] not in content
