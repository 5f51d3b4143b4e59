"""What each role may do, written once.

Every view names one permission from ``PERMISSIONS``; the mixin and decorator in
``tollservice.access.views`` apply it. Object scope (a team leader sees only their team)
is a separate concern handled by the selectors each view uses.
"""

from __future__ import annotations

from tollservice.access.roles import Role, roles_for

ADMIN, LEAD, OFFICE, FIN, TEAM, SUP, STAFF = (
    Role.ADMIN,
    Role.LEADERSHIP,
    Role.OFFICE,
    Role.FINANCE,
    Role.TEAM_LEADER,
    Role.SUPERVISOR,
    Role.STAFF,
)

# permission name -> the roles that hold it
PERMISSIONS: dict[str, frozenset[Role]] = {
    # The portal itself: anyone with a role at all.
    "portal.use": frozenset({ADMIN, LEAD, OFFICE, FIN, TEAM, SUP, STAFF}),
    # Roster (ORG-1 … ORG-6): the office manages it, the leadership reads it.
    "roster.view": frozenset({ADMIN, LEAD, OFFICE}),
    "roster.manage": frozenset({ADMIN, OFFICE}),
    "roster.import": frozenset({ADMIN, OFFICE}),
    # Creating login accounts for roster entries (their owners choose the password by a link
    # emailed to them); resetting an existing account's password is the administrator's alone, so
    # that whoever keeps the roster cannot sign in as the leader or the finance office.
    "roster.accounts": frozenset({ADMIN, OFFICE}),
    "roster.passwords": frozenset({ADMIN}),
    "audit.view": frozenset({ADMIN, LEAD, OFFICE}),
    # Penalties (PEN-1 … PEN-5). The system administrator sees them but decides nothing: penalties
    # are decided by the office (PEN-5) and approved by the leadership group (PEN-2, PEN-3), as
    # the roster says, never by whoever holds the superuser flag.
    "penalties.view_all": frozenset({ADMIN, LEAD, OFFICE, FIN}),
    "penalties.propose": frozenset({OFFICE}),
    "penalties.decide": frozenset({OFFICE}),
    "penalties.approve": frozenset({LEAD}),
    # A penalty in force is revoked by whoever decided it: the office, or the leadership group
    # for one it approved (the service checks which); the screen is open to both.
    "penalties.revoke": frozenset({LEAD, OFFICE}),
    "penalties.view_own": frozenset({ADMIN, LEAD, OFFICE, FIN, TEAM, STAFF}),
    "penalties.talks": frozenset({LEAD, OFFICE}),
    "penalties.eligibility": frozenset({LEAD, OFFICE}),  # INS-5
    "penalties.settings": frozenset({LEAD}),
    "ledger.view": frozenset({ADMIN, LEAD, OFFICE, FIN}),
    "ledger.collect": frozenset({FIN}),
    "ledger.waive_request": frozenset({OFFICE, FIN}),
    # Two different approvers, one of them from the leadership group (checked by the service).
    "ledger.waive_approve": frozenset({LEAD, OFFICE, FIN}),
    "ledger.reverse": frozenset({FIN}),
    # Closing a month's books, after which nothing is booked on or before its last day.
    "ledger.close": frozenset({FIN}),
    # Complaints (CMP-1 … CMP-10). The group office is the competent body for every complaint
    # (CMP-6) and sees them all; other staff see those they own, were escalated or are to review,
    # team leaders those about their team, the leadership group media and hotline cases and those
    # escalated to its office (complaints.access). Drivers' personal data is not the system
    # administrator's business: the admin reads the figures, not the complaints.
    "complaints.view_all": frozenset({OFFICE}),
    # Registering a complaint from any channel, or taking up one sent through the web form (CMP-8).
    "complaints.register": frozenset({LEAD, OFFICE, TEAM}),
    # Owning or coordinating a complaint (handed over or escalated to the person).
    "complaints.handle": frozenset({LEAD, OFFICE, TEAM, STAFF}),
    # Voiding ledger entries, linking duplicates station-wide, handing over anyone's complaint,
    # PEN-4 proposals, the time limits and the departments' published methods (CMP-10).
    "complaints.manage": frozenset({OFFICE}),
    "complaints.approve_extension": frozenset({LEAD, OFFICE}),
    "complaints.figures": frozenset({ADMIN, LEAD, OFFICE}),
    # The working calendar (holidays and make-up working days) that time limits are counted on.
    "calendar.manage": frozenset({ADMIN, OFFICE}),
    # When each kind of deadline reminds and escalates (the reminder engine's settings page).
    "reminders.settings": frozenset({OFFICE}),
    # Inspections (INS-1 … INS-7). Object scope (a team sees its own inspections once in effect; a
    # covert visit stays hidden from the visited team until published) is in inspections.selectors,
    # and the finer checks (whose draft, which kind, four eyes) in inspections.permissions.
    # The inspections pages themselves (lists, an inspection, an order): open to every role that
    # sees any inspection; what each person sees is the scope below.
    "inspections.view": frozenset({ADMIN, LEAD, OFFICE, TEAM, SUP, STAFF}),
    "inspections.view_all": frozenset({ADMIN, LEAD, OFFICE}),
    "inspections.view_own": frozenset({TEAM, SUP, STAFF}),
    "inspections.record": frozenset({LEAD, OFFICE, SUP}),  # start, fill in and file inspections
    "inspections.review": frozenset({OFFICE}),  # publish, return or void a supervisor's visit (INS-6)
    "inspections.correct": frozenset({OFFICE}),  # correct a filed inspection, with a reason
    "inspections.outcomes": frozenset({LEAD, OFFICE}),  # INS-2; penalties themselves need penalties.propose
    "inspections.close": frozenset({OFFICE}),
    "inspections.catalog": frozenset({OFFICE}),  # checklist versions
    "inspections.settings": frozenset({LEAD, OFFICE}),  # coverage targets and time limits
    "inspections.coverage": frozenset({ADMIN, LEAD, OFFICE}),
    "rectification.answer": frozenset({TEAM, STAFF}),
    "rectification.verify": frozenset({LEAD, OFFICE, SUP}),  # the office or an inspector of the order's inspection
    "rectification.manage": frozenset({OFFICE}),  # move a deadline, act on teams that leave orders overdue
    "inspections.appeal": frozenset({TEAM}),  # the visited team, through its leader (INS-6)
    "inspections.appeal_decide": frozenset({LEAD, OFFICE}),  # never the inspector (checked by the service)
    "supervisor_reports.submit": frozenset({SUP}),  # INS-6
    "supervisor_reports.view": frozenset({ADMIN, LEAD, OFFICE, SUP}),  # a supervisor: their own
    "supervisor_reports.decide": frozenset({LEAD}),  # INS-7
    "meeting_circulars.manage": frozenset({OFFICE}),  # INS-3
    "meeting_circulars.view": frozenset({ADMIN, LEAD, OFFICE, FIN, TEAM, SUP, STAFF}),  # once published
    # Awards and the yearly campaign (AWD-1, AWD-2, CAM-1, CAM-2). The office runs the campaign,
    # ranks and nominates; the leadership group approves (never the nominating person: checked
    # by awards.permissions); teams' leaders confirm their members' study; every employee reads
    # their own (and a team leader their team's) standing.
    "awards.view": frozenset({ADMIN, LEAD, OFFICE}),
    "awards.manage": frozenset({OFFICE}),
    "awards.approve": frozenset({LEAD}),
    "awards.study": frozenset({OFFICE, TEAM}),
    "awards.standing": frozenset({STAFF}),
}


def has_permission(user, permission: str) -> bool:
    """True if any of the user's roster roles holds ``permission``."""
    try:
        allowed = PERMISSIONS[permission]
    except KeyError:  # a typo in a view must fail loudly, not silently deny
        raise LookupError(f"Unknown permission {permission!r}") from None
    return roles_for(user).has_any(allowed)
