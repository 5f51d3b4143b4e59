"""The yearly campaign (CAM-1, CAM-2) and the selection of its gold-medal service teams and
service stars (AWD-1, AWD-2).

Write through ``awards.services``, read through ``awards.selectors``.
"""

from awards.models.campaign import Campaign, CampaignPhase, StudyRecord, StudyReminder
from awards.models.ranking import RankingEntry, RankingSnapshot
from awards.models.selection import Award, AwardKind, Commendation, Nomination, Selection

__all__ = [
    "Award",
    "AwardKind",
    "Campaign",
    "CampaignPhase",
    "Commendation",
    "Nomination",
    "RankingEntry",
    "RankingSnapshot",
    "Selection",
    "StudyRecord",
    "StudyReminder",
]
