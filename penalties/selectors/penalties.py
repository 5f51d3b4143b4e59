"""Reads of penalties: the user's scope, lists, one penalty with what the user may do with it and
how the person was told, and proposals that would repeat one already made.

Every list selector takes ``user=`` and returns only what that user may see; its cost does not
grow with its rows (related rows are joined or prefetched).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from penalties import permissions
from penalties.models import LedgerEntry, OutstandingTotal, Penalty, PenaltyEvent, WaiverRequest
from penalties.selectors.ledger import LedgerTotals, with_balances
from penalties.selectors.people import leadership_users_other_than
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.core.pagination import in_branches
from tollservice.roster.models import Staff

Rule = Penalty.Rule
Status = Penalty.Status

# What a person or a team leader sees of their own penalties: those they have been told about.
_NOTIFIED_STATUSES = (Status.DECIDED, Status.APPROVED, Status.REVOKED)


def penalties_visible_to(user) -> QuerySet[Penalty]:
    """The user's scope: office, leadership and finance see all; a team leader sees their teams'
    penalties and their own, other staff their own, once decided."""
    if has_permission(user, "penalties.view_all"):
        return Penalty.objects.all()
    if not has_permission(user, "penalties.view_own"):
        return Penalty.objects.none()
    roles = roles_for(user)
    scope = Q(pk__in=[])
    if roles.led_team_ids:
        scope |= Q(team_id__in=roles.led_team_ids)
    if roles.staff_id and not _own_within_teams(roles.staff_id, roles.led_team_ids):
        scope |= Q(staff_id=roles.staff_id)
    return Penalty.objects.filter(scope, status__in=_NOTIFIED_STATUSES)


def _scope_parts(user) -> list[Q] | None:
    """The parts of a team leader's scope (each team, their own penalties) when it has several:
    the list reads each through its own index (``tollservice.core.pagination.in_branches``)."""
    if has_permission(user, "penalties.view_all") or not has_permission(user, "penalties.view_own"):
        return None
    roles = roles_for(user)
    parts = [Q(team_id=team_id) for team_id in sorted(roles.led_team_ids)]
    if roles.staff_id and not _own_within_teams(roles.staff_id, roles.led_team_ids):
        parts.append(Q(staff_id=roles.staff_id))
    return parts if len(parts) > 1 else None


def _own_within_teams(staff_id: int, team_ids) -> bool:
    """Whether every penalty of the person was recorded in one of ``team_ids`` (a team leader's
    own penalties in the team they lead): then the team is the whole scope, one condition that an
    index in the lists' order follows, where "team or person" would make the database sort."""
    if not team_ids:
        return False
    return not Penalty.objects.filter(staff_id=staff_id).exclude(team_id__in=team_ids).exists()


def penalty_list(*, user, only_own: bool = False) -> QuerySet[Penalty]:
    """Penalties in the user's scope, newest incident first, with person, team and department.

    ``only_own`` narrows to the user's own penalties ("my penalties"). Filter further with
    django-filter on ``status``, ``rule``, ``eligibility_year``, ``team``, ``department`` …
    The balances are not read here: ``attach_balances`` reads them for a page's rows, and a
    download adds ``with_balances`` (an aggregate over every filtered row's entries).
    """
    penalties = penalties_visible_to(user)
    if only_own:
        staff_id = roles_for(user).staff_id
        penalties = penalties.filter(staff_id=staff_id) if staff_id else penalties.none()
    penalties = penalties.select_related("staff", "team", "department", "policy")
    return in_branches(penalties.order_by("-incident_date", "-pk"), None if only_own else _scope_parts(user))


def attach_balances(penalties: Iterable[Penalty]) -> None:
    """Set ``assessed_fen``, ``collected_fen``, ``waived_fen`` and ``outstanding_fen`` on each of
    ``penalties`` (a page's rows), as ``with_balances`` would: one query for all of them."""
    penalties = [penalty for penalty in penalties if isinstance(penalty, Penalty)]
    if not penalties:
        return
    names = ("assessed_fen", "collected_fen", "waived_fen", "outstanding_fen")
    rows = with_balances(Penalty.objects.filter(pk__in=[p.pk for p in penalties]).order_by())
    balances = {pk: values for pk, *values in rows.values_list("pk", *names)}
    for penalty in penalties:
        for name, value in zip(names, balances.get(penalty.pk, (0, 0, 0, 0)), strict=True):
            setattr(penalty, name, value)


