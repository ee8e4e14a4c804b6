"""The evacuation pages (转移避险): the overview with the shelter capacity per township, a village's
list with its map, its Excel export, template and import, the 明白卡 for print, and a shelter's
open/closed state. Thin: fetch through ``plans.access``, read through ``plans.selectors.evacuation``,
change through ``plans.services``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from grids.rules import TOWNSHIP_KINDS
from grids.spreadsheets import attachment, export_name
from hazards.models import HazardCategory
from plans import access, services
from plans.forms import EvacuationImportForm, ShelterStateForm
from plans.selectors import evacuation as selectors
from plans.services.evacuation import household_rows, shelter_rows, zone_rows
from plans.services.evacuation_import import HOUSEHOLD_SHEET, SHELTER_SHEET, ZONE_SHEET

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = attachment(filename)
    return response


@require_GET
@login_required
def overview(request):
    """Shelter capacity against the persons to move, per township of the person's scope; the villages with lists."""
    rows, categories = selectors.township_capacity(request.user)
    return render(
        request,
        "plans/evacuation_overview.html",
        {
            "rows": rows,
            "categories": categories,
            "villages": selectors.villages_with_lists(request.user),
            "editable": selectors.editable_villages(request.user),
        },
    )


def _category(request) -> HazardCategory | None:
    code = request.GET.get("category", "")
    if not code:
        return None
    return HazardCategory.objects.filter(code=code[:40]).first()


def _map(data: selectors.VillageList) -> tuple[dict, list]:
    unit = data.unit
    features = []
    if unit.boundary:
        features.append(
            {"type": "Feature", "geometry": unit.boundary, "properties": {"name": unit.name, "role": "self"}}
        )
    for zone in data.zones:
        if zone.boundary:
            name = f"{zone.name}（{zone.category.display_name}）"
            features.append(
                {"type": "Feature", "geometry": zone.boundary, "properties": {"name": name, "role": "zone"}}
            )
    points = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s.lng, s.lat]},
            "properties": {
                "name": _("Shelter %(name)s, %(capacity)d persons") % {"name": s.name, "capacity": s.capacity}
            },
        }
        for s in data.shelters
        if s.lng is not None and s.lat is not None
    ]
    return {"type": "FeatureCollection", "features": features}, points


@require_GET
@login_required
def village(request, unit_pk: int):
    """A village's list: zones with their households, shelters, the township's capacity, the map."""
    unit = access.get_evacuation_unit_for_user(request.user, unit_pk)
    category = _category(request)
    data = selectors.village_list(request.user, unit, category=category)
    capacity = None
    township = unit if unit.kind in TOWNSHIP_KINDS else unit.parent
    if township is not None:
        rows, _columns = selectors.township_capacity(request.user, township=township)
        capacity = rows[0] if rows else None
    map_data, points = _map(data)
    return render(
        request,
        "plans/evacuation_village.html",
        {
            "unit": unit,
            "data": data,
            "category": category,
            "capacity": capacity,
            "map_data": map_data,
            "points": points,
            "tile_url": settings.MAP_TILE_URL,
            "import_form": EvacuationImportForm() if data.may_edit else None,
        },
    )


@require_GET
@login_required
def export(request, unit_pk: int):
    """The village's list as the import's workbook (export, edit in Excel, import again)."""
    unit = access.get_evacuation_unit_for_user(request.user, unit_pk)
    rows = selectors.export_rows(request.user, unit)
    households = rows["households"]
    if not access.may_see_private(request.user, unit):
        for household in households:  # the read-only tiers get the list without personal details
            household.phone = household.vulnerable_notes = ""
    content = services.write_workbook(
        {
            ZONE_SHEET: zone_rows(rows["zones"]),
            SHELTER_SHEET: shelter_rows(rows["shelters"]),
            HOUSEHOLD_SHEET: household_rows(households, unit),
        }
    )
    return _xlsx(content, export_name(_("Evacuation lists"), unit.name))


@require_GET
@login_required
def template(request):
    """The empty workbook with one documented example row per sheet and the 填表说明."""
    return _xlsx(services.template_workbook(), export_name(_("Evacuation lists template")))


@require_http_methods(["GET", "POST"])
@login_required
def import_list(request, unit_pk: int):
    """Upload the village's workbook: it replaces the village's list, or nothing is saved."""
    unit = access.get_evacuation_unit_for_user(request.user, unit_pk, edit=True)
    form = EvacuationImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = services.evacuation_import(by=request.user, unit=unit, data=upload.read(), filename=upload.name)
        if result.ok:
            messages.success(
                request,
                _(
                    "List imported: %(created)d added, %(updated)d changed, %(unchanged)d unchanged, %(deleted)d removed."
                )
                % result.summary(),
            )
            return redirect("plans:evacuation_village", unit.pk)
        errors = [str(error) for error in result.errors]
    status = 400 if request.method == "POST" else 200
    return render(
        request, "plans/evacuation_import.html", {"unit": unit, "form": form, "errors": errors}, status=status
    )


def _cards(request, unit, households, title: str):
    return render(
        request,
        "plans/evacuation_cards.html",
        {"unit": unit, "households": households, "title": title},
    )


@require_GET
@login_required
def cards(request, unit_pk: int):
    """The 明白卡 of every household of the village (or of one zone: ``?zone=<id>``), four per A4 page."""
    unit = access.get_evacuation_unit_for_user(request.user, unit_pk)
    households = (
        access.visible_households(request.user)
        .filter(zone__unit=unit)
        .select_related("zone__category", "zone__unit", "shelter__unit")
        .order_by("zone__category__order", "zone__name", "address", "head_name")
    )
    zone_id = request.GET.get("zone", "")
    if zone_id:
        if not zone_id.isdigit():
            raise Http404(_("No such danger zone."))
        zone = access.get_zone_for_user(request.user, zone_id)
        if zone.unit_id != unit.pk:
            raise Http404(_("No such danger zone."))
        households = households.filter(zone=zone)
    return _cards(request, unit, list(households), _("Evacuation cards of %(unit)s") % {"unit": unit.name})


@require_GET
@login_required
def card(request, pk: int):
    """One household's 明白卡."""
    household = access.get_household_for_user(request.user, pk)
    return _cards(
        request, household.zone.unit, [household], _("Evacuation card of %(name)s") % {"name": household.head_name}
    )


@require_POST
@login_required
def shelter_state(request, pk: int):
    """Open or close a shelter (the village's people or its township)."""
    shelter = access.get_shelter_for_user(request.user, pk, edit=True)
    form = ShelterStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose open or closed."))
    else:
        try:
            services.shelter_set_open(shelter=shelter, by=request.user, is_open=form.cleaned_data["is_open"])
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Shelter state saved."))
    unit = shelter.unit
    return redirect("plans:evacuation_village", unit.pk)
