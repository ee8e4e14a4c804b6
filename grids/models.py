"""The three-tier grid: units in a tree, county departments, people and their memberships."""

import simple_history
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from mptt.managers import TreeManager
from mptt.models import MPTTModel, TreeForeignKey
from simple_history.models import HistoricalRecords

from grids import rules
from grids.files import RandomName
from grids.rules import Kind


def within_q(unit: "GridUnit", prefix: str = "") -> Q:
    """Rows whose unit (reached through ``prefix``, e.g. ``"unit__"``) lies in ``unit``'s subtree,
    ``unit`` included. The one place the tree's ``tree_id/lft/rght`` range is written out."""
    return Q(**{f"{prefix}tree_id": unit.tree_id, f"{prefix}lft__gte": unit.lft, f"{prefix}rght__lte": unit.rght})


def above_q(unit: "GridUnit", prefix: str = "") -> Q:
    """Rows whose unit (through ``prefix``) is ``unit`` or one of its ancestors."""
    return Q(**{f"{prefix}tree_id": unit.tree_id, f"{prefix}lft__lte": unit.lft, f"{prefix}rght__gte": unit.rght})


class GridUnitManager(TreeManager):
    def within(self, unit: "GridUnit"):
        """``unit`` and every unit below it."""
        return self.filter(within_q(unit))


class GridUnit(MPTTModel):
    """One grid (网格): a county, a township or park, or a village, community or enterprise."""

    parent = TreeForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_(
            "Division code: 6 digits for a county, 12 for a township or village; local code for parks and enterprises."
        ),
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, help_text=_("Enterprises only.")
    )
    is_hazardous = models.BooleanField(
        _("high-risk enterprise"),
        default=False,
        help_text=_(
            "Enterprises only: mining, metal smelting, construction, dangerous goods and the like "
            "(RULES.md §5.2); they must keep comprehensive, special and on-site plans."
        ),
    )
    boundary = models.JSONField(_("boundary"), null=True, blank=True, help_text=_("GeoJSON Polygon or MultiPolygon."))
    location = models.JSONField(_("location"), null=True, blank=True, help_text=_("GeoJSON Point."))
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = GridUnitManager()

    # the unit's drawn shapes (GeoJSON, a village's boundary can be tens of KB): deferred where a
    # page lists units by name (``.defer(*GridUnit.SHAPES)``)
    SHAPES = ("boundary", "location")

    # declared here only to drop django-mptt's index on tree_id alone: grid_unit_tree_range (Meta)
    # starts with it, and with two the planner took the narrow one and filtered the range
    tree_id = models.PositiveIntegerField(editable=False)

    class MPTTMeta:
        order_insertion_by = ["code"]

    class Meta:
        verbose_name = _("grid unit")
        verbose_name_plural = _("grid units")
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="grid_unit_credit_code_unique"
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="grid_unit_kind_valid"),
        ]
        # A scope is a tree range (grids/scope.py: tree_id, lft, rght); with the id in the index,
        # "the units of this subtree" is an index-only range scan instead of a walk of every unit
        # (county scope at 12,310 units: 3.3 → 0.1 ms). mptt's own index is dropped below the model.
        indexes = [models.Index(fields=["tree_id", "lft", "rght", "id"], name="grid_unit_tree_range")]

    def __str__(self) -> str:
        return self.name

    @property
    def tier(self) -> int:
        return rules.TIER_OF_KIND[self.kind]

    @property
    def tier_label(self) -> str:
        return str(rules.TIER_LABELS[self.tier])

    def contains(self, other: "GridUnit") -> bool:
        """Is ``other`` this unit or below it?"""
        return other.tree_id == self.tree_id and self.lft <= other.lft and other.rght <= self.rght

    @property
    def descendant_total(self) -> int:
        return (self.rght - self.lft - 1) // 2

    def clean(self) -> None:
        errors: dict[str, list] = {}
        parent = self.parent
        try:
            rules.check_placement(kind=self.kind, parent_kind=parent.kind if parent else None)
        except ValidationError as exc:
            errors.setdefault("parent" if parent else "kind", []).append(exc)
        if self.kind in rules.TIER_OF_KIND and self.code:
            try:
                rules.check_code(kind=self.kind, code=self.code, parent_code=parent.code if parent else None)
            except ValidationError as exc:
                errors.setdefault("code", []).append(exc)
        if self.kind == Kind.ENTERPRISE:
            if not self.credit_code:
                errors.setdefault("credit_code", []).append(
                    ValidationError(_("An enterprise grid needs its unified social credit code."))
                )
            else:
                self.credit_code = self.credit_code.upper()
                try:
                    rules.check_credit_code(self.credit_code)
                except ValidationError as exc:
                    errors.setdefault("credit_code", []).append(exc)
        elif self.credit_code:
            errors.setdefault("credit_code", []).append(
                ValidationError(_("Only an enterprise grid has a unified social credit code."))
            )
        if self.is_hazardous and self.kind != Kind.ENTERPRISE:
            errors.setdefault("is_hazardous", []).append(
                ValidationError(_("Only an enterprise grid can be marked high-risk."))
            )
        for field, allowed in (("boundary", ("Polygon", "MultiPolygon")), ("location", ("Point",))):
            try:
                rules.check_geometry(getattr(self, field), allowed=allowed)
            except ValidationError as exc:
                errors.setdefault(field, []).append(exc)
        if parent and self.pk and not parent._state.adding:
            if parent.pk == self.pk or self.contains(parent):
                errors.setdefault("parent", []).append(ValidationError(_("A unit cannot be placed inside itself.")))
        if errors:
            raise ValidationError(errors)


