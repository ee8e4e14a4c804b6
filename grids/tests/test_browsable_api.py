"""The browsable API (``?format=api``) renders forms and filters: their choices come from the
caller's scope. In production the API answers JSON only."""

from __future__ import annotations

import importlib
import inspect
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import resolve
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient, APIRequestFactory

from grids.api import GridUnitViewSet
from grids.choices import is_scoped
from grids.models import Department, Role
from grids.serializers import ScopedRelatedFieldsMixin
from grids.tests.factories import grant, make_person, make_unit

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FOREIGN_NAMES = ("逻楼镇", "逻楼村", "逻网格", "乐业县", "乐业水利")
SERIALIZER_MODULES = (
    "grids.serializers",
    "hazards.serializers",
    "dispatch.serializers.warnings",
    "dispatch.serializers.incidents",
    "dispatch.serializers.duty",
    "dispatch.api.warnings",
    "dispatch.api.incidents",
    "dispatch.api.duty",
)


@pytest.fixture
def foreign(world):
    person = make_person("other_officer", real_name="逻网格")
    grant(person, world.other_township, Role.GRID_OFFICER)
    county = make_unit(None, "county", "451028", "乐业县")
    Department.objects.create(county=county, name="乐业县水利局", short_name="乐业水利")
    return person


def browse(user, url: str):
    client = APIClient()
    client.force_login(user)
    response = client.get(url, {"format": "api"})
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def assert_no_foreign_names(content: str) -> None:
    found = [name for name in FOREIGN_NAMES if name in content]
    assert found == []


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/",
        "/api/v1/memberships/",
        "/api/v1/people/",
        "/api/v1/hazards/",
        "/api/v1/hazard-copies/",
        "/api/v1/incidents/",
        "/api/v1/duty-shifts/",
        "/api/v1/departments/",
    ],
)
def test_list_pages_of_a_village_officer_name_no_other_township(world, foreign, url):
    if resolve(url).func is None:  # pragma: no cover
        pytest.skip(url)
    assert_no_foreign_names(browse(world.village_officer_a, url))


def test_forms_of_a_township_manager_offer_only_their_units_and_people(world, foreign):
    content = browse(world.township_leader, "/api/v1/memberships/")
    assert world.village_a.name in content  # the unit select is there, with their own units
    assert_no_foreign_names(content)
    content = browse(world.township_leader, f"/api/v1/units/{world.village_a.pk}/")
    assert world.village_a.name in content
    assert_no_foreign_names(content)


def test_detail_page_of_a_village_officer_names_no_other_township(world, foreign):
    content = browse(world.village_officer_a, f"/api/v1/units/{world.village_a.pk}/")
    assert world.village_a.name in content
    assert_no_foreign_names(content)


def test_every_serializer_choosing_a_scoped_row_is_scoped():
    request = APIRequestFactory().get("/")
    request.user = None
    missing = []
    for module_name in SERIALIZER_MODULES:
        module = importlib.import_module(module_name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, serializers.Serializer) or cls.__module__ != module_name:
                continue
            try:
                fields = cls(context={"request": request}).fields
            except Exception:  # a serializer that needs arguments is checked by its own tests
                continue
            for field in fields.values():
                relation = field.child_relation if isinstance(field, serializers.ManyRelatedField) else field
                if not isinstance(relation, serializers.RelatedField) or relation.read_only:
                    continue
                queryset = relation.get_queryset() if relation.queryset is not None else None
                if queryset is not None and is_scoped(queryset.model) and not issubclass(cls, ScopedRelatedFieldsMixin):
                    missing.append(f"{module_name}.{cls.__name__}")
    assert missing == []


def test_foreign_ids_are_still_refused_by_the_services(world, foreign):
    """Choices are scoped; an id from outside still gets the services' 403/404, not a bare 400."""
    client = APIClient()
    client.force_login(world.township_leader)
    response = client.post(
        "/api/v1/units/",
        {"parent": world.other_township.pk, "name": "新村", "kind": "village", "code": "451027101299"},
        format="json",
    )
    assert response.status_code in (403, 404)


# --- production: JSON only ----------------------------------------------------------------------


def test_without_the_browsable_renderer_format_api_is_404(world, monkeypatch):
    monkeypatch.setattr(GridUnitViewSet, "renderer_classes", [JSONRenderer])
    client = APIClient()
    client.force_login(world.village_officer_a)
    assert client.get("/api/v1/units/", {"format": "api"}).status_code == 404
    assert client.get("/api/v1/units/", HTTP_ACCEPT="text/html").status_code == 406
    assert client.get("/api/v1/units/").status_code == 200


def test_production_settings_render_json_only():
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="".join(chr(ord("a") + i % 26) for i in range(60)),
        ALLOWED_HOSTS="grid.example.gov.cn",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/emergency",
        REDIS_URL="redis://127.0.0.1:6379/0",
        EMAIL_URL="smtp://user:pass@mail.example.gov.cn:25",
    )
    code = (
        "from rest_framework.settings import api_settings;"
        "from django.urls import resolve;"
        "print([c.__name__ for c in api_settings.DEFAULT_RENDERER_CLASSES]);"
        "print([c.__name__ for c in resolve('/api/v1/units/').func.cls.renderer_classes])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[-3:-1] == ["['JSONRenderer']", "['JSONRenderer']"]