def penalty_detail(*, user, pk: int) -> Penalty:
    """One penalty in the user's scope, with its history, ledger, waivers and linked records.

    Raises ``Penalty.DoesNotExist`` outside the scope (a view turns it into a 404).
    """
    queryset = (
        with_balances(penalties_visible_to(user))
        .select_related(
            "staff",
            "team",
            "department",
            "policy",
            "circular",
            "proposed_by",
            "decided_by",
            "responsible_head",
            "joint_with__staff",
        )
        .prefetch_related(
            "provision_links",
            "prohibition_links",
            Prefetch("events", queryset=PenaltyEvent.objects.select_related("actor")),
            Prefetch(
                "ledger_entries",
                queryset=LedgerEntry.objects.select_related("recorded_by", "reverses").order_by("sequence"),
            ),
            Prefetch(
                "waiver_requests",
                queryset=WaiverRequest.objects.select_related("requested_by", "rejected_by").prefetch_related(
                    "approvals__approver"
                ),
            ),
            "accountability_records__head",
            "joint_penalties__staff",
        )
    )
    return queryset.get(pk=pk)


def penalty_approval_queue(*, user) -> QuerySet[Penalty]:
    """PEN-2 / PEN-3: penalties waiting for the leadership group, oldest first."""
    if not has_permission(user, "penalties.approve"):
        return Penalty.objects.none()
    return (
        Penalty.objects.filter(status=Status.AWAITING_APPROVAL)
        .select_related("staff", "team", "department", "policy", "decided_by")
        .prefetch_related("provision_links")
        .order_by("decided_at", "pk")
    )


def penalty_outstanding(*, user) -> QuerySet[Penalty]:
    """PEN-5: penalties in force whose fine is not yet fully collected or waived (finance office),
    in the order they came into force.

    Filtered on the ledger-derived ``owed_fen`` through its index, not on a sum of every
    penalty's entries; the balances of the rows shown are read for those rows only
    (``balances_of_penalties``, by ``exports.OutstandingReport``).
    """
    if not has_permission(user, "ledger.view"):
        return Penalty.objects.none()
    # "Not in any other status" rather than "in force": the same rows, but a condition the
    # database cannot answer from the status index, so it walks the index of owed fines in
    # the list's order instead of reading every penalty in force and sorting them.
    not_in_force = [status for status in Penalty.Status.values if status not in Penalty.IN_FORCE]
    return (
        Penalty.objects.filter(owed_fen__gt=0)
        .exclude(status__in=not_in_force)
        .select_related("staff", "team", "department")
        .annotate(outstanding_fen=F("owed_fen"))
        .order_by("in_force_from", "pk")
    )


@dataclass(frozen=True)
class OutstandingFigures:
    """The outstanding fines of a (filtered) list: how many, and their ledger totals."""

    fines: int = 0
    totals: LedgerTotals = LedgerTotals()


def outstanding_figures(*, user, year=None, team=None, department=None, staff=None) -> OutstandingFigures:
    """How many fines ``penalty_outstanding`` lists with these filters (its filter form's) and
    their totals (assessed = outstanding + collected + waived), in one query.

    Read from the kept totals per year, team and department (``OutstandingTotal``: a few rows a
    year per team), so that the figures of 28,000 fines owed add up a few hundred rows; for one
    person, from the balances their fines keep (``Penalty.owed_fen``, ``ledger_collected_fen``,
    ``ledger_waived_fen``), through the index of owed fines."""
    if not has_permission(user, "ledger.view"):
        return OutstandingFigures()
    scope = {"eligibility_year": year, "team": team, "department": department}
    scope = {name: value for name, value in scope.items() if value not in (None, "")}
    if staff is not None:
        sums = (
            penalty_outstanding(user=user)
            .filter(staff=staff, **scope)
            .order_by()
            .aggregate(
                fines=Count("pk"),
                owed=Sum("owed_fen"),
                collected=Sum("ledger_collected_fen"),
                waived=Sum("ledger_waived_fen"),
            )
        )
    else:
        sums = OutstandingTotal.objects.filter(**scope).aggregate(
            fines=Sum("fines"), owed=Sum("owed_fen"), collected=Sum("collected_fen"), waived=Sum("waived_fen")
        )
    # PostgreSQL returns sum(bigint) as numeric; the values are whole fen either way.
    fines, owed, collected, waived = (int(sums[name] or 0) for name in ("fines", "owed", "collected", "waived"))
    totals = LedgerTotals(assessed_fen=owed + collected + waived, collected_fen=collected, waived_fen=waived)
    return OutstandingFigures(fines, totals)


