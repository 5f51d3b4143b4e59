"""The stored ranking (AWD-1, AWD-2): computed with the one computation of the ranking
(``awards.selectors.compute_full_ranking``, ordered by ``awards.rules.rank``) and stored, so that
the ranking page reads a page of rows instead of every candidate's figures.

A refresh computes first, outside any transaction (it reads every candidate's records), then
replaces the selection's stored ranking in one transaction under the selection's row lock: a
reader sees the previous ranking or the new one, never a mix. A computation that finishes after a
newer one has been stored is dropped, so the latest stored ranking is always the newest computed.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from awards import permissions
from awards.models import Campaign, RankingEntry, RankingSnapshot, Selection
from awards.selectors.ranking import RankingRow, compute_full_ranking, measures_as_text
from awards.selectors.stored import current_fingerprint, inputs_fingerprint, ranking_inputs, ranking_snapshot_latest
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot

Trigger = RankingSnapshot.Trigger
INSERT_BATCH = 2000


def ranking_refresh(
    *,
    year: int,
    kind: str,
    trigger: str = Trigger.REQUEST,
    triggered_by=None,
    requested_at: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> RankingSnapshot:
    """AWD-1 / AWD-2: compute the ranking of ``year``'s ``kind`` award now and store it in place of
    the previous one (audited). With ``requested_at``, a stored ranking computed since then on
    the same inputs is the answer and nothing is computed: a request delivered twice computes once.
    Reasons are worded in the portal's language (``LANGUAGE_CODE``) whoever asked."""
    selection = Selection.objects.select_related("campaign").get(campaign__year=year, kind=kind)
    if requested_at is not None:
        latest = ranking_snapshot_latest(selection)
        computed_since = latest is not None and latest.computed_at >= requested_at
        if computed_since and latest.fingerprint == current_fingerprint(selection):
            return latest
    with translation.override(settings.LANGUAGE_CODE):
        ranking = compute_full_ranking(selection=selection, today=today)
    inputs = ranking_inputs(selection=ranking.selection, start=ranking.start, end=ranking.end)
    with transaction.atomic():
        Selection.objects.select_for_update().filter(pk=selection.pk).values_list("pk", flat=True).get()
        newer = (
            RankingSnapshot.objects.filter(selection=selection, computed_at__gt=ranking.computed_at)
            .order_by("-computed_at", "-pk")
            .first()
        )
        if newer is not None:
            return newer
        RankingSnapshot.objects.filter(selection=selection).delete()
        stored = RankingSnapshot.objects.create(
            selection=selection,
            year=year,
            kind=kind,
            computed_at=ranking.computed_at,
            period_start=ranking.start,
            period_end=ranking.end,
            weights=inputs["weights"],
            fingerprint=inputs_fingerprint(inputs),
            trigger=trigger,
            triggered_by=triggered_by if getattr(triggered_by, "is_authenticated", False) else None,
            candidates=len(ranking.rows),
        )
        RankingEntry.objects.bulk_create(
            (_entry(stored, position, row) for position, row in enumerate(ranking.rows, start=1)),
            batch_size=INSERT_BATCH,
        )
        audit_record(
            actor=triggered_by,
            instance=stored,
            action=AuditEntry.Action.CREATE,
            after=snapshot(stored, ["trigger", "candidates", "fingerprint"]),
            summary=_("Ranking recomputed"),
        )
    return stored


def _entry(stored: RankingSnapshot, position: int, row: RankingRow) -> RankingEntry:
    for_teams = stored.for_teams
    return RankingEntry(
        snapshot=stored,
        team_id=row.key if for_teams else None,
        staff_id=None if for_teams else row.key,
        position=position,
        rank=row.rank,
        score=row.score,
        weight_used=row.ranked.weight_used,
        measures=measures_as_text(row.measures),
        eligible=row.eligible,
        reasons=[{"kind": reason.kind, "label": str(reason.label), "url": reason.url} for reason in row.reasons],
    )


def rankings_refresh_current(*, today: datetime.date | None = None) -> list[RankingSnapshot]:
    """The nightly recomputation: this year's rankings of both awards, if this year's campaign
    is open (nothing otherwise)."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.filter(year=today.year).first()
    if campaign is None:
        return []
    kinds = campaign.selections.order_by("kind").values_list("kind", flat=True)
    return [ranking_refresh(year=campaign.year, kind=kind, trigger=Trigger.SCHEDULE, today=today) for kind in kinds]


def ranking_refresh_request(*, selection: Selection, requested_by) -> None:
    """The office's "Recompute now": queue a recomputation of ``selection``'s ranking (the
    worker computes it; the page shows the stored one meanwhile)."""
    permissions.can_refresh_ranking(requested_by, selection).check()
    _queue(selection, trigger=Trigger.REQUEST, requested_by=requested_by)


def ranking_refresh_if_stale(*, selection: Selection, stored: RankingSnapshot, trigger: str = Trigger.STALE) -> bool:
    """Queue a recomputation of a stored ranking whose inputs have changed (the weights, the
    year's dates, the formula), once for each new set of inputs however many readers see it
    stale: the queueing is claimed by a conditional UPDATE. Whether this call queued it."""
    fingerprint = current_fingerprint(selection)
    if fingerprint == stored.fingerprint:
        return False
    claimed = (
        RankingSnapshot.objects.filter(pk=stored.pk)
        .exclude(refresh_queued_for=fingerprint)
        .update(refresh_queued_for=fingerprint)
    )
    if claimed:
        _queue(selection, trigger=trigger)
    return bool(claimed)


def ranking_refresh_after_change(*, selection: Selection) -> None:
    """After the office changed the weights or places (``selection_change``): the stored ranking,
    if any, is recomputed on the new inputs."""
    stored = ranking_snapshot_latest(selection)
    if stored is not None:
        ranking_refresh_if_stale(selection=selection, stored=stored, trigger=Trigger.SETTINGS)


def _queue(selection: Selection, *, trigger: str, requested_by=None) -> None:
    from awards.tasks import refresh_ranking  # the task calls these services

    args = {
        "year": selection.campaign.year,
        "kind": selection.kind,
        "trigger": trigger,
        "requested_by_id": getattr(requested_by, "pk", None),
        "requested_at": timezone.now().isoformat(),
    }
    transaction.on_commit(lambda: refresh_ranking.delay(**args))
