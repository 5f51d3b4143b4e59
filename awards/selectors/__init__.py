"""Everything that reads in the awards app; every list takes ``user=`` and scopes to it.

Import from here: ``from awards import selectors``. The ranking (``compute_ranking``) is the same
for every reader and reads the other modules only through their selectors; ``awards.rules.rank``
orders it.
"""

from awards.selectors.breakdown import Breakdown, Record, Section, candidate_breakdown
from awards.selectors.lists import (
    OwnStanding,
    StudyRow,
    approval_queue,
    award_detail,
    award_list,
    campaign_current,
    campaign_get,
    campaign_list,
    commendation_of,
    my_standing,
    nomination_detail,
    nomination_list,
    own_study,
    phase_dates,
    phase_now,
    ranking_for,
    selection_get,
    selections_of,
    study_progress,
    study_rows,
    study_staff,
)
from awards.selectors.ranking import (
    CriterionColumn,
    Ranking,
    RankingRow,
    Reason,
    compute_ranking,
    criterion_columns,
    ranking_snapshot,
    year_bounds,
)

__all__ = [
    "Breakdown",
    "CriterionColumn",
    "OwnStanding",
    "Ranking",
    "RankingRow",
    "Reason",
    "Record",
    "Section",
    "StudyRow",
    "approval_queue",
    "award_detail",
    "award_list",
    "campaign_current",
    "campaign_get",
    "campaign_list",
    "candidate_breakdown",
    "commendation_of",
    "compute_ranking",
    "criterion_columns",
    "my_standing",
    "nomination_detail",
    "nomination_list",
    "own_study",
    "phase_dates",
    "phase_now",
    "ranking_for",
    "ranking_snapshot",
    "selection_get",
    "selections_of",
    "study_progress",
    "study_rows",
    "study_staff",
    "year_bounds",
]
