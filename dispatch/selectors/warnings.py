"""Reads of the warnings, all within the viewer's scope: the list, the person's own deliveries, the
local instructions they see, and the acknowledgement board (per-tier statistics)."""

from __future__ import annotations

import datetime
import json
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Aggregate,
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
)

from core.texts import shown
from core.views import PagesById
from delivery.models import Delivery
from dispatch.access import (  # who may see and do what: dispatch/access.py
    visible_warnings,
)
from dispatch.models import (
    LEVEL_COLOURS,
    LocalInstruction,
    Warning,
)
from dispatch.permissions import DispatchAction
from grids.models import GridUnit, Membership, User, above_q
from grids.rules import TIER_LABELS
from grids.scope import is_administrator, scope_for

BOARD_PER_PAGE = 50
# what the board shows of a delivery, its unit and its people (a unit's boundary and a person's
# password are not read for a page that lists fifty of them)
BOARD_DELIVERY_FIELDS = (
    "state",
    "recipient_unit_id",
    "receipted_at",
    "receipted_by_id",
    "reminded_at",
    "parent_told_at",
)
PERSON_FIELDS = ("real_name", "first_name", "last_name", "username", "mobile")


def _unit_fields(prefix: str = "") -> tuple[str, ...]:
    """A unit's name, code, tier and parent, without its boundary, location and figures."""
    return tuple(f"{prefix}{name}" for name in ("name", "code", "kind", "level", "parent_id"))


def warning_list(user) -> QuerySet[Warning]:
    """Visible warnings, those in force first, then drafts, then lifted; newest first in each."""
    from django.db.models import Case, IntegerField, Value, When

    order = Case(
        When(state=Warning.State.ACTIVE, then=Value(0)),
        When(state=Warning.State.DRAFT, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        visible_warnings(user)
        .select_related("type", "issuer_unit")
        .annotate(state_order=order)
        .order_by("state_order", F("issued_at").desc(nulls_first=True), "-created_at", "-pk")
    )


def own_deliveries(user, warning: Warning) -> list[Delivery]:
    """The deliveries of the warning's latest message to units where the person holds a role."""
    if not warning.document_id:
        return []
    units = scope_for(user).own_unit_ids()
    return list(
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit_id__in=units)
        .select_related("recipient_unit", "receipted_by")
        .order_by("-recipient_unit__level", "recipient_unit__code")
    )


def local_instructions_for(user, warning: Warning, units: Iterable[GridUnit] = ()) -> list[LocalInstruction]:
    """Local instructions a person sees: those added above their own units (their township's for a
    village) and those added inside their scope."""
    scope = scope_for(user)
    condition = Q(pk__in=[])
    for unit in units:
        condition |= above_q(unit, "unit__")
    condition |= scope.unit_q("unit__", grants_only=True)
    return list(warning.local_instructions.filter(condition).select_related("unit", "by").order_by("at", "pk"))


