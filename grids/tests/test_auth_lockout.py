"""Login lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords an account is locked for
the cool-off on the site, the admin and the API's token endpoint, even against the right password;
a grid leader unlocks their own people, the administrator anyone in the admin."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from grids.models import Role
from grids.tests.factories import grant, make_person

LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"
TOKEN = "/api/v1/auth/token/"


def login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def fail(client, username, times=None, url=LOGIN, **extra):
    for _ in range(times or settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": username, "password": "wrong-password"}, **extra)
        assert response.status_code in {200, 400, 429}
    return response


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_settings_lock_five_failures_for_thirty_minutes():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_a_few_typos_then_the_right_password_logs_in(client, world):
    user = world.village_officer_a
    fail(client, user.username, times=settings.AXES_FAILURE_LIMIT - 1)
    response = login(client, user.username, world.password(user))
    assert response.status_code == 302
    assert logged_in(client)


def test_wrong_password_is_answered_in_chinese(client, world):
    response = login(client, world.village_officer_a.username, "wrong")
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_after_five_failures_the_right_password_is_refused_with_a_chinese_page(client, world):
    user = world.village_officer_a
    fail(client, user.username)
    response = login(client, user.username, world.password(user))
    assert response.status_code == 429
    html = response.content.decode()
    assert "已被锁定" in html and "30 分钟" in html
    assert response["Retry-After"] == "1800"
    assert not logged_in(client)
    assert client.get(reverse("grids:home")).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, world, clock):
    user = world.village_officer_a
    fail(client, user.username)
    clock.shift(timedelta(minutes=29))
    assert login(client, user.username, world.password(user)).status_code == 429
    clock.shift(timedelta(minutes=31))  # every attempt during the lock restarts the 30 minutes
    assert login(client, user.username, world.password(user)).status_code == 302
    assert logged_in(client)


def test_colleague_behind_the_same_address_still_logs_in(client, world):
    """County offices share one NAT address: one person's lock does not lock the office."""
    fail(client, world.village_officer_a.username, REMOTE_ADDR="10.0.0.1")
    response = login(
        client, world.village_officer_b.username, world.password(world.village_officer_b), REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302


def test_changing_address_or_browser_does_not_escape_the_lock(client, world):
    user = world.village_officer_a
    for i in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR=f"10.0.0.{i}",
            HTTP_USER_AGENT=f"agent-{i}",
        )
    response = login(client, user.username, world.password(user), REMOTE_ADDR="10.9.9.9", HTTP_USER_AGENT="fresh")
    assert response.status_code == 429


def test_admin_login_locks_too(client, world):
    admin = world.admin
    fail(client, admin.username, url=ADMIN_LOGIN)
    response = client.post(ADMIN_LOGIN, {"username": admin.username, "password": world.password(admin)})
    assert response.status_code == 429
    assert "已被锁定" in response.content.decode()
    assert not logged_in(client)


def test_failures_on_the_site_the_admin_and_the_api_add_up(client, world):
    user = world.village_officer_a
    fail(client, user.username, times=2)
    fail(client, user.username, times=2, url=ADMIN_LOGIN)
    client.post(TOKEN, {"username": user.username, "password": "wrong"})
    assert login(client, user.username, world.password(user)).status_code == 429


def test_token_endpoint_locks_with_a_chinese_json_answer(client, world):
    user = world.village_officer_a
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(TOKEN, {"username": user.username, "password": "wrong"})
    response = client.post(TOKEN, {"username": user.username, "password": world.password(user)})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("application/json")
    assert "已被锁定" in response.json()["detail"]
    assert "token" not in response.json()


def test_lockout_answers_json_to_a_script(client, world):
    user = world.village_officer_a
    fail(client, user.username)
    response = login(client, user.username, world.password(user), HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 429
    assert "已被锁定" in response.json()["detail"]


# --- unlocking -------------------------------------------------------------------------------


def person_url(user, name="grids:person_detail"):
    return reverse(name, args=[user.pk])


def test_grid_leader_sees_the_lock_and_unlocks_their_village_officer(client, client_for, world):
    user = world.village_officer_a
    fail(client, user.username)
    leader = client_for(world.township_leader)
    html = leader.get(person_url(user)).content.decode()
    assert "已锁定" in html and person_url(user, "grids:person_unlock") in html
    response = leader.post(person_url(user, "grids:person_unlock"))
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    leader.logout()
    assert login(client, user.username, world.password(user)).status_code == 302


@pytest.mark.parametrize("who", ["village_officer_b", "outsider"])
def test_people_who_do_not_see_the_person_get_404_on_unlock(client, client_for, world, who):
    fail(client, world.village_officer_a.username, times=1)
    response = client_for(getattr(world, who)).post(person_url(world.village_officer_a, "grids:person_unlock"))
    assert response.status_code == 404
    assert AccessAttempt.objects.filter(username=world.village_officer_a.username).exists()


def test_village_officer_cannot_unlock_a_neighbour_in_their_village(client, client_for, world):
    neighbour = make_person("neighbour")
    grant(neighbour, world.village_a, Role.GRID_OFFICER)
    fail(client, neighbour.username)
    response = client_for(world.village_officer_a).post(person_url(neighbour, "grids:person_unlock"))
    assert response.status_code == 403
    assert "网格长" in response.content.decode()
    assert AccessAttempt.objects.filter(username=neighbour.username).exists()


def test_department_staff_see_the_person_but_cannot_unlock(client, client_for, world):
    fail(client, world.village_officer_a.username, times=1)
    response = client_for(world.department_officer).post(person_url(world.village_officer_a, "grids:person_unlock"))
    assert response.status_code == 403


def test_township_leader_cannot_unlock_someone_with_a_role_in_another_township(client, client_for, world):
    user = world.village_officer_a
    grant(user, world.village_c, Role.GRID_OFFICER)
    fail(client, user.username)
    response = client_for(world.township_leader).post(person_url(user, "grids:person_unlock"))
    assert response.status_code == 403
    assert client_for(world.county_dispatcher).post(person_url(user, "grids:person_unlock")).status_code == 302


def test_unlock_needs_post(client_for, world):
    assert (
        client_for(world.township_leader).get(person_url(world.village_officer_a, "grids:person_unlock")).status_code
        == 405
    )


def test_administrator_unlocks_in_the_admin(client, client_for, world):
    user = world.village_officer_a
    fail(client, user.username)
    admin = client_for(world.admin)
    changelist = reverse("admin:axes_accessattempt_changelist")
    assert user.username in admin.get(changelist).content.decode()
    ids = [str(pk) for pk in AccessAttempt.objects.filter(username=user.username).values_list("pk", flat=True)]
    response = admin.post(changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.username).exists()
    admin.logout()
    assert login(client, user.username, world.password(user)).status_code == 302


def test_the_mobile_number_logs_in_like_the_user_name(client, world):
    user = world.village_officer_a
    user.mobile = "13907761234"
    user.save(update_fields=["mobile"])
    response = login(client, "13907761234", world.password(user))
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_unknown_mobile_number_is_a_wrong_login(client, world):
    response = login(client, "13900000000", world.password(world.village_officer_a))
    assert response.status_code == 200
    assert "用户名或密码错误" in response.content.decode()


def test_failures_by_mobile_and_by_user_name_count_together(client, world):
    user = world.village_officer_a
    user.mobile = "13907761234"
    user.save(update_fields=["mobile"])
    fail(client, "13907761234", times=settings.AXES_FAILURE_LIMIT - 1)
    fail(client, user.username, times=1)
    response = login(client, "13907761234", world.password(user))
    assert response.status_code == 429
    assert not logged_in(client)
    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {user.username}
