"""Everything that writes in the awards app: plain keyword-only functions that check who may
(``awards.permissions``), validate (``awards.rules``), write inside a transaction and record the
audit entry. Import from here: ``from awards import services``."""

from awards.services.campaigns import (
    StudyReminders,
    campaign_change,
    campaign_open,
    study_record,
    study_remind,
    study_reminders_scheduled,
)
from awards.services.rankings import (
    ranking_refresh,
    ranking_refresh_after_change,
    ranking_refresh_if_stale,
    ranking_refresh_request,
    rankings_refresh_current,
)
from awards.services.selection import (
    nomination_approve,
    nomination_create,
    nomination_reject,
    nomination_withdraw,
    selection_change,
)
from awards.services.winners import (
    commendation_draft,
    commendation_publish,
    commendation_text,
    commendation_update,
    plaque_record,
)

__all__ = [
    "StudyReminders",
    "campaign_change",
    "campaign_open",
    "commendation_draft",
    "commendation_publish",
    "commendation_text",
    "commendation_update",
    "nomination_approve",
    "nomination_create",
    "nomination_reject",
    "nomination_withdraw",
    "plaque_record",
    "ranking_refresh",
    "ranking_refresh_after_change",
    "ranking_refresh_if_stale",
    "ranking_refresh_request",
    "rankings_refresh_current",
    "selection_change",
    "study_record",
    "study_remind",
    "study_reminders_scheduled",
]
