"""Forms of the incident pages: they turn input into typed values; dispatch.services decides the rest."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.models import Incident, IncidentCategory, IncidentReport, IncidentType, Level
from dispatch.selectors.incidents import PERIODS, group_types
from dispatch.services.incident_figures import FIGURE_FIELDS
from grids import limits
from grids.models import GridUnit
from grids.outside import OutsideGridQuestion, confirm_outside_field

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def now_local() -> str:
    return timezone.localtime().strftime(DATETIME_LOCAL)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format=DATETIME_LOCAL)


def _count(name: str, label, **attrs):
    """A figure of the incident, bounded like its model field; the service checks the rest."""
    return limits.model_int_form_field(
        Incident,
        name,
        label=label,
        min_value=0,
        initial=0,
        required=False,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0, "class": "inc-num", **attrs}
        ),
    )


def _loss_field():
    return forms.DecimalField(
        label=_("Direct loss (10,000 yuan)"),
        min_value=0,
        **limits.decimal_limits(Incident, "direct_loss"),
        initial=0,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": 0, "class": "inc-num"}),
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: GridUnit) -> str:
        return obj.name


class FiguresMixin:
    """The casualty figures, shared by the first and the follow-up reports."""

    FIGURES = FIGURE_FIELDS

    def figure_fields(self) -> list:
        return [self[name] for name in self.FIGURES]

    def figures(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.FIGURES}
        return {name: (value if value is not None else 0) for name, value in values.items()}


class FirstReportForm(OutsideGridQuestion, FiguresMixin, forms.Form):
    """The phone's first report (首报): a minute's work with a thumb. With a GPS point, 地点 may be left
    empty (the service fills it from the unit and the point) and 事件经过 may be left to the title
    line; the rest follows in 续报. A point outside the unit's boundary is asked about first."""

    client_key = forms.UUIDField(widget=forms.HiddenInput)
    unit = UnitChoiceField(label=_("Grid unit"), queryset=GridUnit.objects.none(), empty_label=None)
    type = forms.ModelChoiceField(
        label=_("Kind of incident"),
        queryset=IncidentType.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Tap the kind of incident.")},
    )
    title = forms.CharField(
        label=_("In a few words"),
        max_length=limits.max_length(Incident, "title"),
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. house collapsed after heavy rain"), "autocomplete": "off"}
        ),
    )
    occurred_at = limits.BoundedDateTimeFormField(
        label=_("Happened at"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=limits.max_length(Incident, "place"),
        widget=forms.TextInput(attrs={"placeholder": _("e.g. group 3 of the village, by the bridge")}),
        help_text=_("May stay empty when your location is recorded."),
    )
    lng = limits.lng_form_field(required=False, widget=forms.HiddenInput)
    lat = limits.lat_form_field(required=False, widget=forms.HiddenInput)
    level = forms.TypedChoiceField(
        label=_("Estimated level"),
        coerce=int,
        required=False,
        choices=Level.choices,
        initial=Level.IV,
        widget=forms.RadioSelect,
        help_text=_("Production-safety accidents are graded from the dead, seriously injured and loss."),
    )
    deaths = _count("deaths", _("Dead"))
    injured = _count("injured", _("Injured"))
    serious_injuries = _count("serious_injuries", _("of them seriously"))
    missing = _count("missing", _("Missing"))
    trapped = _count("trapped", _("Trapped"))
    direct_loss = _loss_field()
    description = forms.CharField(
        label=_("What happened"),
        required=False,
        max_length=limits.max_length(Incident, "description"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One line is enough now; the rest can follow in a follow-up report."),
    )
    measures = forms.CharField(
        label=_("Measures taken"),
        required=False,
        max_length=limits.max_length(Incident, "measures"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reporter_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=limits.max_length(Incident, "reporter_phone"),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    confirm_outside = confirm_outside_field()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["type"].queryset = IncidentType.objects.order_by("category", "order", "code")

    def clean(self):
        data = super().clean()
        if (data.get("lng") is None) != (data.get("lat") is None):
            data["lng"] = data["lat"] = None
        if not data.get("place") and data.get("lng") is None and "place" not in self.errors:
            self.add_error("place", _("Type the place, or use your location."))
        self.ask_if_outside(data)
        kind = data.get("type")
        if kind is not None and not kind.production_safety and not data.get("level"):
            self.add_error("level", _("Choose the estimated level (I to IV)."))
        return data

    def types_by_category(self) -> list[tuple[str, list[tuple[IncidentType, bool]]]]:
        """The type buttons grouped under the four categories, with the chosen one marked."""
        selected = str(self["type"].value() or "")
        return [
            (label, [(item, str(item.pk) == selected) for item in items])
            for _value, label, items in group_types(self.fields["type"].queryset)
        ]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "unit": data["unit"],
            "type": data["type"],
            "title": data["title"],
            "occurred_at": data["occurred_at"],
            "place": data["place"],
            "lng": data["lng"],
            "lat": data["lat"],
            "level": data.get("level"),
            "description": data["description"],
            "measures": data["measures"],
            "reporter_phone": data["reporter_phone"],
            "client_key": data["client_key"],
            **self.figures(),
        }


class FollowUpForm(FiguresMixin, forms.Form):
    """A follow-up report (续报): new facts and the figures as they stand now."""

    text = forms.CharField(
        label=_("What is new"),
        max_length=limits.max_length(Incident, "description"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deaths = _count("deaths", _("Dead"))
    injured = _count("injured", _("Injured"))
    serious_injuries = _count("serious_injuries", _("of them seriously"))
    missing = _count("missing", _("Missing"))
    trapped = _count("trapped", _("Trapped"))
    direct_loss = _loss_field()
    level = forms.TypedChoiceField(
        label=_("Estimated level"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=Level.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, computed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if computed:
            del self.fields["level"]

    def service_figures(self) -> dict:
        figures = self.figures()
        if "level" in self.fields and self.cleaned_data.get("level"):
            figures["level"] = self.cleaned_data["level"]
        return figures


class FinalForm(forms.Form):
    text = forms.CharField(
        label=_("Final report"),
        max_length=limits.max_length(IncidentReport, "text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Summary of the incident, its handling, the present state and the next steps."),
    )
    plan_problem = forms.BooleanField(label=_("The response found a problem in the emergency plan"), required=False)


class PhoneForm(forms.Form):
    at = limits.BoundedDateTimeFormField(
        label=_("Told by phone at"),
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class IncidentFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *IncidentCategory.choices]
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=[("", _("All")), *Level.choices]
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    late = forms.BooleanField(label=_("Late reports only"), required=False)


class StatisticsForm(forms.Form):
    PERIOD_CHOICES = [("month", _("By month")), ("quarter", _("By quarter")), ("year", _("By year"))]

    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False, initial="month")
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2000,
        max_value=limits.MAX_YEAR,
        required=False,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("All")), *IncidentCategory.choices]
    )
    level = forms.TypedChoiceField(
        label=_("Level"), required=False, coerce=int, empty_value=None, choices=[("", _("All")), *Level.choices]
    )

    def values(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        period = data.get("period") or "month"
        return {
            "period": period if period in PERIODS else "month",
            "year": data.get("year") or timezone.localdate().year,
            "filters": {"category": data.get("category") or "", "level": data.get("level")},
        }


def default_phone_time() -> datetime.datetime:
    return timezone.localtime().replace(second=0, microsecond=0)
