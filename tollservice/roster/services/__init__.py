"""Everything that writes to the roster (ORG-1 … ORG-6).

Each service validates, writes inside one transaction and records an audit entry with the
values before and after. Nothing here deletes a row: people leave (``active=False`` and a
``left_on`` date), memberships and supervisor terms end (an end date), so the roster's
history stays readable.
"""

from tollservice.roster.services.accounts import account_link, account_password_link_send, account_password_reset
from tollservice.roster.services.groups import (
    leadership_membership_add,
    leadership_membership_end,
    office_membership_add,
    office_membership_end,
)
from tollservice.roster.services.imports import ImportResult, roster_import
from tollservice.roster.services.organisation import (
    department_create,
    department_update,
    staff_create,
    staff_deactivate,
    staff_reactivate,
    staff_update,
    station_create,
    station_update,
    team_create,
    team_update,
)
from tollservice.roster.services.shifts import shift_leader_assignment_create, shift_leader_assignment_update
from tollservice.roster.services.supervisors import supervisor_create, supervisor_deactivate, supervisor_update

__all__ = [
    "ImportResult",
    "account_link",
    "account_password_link_send",
    "account_password_reset",
    "department_create",
    "department_update",
    "leadership_membership_add",
    "leadership_membership_end",
    "office_membership_add",
    "office_membership_end",
    "roster_import",
    "shift_leader_assignment_create",
    "shift_leader_assignment_update",
    "staff_create",
    "staff_deactivate",
    "staff_reactivate",
    "staff_update",
    "station_create",
    "station_update",
    "supervisor_create",
    "supervisor_deactivate",
    "supervisor_update",
    "team_create",
    "team_update",
]
