"""The stored ranking (AWD-1, AWD-2) as the ranking page reads it: the latest snapshot of a
selection, a page of its entries through the index in their order, and for that page only the
candidates' nominations and the links their reader may follow. Whether it is stale: the
selection's inputs (weights, the year's dates, the formula) no longer those it was computed on.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from django.db.models import F, QuerySet

from awards import rules
from awards.models import Nomination, RankingEntry, RankingSnapshot, Selection
from awards.selectors.ranking import (
    CandidateLine,
    CriterionColumn,
    Figure,
    RankingOfSelection,
    Reason,
    figures_of,
    measures_from_text,
    nominations_by_candidate,
    reasons_for,
    year_bounds,
)
from tollservice.access.permissions import has_permission
from tollservice.roster.models import Staff, Team

EXPORT_CHUNK = 2000


@dataclass
class StoredRow(CandidateLine):
    """One candidate's line of a stored ranking, as a reader sees it (``RankingRow``'s shape)."""

    entry: RankingEntry
    reasons: list[Reason] = field(default_factory=list)
    nomination: Nomination | None = None
    more_reasons: bool = False  # a page's row: more reasons than it shows (the candidate's page has them all)

    @property
    def subject(self) -> Team | Staff:
        return self.entry.team if self.entry.team_id else self.entry.staff

    @property
    def key(self) -> int:
        return self.entry.candidate_id

    @property
    def rank(self) -> int | None:
        return self.entry.rank

    @property
    def score(self) -> Decimal | None:
        return self.entry.score

    @property
    def eligible(self) -> bool:
        return self.entry.eligible

    @property
    def measures(self) -> list[rules.Measure]:
        return measures_from_text(self.entry.measures)

    def figures(self, columns: Sequence[CriterionColumn]) -> list[Figure]:
        return figures_of(columns, self.entry.measures, for_team=self.entry.team_id is not None)


@dataclass
class StoredRanking(RankingOfSelection):
    """A selection's latest stored ranking, with what the page says around its rows."""

    selection: Selection
    snapshot: RankingSnapshot
    stale: bool
    taken: int  # active nominations (pending or approved), read now

    @property
    def start(self) -> datetime.date:
        return self.snapshot.period_start

    @property
    def end(self) -> datetime.date:
        return self.snapshot.period_end

    @property
    def computed_at(self) -> datetime.datetime:
        return self.snapshot.computed_at

    @property
    def weights(self) -> dict[str, int]:
        """The weights the stored figures were computed with (the columns show these)."""
        return {key: int(self.snapshot.weights.get(key, 0)) for key in rules.CRITERIA}


# --- The inputs of the formula (a stored ranking is stale when they change) ---------------------------


def ranking_inputs(*, selection: Selection, start: datetime.date, end: datetime.date) -> dict:
    """Everything besides the records that decides a ranking: the award, its weights, the year's
    dates and the formula's constants (``rules.FORMULA_VERSION`` for a change in its code)."""
    return {
        "kind": selection.kind,
        "year": selection.campaign.year,
        "period": [start.isoformat(), end.isoformat()],
        "weights": {key: int(selection.weights.get(key, 0)) for key in rules.CRITERIA},
        "required": rules.REQUIRED,
        "upheld_complaint_points": rules.UPHELD_COMPLAINT_POINTS,
        "rating_points": rules.RATING_POINTS,
        "formula": rules.FORMULA_VERSION,
    }


def inputs_fingerprint(inputs: dict) -> str:
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


def current_fingerprint(selection: Selection) -> str:
    """The fingerprint of ``selection``'s inputs now (its year's dates read from the policy)."""
    start, end = year_bounds(selection.campaign.year)
    return inputs_fingerprint(ranking_inputs(selection=selection, start=start, end=end))


# --- Reading it ----------------------------------------------------------------------------------------


def ranking_snapshot_latest(selection: Selection) -> RankingSnapshot | None:
    return RankingSnapshot.objects.filter(selection=selection).order_by("-computed_at", "-pk").first()


def ranking_stored(*, user, selection: Selection) -> StoredRanking | None:
    """The selection's latest stored ranking for those who read the candidates (``awards.view``);
    ``None`` when there is none yet (or the reader may not see it)."""
    if not has_permission(user, "awards.view"):
        return None
    snapshot = ranking_snapshot_latest(selection)
    if snapshot is None:
        return None
    taken = selection.nominations.filter(status__in=Nomination.ACTIVE).count()
    stale = snapshot.fingerprint != current_fingerprint(selection)
    return StoredRanking(selection=selection, snapshot=snapshot, stale=stale, taken=taken)


def stored_entries(ranking: StoredRanking, *, reasons: int | None = None) -> QuerySet[RankingEntry]:
    """The stored ranking's entries in its order (``awards_entry_page``), candidates joined.

    ``reasons``: read only the first so many reasons of each (and whether there are more). A
    person with dozens of violations has dozens of reasons; a page that read them all would
    cost more with every penalty on the station, while it shows a few and links to the rest."""
    related = ("team",) if ranking.for_teams else ("staff__team",)
    entries = ranking.snapshot.entries.select_related(*related).order_by("position", "pk")
    if reasons is not None:
        first = {f"{_FIRST_REASON}{index}": F(f"reasons__{index}") for index in range(reasons + 1)}
        entries = entries.defer("reasons").annotate(**first)
    return entries


def stored_rows(ranking: StoredRanking, entries: Iterable[RankingEntry], *, user) -> list[StoredRow]:
    """``entries`` (a page of them) as ``user`` reads them: the links they may follow, each
    candidate's nomination (one query for the page)."""
    entries = list(entries)
    nominations = nominations_by_candidate(ranking.selection, [entry.candidate_id for entry in entries])
    rows = []
    for entry in entries:
        reasons, more = _reasons(entry)
        rows.append(StoredRow(entry, reasons_for(reasons, user), nominations.get(entry.candidate_id), more))
    return rows


def stored_rows_all(ranking: StoredRanking, *, user) -> Iterator[StoredRow]:
    """Every row of the stored ranking, read in chunks (a download)."""
    entries = stored_entries(ranking).iterator(chunk_size=EXPORT_CHUNK)
    while chunk := list(islice(entries, EXPORT_CHUNK)):
        yield from stored_rows(ranking, chunk, user=user)


_FIRST_REASON = "first_reason_"


def _reasons(entry: RankingEntry) -> tuple[list[Reason], bool]:
    """The entry's reasons (its first few, read with ``stored_entries(reasons=…)``) and whether
    it has more than those."""
    if "reasons" in entry.get_deferred_fields():
        read = sorted(name for name in vars(entry) if name.startswith(_FIRST_REASON))
        items = [getattr(entry, name) for name in read]
        items = [item for item in items if item]
        shown = len(read) - 1  # one more than shown was read: whether there are more
        items, more = items[:shown], len(items) > shown
    else:
        items, more = entry.reasons, False
    return [Reason(r.get("kind", ""), r.get("label", ""), r.get("url", "")) for r in items], more