def penalty_timeline(*, penalty: Penalty) -> list[tuple[datetime.datetime, object]]:
    """The penalty's steps and ledger entries in one chronological list of (when, row).

    Uses the prefetched ``events`` and ``ledger_entries`` of ``penalty_detail``.
    """
    rows: list[tuple[datetime.datetime, object]] = [(event.at, event) for event in penalty.events.all()]
    rows += [(entry.created_at, entry) for entry in penalty.ledger_entries.all()]
    return sorted(rows, key=lambda row: row[0])


# --- Whether the person was told ----------------------------------------------------------------


@dataclass(frozen=True)
class PenaltyNotice:
    """How the person penalized was told of the decision, from the penalty's steps."""

    reached: bool
    message: str
    at: datetime.datetime | None = None


def penalty_notice(*, penalty: Penalty) -> PenaltyNotice | None:
    """``None`` before the penalty came into force. Uses the prefetched ``events`` of
    ``penalty_detail`` when there are any."""
    if penalty.in_force_from is None:
        return None
    kinds = (PenaltyEvent.Kind.NOTIFIED, PenaltyEvent.Kind.NOT_NOTIFIED)
    steps = [step for step in penalty.events.all() if step.kind in kinds]
    name = penalty.staff.name
    if not steps or steps[-1].kind == PenaltyEvent.Kind.NOT_NOTIFIED:
        message = _(
            "%(name)s could not be notified: there is no portal account and no email address for them on the "
            "roster. Print the notice and hand it to them."
        )
        return PenaltyNotice(False, str(message % {"name": name}), steps[-1].at if steps else None)
    step = steps[-1]
    reach, address = step.details.get("reach", "inbox"), step.details.get("email", "")
    if reach == "email":
        message = _("%(name)s has no portal account and has been notified by email at %(email)s.")
    elif address:
        message = _("%(name)s has been notified in the portal and by email.")
    else:
        message = _("%(name)s has been notified in the portal.")
    return PenaltyNotice(True, str(message % {"name": name, "email": address}), step.at)


# --- The same proposal twice --------------------------------------------------------------------

# A proposal repeats one of these; a withdrawn, rejected or revoked penalty may be proposed again.
OPEN_OR_DECIDED = (Status.PROPOSED, Status.AWAITING_APPROVAL, Status.DECIDED, Status.APPROVED)


def penalty_duplicates(
    *,
    staff: Staff,
    rule: str,
    incident_date: datetime.date,
    provision_ids: Iterable[int] = (),
    source_object=None,
) -> list[Penalty]:
    """Open or decided penalties that a new proposal would repeat: the same person and rule, and

    - from the same source record (an inspection finding, a complaint), whatever the date; or
    - on the same day, citing the same provisions (PEN-1), unless both rest on different source
      records (two verified complaints of one day are two incidents).

    A double-click, a proposal posted twice or a record proposed again finds its first copy here.
    """
    candidates = Penalty.objects.filter(staff=staff, rule=rule, status__in=OPEN_OR_DECIDED)
    same_day = Q(incident_date=incident_date)
    source = None
    if source_object is not None:
        source = (ContentType.objects.get_for_model(source_object).pk, str(source_object.pk))
        same_source = Q(source_content_type_id=source[0], source_object_id=source[1])
        candidates = candidates.filter(same_source | (same_day & Q(source_content_type__isnull=True)))
    else:
        candidates = candidates.filter(same_day)
    wanted = set(provision_ids)
    found = []
    for penalty in candidates.prefetch_related("provision_links").order_by("pk"):
        from_source = source == (penalty.source_content_type_id, penalty.source_object_id)
        cited = {link.provision_id for link in penalty.provision_links.all()}
        if from_source or rule != Rule.SERVICE_CODE or cited == wanted:
            found.append(penalty)
    return found