simple_history.register(
    GridUnit,
    excluded_fields=["lft", "rght", "tree_id", "level", "created_at", "updated_at"],
    verbose_name=_("historical grid unit"),
)


# django-mptt appends a (tree_id, lft) index to the model after its Meta is read; it never reached
# the migrations, and grid_unit_tree_range starts with those columns.
GridUnit._meta.indexes[:] = [
    index for index in GridUnit._meta.indexes if index.name != "grids_gridunit_tree_id_lft_idx"
]


class Sector(models.Model):
    """A field of work a county department supervises across all tiers (水利, 交通, 林草 …)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("supervision sector")
        verbose_name_plural = _("supervision sectors")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A county department with safety duties (部门): a hazard of its sectors is copied to it."""

    county = models.ForeignKey(
        GridUnit,
        on_delete=models.PROTECT,
        related_name="departments",
        limit_choices_to={"level": 0},
        verbose_name=_("county"),
    )
    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    sectors = models.ManyToManyField(
        Sector, related_name="departments", blank=True, verbose_name=_("sectors supervised")
    )
    phone = models.CharField(_("duty phone"), max_length=30, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[sectors])

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["county_id", "name"]
        constraints = [models.UniqueConstraint(fields=["county", "name"], name="department_name_unique_in_county")]

    def __str__(self) -> str:
        return self.short_name or self.name

    def clean(self) -> None:
        if self.county_id and self.county.tier != 1:
            raise ValidationError({"county": _("A department belongs to a county (tier-1 unit).")})


class User(AbstractUser):
    """A person: a Django user with the profile the grid needs (real name, mobile, position)."""

    real_name = models.CharField(_("real name"), max_length=50, blank=True)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[rules.check_mobile])
    position = models.CharField(_("position"), max_length=100, blank=True)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("department"),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set when a grid leader or the administrator reset the password: asked for a new one at login."),
    )

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="user_mobile_unique")]

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def display_name(self) -> str:
        return self.real_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    """Roles of DOMAIN.md §1. One person may hold several, in several grids."""

    GRID_LEADER = "grid_leader", _("Grid leader")
    DEPUTY_LEADER = "deputy_leader", _("Deputy grid leader")
    GRID_MANAGER = "grid_manager", _("Grid manager")
    GRID_OFFICER = "grid_officer", _("Grid officer")
    INFORMATION_OFFICER = "information_officer", _("Information officer")
    DISPATCHER = "dispatcher", _("Dispatcher")


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True, unit__is_active=True)


class Membership(models.Model):
    """A person holding a role in a grid unit; it gives them that unit's subtree as scope."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person"))
    unit = models.ForeignKey(
        GridUnit, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("grid unit")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["unit__tree_id", "unit__lft", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.unit} · {self.get_role_display()}"


class ImportJob(models.Model):
    """An uploaded spreadsheet of units or people, checked whole and imported by a Celery task."""

    class Dataset(models.TextChoices):
        UNITS = "units", _("Grid units")
        PEOPLE = "people", _("People and roles")

    class Status(models.TextChoices):
        PENDING = "pending", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Imported")
        REFUSED = "refused", _("Refused: errors in the file")
        FAILED = "failed", _("Failed")

    dataset = models.CharField(_("data"), max_length=10, choices=Dataset.choices)
    file = models.FileField(_("file"), upload_to=RandomName("imports"))  # served by grids.files
    original_name = models.CharField(_("file name"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="import_jobs", verbose_name=_("uploaded by")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    started_at = models.DateTimeField(
        _("started"), null=True, blank=True, help_text=_("When a worker last claimed the job.")
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times a worker has claimed the job.")
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} · {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.REFUSED, self.Status.FAILED}
