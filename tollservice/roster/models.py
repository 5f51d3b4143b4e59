"""The station's roster (ORG-1 … ORG-6).

Nobody is ever deleted: people leave (``active=False``, an end date) and memberships end
(``end_date``), so the history of who held which post stays readable.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tollservice.core.models import TimeStampedModel
from tollservice.core.validators import PHONE_MAX_LENGTH, validate_phone


class Station(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=30, unique=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    hotline = models.CharField(
        _("complaint hotline"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_phone]
    )

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")

    def __str__(self) -> str:
        return self.name


class Department(TimeStampedModel):
    class Kind(models.TextChoices):
        TOLL_OFFICE = "toll_office", _("Toll-collection office")
        FINANCE = "finance", _("Finance office")
        GENERAL_OFFICE = "general_office", _("General office")
        OTHER = "other", _("Other")

    station = models.ForeignKey(
        Station, on_delete=models.PROTECT, related_name="departments", verbose_name=_("station")
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    head = models.ForeignKey(
        "Staff", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("head")
    )
    hotline = models.CharField(_("hotline"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_phone])
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="department_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roster:department_detail", args=[self.pk])


# How every list of teams is ordered (``Team.Meta.ordering`` and explicit ``order_by`` alike).
TEAM_ORDER = ["display_order", "name"]


class Team(TimeStampedModel):
    """A front-line shift team (班组) under a team leader (班长)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="teams", verbose_name=_("station"))
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="teams", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        "Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("team leader"),
    )
    # Team names sort by character code (一班, 三班, 二班 …): lists follow this number instead.
    display_order = models.PositiveSmallIntegerField(
        _("display order"), default=0, help_text=_("Teams are listed by this number, smallest first, then by name.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = TEAM_ORDER
        constraints = [models.UniqueConstraint(fields=["station", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roster:team_detail", args=[self.pk])


class Staff(TimeStampedModel):
    employee_number = models.CharField(_("employee number"), max_length=20, unique=True)
    name = models.CharField(pgettext_lazy("of a person", "name"), max_length=50)
    position = models.CharField(_("position"), max_length=50, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="staff", verbose_name=_("department")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_profile",
        verbose_name=pgettext_lazy("sign-in", "login account"),
    )

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["employee_number"]
        # The staff list: current (or former) staff by employee number, page and count alike.
        indexes = [models.Index(fields=["active", "employee_number"], name="staff_list")]

    def __str__(self) -> str:
        return f"{self.name} ({self.employee_number})"

    def get_absolute_url(self) -> str:
        return reverse("roster:staff_detail", args=[self.pk])


def _current(on: datetime.date | None = None) -> Q:
    on = on or timezone.localdate()
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=on))


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        return self.filter(_current(on))


class LeadershipMembership(TimeStampedModel):
    """A seat in the leadership group (ORG-1), with dates so that history is kept."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Leader")
        DEPUTY = "deputy", _("Deputy leader")
        MEMBER = "member", _("Member")

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="leadership_memberships", verbose_name=_("staff member")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("leadership-group membership")
        verbose_name_plural = _("leadership-group memberships")
        ordering = ["role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="leadership_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} · {self.get_role_display()}"


class OfficeMembership(TimeStampedModel):
    """A seat in the leadership group's office (ORG-2), seated in the toll-collection office."""

    class Role(models.TextChoices):
        DIRECTOR = "director", _("Director")
        MEMBER = "member", _("Member")

    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="office_memberships", verbose_name=_("staff member")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    concurrent = models.BooleanField(
        _("concurrent post"), default=False, help_text=_("Held alongside the person's main post (兼).")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group-office membership")
        verbose_name_plural = _("group-office memberships")
        ordering = ["role", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="office_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} · {self.get_role_display()}"


class Supervisor(TimeStampedModel):
    """A hired external supervisor (ORG-6) who makes open and covert visits."""

    name = models.CharField(pgettext_lazy("of a person", "name"), max_length=50)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True, validators=[validate_phone])
    email = models.EmailField(_("email"), blank=True)
    pass_number = models.CharField(_("pass number"), max_length=30, unique=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisor_profile",
        verbose_name=pgettext_lazy("sign-in", "login account"),
    )

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="supervisor_term_end_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("roster:supervisor_detail", args=[self.pk])

    def in_term(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.active and self.term_start <= on and (self.term_end is None or self.term_end >= on)


class ShiftLeaderAssignment(TimeStampedModel):
    """Who was shift leader (当班负责人) for a date and shift; complaints are routed by it (CMP-3)."""

    class Shift(models.TextChoices):
        DAY = "day", _("Day shift")
        MIDDLE = "middle", _("Middle shift")
        NIGHT = "night", _("Night shift")

    date = models.DateField(_("date"))
    shift = models.CharField(_("shift"), max_length=10, choices=Shift.choices)
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="shift_leader_assignments", verbose_name=_("shift leader")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("team on duty")
    )

    class Meta:
        verbose_name = _("shift-leader assignment")
        verbose_name_plural = _("shift-leader assignments")
        ordering = ["-date", "shift"]
        constraints = [models.UniqueConstraint(fields=["date", "shift"], name="one_shift_leader_per_shift")]

    def __str__(self) -> str:
        return f"{self.date} {self.get_shift_display()} · {self.staff.name}"


class Lane(TimeStampedModel):
    """A toll lane (车道): where the service happens. Inspections and complaints name one.

    Lanes are never deleted (inspections and complaints cite them): a closed lane is
    ``active=False``, and disappears from the choices while old records keep it.
    """

    class Direction(models.TextChoices):
        ENTRY = "entry", pgettext_lazy("lane", "Entry")
        EXIT = "exit", pgettext_lazy("lane", "Exit")

    class Kind(models.TextChoices):
        ETC = "etc", _("ETC")
        MANUAL = "manual", _("Manual")
        MIXED = "mixed", _("Mixed (ETC and manual)")

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="lanes", verbose_name=_("station"))
    number = models.CharField(_("lane number"), max_length=10)
    direction = models.CharField(_("entry or exit"), max_length=10, choices=Direction.choices)
    heading = models.CharField(
        _("direction of travel"), max_length=50, blank=True, help_text=_("For example “towards Nanchang”.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.MIXED)
    order = models.PositiveSmallIntegerField(_("display order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("lane")
        verbose_name_plural = _("lanes")
        ordering = ["order", "number"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="lane_unique_number")]

    def __str__(self) -> str:
        return f"{self.number} · {self.get_direction_display()}"


# How lists of booths are ordered: their numbers as numbers (2号亭 before 10号亭), not as text.
BOOTH_ORDER = (Length("number"), "number")


class Booth(TimeStampedModel):
    """A toll booth (收费亭), usually serving one lane; never deleted (inspections cite it)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="booths", verbose_name=_("station"))
    number = models.CharField(_("booth number"), max_length=10)
    lane = models.ForeignKey(
        Lane, on_delete=models.PROTECT, null=True, blank=True, related_name="booths", verbose_name=_("lane")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="booth_unique_number")]

    def __str__(self) -> str:
        return self.number
