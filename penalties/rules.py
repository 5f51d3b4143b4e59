"""The rules of the plan's §8, one function each, each naming its plan ID.

Services call these; tests call them directly. Amounts come from the ``PenaltyPolicy`` in force,
never from literals here. Money is integer fen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from penalties.models import AccountabilityRecord, Penalty, PenaltyPolicy
from tollservice.core.errors import DomainError
from tollservice.core.money import format_yuan

Rule = Penalty.Rule
Source = Penalty.Source


def year_of(day: datetime.date, *, policy: PenaltyPolicy) -> int:
    """What counts as a year for PEN-2 and award eligibility (AWD-2), as the policy says.

    A year starts on the 1st of ``policy.year_start_month`` and is named by the calendar year it
    starts in; with the default (January) it is the calendar year.
    """
    return day.year if day.month >= policy.year_start_month else day.year - 1


def year_bounds(year: int, *, policy: PenaltyPolicy) -> tuple[datetime.date, datetime.date]:
    """First and last day of the policy's ``year``."""
    start = datetime.date(year, policy.year_start_month, 1)
    next_start = datetime.date(year + 1, policy.year_start_month, 1)
    return start, next_start - datetime.timedelta(days=1)


def pen1_fine_for(provisions_count: int, policy: PenaltyPolicy) -> int:
    """PEN-1: the base fine (200 yuan by default) for each provision breached; they add up."""
    if provisions_count < 1:
        raise DomainError(_("Name at least one provision of the service code that was breached."), field="provisions")
    return policy.base_fine_fen * provisions_count


def pen2_is_repeat(
    *, staff, incident_date: datetime.date, policy: PenaltyPolicy, exclude: Penalty | None = None
) -> bool:
    """PEN-2: is this the person's second (or later) violation in the year of ``incident_date``?

    Earlier violations are the person's penalties decided by the office under any rule of §8
    (each is a breach of the plan); proposals, withdrawn, rejected and revoked penalties do not
    count. The year is the one ``policy`` (the policy the decision is taken under) defines, and
    earlier violations are found by their incident dates within it: if the station moved the
    start of its year, a violation decided under the old definition still counts in the year
    its date falls in now (its stored ``eligibility_year`` keeps the award year decided then).
    """
    start, end = year_bounds(year_of(incident_date, policy=policy), policy=policy)
    earlier = Penalty.objects.violations().filter(staff=staff, incident_date__range=(start, end))
    if exclude is not None and exclude.pk:
        earlier = earlier.exclude(pk=exclude.pk)
    return earlier.exists()


def pen2_fine_range(*, rule_fine_fen: int, policy: PenaltyPolicy) -> tuple[int, int]:
    """PEN-2: the fine the leadership sets for a repeat violation.

    Never below what the violation itself carries; at most the policy's ceiling for repeat
    violations (or the violation's own fine, if that is higher).
    """
    return rule_fine_fen, max(policy.repeat_fine_max_fen, rule_fine_fen)


def pen3_fine_range(policy: PenaltyPolicy) -> tuple[int, int]:
    """PEN-3 (and PEN-4): a complaint fine is chosen within the policy's range (200–500 yuan)."""
    return policy.complaint_fine_range


def check_fine_in_range(fine_fen: int | None, fine_range: tuple[int, int], *, field: str = "fine") -> int:
    """Refuse an amount outside ``fine_range`` with a message that names the range."""
    error = _out_of_range(fine_fen, fine_range, field=field)
    if error is not None:
        raise error
    return fine_fen


def _out_of_range(fine_fen: int | None, fine_range: tuple[int, int], *, field: str) -> DomainError | None:
    low, high = fine_range
    if fine_fen is not None and low <= fine_fen <= high:
        return None
    return DomainError(
        _("The fine must be between %(low)s and %(high)s yuan."),
        field=field,
        code="fine_out_of_range",
        params={"low": format_yuan(low), "high": format_yuan(high)},
    )


@dataclass(frozen=True)
class Fine:
    """Which fine applies, as ``fine_for`` decides it.

    ``fine_fen`` is the amount (``None`` while the rule cannot say yet: no provision named, no
    amount chosen); ``fine_range`` is where a chosen amount must lie (``None`` where the rule
    computes the fine); ``error`` says what is wrong with the input, on the form field it
    belongs to. The preview shows all three; a service calls ``checked()``.
    """

    fine_fen: int | None
    fine_range: tuple[int, int] | None = None
    error: DomainError | None = None

    def checked(self) -> int:
        """The fine, or the rule's refusal."""
        if self.error is not None:
            raise self.error
        return self.fine_fen


def fine_for(
    *,
    rule: str,
    policy: PenaltyPolicy,
    provisions_count: int = 0,
    chosen_fen: int | None = None,
    repeat: bool = False,
    violation_fine_fen: int | None = None,
    field: str = "fine",
) -> Fine:
    """The one answer to "which fine applies" (PEN-1 … PEN-4), for the proposal, the office's
    decision, the leadership's approval, their previews and their forms.

    - PEN-1 (a service-code violation): the policy's base fine per provision breached, computed,
      never chosen: an amount ``chosen_fen`` other than that is refused.
    - PEN-3, PEN-4 (a verified or mishandled complaint): ``chosen_fen`` within the policy's
      complaint range.
    - PEN-2 (``repeat``: the leadership sets the fine of a repeat violation): from what the
      violation itself carries (PEN-1's computed fine, or ``violation_fine_fen``, the office's
      complaint fine) up to the policy's ceiling for repeat violations.

    ``policy`` is the version the step is taken under; ``field`` names the form field a refused
    amount is shown on. Pure: it reads nothing from the database.
    """
    if repeat:
        if rule == Rule.SERVICE_CODE:
            own = pen1_fine_for(provisions_count, policy) if provisions_count else 0
        else:
            own = violation_fine_fen or 0
        fine_range = pen2_fine_range(rule_fine_fen=own, policy=policy)
    elif rule == Rule.SERVICE_CODE:
        if provisions_count < 1:
            return Fine(
                None,
                error=DomainError(
                    _("Name at least one provision of the service code that was breached."), field="provisions"
                ),
            )
        computed = pen1_fine_for(provisions_count, policy)
        if chosen_fen is not None and chosen_fen != computed:
            return Fine(
                computed,
                error=DomainError(_("The fine for a service-code violation is computed by the rule."), field=field),
            )
        return Fine(computed)
    else:
        fine_range = pen3_fine_range(policy)
    return Fine(chosen_fen, fine_range, _out_of_range(chosen_fen, fine_range, field=field))


