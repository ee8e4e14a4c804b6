"""A county-wide warning gathers every township's instructions and figures: the admin change page
shows each viewer only those of their own units."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from dispatch.models import EvacuationReport, LocalInstruction, WarningType
from dispatch.services import warnings
from grids.models import Role, User
from grids.tests.factories import grant, make_person

pytestmark = pytest.mark.django_db


def staff(user: User, *codenames: str) -> User:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="dispatch", codename__in=codenames))
    return User.objects.get(pk=user.pk)


VIEW = ("view_warning", "view_localinstruction", "view_evacuationreport")


@pytest.fixture
def county_warning(world):
    other_leader = make_person("other_leader", real_name="逻镇长")
    grant(other_leader, world.other_township, Role.GRID_LEADER)
    warning = warnings.warning_issue(
        warning=warnings.warning_draft(
            by=world.county_dispatcher, type=WarningType.objects.get(code="rainstorm"), level=3,
            title="全县暴雨黄色预警", content="…", valid_from=timezone.now(),
            valid_to=timezone.now() + datetime.timedelta(hours=6), areas=[world.county],
        ),
        by=world.county_dispatcher,
    )  # fmt: skip
    for unit, by, text, evacuated in (
        (world.township, world.township_leader, "泗城镇：转移低洼地带群众", 24680),
        (world.other_township, other_leader, "逻楼镇：关闭景区", 98765),
    ):
        LocalInstruction.objects.create(warning=warning, unit=unit, text=text, by=by)
        EvacuationReport.objects.create(warning=warning, unit=unit, evacuated=evacuated, sheltered=7, by=by)
    return warning


def test_township_manager_sees_only_their_township_in_the_inlines(world, county_warning, client_for):
    client = client_for(staff(world.township_leader, *VIEW))
    response = client.get(reverse("admin:dispatch_warning_change", args=[county_warning.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "泗城镇：转移低洼地带群众" in content and "24680" in content
    assert "逻楼镇" not in content and "关闭景区" not in content and "98765" not in content
    assert "逻镇长" not in content


def test_the_county_sees_every_township(world, county_warning, client_for):
    client = client_for(staff(world.county_dispatcher, *VIEW))
    content = client.get(reverse("admin:dispatch_warning_change", args=[county_warning.pk])).content.decode()
    assert "泗城镇：转移低洼地带群众" in content and "逻楼镇：关闭景区" in content and "98765" in content
