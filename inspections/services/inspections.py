"""An inspection's life: start a draft, record the results, file it; the office reviews a
supervisor's visit (INS-6), corrects a filed inspection with a reason, and closes it once every
finding has an outcome (INS-2)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import permissions, rules
from inspections.links import INSPECTION_DETAIL, REVIEW_QUEUE, portal_url
from inspections.models import (
    ChecklistItem,
    ChecklistVersion,
    Evidence,
    Inspection,
    InspectionSettings,
    ItemResult,
    RectificationOrder,
)
from inspections.services import _effects
from inspections.services._common import office_users, user_of
from tollservice.access.roles import Role, roles_for
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional
from tollservice.notifications.services import notification_send_each
from tollservice.roster.models import Booth, Lane, Staff, Supervisor, Team
from tollservice.roster.selectors import shift_at, shift_leader_on_duty

Kind = Inspection.Kind
Status = Inspection.Status
Verdict = ItemResult.Verdict

UNSET = object()
# A phone's clock runs a little ahead of the server's; a visit is never entered before it happens.
CLOCK_SKEW = datetime.timedelta(minutes=5)
NOTE_MAX = 2000
SUMMARY_MAX = 4000
REASON_MAX = 2000

_AUDITED = [
    "kind",
    "status",
    "occurred_at",
    "team",
    "lane",
    "booth",
    "shift_leader",
    "supervisor",
    "vehicles_sampled",
    "score",
    "deduction",
    "vetoed",
]


@dataclass(frozen=True)
class ResultInput:
    """One result as a form (or the phone's synced draft) sends it. ``pk`` names a row already
    saved (so its photos, outcomes and appeals stay attached); without it a row is added."""

    item: ChecklistItem | int
    verdict: str
    occurrences: int = 0
    grave: bool = False
    staff: Staff | None = None
    note: str = ""
    pk: int | None = None


def checklist_in_force(*, on: datetime.date) -> ChecklistVersion:
    """The published checklist version in force on ``on``: an inspection is scored with it."""
    version = (
        ChecklistVersion.objects.filter(status=ChecklistVersion.Status.PUBLISHED, effective_from__lte=on)
        .order_by("-effective_from", "-pk")
        .first()
    )
    if version is None:
        raise DomainError(
            _("No checklist was in force on %(date)s: the station's records start later."),
            field="occurred_at",
            params={"date": on.isoformat()},
        )
    return version


# --- Start and fill in ------------------------------------------------------------------------------


def _check_moment(occurred_at: datetime.datetime) -> datetime.datetime:
    if occurred_at is None:
        raise DomainError(_("Give the date and time of the inspection."), field="occurred_at")
    if timezone.is_naive(occurred_at):
        occurred_at = timezone.make_aware(occurred_at)
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise DomainError(_("An inspection is entered once it has taken place."), field="occurred_at")
    return occurred_at


def _place(lane: Lane | None, booth: Booth | None) -> tuple[Lane | None, Booth | None]:
    if booth is not None and booth.lane_id:
        if lane is not None and lane.pk != booth.lane_id:
            raise DomainError(_("This booth serves another lane."), field="booth")
        lane = booth.lane
    return lane, booth


def _supervisor_for(user, kind: str, supervisor: Supervisor | None) -> Supervisor | None:
    if kind not in Inspection.SUPERVISOR_KINDS:
        if supervisor is not None:
            raise DomainError(_("Only a supervisor's visit names a supervisor."), field="supervisor")
        return None
    roles = roles_for(user)
    if Role.SUPERVISOR in roles and roles.supervisor_id:
        if supervisor is not None and supervisor.pk != roles.supervisor_id:
            raise DomainError(_("A supervisor enters their own visits."), field="supervisor")
        return Supervisor.objects.get(pk=roles.supervisor_id)
    if supervisor is None:
        raise DomainError(_("Name the supervisor who made the visit."), field="supervisor")
    return supervisor


def inspection_start(
    *,
    created_by,
    kind: str,
    occurred_at: datetime.datetime,
    team: Team | None = None,
    lane: Lane | None = None,
    booth: Booth | None = None,
    inspectors: Iterable[Staff] = (),
    supervisor: Supervisor | None = None,
    shift_leader=UNSET,
    vehicles_sampled: int | None = None,
    summary: str = "",
) -> Inspection:
    """Start a draft of ``kind`` (INS-1 leadership, INS-6 supervisor's open or covert visit, the
    office's routine check, a CCTV review) at ``occurred_at``.

    The shift and the shift leader on duty at that moment come from the roster (the shift leader
    can be changed); the team on shift defaults to the one the roster puts on that shift. The
    checklist version in force on that day is kept with the inspection. A covert visit may be
    entered after the visitor has left: ``occurred_at`` is the visit, not the filing.
    """
    permissions.check_record_kind(created_by, kind)
    occurred_at = _check_moment(occurred_at)
    version = checklist_in_force(on=timezone.localtime(occurred_at).date())
    shift_date, shift = shift_at(moment=occurred_at)
    assignment = shift_leader_on_duty(moment=occurred_at)
    if shift_leader is UNSET:
        shift_leader = assignment.staff if assignment else None
    if team is None and assignment is not None:
        team = assignment.team
    if team is None:
        raise DomainError(_("Choose the team on shift."), field="team")
    lane, booth = _place(lane, booth)
    supervisor = _supervisor_for(created_by, kind, supervisor)
    summary = text_optional(summary, field="summary", limit=SUMMARY_MAX)
    inspectors = list(dict.fromkeys(inspectors))
    own_staff_id = roles_for(created_by).staff_id
    if kind not in Inspection.SUPERVISOR_KINDS and own_staff_id and all(s.pk != own_staff_id for s in inspectors):
        inspectors.insert(0, Staff.objects.get(pk=own_staff_id))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            kind=kind,
            occurred_at=occurred_at,
            shift_date=shift_date,
            shift=shift,
            team=team,
            team_leader=team.leader,
            shift_leader=shift_leader,
            lane=lane,
            booth=booth,
            supervisor=supervisor,
            vehicles_sampled=vehicles_sampled,
            summary=summary,
            checklist_version=version,
            created_by=created_by,
        )
        inspection.inspectors.set(inspectors)
        audit_record(
            actor=created_by,
            instance=inspection,
            action=AuditEntry.Action.CREATE,
            after=snapshot(inspection, _AUDITED),
            summary=_("Inspection started"),
        )
    return inspection


def inspection_update(*, inspection: Inspection, updated_by, **changes) -> Inspection:
    """Change a draft's particulars (date and time, team, lane, booth, shift leader, inspectors,
    vehicles sampled, remarks). A new date may bring another checklist version: the results
    move to the same items (by code) of that version."""
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_edit(updated_by, inspection)
        before = snapshot(inspection, _AUDITED)
        _apply_particulars(inspection, changes)
        inspection.save()
        audit_record(
            actor=updated_by,
            instance=inspection,
            action=AuditEntry.Action.UPDATE,
            before=before,
            after=snapshot(inspection, _AUDITED),
        )
    return inspection


_PARTICULARS = {"occurred_at", "team", "lane", "booth", "shift_leader", "inspectors", "vehicles_sampled", "summary"}


def _apply_particulars(inspection: Inspection, changes: dict, *, keep_version: bool = False) -> None:
    unknown = set(changes) - _PARTICULARS
    if unknown:
        raise TypeError(f"Unknown particulars: {sorted(unknown)}")
    if "occurred_at" in changes:
        occurred_at = _check_moment(changes["occurred_at"])
        version = checklist_in_force(on=timezone.localtime(occurred_at).date())
        if version.pk != inspection.checklist_version_id:
            if keep_version:
                raise DomainError(
                    _("On that date another checklist was in force; the inspection keeps the one it was scored with."),
                    field="occurred_at",
                )
            _move_results(inspection, version)
        inspection.occurred_at = occurred_at
        inspection.shift_date, inspection.shift = shift_at(moment=occurred_at)
        inspection.results.update(occurred_at=occurred_at)
    if "team" in changes:
        if changes["team"] is None:
            raise DomainError(_("Choose the team on shift."), field="team")
        inspection.team = changes["team"]
        inspection.team_leader = changes["team"].leader
        # Who sees an order or a finding follows its inspection's team (the order's own team stays).
        RectificationOrder.objects.filter(inspection=inspection).update(inspection_team=inspection.team)
        inspection.results.update(inspection_team=inspection.team)
    if "lane" in changes or "booth" in changes:
        inspection.lane, inspection.booth = _place(
            changes.get("lane", inspection.lane), changes.get("booth", inspection.booth)
        )
    if "shift_leader" in changes:
        inspection.shift_leader = changes["shift_leader"]
    if "vehicles_sampled" in changes:
        inspection.vehicles_sampled = changes["vehicles_sampled"]
    if "summary" in changes:
        inspection.summary = text_optional(changes["summary"], field="summary", limit=SUMMARY_MAX)
    if "inspectors" in changes:
        inspection.inspectors.set(list(dict.fromkeys(changes["inspectors"])))


def _move_results(inspection: Inspection, version: ChecklistVersion) -> None:
    items = {item.code: item for item in version.items.all()}
    results = list(inspection.results.select_related("item"))
    lost = sorted({r.item.code for r in results if r.item.code not in items})
    if lost:
        raise DomainError(
            _("The checklist in force on that date has no item %(codes)s; record those results again."),
            field="occurred_at",
            params={"codes": "、".join(lost)},
        )
    for result in results:
        result.item = items[result.item.code]
    ItemResult.objects.bulk_update(results, ["item"])
    inspection.checklist_version = version


def _validated(inspection: Inspection, results: Iterable[ResultInput]) -> list[ResultInput]:
    items = {item.pk: item for item in inspection.checklist_version.items.all()}
    checked = []
    for data in results:
        item_id = data.item.pk if isinstance(data.item, ChecklistItem) else data.item
        item = items.get(item_id)
        if item is None:
            raise DomainError(_("A result names an item that is not on this inspection's checklist."))
        note = text_optional(data.note, field="note", limit=NOTE_MAX)
        if data.grave and item.grave_deduction is None:
            raise DomainError(
                _("“%(item)s” has no graver deduction for a grave occurrence."), field="grave", params={"item": item}
            )
        if data.verdict == Verdict.BREACHED and data.occurrences < 1:
            raise DomainError(
                _("“%(item)s” is breached: give the number of occurrences."), field="occurrences", params={"item": item}
            )
        if data.verdict not in Verdict.values:
            raise DomainError(_("Choose compliant, not applicable or breached."), field="verdict")
        breached = data.verdict == Verdict.BREACHED
        checked.append(
            ResultInput(
                item=item,
                verdict=data.verdict,
                occurrences=data.occurrences if breached else 0,
                grave=data.grave if breached else False,
                staff=data.staff,
                note=note,
                pk=data.pk,
            )
        )
    conflicts = rules.conflicting_items(
        rules.Entry(key=i, item=d.item.pk, verdict=d.verdict) for i, d in enumerate(checked)
    )
    if conflicts:
        names = "、".join(str(items[item_id]) for item_id in conflicts)
        raise DomainError(
            _("An item is either breached or compliant / not applicable, not both: %(items)s."),
            params={"items": names},
        )
    return checked


def _sync_results(inspection: Inspection, results: list[ResultInput], *, removable) -> list[ItemResult]:
    """Make the inspection's results the given ones: update rows named by ``pk``, add the others,
    and remove the rest if ``removable(row)`` allows it. A fixed number of queries, however many
    rows: the phone form syncs every result each time."""
    existing = {row.pk: row for row in inspection.results.all()}
    kept, added, changed = [], [], []
    now = timezone.now()
    for position, data in enumerate(results):
        if data.pk is not None:
            row = existing.pop(data.pk, None)
            if row is None:
                raise DomainError(_("A result was removed meanwhile; reload the inspection."), code="stale")
            row.updated_at = now
            changed.append(row)
        else:
            row = ItemResult(inspection=inspection, inspection_team_id=inspection.team_id)
            added.append(row)
        row.item = data.item
        row.verdict = data.verdict
        row.occurrences = data.occurrences
        row.grave = data.grave
        row.staff = data.staff
        row.note = data.note
        row.position = position
        row.occurred_at = inspection.occurred_at
        kept.append(row)
    for row in existing.values():
        removable(row)
    if existing:
        Evidence.objects.filter(finding__in=list(existing)).update(finding=None)  # the photo stays with the inspection
        ItemResult.objects.filter(pk__in=list(existing)).delete()
    ItemResult.objects.bulk_update(changed, _RESULT_FIELDS)
    ItemResult.objects.bulk_create(added)
    return kept


_RESULT_FIELDS = ["item", "verdict", "occurrences", "grave", "staff", "note", "position", "occurred_at", "updated_at"]


def _draft_row_removable(row: ItemResult) -> None:
    return None


def inspection_results_save(*, inspection: Inspection, saved_by, results: Iterable[ResultInput]) -> rules.Score:
    """Record the results of a draft — the phone form syncs all of them each time — and return
    the live score (the same ``rules.score`` the filed inspection gets)."""
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_edit(saved_by, inspection)
        checked = _validated(inspection, results)
        rows = _sync_results(inspection, checked, removable=_draft_row_removable)
        return _effects.compute(inspection, rows)


def inspection_live_score(*, inspection: Inspection, results: Iterable[ResultInput]) -> rules.Score:
    """The score results would give, without saving anything (the form's live total)."""
    checked = _validated(inspection, results)
    entries = [
        rules.Entry(key=i, item=d.item.pk, verdict=d.verdict, occurrences=d.occurrences, grave=d.grave, staff=d.staff)
        for i, d in enumerate(checked)
    ]
    return rules.score(_effects.terms_of(inspection), entries)


# --- File, review, take effect -------------------------------------------------------------------------------


def _check_complete(inspection: Inspection) -> None:
    items = list(inspection.checklist_version.items.all())
    entries = [rules.Entry.of(r) for r in inspection.results.all()]
    missing = set(rules.missing_items([i.pk for i in items], entries))
    if missing:
        names = "、".join(item.code for item in items if item.pk in missing)
        raise DomainError(_("Record a result for every item; missing: %(items)s."), params={"items": names})
    if inspection.kind == Kind.CCTV and not inspection.vehicles_sampled:
        raise DomainError(_("Give the number of vehicles sampled in the recording."), field="vehicles_sampled")


def _revisit_warning(inspection: Inspection) -> bool:
    gap = InspectionSettings.current().revisit_gap_days
    earlier = (
        Inspection.objects.filter(supervisor_id=inspection.supervisor_id, team_id=inspection.team_id)
        .exclude(pk=inspection.pk)
        .exclude(status__in=[Status.DRAFT, Status.VOID])
        .filter(
            occurred_at__gt=inspection.occurred_at - datetime.timedelta(days=gap),
            occurred_at__lt=inspection.occurred_at + datetime.timedelta(days=gap),
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)
        .first()
    )
    return rules.revisit_too_soon(earlier, inspection.occurred_at, gap_days=gap)


def inspection_file(*, inspection: Inspection, filed_by) -> Inspection:
    """File a complete inspection: it is locked from now on.

    Leadership (INS-1), office and CCTV inspections take effect at once. A supervisor's visit
    (INS-6) goes to the office for review first (and is flagged when the same supervisor visited
    the team within the configured gap); a covert one stays hidden from the team until published.
    """
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_file(filed_by, inspection)
        _check_complete(inspection)
        before = snapshot(inspection, _AUDITED)
        inspection.submitted_at = timezone.now()
        inspection.submitted_by = filed_by
        if inspection.needs_review:
            inspection.status = Status.SUBMITTED
            inspection.revisit_warning = _revisit_warning(inspection)
            _effects.store_score(inspection, _effects.results_of(inspection))  # for the reviewer; not in effect
            summary = _("Submitted for review")
        else:
            _take_effect(inspection, actor=filed_by)
            summary = _("Inspection filed")
        inspection.return_reasons = ""
        inspection.save()
        audit_record(
            actor=filed_by,
            instance=inspection,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(inspection, _AUDITED),
            summary=summary,
        )
        if inspection.needs_review:
            notification_send_each(
                recipients=office_users(excluding_team_id=inspection.team_id),
                subject=_("A supervisor's visit awaits your review"),
                body=str(inspection),
                url=portal_url(REVIEW_QUEUE),
            )
    return inspection


def _take_effect(inspection: Inspection, *, actor) -> None:
    inspection.status = Status.FILED
    inspection.published_at = timezone.now()
    inspection.published_by = actor
    _effects.take_effect(inspection, actor=actor)
    notification_send_each(
        recipients=[user_of(inspection.team.leader)],
        subject=_("An inspection of your team is in effect"),
        body=gettext("%(inspection)s: score %(score)s.") % {"inspection": inspection, "score": inspection.score},
        url=portal_url(INSPECTION_DETAIL, pk=inspection.pk),
    )