def approvers_for(penalty: Penalty) -> list:
    """Four eyes: the leadership members who could decide on ``penalty`` (not the person who
    decided it for the office, not the person penalized)."""
    return leadership_users_other_than(user_ids=[penalty.decided_by_id], staff_id=penalty.staff_id)


# --- What the user may do with a penalty now ---------------------------------------------------

# Refusals worth saying on the page to someone whose role would allow the step: the rest (no
# role, a penalty not in that state) simply leave the button out.
_SAID_ON_THE_PAGE = frozenset({"own_case", "four_eyes", "collected", "waiver_pending"})


@dataclass(frozen=True)
class PenaltyActions:
    """The buttons a penalty's page offers, from the checks the services make when pressed."""

    decide: permissions.Verdict = permissions.NOT_ALLOWED
    withdraw: permissions.Verdict = permissions.NOT_ALLOWED
    approve: permissions.Verdict = permissions.NOT_ALLOWED
    reject: permissions.Verdict = permissions.NOT_ALLOWED
    revoke: permissions.Verdict = permissions.NOT_ALLOWED
    collect: permissions.Verdict = permissions.NOT_ALLOWED
    request_waiver: permissions.Verdict = permissions.NOT_ALLOWED
    reversible_entry_ids: frozenset[int] = frozenset()
    # Why a step the user's role would allow is not offered, in words.
    notes: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        steps = (self.decide, self.withdraw, self.approve, self.reject, self.revoke, self.collect)
        return any(steps) or bool(self.request_waiver)


def penalty_actions(*, user, penalty: Penalty) -> PenaltyActions:
    """Uses the balances and the prefetched ledger and waivers of ``penalty_detail``."""
    outstanding = getattr(penalty, "outstanding_fen", 0) or 0
    waiver_pending = any(w.status == WaiverRequest.Status.PENDING for w in penalty.waiver_requests.all())
    verdicts = {
        "decide": permissions.can_decide(user, penalty),
        "withdraw": permissions.can_withdraw(user, penalty),
        "approve": permissions.can_approve(user, penalty),
        "reject": permissions.can_reject(user, penalty),
        "revoke": permissions.can_revoke(user, penalty, collected_fen=getattr(penalty, "collected_fen", 0) or 0),
        "collect": permissions.can_collect(user, penalty, outstanding_fen=outstanding),
        "request_waiver": permissions.can_request_waiver(
            user, penalty, outstanding_fen=outstanding, waiver_pending=waiver_pending
        ),
    }
    notes = list(dict.fromkeys(v.message for v in verdicts.values() if not v and v.code in _SAID_ON_THE_PAGE))
    if (
        penalty.status == Status.AWAITING_APPROVAL
        and has_permission(user, "penalties.view_all")
        and not approvers_for(penalty)
    ):
        notes.append(
            str(
                _(
                    "No member of the leadership group other than the one who decided this penalty can decide on "
                    "it: it needs another member of the leadership group with a portal account."
                )
            )
        )
    return PenaltyActions(
        **verdicts, reversible_entry_ids=reversible_entry_ids(user=user, penalty=penalty), notes=tuple(notes)
    )


def reversible_entry_ids(*, user, penalty: Penalty) -> frozenset[int]:
    """Entries of a penalty this user may correct now (``can_reverse_entry``), from the
    prefetched ledger of ``penalty_detail``."""
    if not has_permission(user, "ledger.reverse"):
        return frozenset()
    entries = list(penalty.ledger_entries.all())
    reversed_ids = {entry.reverses_id for entry in entries if entry.reverses_id}
    return frozenset(
        entry.pk
        for entry in entries
        if permissions.can_reverse_entry(user, entry, already_reversed=entry.pk in reversed_ids)
    )
