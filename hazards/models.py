"""Hazards (风险隐患) with their closed loop, and the rule tables that grade them."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import RuleName
from grids.files import RandomName
from grids.models import Department, GridUnit, Sector


class Family(models.TextChoices):
    NATURAL = "natural", _("Natural-disaster risk")
    PRODUCTION = "production", _("Production-safety hidden danger")


class RootCause(models.TextChoices):
    THING = "thing", _("Unsafe state of things")
    PERSON = "person", _("Unsafe behaviour of people")
    MANAGEMENT = "management", _("Management defect")


class Grade(models.TextChoices):
    GENERAL = "general", _("General hazard")
    MAJOR = "major", _("Major hazard")


class RiskLevel(models.IntegerChoices):
    """Four levels, four colours; 1 is the highest."""

    RED = 1, _("Major risk (red)")
    ORANGE = 2, _("Large risk (orange)")
    YELLOW = 3, _("General risk (yellow)")
    BLUE = 4, _("Low risk (blue)")


RISK_COLOURS = {RiskLevel.RED: "red", RiskLevel.ORANGE: "orange", RiskLevel.YELLOW: "yellow", RiskLevel.BLUE: "blue"}


class Method(models.TextChoices):
    DIRECT = "direct", _("Set directly")
    LEC = "lec", _("LEC (D = L × E × C)")
    LS = "ls", _("Risk matrix (R = L × S)")


class Source(models.TextChoices):
    PATROL = "patrol", _("Grid officer patrol")
    SELF_CHECK = "self_check", _("Self-inspection")
    INSPECTION = "inspection", _("Inspection")
    REPORT = "tip_off", _("Public report")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    REPORTED = "reported", _("Reported")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Not confirmed")
    RECTIFYING = "rectifying", _("Rectifying")
    AWAITING_ACCEPTANCE = "awaiting", _("Awaiting acceptance")
    CLOSED = "closed", _("Closed")


OPEN_STATES = (State.REPORTED, State.CONFIRMED, State.RECTIFYING, State.AWAITING_ACCEPTANCE)


# --- rule tables --------------------------------------------------------------------------------


class HazardCategory(RuleName):
    """A kind of hazard, and the sector whose county department supervises it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50)
    family = models.CharField(_("family"), max_length=12, choices=Family.choices)
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("supervising sector")
    )
    icon = models.CharField(_("icon"), max_length=4, blank=True, help_text=_("One emoji shown on the phone's button."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()  # a rule row's past values: who changed a number, when

    class Meta:
        verbose_name = _("hazard category")
        verbose_name_plural = _("hazard categories")
        ordering = ["family", "order", "code"]


class RiskFactorOption(models.Model):
    """One value of a grading factor: LEC's L, E, C or the matrix's L, S (RULES.md §1)."""

    class Factor(models.TextChoices):
        LEC_L = "lec_l", _("LEC: likelihood L")
        LEC_E = "lec_e", _("LEC: exposure E")
        LEC_C = "lec_c", _("LEC: consequence C")
        LS_L = "ls_l", _("Matrix: likelihood L")
        LS_S = "ls_s", _("Matrix: severity S")

    factor = models.CharField(_("factor"), max_length=6, choices=Factor.choices)
    value = models.DecimalField(_("value"), max_digits=6, decimal_places=2)
    label = models.CharField(_("description"), max_length=200)
    history = HistoricalRecords()  # a rule row's past values: who changed a number, when

    class Meta:
        verbose_name = _("risk factor value")
        verbose_name_plural = _("risk factor values")
        ordering = ["factor", "-value"]
        constraints = [models.UniqueConstraint(fields=["factor", "value"], name="risk_factor_value_unique")]

    def __str__(self) -> str:
        return f"{self.value.normalize()} — {self.label}"


class RiskBand(models.Model):
    """A score from ``min_score`` (inclusive) up gives ``level``; the highest matching band wins."""

    method = models.CharField(
        _("method"), max_length=6, choices=[(Method.LEC, Method.LEC.label), (Method.LS, Method.LS.label)]
    )
    level = models.PositiveSmallIntegerField(_("risk level"), choices=RiskLevel.choices)
    min_score = models.DecimalField(_("from score (inclusive)"), max_digits=8, decimal_places=2)
    history = HistoricalRecords()  # a rule row's past values: who changed a number, when

    class Meta:
        verbose_name = _("risk band")
        verbose_name_plural = _("risk bands")
        ordering = ["method", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["method", "level"], name="risk_band_unique_level")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ≥ {self.min_score.normalize()} → {self.get_level_display()}"


# --- the register -------------------------------------------------------------------------------


class HazardQuerySet(models.QuerySet):
    """Every bulk write of the register keeps its roll-ups (``hazards.rollup``) in the same
    transaction: the rows' counted columns before and after go to ``rollup.record``."""

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def update(self, **kwargs):
        from hazards import rollup

        if not rollup.counts(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            before = rollup.stored(self)
            changed = super().update(**kwargs)
            after = list(Hazard.objects.filter(pk__in=[row["pk"] for row in before]).values("pk", *rollup.KEY_FIELDS))
            rollup.record(before, after)
        return changed

    def bulk_create(self, objs, *args, **kwargs):
        from hazards import rollup

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            if kwargs.get("ignore_conflicts") or kwargs.get("update_conflicts"):
                rollup.rebuild()  # which rows went in is not known: recount
            else:
                rollup.record([], [{name: getattr(h, name) for name in rollup.KEY_FIELDS} for h in created])
        return created

    def delete(self):
        from hazards import rollup

        with transaction.atomic(using=self.db):
            before = rollup.stored(self)
            result = super().delete()
            rollup.record(before, [])
        return result


class Hazard(models.Model):
    number = models.CharField(_("number"), max_length=60, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    family = models.CharField(_("family"), max_length=12, choices=Family.choices)
    category = models.ForeignKey(HazardCategory, on_delete=models.PROTECT, verbose_name=_("category"))
    root_cause = models.CharField(_("root cause"), max_length=12, choices=RootCause.choices, blank=True)
    unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, related_name="hazards", verbose_name=_("grid unit"))
    owner_unit = models.ForeignKey(
        GridUnit,
        on_delete=models.PROTECT,
        related_name="owned_hazards",
        verbose_name=_("owning tier"),
        help_text=_("The unit that rules on this hazard; it moves up on escalation."),
    )
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    address = models.CharField(_("place"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.PATROL)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reported_hazards", verbose_name=_("reporter")
    )
    found_at = models.DateTimeField(_("found at"), default=timezone.now)
    client_key = models.UUIDField(_("submission key"), null=True, blank=True, editable=False)

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.REPORTED, db_index=True)
    grade = models.CharField(_("grade"), max_length=8, choices=Grade.choices, default=Grade.GENERAL)
    risk_level = models.PositiveSmallIntegerField(_("risk level"), choices=RiskLevel.choices, null=True, blank=True)
    risk_method = models.CharField(_("grading method"), max_length=6, choices=Method.choices, blank=True)
    risk_score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    risk_inputs = models.JSONField(_("factor values"), default=dict, blank=True)
    risk_reason = models.CharField(_("reason for the level"), max_length=200, blank=True)

    # 五落实: measures, responsibility, funds, deadline, contingency plan
    measures = models.TextField(_("rectification measures"), blank=True)
    responsible_unit = models.CharField(_("responsible unit"), max_length=100, blank=True)
    responsible_person = models.CharField(_("responsible person"), max_length=50, blank=True)
    responsible_phone = models.CharField(_("responsible person's phone"), max_length=20, blank=True)
    funds = models.DecimalField(
        _("funds (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    deadline = models.DateField(_("rectification deadline"), null=True, blank=True)
    contingency = models.TextField(_("contingency measures"), blank=True)

    overdue_since = models.DateField(_("overdue since"), null=True, blank=True, db_index=True)

    # 挂牌督办 (major hazards, county)
    supervised = models.BooleanField(_("under listed supervision"), default=False)
    supervising_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_hazards",
        verbose_name=_("supervising department"),
    )
    supervision_deadline = models.DateField(_("supervision deadline"), null=True, blank=True)
    supervision_order_no = models.CharField(_("supervision order number"), max_length=60, blank=True)
    supervision_requirements = models.TextField(_("supervision requirements"), blank=True)

    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = HazardQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "client_key"], name="hazard_unique_submission"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="hazard_state_valid"),
            models.CheckConstraint(
                condition=Q(supervised=False) | Q(grade=Grade.MAJOR), name="hazard_only_major_supervised"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["owner_unit", "state"]),
            models.Index(fields=["found_at"]),
            models.Index(fields=["category", "state"]),
            # a township's or a village's newest fifty: its units' rows in the list's order, read
            # from the index alone (walking ``found_at`` instead passes a county's rows to find them)
            models.Index(fields=["unit", "-found_at", "-id"], name="hazard_unit_newest"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def save(self, *args, **kwargs):
        from hazards import rollup  # the roll-ups change with the row, in its transaction

        rollup.save_counted(self, super().save, *args, **kwargs)

    def delete(self, *args, **kwargs):
        from hazards import rollup

        with transaction.atomic():
            before = rollup.stored(Hazard.objects.filter(pk=self.pk))
            result = super().delete(*args, **kwargs)
            rollup.record(before, [])
        return result

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def risk_colour(self) -> str:
        return RISK_COLOURS.get(self.risk_level, "none")


class HazardTally(models.Model):
    """How many hazards of one kind (category, grade, level, state, overdue, supervised) lie in
    ``unit``'s subtree: one row per kind for the hazard's own unit and each of its ancestors, so a
    county's or a township's figures are a sum over its own rows, never a scan of the register.

    Kept exact by ``hazards.rollup`` in the transaction of every change (``Hazard.save``, the
    overdue job); ``manage.py rebuild_hazard_tallies --check`` compares them with the register."""

    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(HazardCategory, on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=12, choices=Family.choices)
    grade = models.CharField(max_length=8, choices=Grade.choices)
    level = models.PositiveSmallIntegerField()  # the risk level; 0 = not graded yet
    state = models.CharField(max_length=12, choices=State.choices)
    overdue = models.BooleanField()  # overdue_since is set (counted as overdue while rectifying)
    supervised = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "category", "family", "grade", "level", "state", "overdue", "supervised"],
                name="hazard_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.category_id} {self.state} {self.n}"


class HazardMonthTally(models.Model):
    """Hazards of ``unit``'s subtree found (``kind`` found) or closed (``kind`` closed) in a month
    of local time: the dashboard's trend and its "this month" figures. Kept like HazardTally."""

    class Kind(models.TextChoices):
        FOUND = "found", _("Found")
        CLOSED = "closed", _("Closed")

    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    month = models.DateField()  # the first day of the month
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "kind", "month"], name="hazard_month_tally_key")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.month:%Y-%m} {self.n}"


