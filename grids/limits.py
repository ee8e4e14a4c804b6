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
import math
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
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
    """The smallest and largest value the model field stores: its validators, within the range of
    its PostgreSQL column. The column range is PostgreSQL's whatever the database, so behaviour does
    not depend on it (SQLite would report 64 bits for every integer field)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    field = model._meta.get_field(field_name)
    low, high = DatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))
    for validator in field.validators:
        if getattr(validator, "code", "") == "min_value" and isinstance(validator.limit_value, int):
            low = validator.limit_value if low is None else max(low, validator.limit_value)
        if getattr(validator, "code", "") == "max_value" and isinstance(validator.limit_value, int):
            high = validator.limit_value if high is None else min(high, validator.limit_value)
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


# --- coordinates --------------------------------------------------------------------------------

LNG_RANGE = (-180.0, 180.0)
LAT_RANGE = (-90.0, 90.0)


# Points of the grid's own units (the import of a spreadsheet): inside China, so that a swapped
# longitude and latitude is caught.
CHINA_LNG_RANGE = (73.0, 136.0)
CHINA_LAT_RANGE = (3.0, 54.0)


def out_of_range_lng() -> str:
    return _("Give a longitude from %(min)s to %(max)s degrees.") % {"min": int(LNG_RANGE[0]), "max": int(LNG_RANGE[1])}


def out_of_range_lat() -> str:
    return _("Give a latitude from %(min)s to %(max)s degrees.") % {"min": int(LAT_RANGE[0]), "max": int(LAT_RANGE[1])}


def is_in_china(lng: float, lat: float) -> bool:
    """A point inside ``CHINA_LNG_RANGE`` × ``CHINA_LAT_RANGE``."""
    return CHINA_LNG_RANGE[0] <= lng <= CHINA_LNG_RANGE[1] and CHINA_LAT_RANGE[0] <= lat <= CHINA_LAT_RANGE[1]


def is_lng(value) -> bool:
    """A finite longitude in degrees (−180 … 180)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return math.isfinite(number) and LNG_RANGE[0] <= number <= LNG_RANGE[1]


def is_lat(value) -> bool:
    """A finite latitude in degrees (−90 … 90)."""
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return False
    return math.isfinite(number) and LAT_RANGE[0] <= number <= LAT_RANGE[1]


def is_bbox(west: float, south: float, east: float, north: float) -> bool:
    """A box west ≤ east, south ≤ north, every side a valid longitude or latitude."""
    return is_lng(west) and is_lng(east) and is_lat(south) and is_lat(north) and west <= east and south <= north


def lng_form_field(**kwargs) -> forms.FloatField:
    return forms.FloatField(min_value=LNG_RANGE[0], max_value=LNG_RANGE[1], **kwargs)


def lat_form_field(**kwargs) -> forms.FloatField:
    return forms.FloatField(min_value=LAT_RANGE[0], max_value=LAT_RANGE[1], **kwargs)


def lng_field(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=LNG_RANGE[0], max_value=LNG_RANGE[1], **kwargs)


def lat_field(**kwargs) -> serializers.FloatField:
    return serializers.FloatField(min_value=LAT_RANGE[0], max_value=LAT_RANGE[1], **kwargs)


# --- free text and files --------------------------------------------------------------------------
#
# Text kept in a ``TextField`` (unbounded in the database) or in a history entry's note has no
# ``max_length`` on its model field: its limit is one of these, for the form, the serializer and
# the service alike. Text kept in a ``CharField`` takes the field's own (``max_length(model, name)``).

NOTE_MAX_LENGTH = 2000  # a note, a reason, a description of what was seen
LONG_TEXT_MAX_LENGTH = 4000  # measures, contingency plans, requirements, a department's feedback
IMPORT_MAX_BYTES = 10 * 1024 * 1024  # one spreadsheet uploaded for import


