"""Forms of the patrol pages: they turn input into typed values; the services decide the rest."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from grids import limits
from patrols.models import NOTE, CheckIn, PatrolPoint, PatrolRoute


def _aware(when: datetime.datetime | None) -> datetime.datetime | None:
    """The phone sends ISO times in UTC (``toISOString``); a time without a zone is taken as UTC."""
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=datetime.UTC)
    return when


class StartForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    route = forms.ModelChoiceField(
        label=_("Patrol route"), queryset=None, required=False, empty_label=_("No route: every point of the unit")
    )
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    client_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, routes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["route"].queryset = routes if routes is not None else PatrolRoute.objects.none()
        self.fields["route"].label_from_instance = lambda route: f"{route.unit.name} · {route.name}"

    def clean(self):
        data = super().clean()
        if data.get("route") is not None:
            data["unit"] = data["route"].unit  # a route patrols its own village
        return data

    def clean_client_time(self):
        return _aware(self.cleaned_data.get("client_time"))


class CheckInForm(forms.Form):
    point = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(choices=CheckIn.Outcome.choices, initial=CheckIn.Outcome.NORMAL)
    lng = limits.lng_form_field(required=False, widget=forms.HiddenInput)
    lat = limits.lat_form_field(required=False, widget=forms.HiddenInput)
    client_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE)
    photo = forms.ImageField(label=_("Photo"), required=False)
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if (data.get("lng") is None) != (data.get("lat") is None):
            data["lng"] = data["lat"] = None
        data["client_time"] = _aware(data.get("client_time"))
        return data


class FinishForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=NOTE)
    client_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def clean_client_time(self):
        return _aware(self.cleaned_data.get("client_time"))


class PointForm(forms.ModelForm):
    class Meta:
        model = PatrolPoint
        fields = ["name", "lng", "lat"]


class RouteForm(forms.Form):
    """A route's name, use and notes, and an order number for each point of the village on it
    (blank: not on the route)."""

    name = forms.CharField(label=_("Route name"), max_length=PatrolRoute._meta.get_field("name").max_length)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=NOTE, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, points, stops=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(points)
        order = {stop.point_id: stop.order for stop in stops}
        for point in self.points:
            self.fields[f"order_{point.pk}"] = forms.IntegerField(
                label=point.name, required=False, min_value=1, max_value=999, initial=order.get(point.pk),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "pt-order"}),
            )  # fmt: skip

    def ordered_points(self):
        return [(point, self[f"order_{point.pk}"]) for point in self.points]

    def clean(self):
        data = super().clean()
        chosen = [
            (data[f"order_{point.pk}"], n, point)
            for n, point in enumerate(self.points)
            if data.get(f"order_{point.pk}") is not None
        ]
        data["points"] = [point for _order, _n, point in sorted(chosen, key=lambda item: item[:2])]
        if not data["points"] and not self.errors:
            raise forms.ValidationError(_("Give at least one point its place on the route (1, 2, 3 …)."))
        return data


class PresenceStartForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Checked by unit"), queryset=None, empty_label=None)
    officers = forms.ModelMultipleChoiceField(
        label=_("Officers (by list)"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    count = forms.IntegerField(label=_("Or this many at random"), min_value=0, max_value=500, required=False)

    def __init__(self, *args, units, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["officers"].queryset = officers
        self.fields["officers"].label_from_instance = lambda person: person.real_name or person.username


class PresenceAnswerForm(forms.Form):
    lng = limits.lng_form_field(required=False, widget=forms.HiddenInput)
    lat = limits.lat_form_field(required=False, widget=forms.HiddenInput)
    client_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        when = data.get("client_time")
        if when is not None and when.tzinfo is None:
            data["client_time"] = when.replace(tzinfo=datetime.UTC)
        return data


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
