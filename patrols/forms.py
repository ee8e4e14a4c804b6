"""Forms of the patrol pages: they turn input into typed values; the services decide the rest."""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from grids import limits
from patrols.models import NOTE, CheckIn, PatrolPoint


def _aware(when: datetime.datetime | None) -> datetime.datetime | None:
    """The phone sends ISO times in UTC (``toISOString``); a time without a zone is taken as UTC."""
    if when is not None and when.tzinfo is None:
        return when.replace(tzinfo=datetime.UTC)
    return when


class StartForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    client_time = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

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
