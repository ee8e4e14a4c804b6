"""Bounds on numbers, dates and time-zone offsets that come from users, shared by services,
serializers, forms and filters.

Integers are bounded by the range of the model field that stores them (a ``PositiveIntegerField``
holds 0 … 2,147,483,647 in PostgreSQL), so a serializer never accepts what the database would
refuse with a server error. Moments and dates lie between the years ``MIN_YEAR`` and ``MAX_YEAR``;
an aware moment is converted to the current time zone first, so an offset such as ``+23:59``
either gives a moment in range or a clear refusal (PostgreSQL accepts offsets up to ±15:59 only).
"""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

MIN_YEAR = 1900
MAX_YEAR = 2100
_FIRST_DAY = datetime.date(MIN_YEAR, 1, 1)
_LAST_DAY = datetime.date(MAX_YEAR, 12, 31)


def out_of_range_date() -> str:
    return _("Give a date between the years %(min)d and %(max)d.") % {"min": MIN_YEAR, "max": MAX_YEAR}


def out_of_range_number(low: int, high: int) -> str:
    return _("Give a whole number from %(min)d to %(max)d.") % {"min": low, "max": high}


def int_range(model: type[models.Model], field_name: str) -> tuple[int, int]:
    """The smallest and largest value the model field stores (its validators, else the database range)."""
    field = model._meta.get_field(field_name)
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    for validator in field.validators:
        if getattr(validator, "code", "") == "min_value" and isinstance(validator.limit_value, int):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if getattr(validator, "code", "") == "max_value" and isinstance(validator.limit_value, int):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
    # SQLite reports no range; keep the PostgreSQL one so behaviour does not depend on the database.
    if low is None or high is None:
        from django.db.backends.postgresql.operations import DatabaseOperations

        pg_low, pg_high = DatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))
        low = pg_low if low is None else low
        high = pg_high if high is None else high
    return low, high


def check_int(value: int, model: type[models.Model], field_name: str) -> int:
    """``value`` if the model field can store it, else a ``ValidationError`` in Chinese."""
    low, high = int_range(model, field_name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ValidationError(out_of_range_number(low, high), code="out_of_range")
    return value


def check_moment(value: datetime.datetime | None) -> datetime.datetime | None:
    """An aware moment in the current time zone between ``MIN_YEAR`` and ``MAX_YEAR``, or a refusal.

    Naive values are taken to be in the current time zone. Any offset is converted safely: a
    moment that cannot be represented (year 9999 with a negative offset …) is refused too.
    """
    if value is None:
        return None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        local = timezone.localtime(value)
    except (OverflowError, ValueError) as exc:
        raise ValidationError(out_of_range_date(), code="out_of_range") from exc
    if not _FIRST_DAY <= local.date() <= _LAST_DAY:
        raise ValidationError(out_of_range_date(), code="out_of_range")
    return local


def check_date(value: datetime.date | None) -> datetime.date | None:
    if value is not None and not _FIRST_DAY <= value <= _LAST_DAY:
        raise ValidationError(out_of_range_date(), code="out_of_range")
    return value


def _drf(check, value):
    try:
        return check(value)
    except ValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc


# --- serializer fields --------------------------------------------------------------------------


def model_int_field(model: type[models.Model], field_name: str, **kwargs) -> serializers.IntegerField:
    """A serializer ``IntegerField`` bounded like the model field (``min_value``/``max_value`` may narrow it)."""
    low, high = int_range(model, field_name)
    kwargs["min_value"] = max(low, kwargs.get("min_value", low))
    kwargs["max_value"] = min(high, kwargs.get("max_value", high))
    return serializers.IntegerField(**kwargs)


def model_int_form_field(model: type[models.Model], field_name: str, **kwargs) -> forms.IntegerField:
    """A form ``IntegerField`` bounded like the model field (``min_value``/``max_value`` may narrow it)."""
    low, high = int_range(model, field_name)
    kwargs["min_value"] = max(low, kwargs.get("min_value", low))
    kwargs["max_value"] = min(high, kwargs.get("max_value", high))
    return forms.IntegerField(**kwargs)


class BoundedDateTimeField(serializers.DateTimeField):
    """A moment between ``MIN_YEAR`` and ``MAX_YEAR``, any offset converted to the current time zone."""

    def to_internal_value(self, value):
        try:
            moment = super().to_internal_value(value)
        except (OverflowError, ValueError) as exc:
            raise serializers.ValidationError(out_of_range_date()) from exc
        return _drf(check_moment, moment)


class BoundedDateField(serializers.DateField):
    def to_internal_value(self, value):
        return _drf(check_date, super().to_internal_value(value))


# --- form fields and filters --------------------------------------------------------------------


class BoundedDateTimeFormField(forms.DateTimeField):
    def to_python(self, value):
        try:
            moment = super().to_python(value)
        except (OverflowError, ValueError) as exc:
            raise ValidationError(out_of_range_date(), code="out_of_range") from exc
        return check_moment(moment)


class BoundedIsoDateTimeFormField(django_filters.fields.IsoDateTimeField):
    def strptime(self, value, format):
        try:
            moment = super().strptime(value, format)
        except OverflowError as exc:
            raise ValueError(str(exc)) from exc
        return moment

    def to_python(self, value):
        return check_moment(super().to_python(value))


class BoundedDateFormField(forms.DateField):
    def to_python(self, value):
        return check_date(super().to_python(value))


class BoundedIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = BoundedIsoDateTimeFormField


class BoundedDateFilter(django_filters.DateFilter):
    field_class = BoundedDateFormField


class BoundedIntegerFormField(forms.IntegerField):
    """An id or number in a query string: anything beyond a 64-bit integer is refused, not sent to SQL."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)
