"""Password reset by the person's grid leader (or the administrator): who may, the one-time
password shown once, and the forced change at the next login."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from grids.models import Role, User
from grids.tests.factories import grant, make_person

LOGIN = "/accounts/login/"


def reset_url(user):
    return reverse("grids:person_password_reset", args=[user.pk])


def person_url(user):
    return reverse("grids:person_detail", args=[user.pk])


def one_time_password(response) -> str:
    html = response.content.decode()
    start = html.index('id="one-time-password">') + len('id="one-time-password">')
    return html[start : html.index("</code>", start)]


def reset(client, person) -> str:
    response = client.post(reset_url(person))
    assert response.status_code == 200, response.status_code
    return one_time_password(response)


def login(client, username, password):
    client.logout()
    return client.post(LOGIN, {"username": username, "password": password})


@pytest.fixture
def neighbour(world):
    """A grid officer of village A beside village officer A."""
    person = make_person("neighbour", real_name="韦邻居")
    grant(person, world.village_a, Role.GRID_OFFICER)
    return person


# --- who may reset -----------------------------------------------------------------------------


def test_township_leader_resets_a_village_officer_and_sees_the_password_once(client_for, world):
    person = world.village_officer_a
    client = client_for(world.township_leader)
    page = client.get(person_url(person)).content.decode()
    assert reset_url(person) in page
    confirm = client.get(reset_url(person))
    assert confirm.status_code == 200 and "一次性密码" in confirm.content.decode()
    response = client.post(reset_url(person))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    password = one_time_password(response)
    assert len(password) >= 12
    assert password not in response.get("Location", "") and password not in reset_url(person)
    person.refresh_from_db()
    assert person.must_change_password
    assert person.check_password(password) and not person.check_password(world.password(person))
    assert password not in person.password  # only the hash is stored
    assert "password" not in {f.name for f in person.history.model._meta.fields}  # history keeps no hash
    assert client.get(person_url(person)).content.decode().count(password) == 0  # shown once


def test_getting_the_confirmation_page_changes_nothing(client_for, world):
    person = world.village_officer_a
    client_for(world.township_leader).get(reset_url(person))
    person.refresh_from_db()
    assert person.check_password(world.password(person)) and not person.must_change_password


def test_each_reset_gives_a_different_password(client_for, world):
    client = client_for(world.township_leader)
    assert reset(client, world.village_officer_a) != reset(client, world.village_officer_a)


def test_reset_is_written_in_the_persons_history(client_for, world):
    person = world.village_officer_a
    reset(client_for(world.township_leader), person)
    entry = person.history.first()
    assert entry.history_user == world.township_leader
    assert "password reset" in entry.history_change_reason
    assert entry.must_change_password


def test_reset_revokes_tokens_and_ends_sessions(client, world):
    from django.test import Client

    person = world.village_officer_a
    Token.objects.create(user=person)
    theirs = Client()
    assert login(theirs, person.username, world.password(person)).status_code == 302
    client.force_login(world.township_leader)
    reset(client, person)
    assert not Token.objects.filter(user=person).exists()
    assert theirs.get(reverse("grids:home")).status_code == 302  # logged out


def test_county_dispatcher_resets_a_township_leader_and_department_staff(client_for, world):
    client = client_for(world.county_dispatcher)
    reset(client, world.township_leader)
    reset(client, world.department_officer)


def test_village_officer_cannot_reset_a_neighbour(client_for, world, neighbour):
    client = client_for(world.village_officer_a)
    assert client.get(person_url(neighbour)).status_code == 200
    assert reset_url(neighbour) not in client.get(person_url(neighbour)).content.decode()
    assert client.get(reset_url(neighbour)).status_code == 403
    response = client.post(reset_url(neighbour))
    assert response.status_code == 403
    assert "网格长" in response.content.decode()
    neighbour.refresh_from_db()
    assert not neighbour.must_change_password


def test_township_officer_without_a_leading_role_cannot_reset(client_for, world):
    assert client_for(world.township_officer).post(reset_url(world.village_officer_a)).status_code == 403


def test_township_leader_cannot_reset_someone_who_also_holds_a_role_in_another_township(client_for, world):
    person = world.village_officer_a
    grant(person, world.village_c, Role.GRID_OFFICER)
    assert client_for(world.township_leader).post(reset_url(person)).status_code == 403
    person.refresh_from_db()
    assert person.check_password(world.password(person))


def test_a_revoked_role_elsewhere_does_not_stand_in_the_way(client_for, world):
    person = world.village_officer_a
    membership = grant(person, world.village_c, Role.GRID_OFFICER)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    reset(client_for(world.township_leader), person)


def test_township_leader_cannot_reset_a_fellow_leader_of_the_township(client_for, world):
    deputy = make_person("deputy")
    grant(deputy, world.township, Role.DEPUTY_LEADER)
    assert client_for(world.township_leader).post(reset_url(deputy)).status_code == 403
    reset(client_for(world.county_dispatcher), deputy)


def test_township_leader_may_reset_the_township_grid_officer(client_for, world):
    reset(client_for(world.township_leader), world.township_officer)


def test_nobody_resets_themselves_here(client_for, world):
    assert client_for(world.township_leader).post(reset_url(world.township_leader)).status_code == 403


def test_nobody_resets_a_superuser_on_the_site(client_for, world):
    grant(world.admin, world.village_a, Role.GRID_OFFICER)
    assert client_for(world.township_leader).post(reset_url(world.admin)).status_code == 403
    other_admin = User.objects.create_superuser("admin2", password="pw-admin2")
    assert client_for(world.admin).post(reset_url(other_admin)).status_code == 403


def test_administrator_resets_anyone_else_on_the_site(client_for, world):
    reset(client_for(world.admin), world.village_officer_a)


@pytest.mark.parametrize("who", ["outsider", "village_officer_b"])
def test_people_who_do_not_see_the_person_get_404(client_for, world, who):
    client = client_for(getattr(world, who))
    assert client.get(person_url(world.village_officer_a)).status_code == 404
    assert client.get(reset_url(world.village_officer_a)).status_code == 404
    assert client.post(reset_url(world.village_officer_a)).status_code == 404


def test_township_leader_gets_404_for_another_townships_people(client_for, world):
    person = make_person("village_c_officer")
    grant(person, world.village_c, Role.GRID_OFFICER)
    assert client_for(world.township_leader).post(reset_url(person)).status_code == 404


def test_person_page_and_reset_refuse_other_methods(client_for, world):
    client = client_for(world.township_leader)
    assert client.post(person_url(world.village_officer_a)).status_code == 405
    assert client.put(reset_url(world.village_officer_a)).status_code == 405


def test_person_page_lists_only_roles_in_the_viewers_scope(client_for, world):
    person = world.village_officer_a
    grant(person, world.village_c, Role.GRID_OFFICER)
    html = client_for(world.village_officer_a).get(person_url(person)).content.decode()
    assert world.village_a.name in html and world.village_c.name in html  # their own roles
    html = client_for(world.village_officer_b).get(person_url(world.village_officer_b)).content.decode()
    assert world.village_a.name not in html


def test_unit_page_links_its_people(client_for, world):
    html = (
        client_for(world.township_leader).get(reverse("grids:unit_detail", args=[world.village_a.pk])).content.decode()
    )
    assert person_url(world.village_officer_a) in html


# --- the forced change -------------------------------------------------------------------------


def test_after_a_reset_the_person_must_choose_a_new_password(client, world):
    person = world.village_officer_a
    client.force_login(world.township_leader)
    password = reset(client, person)
    assert login(client, person.username, world.password(person)).status_code == 200  # old one is gone
    response = login(client, person.username, password)
    assert response.status_code == 302
    home = client.get(reverse("grids:home"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("password_change"))
    assert client.get(reverse("hazards:list")).status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and "重置" in api.json()["detail"]
    form = client.get(home["Location"])
    assert form.status_code == 200 and "请先设置自己的新密码" in form.content.decode()
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Lingyun-2026-flood", "new_password2": "Lingyun-2026-flood"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.must_change_password and person.check_password("Lingyun-2026-flood")
    assert client.get(reverse("grids:home")).status_code == 200  # still logged in


def test_the_one_time_password_cannot_be_kept(client, world):
    person = world.village_officer_a
    client.force_login(world.township_leader)
    password = reset(client, person)
    login(client, person.username, password)
    response = client.post(
        reverse("password_change"), {"old_password": password, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 200
    assert "新密码不能与当前密码相同" in response.content.decode()
    person.refresh_from_db()
    assert person.must_change_password


def test_a_person_who_must_change_gets_no_api_token(client, world):
    person = world.village_officer_a
    client.force_login(world.township_leader)
    password = reset(client, person)
    client.logout()
    response = client.post("/api/v1/auth/token/", {"username": person.username, "password": password})
    assert response.status_code == 403
    assert "重置" in response.json()["detail"]


def test_the_person_may_still_log_out(client, world):
    person = world.village_officer_a
    client.force_login(world.township_leader)
    password = reset(client, person)
    login(client, person.username, password)
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_reset_clears_a_login_lockout(client, world, settings):
    person = world.village_officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": person.username, "password": "wrong"})
    client.force_login(world.township_leader)
    password = reset(client, person)
    assert login(client, person.username, password).status_code == 302


# --- the admin ------------------------------------------------------------------------------


def admin_action(client, people, *, confirm: bool):
    data = {"action": "reset_passwords_once", "_selected_action": [str(p.pk) for p in people]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(reverse("admin:grids_user_changelist"), data)


def test_administrator_resets_from_the_admin_after_confirming(client_for, world):
    client = client_for(world.admin)
    people = [world.village_officer_a, world.village_officer_b]
    confirm = admin_action(client, people, confirm=False)
    assert confirm.status_code == 200 and "一次性密码" in confirm.content.decode()
    for person in people:
        person.refresh_from_db()
        assert not person.must_change_password
    done = admin_action(client, people, confirm=True)
    assert done.status_code == 200
    html = done.content.decode()
    for person in people:
        person.refresh_from_db()
        assert person.must_change_password
        start = html.index(f"<td>{person.username}</td>")
        password = html[html.index('<code class="one-time-password">', start) + 32 : html.index("</code>", start)]
        assert person.check_password(password)


def test_admin_action_skips_the_administrator_themselves(client_for, world):
    client = client_for(world.admin)
    done = admin_action(client, [world.admin, world.village_officer_a], confirm=True)
    assert done.status_code == 200
    world.admin.refresh_from_db()
    assert not world.admin.must_change_password and world.admin.check_password("pw-admin")


def test_a_password_set_by_the_administrator_in_the_admin_must_be_changed(client_for, world):
    person = world.village_officer_a
    Token.objects.create(user=person)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    response = client_for(world.admin).post(
        url, {"password1": "Set-by-admin-2026", "password2": "Set-by-admin-2026", "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.check_password("Set-by-admin-2026") and person.must_change_password
    assert not Token.objects.filter(user=person).exists()


def test_administrator_changing_their_own_password_in_the_admin_is_not_forced(client_for, world):
    url = reverse("admin:auth_user_password_change", args=[world.admin.pk])
    response = client_for(world.admin).post(
        url, {"password1": "Admin-own-2026!", "password2": "Admin-own-2026!", "usable_password": "true"}
    )
    assert response.status_code == 302
    world.admin.refresh_from_db()
    assert not world.admin.must_change_password


def test_staff_leader_cannot_set_the_password_of_someone_with_a_role_elsewhere_in_the_admin(client_for, world):
    from django.contrib.auth.models import Permission

    leader = world.township_leader
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    leader.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    person = world.village_officer_a
    grant(person, world.village_c, Role.GRID_OFFICER)
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    client = client_for(User.objects.get(pk=leader.pk))
    assert client.get(url).status_code == 403
    response = client.post(
        url, {"password1": "Taken-over-2026", "password2": "Taken-over-2026", "usable_password": "true"}
    )
    assert response.status_code == 403
    person.refresh_from_db()
    assert person.check_password(world.password(person))


def test_staff_leader_sets_the_password_of_their_own_person_in_the_admin(client_for, world):
    from django.contrib.auth.models import Permission

    leader = world.township_leader
    leader.is_staff = True
    leader.save(update_fields=["is_staff"])
    leader.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    person = world.village_officer_b
    url = reverse("admin:auth_user_password_change", args=[person.pk])
    client = client_for(User.objects.get(pk=leader.pk))
    response = client.post(
        url, {"password1": "Given-by-leader-26", "password2": "Given-by-leader-26", "usable_password": "true"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password("Given-by-leader-26") and person.must_change_password