class Median(Aggregate):
    """PostgreSQL's ordered-set median (the board's speed); NULLs (not yet acknowledged) are skipped."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()
    allow_distinct = False


@dataclass
class TierRow:
    level: int
    total: int
    acknowledged: int
    average_minutes: float | None
    median_minutes: float | None

    @property
    def tier(self) -> int:
        return self.level + 1

    @property
    def label(self) -> str:
        return str(TIER_LABELS.get(self.tier, self.tier))

    @property
    def pending(self) -> int:
        return self.total - self.acknowledged

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


@dataclass
class Board:
    warning: Warning
    tiers: list[TierRow]
    pending: Page | None
    recent: list[Delivery] = field(default_factory=list)
    evacuated: int | None = None
    sheltered: int | None = None

    @property
    def total(self) -> int:
        return sum(row.total for row in self.tiers)

    @property
    def acknowledged(self) -> int:
        return sum(row.acknowledged for row in self.tiers)

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.total) if self.total else 0


def _minutes(value) -> float | None:
    if value is None:
        return None
    seconds = value.total_seconds() if isinstance(value, datetime.timedelta) else float(value) / 1_000_000
    return round(seconds / 60, 1)


@dataclass
class Contact:
    """One person of a unit on the board, with every role they hold there (tap to call)."""

    user: User
    roles: list[str]

    @property
    def roles_display(self) -> str:
        return "、".join(self.roles)


def _contacts(memberships: Iterable[Membership]) -> list[Contact]:
    people: dict[int, Contact] = {}
    for membership in memberships:
        contact = people.setdefault(membership.user_id, Contact(user=membership.user, roles=[]))
        contact.roles.append(str(membership.get_role_display()))
    return list(people.values())


def board_deliveries(user, warning: Warning) -> QuerySet[Delivery]:
    """The latest message's deliveries to units in the viewer's scope."""
    if not warning.document_id:
        return Delivery.objects.none()
    scope = scope_for(user)  # as unit ids: the document's deliveries to a village's few units, not all of them joined
    return scope.filter_q(
        Delivery.objects.filter(document_id=warning.document_id, recipient_unit__isnull=False),
        scope.unit_in_q("recipient_unit"),
    )


def warning_board(user, warning: Warning, *, page: int | str | None = 1, per_page: int = BOARD_PER_PAGE) -> Board:
    """Per tier: units delivered, acknowledged, average and median minutes to acknowledge (one
    aggregate query); the units not yet acknowledged with their people's names and mobiles (one
    page, ordered by tier then code); the latest acknowledgements. All within the viewer's scope."""
    deliveries = board_deliveries(user, warning)
    waited = ExpressionWrapper(F("receipted_at") - F("document__sent_at"), output_field=DurationField())
    receipted = Q(state=Delivery.State.RECEIPTED)
    aggregates = {"total": Count("pk"), "acknowledged": Count("pk", filter=receipted), "average": Avg(waited)}
    postgres = connection.vendor == "postgresql"
    if postgres:
        aggregates["median"] = Median(waited)
    rows = deliveries.values("recipient_unit__level").annotate(**aggregates).order_by("recipient_unit__level")
    medians: dict[int, float | None] = {}
    if not postgres:  # the development database: the median in Python from a second query
        spans = defaultdict(list)
        for level, at, sent in deliveries.filter(receipted).values_list(
            "recipient_unit__level", "receipted_at", "document__sent_at"
        ):
            spans[level].append((at - sent).total_seconds())
        medians = {level: round(statistics.median(values) / 60, 1) for level, values in spans.items()}
    tiers = [
        TierRow(
            level=row["recipient_unit__level"],
            total=row["total"],
            acknowledged=row["acknowledged"],
            average_minutes=_minutes(row["average"]),
            median_minutes=_minutes(row["median"]) if postgres else medians.get(row["recipient_unit__level"]),
        )
        for row in rows
    ]
    pending_qs = (
        deliveries.exclude(receipted)
        .select_related("recipient_unit", "recipient_unit__parent")
        .only(*BOARD_DELIVERY_FIELDS, *_unit_fields("recipient_unit__"), "recipient_unit__parent__name")
        .prefetch_related(
            Prefetch(
                "recipient_unit__memberships",
                queryset=Membership.objects.active()
                .select_related("user")
                .only("role", "unit_id", "user_id", *(f"user__{name}" for name in PERSON_FIELDS))
                .order_by("role", "user__real_name"),
                to_attr="active_members",
            )
        )
        .order_by("recipient_unit__level", "recipient_unit__code", "pk")
    )
    waiting = sum(row.pending for row in tiers)  # the tiers' count: no COUNT(*) for the paginator
    pending = Paginator(PagesById(pending_qs, count=waiting), per_page).get_page(page) if waiting else None
    if pending is not None:
        pending.object_list = list(pending.object_list)
        for delivery in pending.object_list:
            delivery.recipient_unit.contacts = _contacts(delivery.recipient_unit.active_members)
    recent = list(
        deliveries.filter(receipted)
        .select_related("recipient_unit", "receipted_by")
        .only(
            *BOARD_DELIVERY_FIELDS,
            *_unit_fields("recipient_unit__"),
            *(f"receipted_by__{name}" for name in PERSON_FIELDS),
        )
        .order_by("-receipted_at", "-pk")[:10]
    )
    board = Board(warning=warning, tiers=tiers, pending=pending, recent=recent)
    if warning.report_evacuation:
        figures = (
            scope_for(user)
            .filter(warning.evacuations.all(), "unit")
            .aggregate(evacuated=Sum("evacuated"), sheltered=Sum("sheltered"))
        )
        board.evacuated, board.sheltered = figures["evacuated"] or 0, figures["sheltered"] or 0
    return board


BANNER_LIMIT = 5  # warnings named in the banner; the badge counts up to BANNER_LIMIT + 1 ("5+")


@dataclass(frozen=True)
class Pending:
    """One of the person's units that has not acknowledged a warning in force (a banner row)."""

    recipient_unit: SimpleNamespace  # pk and name
    warning_pk: int
    warning_title: str
    warning_texts: dict
    warning_level: int


# One statement written once: built by the ORM (four correlated subqueries for the warning's
# fields) it cost 7.7 ms of Python on every page, answered in 0.5 ms.
BANNER_SQL = """
SELECT d.recipient_unit_id, u.name, w.id, w.title, w.texts, w.level
FROM {delivery} d
JOIN {warning} w ON w.document_id = d.document_id AND w.state = %s
JOIN {unit} u ON u.id = d.recipient_unit_id
WHERE d.recipient_unit_id IN ({units}) AND d.state <> %s
ORDER BY w.level, d.id DESC
LIMIT %s"""


def awaiting_acknowledgement(user) -> list[Pending]:
    """叫应: the person's own units' deliveries of warnings in force not yet acknowledged (签收),
    most severe first, each with its warning — one query, for the banner and the badge on every
    page (a warning's deliveries are those of its latest message, ``Warning.document``)."""
    if is_administrator(user):
        return []
    units = sorted(scope_for(user).units_granting(DispatchAction.ACKNOWLEDGE))
    if not units:
        return []
    sql = BANNER_SQL.format(
        delivery=Delivery._meta.db_table,
        warning=Warning._meta.db_table,
        unit=GridUnit._meta.db_table,
        units=", ".join(["%s"] * len(units)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Warning.State.ACTIVE, *units, Delivery.State.RECEIPTED, BANNER_LIMIT + 1])
        rows = cursor.fetchall()
    return [
        Pending(
            recipient_unit=SimpleNamespace(pk=unit, name=name),
            warning_pk=warning,
            warning_title=title,
            warning_texts=(json.loads(texts) if isinstance(texts, str) else texts) or {},
            warning_level=level,
        )
        for unit, name, warning, title, texts, level in rows
    ]


def banner_rows(deliveries: list[Pending]) -> list[dict]:
    return [
        {
            "warning": d.warning_pk,
            "title": shown((d.warning_texts or {}).get("title"), d.warning_title),
            "colour": LEVEL_COLOURS.get(d.warning_level, "red"),
            "unit": d.recipient_unit,
        }
        for d in deliveries[:BANNER_LIMIT]
    ]
