"""Award eligibility (INS-5, AWD-2): is a person or team eligible in a year, and if not, why.

The awards module calls ``award_eligibility``, ``award_eligibility_bulk`` (people) and
``award_eligibility_teams_bulk`` (teams).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import EligibilityRevocation, Penalty
from tollservice.roster.models import Staff, Team


@dataclass(frozen=True)
class EligibilityReason:
    """One thing that removed award eligibility, with a link to it."""

    kind: str  # "violation" or "revocation"
    obj: Penalty | EligibilityRevocation
    url_name: str
    url_kwargs: dict
    label: str
    path: str = ""  # the url, when it was made with many others (``award_eligibility_bulk``)

    @property
    def url(self) -> str:
        return self.path or links.portal_url(self.url_name, **self.url_kwargs)


@dataclass(frozen=True)
class Eligibility:
    year: int
    reasons: list[EligibilityReason]

    @property
    def eligible(self) -> bool:
        return not self.reasons

    def __bool__(self) -> bool:
        return self.eligible


def _violation_reason(
    penalty: Penalty, *, template: str | None = None, rules: dict | None = None, url_of=None
) -> EligibilityReason:
    """``template``, ``rules`` and ``url_of`` (the label and the rules' names translated once,
    the url reversed once, for many penalties) give the same reason as without them."""
    template = template if template is not None else gettext("Violation on %(date)s: %(rule)s")
    rule = rules[penalty.rule] if rules is not None else penalty.get_rule_display()
    label = template % {"date": penalty.incident_date, "rule": rule}
    path = url_of(penalty.pk) if url_of is not None else ""
    return EligibilityReason("violation", penalty, links.PENALTY_DETAIL, {"pk": penalty.pk}, str(label), path)


def _revocation_reason(revocation: EligibilityRevocation) -> EligibilityReason:
    label = _("Award eligibility removed: %(reason)s") % {"reason": revocation.reason}
    return EligibilityReason("revocation", revocation, links.REVOCATION_DETAIL, {"pk": revocation.pk}, str(label))


def award_eligibility(*, staff: Staff | None = None, team: Team | None = None, year: int) -> Eligibility:
    """Is this person or team eligible for awards in ``year`` (AWD-2), and if not, why?

    A person loses eligibility with any violation that year (PEN-1: a penalty decided by the
    office, not withdrawn, rejected or revoked) and with a loss of eligibility decided under INS-5.
    A team loses it under INS-5. "Year" is the policy's year (see ``rules.year_of``).
    """
    if (staff is None) == (team is None):
        raise ValueError("Pass exactly one of staff or team")
    if staff is not None:
        return award_eligibility_bulk(staff=[staff], year=year)[staff.pk]
    return award_eligibility_teams_bulk(teams=[team], year=year)[team.pk]


def award_eligibility_bulk(*, staff: Iterable[Staff], year: int) -> dict[int, Eligibility]:
    """``award_eligibility`` for many people at once, in two queries (for the awards screens)."""
    staff_ids = [member.pk for member in staff]
    reasons: dict[int, list[EligibilityReason]] = defaultdict(list)
    violations = (
        Penalty.objects.violations()
        .filter(staff_id__in=staff_ids, eligibility_year=year)
        .only("pk", "staff_id", "incident_date", "rule")  # what a reason says: many rows for a year's ranking
        .order_by("incident_date", "pk")
    )
    template = gettext("Violation on %(date)s: %(rule)s")
    rules = {value: str(label) for value, label in Penalty.Rule.choices}
    url_of = links.portal_url_by_pk(links.PENALTY_DETAIL)
    for penalty in violations:
        reason = _violation_reason(penalty, template=template, rules=rules, url_of=url_of)
        reasons[penalty.staff_id].append(reason)
    revocations = EligibilityRevocation.objects.effective().filter(staff_id__in=staff_ids, year=year)
    for revocation in revocations.order_by("decided_at", "pk"):
        reasons[revocation.staff_id].append(_revocation_reason(revocation))
    return {pk: Eligibility(year=year, reasons=reasons[pk]) for pk in staff_ids}


def award_eligibility_teams_bulk(*, teams: Iterable[Team], year: int) -> dict[int, Eligibility]:
    """``award_eligibility`` for many teams at once, in one query: a team loses eligibility only
    by a decision under INS-5 (a violation is a person's)."""
    team_ids = [team.pk for team in teams]
    reasons: dict[int, list[EligibilityReason]] = defaultdict(list)
    revocations = EligibilityRevocation.objects.effective().filter(team_id__in=team_ids, year=year)
    for revocation in revocations.order_by("decided_at", "pk"):
        reasons[revocation.team_id].append(_revocation_reason(revocation))
    return {pk: Eligibility(year=year, reasons=reasons[pk]) for pk in team_ids}