def note_form_field(**kwargs) -> forms.CharField:
    """A form field for a note or reason (``NOTE_MAX_LENGTH``), a textarea by default."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
    return forms.CharField(max_length=NOTE_MAX_LENGTH, **kwargs)


def long_text_form_field(**kwargs) -> forms.CharField:
    """A form field for a longer text (``LONG_TEXT_MAX_LENGTH``), a textarea by default."""
    kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(max_length=LONG_TEXT_MAX_LENGTH, **kwargs)


def note_field(**kwargs) -> serializers.CharField:
    """A serializer field for a note or reason (``NOTE_MAX_LENGTH``)."""
    return serializers.CharField(max_length=NOTE_MAX_LENGTH, **kwargs)


def long_text_field(**kwargs) -> serializers.CharField:
    """A serializer field for a longer text (``LONG_TEXT_MAX_LENGTH``)."""
    return serializers.CharField(max_length=LONG_TEXT_MAX_LENGTH, **kwargs)


# --- the service layer: refusals keyed by the field they concern ---------------------------------
#
# A service calls these on every number, date and moment it is given, so that a caller which
# skips the form or serializer (a task, the admin, a management command, another service) gets
# the same refusal. Each raises ``ValidationError({field: [message]})``; the message names the
# field too, since a page may show it away from the input.


def _refuse(field: str, label, message: str) -> ValidationError:
    named = _("%(field)s: %(problem)s") % {"field": label or field, "problem": message}
    return ValidationError({field: [ValidationError(named, code="out_of_range")]})


def _label(model: type[models.Model] | None, field_name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(field_name).verbose_name
    except FieldDoesNotExist:  # a form-only name has no model label
        return None


def bound_int(
    field: str,
    value,
    model: type[models.Model],
    field_name: str | None = None,
    *,
    min_value: int | None = None,
    allow_none: bool = False,
) -> int | None:
    """``value`` if the model field ``field_name`` (``field`` by default) can store it and it is at
    least ``min_value``; ``None`` only with ``allow_none``."""
    field_name = field_name or field
    label = _label(model, field_name)
    if value is None and allow_none:
        return None
    low, high = int_range(model, field_name)
    if min_value is not None:
        low = max(low, min_value)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _refuse(field, label, out_of_range_number(low, high))
    return value


def bound_decimal(field: str, value, model: type[models.Model], field_name: str | None = None):
    """A finite ``Decimal`` the model's ``DecimalField`` can store (digits and its validators), or ``None``."""
    if value is None:
        return None
    field_name = field_name or field
    model_field = model._meta.get_field(field_name)
    label = model_field.verbose_name
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise _refuse(field, label, _("Give a number.")) from exc
    if not number.is_finite():
        raise _refuse(field, label, _("Give a number."))
    try:
        model_field.run_validators(number)
    except ValidationError as exc:
        raise _refuse(field, label, " ".join(exc.messages)) from exc
    return number


def bound_moment(
    field: str, value, *, model: type[models.Model] | None = None, allow_none: bool = True
) -> datetime.datetime | None:
    """An aware moment in the current time zone between ``MIN_YEAR`` and ``MAX_YEAR`` (any offset converted)."""
    label = _label(model, field)
    if value is None:
        if allow_none:
            return None
        raise _refuse(field, label, _("Give the time."))
    if not isinstance(value, datetime.datetime):
        raise _refuse(field, label, _("Give a date and time."))
    try:
        return check_moment(value)
    except ValidationError as exc:
        raise _refuse(field, label, " ".join(exc.messages)) from exc


def bound_date(
    field: str, value, *, model: type[models.Model] | None = None, allow_none: bool = True
) -> datetime.date | None:
    """A date between ``MIN_YEAR`` and ``MAX_YEAR`` (a moment is refused: give its date)."""
    label = _label(model, field)
    if value is None:
        if allow_none:
            return None
        raise _refuse(field, label, _("Give a date."))
    if isinstance(value, datetime.datetime) or not isinstance(value, datetime.date):
        raise _refuse(field, label, _("Give a date."))
    if not _FIRST_DAY <= value <= _LAST_DAY:
        raise _refuse(field, label, out_of_range_date())
    return value


def bound_lng_lat(
    lng, lat, *, fields: tuple[str, str] = ("lng", "lat"), model: type[models.Model] | None = None
) -> tuple[float | None, float | None]:
    """Longitude and latitude as floats in range (``None`` stays ``None``)."""
    errors: dict[str, list] = {}
    for name, value, valid, message in (
        (fields[0], lng, is_lng, out_of_range_lng),
        (fields[1], lat, is_lat, out_of_range_lat),
    ):
        if value is not None and (isinstance(value, bool) or not valid(value)):
            errors.update(_refuse(name, _label(model, name), message()).error_dict)
    if errors:
        raise ValidationError(errors)
    return (None if lng is None else float(lng)), (None if lat is None else float(lat))


def max_length(model: type[models.Model], field_name: str) -> int | None:
    """The ``max_length`` of a model's text field, for a form or serializer field that is not a model field."""
    return model._meta.get_field(field_name).max_length


def bound_text(
    field: str,
    value: str,
    model: type[models.Model],
    field_name: str | None = None,
    *,
    max_length: int | None = None,
) -> str:
    """``value`` if it fits the ``max_length`` of the model's text field (a database error otherwise),
    or ``max_length`` where the model field has none (``NOTE_MAX_LENGTH``, ``LONG_TEXT_MAX_LENGTH``)."""
    model_field = model._meta.get_field(field_name or field)
    limit = model_field.max_length if max_length is None else max_length
    if limit is not None and len(value or "") > limit:
        raise _refuse(
            field,
            model_field.verbose_name,
            _("Write at most %(max)d characters (it has %(length)d).") % {"max": limit, "length": len(value)},
        )
    return value


def decimal_limits(model: type[models.Model], field_name: str) -> dict:
    """``max_digits``, ``decimal_places`` and any ``min_value``/``max_value`` of a model's
    ``DecimalField``, as keyword arguments for a form or serializer ``DecimalField``."""
    field = model._meta.get_field(field_name)
    options = {"max_digits": field.max_digits, "decimal_places": field.decimal_places}
    for validator in field.validators:
        code = getattr(validator, "code", "")
        if code in ("min_value", "max_value"):
            options[code] = validator.limit_value
    return options
