"""Fixtures shared by every app's tests: the small county and its personas."""

import pytest


@pytest.fixture
def world(db):
    from grids.tests.factories import build_world

    return build_world()


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client logged in as ``user``."""

    def login(user):
        client.force_login(user)
        return client

    return login
