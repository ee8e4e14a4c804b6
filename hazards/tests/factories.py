"""Test data for hazards, built through the services (no side doors)."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hazards import services
from hazards.models import HazardCategory


def photo(
    name: str = "photo.jpg", *, size=(800, 600), colour=(200, 30, 30), exif_gps: bool = False
) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (24.0, 21.0, 0.0)}  # GPSInfo
        kwargs["exif"] = exif
    image.save(buffer, format="JPEG", **kwargs)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def category(code: str = "geological") -> HazardCategory:
    return HazardCategory.objects.get(code=code)


def report(world, *, by=None, unit=None, code="geological", title="山体裂缝", **kwargs):
    hazard, _created = services.hazard_report(
        by=by or world.village_officer_a,
        unit=unit or world.village_a,
        category=category(code),
        title=title,
        description=kwargs.pop("description", "村后山体出现裂缝，雨后扩大"),
        **kwargs,
    )
    return hazard


def confirmed(world, *, grade="general", by=None, **kwargs):
    hazard = report(world, **kwargs)
    return services.hazard_confirm(
        hazard=hazard,
        by=by or world.township_officer,
        grade=grade,
        risk_method="lec",
        risk_inputs={"lec_l": "3", "lec_e": "6", "lec_c": "7"},
    )


def rectifying(world, **kwargs):
    hazard = confirmed(world, **kwargs)
    return services.hazard_plan(
        hazard=hazard,
        by=world.township_officer,
        measures="削坡减载，设置警示牌",
        responsible_unit="泗城镇安监站",
        responsible_person="黄网格",
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        contingency="雨天组织群众临时转移",
        funds=None if kwargs.get("grade", "general") == "general" else 50000,
    )
