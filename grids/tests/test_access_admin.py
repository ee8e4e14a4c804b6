"""The people admin follows ``GridScope.may_manage_person``: a township manager changes the
profile and password only of people all of whose roles lie in their township — never oneself,
never a superuser, never someone who also holds a role in another township."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone, translation

from grids.models import Role, User
from grids.tests.factories import grant


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def staff(user: User) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    codenames = ["view_user", "change_user", "view_membership", "view_gridunit"]
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="grids", codename__in=codenames))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def leader(world):
    return staff(world.township_leader)


@pytest.fixture
def straddler(world):
    """Village officer B, who also holds a role in the other township."""
    grant(world.village_officer_b, world.village_c, Role.GRID_OFFICER)
    return world.village_officer_b


def change_url(person):
    return reverse("admin:grids_user_change", args=[person.pk])


def password_url(person):
    return reverse("admin:auth_user_password_change", args=[person.pk])


def form_data(client, person, **changes) -> dict:
    """The change form as a superuser's browser would post it (every field, inlines included)."""
    response = client.get(change_url(person))
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if name in ("last_login", "date_joined"):
            local = timezone.localtime(value) if value else None
            data[f"{name}_0"] = local.strftime("%Y-%m-%d") if local else ""
            data[f"{name}_1"] = local.strftime("%H:%M:%S") if local else ""
        elif name == "password":
            continue
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, list):
            data[name] = [getattr(v, "pk", v) for v in value]
        else:
            data[name] = getattr(value, "pk", value)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data[f"{formset.prefix}-TOTAL_FORMS"] = len(formset.forms)
        data[f"{formset.prefix}-INITIAL_FORMS"] = len(formset.forms)
        data[f"{formset.prefix}-MIN_NUM_FORMS"] = 0
        data[f"{formset.prefix}-MAX_NUM_FORMS"] = 1000
        for i, sub in enumerate(formset.forms):
            data[f"{formset.prefix}-{i}-id"] = sub.instance.pk
            data[f"{formset.prefix}-{i}-user"] = person.pk
    data.update(changes)
    return data


def test_township_manager_changes_a_person_of_their_own_township(world, leader, client_for):
    person = world.village_officer_a
    data = form_data(client_for(world.admin), person, real_name="陆新名")
    client = client_for(leader)
    assert client.get(change_url(person)).status_code == 200
    response = client.post(change_url(person), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    person.refresh_from_db()
    assert person.real_name == "陆新名"
    assert client.get(password_url(person)).status_code == 200


def test_township_manager_cannot_take_over_a_person_with_a_role_in_another_township(
    world, leader, straddler, client_for
):
    data = form_data(client_for(world.admin), straddler, real_name="被改名", mobile="13907769999")
    client = client_for(leader)
    page = client.get(change_url(straddler))
    assert page.status_code == 200  # they are seen (a role in the township), read-only
    assert 'name="real_name"' not in page.content.decode()
    assert client.post(change_url(straddler), data).status_code == 403
    assert client.get(password_url(straddler)).status_code == 403
    response = client.post(password_url(straddler), {"password1": "Xx-very-secret-9", "password2": "Xx-very-secret-9"})
    assert response.status_code == 403
    straddler.refresh_from_db()
    assert straddler.real_name == "农信息" and not straddler.check_password("Xx-very-secret-9")


def test_township_manager_cannot_change_themselves_or_a_superuser_here(world, leader, client_for):
    client = client_for(leader)
    assert client.get(password_url(leader)).status_code == 403
    data = form_data(client_for(world.admin), leader, real_name="自封")
    assert client_for(leader).post(change_url(leader), data).status_code == 403
    leader.refresh_from_db()
    assert leader.real_name == "罗镇长"
    assert client_for(leader).get(password_url(world.admin)).status_code == 404  # not even seen


def test_people_of_other_units_are_not_found(world, leader, client_for):
    client = client_for(leader)
    other = User.objects.create_user("other_township_person", real_name="外镇人")
    grant(other, world.other_township, Role.GRID_OFFICER)
    assert client.get(change_url(other)).status_code in (302, 404)
    assert client.get(password_url(other)).status_code == 404


def test_township_manager_cannot_give_a_department(world, leader, client_for):
    person = world.village_officer_a
    data = form_data(client_for(world.admin), person, department=world.department.pk)
    page = client_for(leader).get(change_url(person)).content.decode()
    assert 'name="department"' not in page
    client_for(leader).post(change_url(person), data)
    person.refresh_from_db()
    assert person.department is None


def test_department_filter_lists_only_departments_of_listed_people(world, leader, client_for):
    from grids.models import Department

    Department.objects.create(county=world.county, name="凌云县秘密局")
    content = client_for(leader).get(reverse("admin:grids_user_changelist")).content.decode()
    assert "凌云县秘密局" not in content


def test_the_changelist_filters_the_people_one_may_change(world, leader, straddler, client_for):
    response = client_for(leader).get(reverse("admin:grids_user_changelist"), {"manageable": "yes"})
    assert set(response.context["cl"].result_list) == {world.township_officer, world.village_officer_a}
    response = client_for(leader).get(reverse("admin:grids_user_changelist"), {"manageable": "no"})
    assert set(response.context["cl"].result_list) == {leader, straddler}
