"""API tokens: issued at /api/v1/auth/token/, refused in Chinese once older than TOKEN_TTL_HOURS,
deleted when their owner logs out of the site."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def issue(client, world, user) -> str:
    response = client.post(TOKEN, {"username": user.username, "password": world.password(user)})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(client, key):
    return client.get(ME, HTTP_AUTHORIZATION=f"Token {key}")


def test_token_ttl_is_twelve_hours():
    assert settings.TOKEN_TTL_HOURS == 12


def test_issued_token_opens_the_api(client, world):
    key = issue(client, world, world.village_officer_a)
    response = me(client, key)
    assert response.status_code == 200
    assert response.json()["username"] == world.village_officer_a.username


def test_asking_again_gives_the_same_token_while_it_is_valid(client, world):
    assert issue(client, world, world.village_officer_a) == issue(client, world, world.village_officer_a)


def test_wrong_password_gets_no_token_and_a_chinese_message(client, world):
    response = client.post(TOKEN, {"username": world.village_officer_a.username, "password": "wrong"})
    assert response.status_code == 400
    assert response.json()["detail"] == "用户名或密码错误。"
    assert not Token.objects.exists()


def test_token_request_without_fields_is_refused(client, db):
    assert client.post(TOKEN, {}).status_code == 400


def test_token_endpoint_needs_post(client, db):
    assert client.get(TOKEN).status_code == 405


def test_deactivated_person_gets_no_token(client, world):
    user = world.village_officer_a
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.post(TOKEN, {"username": user.username, "password": world.password(user)})
    assert response.status_code == 400


def test_token_works_until_its_ttl_and_is_refused_after_in_chinese(client, world, clock):
    key = issue(client, world, world.village_officer_a)
    clock.shift(timedelta(hours=settings.TOKEN_TTL_HOURS) - timedelta(minutes=1))
    assert me(client, key).status_code == 200
    clock.shift(timedelta(minutes=2))
    response = me(client, key)
    assert response.status_code == 401
    assert "已过期" in response.json()["detail"]
    assert not Token.objects.filter(key=key).exists()


def test_a_new_token_replaces_an_expired_one(client, world, clock):
    old = issue(client, world, world.village_officer_a)
    clock.shift(timedelta(hours=settings.TOKEN_TTL_HOURS, minutes=1))
    new = issue(client, world, world.village_officer_a)
    assert new != old
    assert me(client, new).status_code == 200
    assert me(client, old).status_code == 401


@pytest.mark.parametrize("ttl", [1, 24])
def test_ttl_comes_from_settings(client, world, clock, settings, ttl):
    settings.TOKEN_TTL_HOURS = ttl
    key = issue(client, world, world.village_officer_a)
    clock.shift(timedelta(hours=ttl, minutes=1))
    assert me(client, key).status_code == 401


def test_logout_of_the_site_revokes_the_token(client, world):
    user = world.village_officer_a
    key = issue(client, world, user)
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": world.password(user)}).status_code
        == 302
    )
    assert client.post("/accounts/logout/").status_code == 302
    assert not Token.objects.filter(user=user).exists()
    response = client.get(ME, HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_logout_leaves_other_peoples_tokens(client, client_for, world):
    other = issue(client, world, world.village_officer_b)
    client_for(world.village_officer_a).post("/accounts/logout/")
    assert Token.objects.filter(key=other).exists()


def test_token_of_a_person_who_must_change_their_password_is_refused(client, world):
    user = world.village_officer_a
    key = issue(client, world, user)
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    response = me(client, key)
    assert response.status_code == 401
    assert "重置" in response.json()["detail"]