class HazardMapTally(models.Model):
    """The located hazards of ``unit``'s subtree in one square cell of the risk map (``ix``, ``iy``:
    ``hazards.rollup.MAP_CELL`` degrees), by risk level, with the sums of their coordinates: the
    buckets of a county's or a township's map are sums of cells. Kept for counties and townships
    only, like HazardTally."""

    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE, related_name="+")
    ix = models.IntegerField()
    iy = models.IntegerField()
    n = models.IntegerField(default=0)
    red = models.IntegerField(default=0)
    orange = models.IntegerField(default=0)
    yellow = models.IntegerField(default=0)
    blue = models.IntegerField(default=0)
    ungraded = models.IntegerField(default=0)
    sum_lng = models.FloatField(default=0)
    sum_lat = models.FloatField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "ix", "iy"], name="hazard_map_tally_key")]

    def __str__(self) -> str:
        return f"{self.unit_id} ({self.ix}, {self.iy}) {self.n}"


class HazardSequence(models.Model):
    """The last number given to a hazard of a unit in a year: allocated under a row lock."""

    unit = models.ForeignKey(GridUnit, on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="hazard_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class HazardPhoto(models.Model):
    class Kind(models.TextChoices):
        REPORT = "report", _("As found")
        EVIDENCE = "evidence", _("Rectification evidence")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Processing(models.TextChoices):
        PENDING = "pending", _("Being processed")
        DONE = "done", _("Processed")
        UNREADABLE = "unreadable", _("Could not be read")

    # the processed photo (at most 1,600 px, no EXIF): served by hazards:photo; blank until the
    # worker (hazards.tasks.process_hazard_photos) or the first request for it has made it
    image = models.ImageField(_("photo"), upload_to=RandomName("hazards"), blank=True)
    # the file as the phone sent it, checked on its header only: never served, removed once processed
    raw = models.FileField(_("photo as sent"), upload_to=RandomName("hazards/raw"), blank=True)
    processing = models.CharField(
        _("processing"), max_length=10, choices=Processing.choices, default=Processing.DONE, db_index=True
    )
    # at most 320 px, made with the photo (hazards.services.photos); served by hazards:photo_thumb
    thumbnail = models.ImageField(_("thumbnail"), upload_to=RandomName("hazards/thumbs"), blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hazard photo")
        verbose_name_plural = _("hazard photos")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_kind_display()}"


class HazardEvent(models.Model):
    """One step of the timeline: who, when, from which state to which, and a note."""

    class Action(models.TextChoices):
        REPORT = "report", _("Reported")
        CONFIRM = "confirm", _("Confirmed")
        REJECT = "reject", _("Not confirmed")
        PLAN = "plan", _("Five-in-place set, rectification started")
        EVIDENCE = "evidence", _("Rectification evidence submitted")
        ACCEPT = "accept", _("Accepted and closed")
        FAIL = "fail", _("Acceptance failed")
        CLOSE_ON_SPOT = "on_spot", _("Fixed on the spot and closed")
        ESCALATE = "escalate", _("Passed up one tier")
        SUPERVISE = "supervise", _("Put under listed supervision")
        COPY = "copy", _("Copied to department")
        FEEDBACK = "feedback", _("Department feedback")
        OVERDUE = "overdue", _("Rectification overdue")
        REGRADE = "regrade", _("Risk level changed")

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_state = models.CharField(_("from"), max_length=12, choices=State.choices, blank=True)
    to_state = models.CharField(_("to"), max_length=12, choices=State.choices, blank=True)
    from_unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    to_unit = models.ForeignKey(GridUnit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("hazard event")
        verbose_name_plural = _("hazard events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.hazard_id} {self.get_action_display()}"


class HazardCopy(models.Model):
    """A hazard copied (抄告) to the county department that supervises its sector, and its reply."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="copies")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="hazard_copies")
    created_at = models.DateTimeField(auto_now_add=True)
    feedback = models.TextField(_("what the department did"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("copy to department")
        verbose_name_plural = _("copies to departments")
        constraints = [models.UniqueConstraint(fields=["hazard", "department"], name="hazard_copy_unique")]

    def __str__(self) -> str:
        return f"{self.hazard_id} → {self.department_id}"
