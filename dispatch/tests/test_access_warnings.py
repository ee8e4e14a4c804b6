"""Error messages of warnings and CAP imports name only units the person can see; a code of
another county gets "代码 X 不存在或不在您的管辖范围内", exactly like a code that exists nowhere."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from dispatch import cap
from dispatch.models import Warning
from dispatch.tests.test_cap import NS, exported
from dispatch.tests.test_warnings import draft, rainstorm
from grids.rules import Kind
from grids.tests.factories import make_unit

pytestmark = pytest.mark.django_db

UNSEEN = "不存在或不在您的管辖范围内"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def foreign(world):
    county = make_unit(None, Kind.COUNTY, "451028", "乐业县")
    return make_unit(county, Kind.TOWN, "451028100000", "同乐镇")


def test_a_draft_naming_another_countys_unit_does_not_tell_its_name(world, foreign):
    with pytest.raises(ValidationError) as refused:
        draft(world, areas=[world.township, foreign])
    message = refused.value.message_dict["areas"][0]
    assert foreign.code in message and UNSEEN in message
    assert "同乐镇" not in message and "乐业县" not in message


def test_an_administrator_who_sees_both_counties_is_told_the_name(world, foreign):
    with pytest.raises(ValidationError) as refused:
        draft(world, by=world.admin, issuer_unit=world.county, areas=[foreign])
    assert "同乐镇" in refused.value.message_dict["areas"][0]


def test_the_warning_form_answers_a_foreign_code_like_an_unknown_one(world, foreign, client_for):
    client = client_for(world.county_dispatcher)
    start = timezone.localtime() + datetime.timedelta(minutes=1)
    data = {
        "issuer_unit": world.county.pk,
        "type": rainstorm().pk,
        "level": 3,
        "content": "强降雨",
        "valid_from": start.strftime("%Y-%m-%dT%H:%M"),
        "valid_to": (start + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    }
    answers = {}
    for code in (foreign.code, "451099100000"):
        response = client.post(reverse("dispatch:warning_new"), {**data, "area_codes": code})
        assert response.status_code == 400
        content = response.content.decode()
        assert UNSEEN in content and "同乐镇" not in content and "乐业县" not in content
        answers[code] = content.replace(code, "CODE").count(UNSEEN)
    assert answers[foreign.code] == answers["451099100000"]
    assert not Warning.objects.exists()


def test_a_cap_message_naming_another_countys_unit_does_not_tell_its_name(world, foreign):
    root = etree.fromstring(exported(world))
    root.find("cap:info/cap:area/cap:geocode/cap:value", NS).text = foreign.code
    with pytest.raises(ValidationError) as refused:
        cap.cap_import(etree.tostring(root), by=world.county_dispatcher)
    message = " ".join(refused.value.messages)
    assert foreign.code in message and UNSEEN in message
    assert "同乐镇" not in message and "乐业县" not in message
    assert not Warning.objects.filter(state=Warning.State.DRAFT).exists()


def test_a_cap_message_with_a_township_code_of_9_digits_of_another_county(world, foreign):
    root = etree.fromstring(exported(world))
    root.find("cap:info/cap:area/cap:geocode/cap:value", NS).text = "451028100"
    with pytest.raises(ValidationError) as refused:
        cap.cap_import(etree.tostring(root), by=world.county_dispatcher)
    message = " ".join(refused.value.messages)
    assert "451028100" in message and "同乐镇" not in message