def check_incident_date(incident_date: datetime.date, *, today: datetime.date, records_begin: datetime.date | None):
    """An incident happened on a real day of the station's penalty records: not in the future,
    not before the first penalty policy took effect (``records_begin``; before it, no rule of
    the plan applied, and a date such as 0001-01-01 is a typing error)."""
    if incident_date > today:
        raise DomainError(_("The incident cannot be in the future."), field="incident_date", code="future")
    if records_begin is not None and incident_date < records_begin:
        raise DomainError(
            _(
                "The incident date is before %(date)s, when the station's penalty policy first took effect; "
                "check the date."
            ),
            field="incident_date",
            code="before_records",
            params={"date": records_begin.isoformat()},
        )
    return incident_date


def pen3_responsible_head(staff) -> tuple[object, str] | None:
    """PEN-3: who answers for a verified complaint against ``staff``.

    The team leader of the person's team; for staff outside a team (or a team leader
    themselves), the head of their department. ``None`` if the roster names nobody.
    """
    team = staff.team
    if team is not None and team.leader_id and team.leader_id != staff.pk:
        return team.leader, AccountabilityRecord.HeadRole.TEAM_LEADER
    department = staff.department
    if department.head_id and department.head_id != staff.pk:
        return department.head, AccountabilityRecord.HeadRole.DEPARTMENT_HEAD
    return None


def pen4_department_head(department):
    """PEN-4: the head of the department that handled the complaint is penalized with the handler."""
    if department.head_id is None:
        raise DomainError(
            _("The roster names no head of %(department)s; record the head before proposing this penalty."),
            field="department",
            params={"department": department.name},
        )
    return department.head


def pen4_pair(*, handler, department=None):
    """PEN-4: the head penalized with ``handler`` for a complaint mishandled in ``department``
    (default: the handler's). A handler who heads that department is penalized alone: there is
    no pair, and a single penalty is proposed instead."""
    head = pen4_department_head(department or handler.department)
    if head.pk == handler.pk:
        raise DomainError(
            _("The handler heads the department; propose a single penalty for the handler."),
            field="staff",
            code="handler_is_head",
        )
    return head


def needs_leadership_approval(*, escalated: bool, suspension: bool, dismissal: bool) -> bool:
    """PEN-2 and PEN-3: repeat violations, suspension and dismissal wait for the leadership group."""
    return escalated or suspension or dismissal


def check_sanctions(*, rule: str, escalated: bool, suspension: bool, dismissal: bool, disciplinary_action: bool):
    """Which sanctions each rule allows.

    PEN-3: suspension (待岗) or, at most, dismissal (解除劳动合同). PEN-4: disciplinary action
    (纪律处分) always. PEN-2: a repeat violation is handled under the ten prohibitions, which may
    call for any of them. A first service-code violation (PEN-1) carries the fine only.
    """
    if suspension and dismissal:
        raise DomainError(_("Choose suspension or dismissal, not both."), field="dismissal")
    if rule in (Rule.HANDLING_HANDLER, Rule.HANDLING_HEAD) and not disciplinary_action:
        raise DomainError(
            _("A complaint-procedure violation always carries disciplinary action."), field="disciplinary_action"
        )
    if escalated:
        return
    if rule == Rule.SERVICE_CODE and (suspension or dismissal or disciplinary_action):
        raise DomainError(
            _("A first service-code violation carries the fine only; other sanctions need escalation."),
            field="suspension",
        )
    if rule == Rule.COMPLAINT and disciplinary_action:
        raise DomainError(
            _("A verified complaint carries suspension or dismissal, not disciplinary action."),
            field="disciplinary_action",
        )
    if rule in (Rule.HANDLING_HANDLER, Rule.HANDLING_HEAD) and (suspension or dismissal):
        raise DomainError(
            _("A complaint-procedure violation carries disciplinary action, not suspension or dismissal."),
            field="suspension",
        )


# PEN-5: penalties are decided on the office's inspection findings or on verified complaints
# (supervisors' suggestions reach the office through the leadership group, INS-7).
ALLOWED_SOURCES = {
    Rule.SERVICE_CODE: frozenset(Source),
    Rule.COMPLAINT: frozenset({Source.VERIFIED_COMPLAINT}),
    Rule.HANDLING_HANDLER: frozenset({Source.VERIFIED_COMPLAINT, Source.INSPECTION_FINDING, Source.OFFICE}),
    Rule.HANDLING_HEAD: frozenset({Source.VERIFIED_COMPLAINT, Source.INSPECTION_FINDING, Source.OFFICE}),
}


def pen5_check_source(*, rule: str, source: str) -> None:
    """PEN-5: a penalty rests on an inspection finding or a verified complaint."""
    if source not in ALLOWED_SOURCES[rule]:
        raise DomainError(
            _("A penalty under this rule cannot rest on “%(source)s”."),
            field="source",
            params={"source": Source(source).label},
        )
