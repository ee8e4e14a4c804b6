"""Which patrols, points, ledgers and presence checks a person may see and change: built on
grids.scope, nowhere else.

- Points, routes, patrols and their check-ins are seen by whoever sees their unit: the village itself, its
  township and the county (and the county's departments, read-only).
- A presence check is seen by the unit that ran it and the tiers above; each of its requests also by
  the officer asked (on their phone).
- ``patrol.do`` patrols, ``patrol.points`` keeps the points and routes, ``patrol.presence`` runs presence checks
  (``patrols/permissions.py``)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from grids.models import GridUnit
from grids.scope import scope_for
from patrols.models import CheckIn, Patrol, PatrolPoint, PatrolRoute, PresenceCheck, PresenceRequest
from patrols.permissions import PatrolAction


def visible_points(user) -> QuerySet[PatrolPoint]:
    return scope_for(user).filter(PatrolPoint.objects.all())


def visible_routes(user) -> QuerySet[PatrolRoute]:
    return scope_for(user).filter(PatrolRoute.objects.all())


def visible_patrols(user) -> QuerySet[Patrol]:
    return scope_for(user).filter(Patrol.objects.all())


def visible_checkins(user) -> QuerySet[CheckIn]:
    return scope_for(user).filter(CheckIn.objects.all(), "patrol__unit")


def visible_presence_checks(user) -> QuerySet[PresenceCheck]:
    return scope_for(user).filter(PresenceCheck.objects.all())


def visible_presence_requests(user) -> QuerySet[PresenceRequest]:
    scope = scope_for(user)
    return scope.filter_q(PresenceRequest.objects.all(), scope.unit_q("check_run__unit__") | Q(officer=user))


def may_patrol(user, unit: GridUnit) -> bool:
    return scope_for(user).can(PatrolAction.DO, unit)


def may_keep_points(user, unit: GridUnit) -> bool:
    return scope_for(user).can(PatrolAction.POINTS, unit)


def may_run_presence(user, unit: GridUnit) -> bool:
    return scope_for(user).can(PatrolAction.PRESENCE, unit)


def patrol_units(user) -> QuerySet[GridUnit]:
    """The villages (tier 3) where the person may patrol."""
    return scope_for(user).units_where(PatrolAction.DO).filter(level=2)


def patrol_routes(user) -> QuerySet[PatrolRoute]:
    """The routes in use (with a point) of the villages where the person may patrol."""
    return (
        visible_routes(user)
        .filter(unit__in=patrol_units(user), active=True, stops__isnull=False)
        .distinct()
        .select_related("unit")
        .order_by("unit__tree_id", "unit__lft", "name", "pk")
    )


def point_units(user) -> QuerySet[GridUnit]:
    return scope_for(user).units_where(PatrolAction.POINTS).filter(level=2)


def presence_units(user) -> QuerySet[GridUnit]:
    return scope_for(user).units_where(PatrolAction.PRESENCE).filter(level__lt=2)


def overseen_units(user) -> QuerySet[GridUnit]:
    """The townships and counties whose compliance tables the person may read."""
    return scope_for(user).units().filter(level__lt=2)


def may_open_patrols(user) -> bool:
    """The navigation link: anyone who sees some unit."""
    return scope_for(user).sees_anything()


def ledger_units(user) -> QuerySet[GridUnit]:
    """The villages whose ledgers the person may read."""
    return scope_for(user).units().filter(level=2, is_active=True)


def get_unit_for_ledger(user, pk) -> GridUnit:
    """A village whose ledger ``user`` may read: 404 when unseen or not a village."""
    try:
        return scope_for(user).units().select_related("parent").get(pk=pk, level=2)
    except (GridUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such village.")) from None


def get_township_for_user(user, pk) -> GridUnit:
    """A township (or county) whose compliance table ``user`` may read."""
    try:
        return overseen_units(user).get(pk=pk)
    except (GridUnit.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such unit.")) from None


def get_point_for_user(user, pk, *, write: bool = False) -> PatrolPoint:
    try:
        point = visible_points(user).select_related("unit").get(pk=pk)
    except (PatrolPoint.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such patrol point.")) from None
    if write and not may_keep_points(user, point.unit):
        raise PermissionDenied(_("You may not change the patrol points of this unit."))
    return point


def get_route_for_user(user, pk, *, write: bool = False) -> PatrolRoute:
    """The route ``pk``: 404 when unseen; with ``write`` 403 unless one keeps its village's points."""
    try:
        route = visible_routes(user).select_related("unit", "unit__parent").get(pk=pk)
    except (PatrolRoute.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such patrol route.")) from None
    if write and not may_keep_points(user, route.unit):
        raise PermissionDenied(_("You may not change the patrol routes of this unit."))
    return route


def get_patrol_for_user(user, pk, *, write: bool = False) -> Patrol:
    """The patrol ``pk``: 404 when unseen; with ``write`` 403 unless it is the person's own patrol."""
    try:
        patrol = visible_patrols(user).select_related("unit", "officer", "route").get(pk=pk)
    except (Patrol.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such patrol.")) from None
    if write and (patrol.officer_id != user.pk or not may_patrol(user, patrol.unit)):
        raise PermissionDenied(_("Only the officer on this patrol may record it."))
    return patrol


class PatrolNotYet(Exception):
    """A check-in or finish addressed by a start's key that has not arrived yet (the phone sends
    its queue in order, so the start is on its way): answered 425, kept in the queue, sent again."""


def get_patrol_by_key(user, key) -> Patrol:
    """The person's own patrol started with ``client_key`` ``key``, for writing: 404 when the key is
    another officer's patrol (keys are one officer's), 403 when it is not the person's to record any
    more, ``PatrolNotYet`` when no patrol has that key yet."""
    # one query: asked in two (the person's, then anyone's), a start arriving between them read as
    # another officer's key (404) instead of the person's
    mine = ExpressionWrapper(Q(officer=user), output_field=BooleanField())
    found = Patrol.objects.select_related("unit", "officer").filter(client_key=key).order_by(mine.desc()).first()
    patrol = found if found is not None and found.officer_id == user.pk else None
    if patrol is None:
        if found is not None:
            raise Http404(_("No such patrol."))
        raise PatrolNotYet(key)
    if not may_patrol(user, patrol.unit):
        raise PermissionDenied(_("Only the officer on this patrol may record it."))
    return patrol


def get_checkin_for_user(user, pk) -> CheckIn:
    try:
        return visible_checkins(user).select_related("patrol", "point").get(pk=pk)
    except (CheckIn.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such check-in.")) from None


def get_presence_check_for_user(user, pk) -> PresenceCheck:
    try:
        return visible_presence_checks(user).select_related("unit", "warning").get(pk=pk)
    except (PresenceCheck.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such presence check.")) from None


def get_presence_request_for_user(user, pk, *, write: bool = False) -> PresenceRequest:
    """A request: 404 when unseen; with ``write`` 403 unless it asks this very person."""
    try:
        request = visible_presence_requests(user).select_related("check_run", "unit").get(pk=pk)
    except (PresenceRequest.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such presence request.")) from None
    if write and request.officer_id != user.pk:
        raise PermissionDenied(_("Only the officer asked may answer this request."))
    return request
