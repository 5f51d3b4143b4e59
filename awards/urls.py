"""The awards' pages: the yearly campaign (CAM-1, CAM-2), the selection (AWD-1, AWD-2), what
winners get, and each employee's own standing."""

from django.urls import path, register_converter

from awards.models import AwardKind
from awards.views import campaigns, selection, standing, winners


class AwardKindConverter:
    """``gold_team`` or ``service_star``: the two awards (AWD-1), nothing else."""

    regex = "|".join(AwardKind.values)
    sample = AwardKind.GOLD_TEAM.value  # for the URL walk (tests/core/test_url_walk.py)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)


register_converter(AwardKindConverter, "award")

app_name = "awards"

urlpatterns = [
    # The history of years; this year's campaign, its phases and the study.
    path("", campaigns.campaign_list, name="campaign_list"),
    path("new/", campaigns.CampaignOpenView.as_view(), name="campaign_open"),
    path("<int:year>/", campaigns.campaign_detail, name="campaign_detail"),
    path("<int:year>/phases/", campaigns.CampaignChangeView.as_view(), name="campaign_change"),
    path("<int:year>/study/", campaigns.study_list, name="study_list"),
    path("<int:year>/study/record/", campaigns.StudyRecordView.as_view(), name="study_record"),
    path("<int:year>/study/remind/", campaigns.StudyRemindView.as_view(), name="study_remind"),
    # The selection: ranking, a candidate's records, settings, nominations (the office).
    path("<int:year>/<award:kind>/", selection.ranking, name="ranking"),
    path("<int:year>/<award:kind>/recompute/", selection.ranking_refresh, name="ranking_refresh"),
    path("<int:year>/<award:kind>/settings/", selection.SelectionChangeView.as_view(), name="selection_change"),
    path("<int:year>/<award:kind>/<int:pk>/", selection.candidate, name="candidate"),
    path("<int:year>/<award:kind>/<int:pk>/nominate/", selection.NominateView.as_view(), name="nominate"),
    # The leadership group's decisions.
    path("approvals/", selection.approval_queue, name="approval_queue"),
    path("nominations/<int:pk>/", selection.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/approve/", selection.ApproveView.as_view(), name="nomination_approve"),
    path("nominations/<int:pk>/reject/", selection.RejectView.as_view(), name="nomination_reject"),
    path("nominations/<int:pk>/withdraw/", selection.WithdrawView.as_view(), name="nomination_withdraw"),
    # What winners get: awards (frozen), certificates, plaques, the commendation.
    path("winners/", winners.award_list, name="award_list"),
    path("winners/<int:pk>/", winners.award_detail, name="award_detail"),
    path("winners/<int:pk>/certificate/", winners.certificate, name="certificate"),
    path("winners/<int:pk>/plaque/", winners.PlaqueRecordView.as_view(), name="plaque_record"),
    path("plaques/", winners.plaque_register, name="plaque_register"),
    path("<int:year>/commendation/", winners.commendation_detail, name="commendation"),
    path("<int:year>/commendation/draft/", winners.CommendationDraftView.as_view(), name="commendation_draft"),
    path("<int:year>/commendation/edit/", winners.CommendationUpdateView.as_view(), name="commendation_update"),
    path("<int:year>/commendation/publish/", winners.CommendationPublishView.as_view(), name="commendation_publish"),
    path("<int:year>/commendation/print/", winners.commendation_print, name="commendation_print"),
    # Each employee's own standing.
    path("mine/", standing.standing, name="standing"),
]
