"""The penalties pages. ``penalties.links`` names the ones the domain links to."""

from django.urls import path

from penalties.views import ledger, penalties, records

app_name = "penalties"

urlpatterns = [
    # Penalties (office, PEN-1 … PEN-5) and "my penalties" (staff).
    path("", penalties.PenaltyListView.as_view(), name="penalty_list"),
    path("mine/", penalties.MyPenaltiesView.as_view(), name="my_penalties"),
    path("new/", penalties.PenaltyProposeView.as_view(), name="penalty_propose"),
    path("new/preview/", penalties.penalty_preview, name="penalty_preview"),
    path("<int:pk>/", penalties.penalty_detail, name="penalty_detail"),
    path("<int:pk>/notice/", penalties.penalty_notice, name="penalty_notice"),
    path("<int:pk>/decide/", penalties.PenaltyDecideView.as_view(), name="penalty_decide"),
    path("<int:pk>/withdraw/", penalties.PenaltyWithdrawView.as_view(), name="penalty_withdraw"),
    path("<int:pk>/revoke/", penalties.PenaltyRevokeView.as_view(), name="penalty_revoke"),
    # Leadership group (PEN-2, PEN-3).
    path("approvals/", penalties.ApprovalQueueView.as_view(), name="approval_queue"),
    path("<int:pk>/approve/", penalties.PenaltyApproveView.as_view(), name="penalty_approve"),
    path("<int:pk>/reject/", penalties.PenaltyRejectView.as_view(), name="penalty_reject"),
    # The fine ledger (finance office, PEN-5).
    path("fines/outstanding/", ledger.OutstandingView.as_view(), name="outstanding"),
    path("<int:pk>/collect/", ledger.FineCollectView.as_view(), name="fine_collect"),
    path("<int:pk>/waiver/", ledger.WaiverRequestView.as_view(), name="waiver_request"),
    path("fines/receipts/", ledger.ReceiptListView.as_view(), name="receipt_list"),
    path("fines/entries/<int:pk>/reverse/", ledger.LedgerEntryReverseView.as_view(), name="ledger_entry_reverse"),
    path("fines/balances/", ledger.balances, name="balances"),
    path("fines/reconciliation/", ledger.reconciliation, name="reconciliation"),
    path("fines/close/", ledger.LedgerPeriodCloseView.as_view(), name="ledger_period_close"),
    path("waivers/", ledger.WaiverListView.as_view(), name="waiver_list"),
    path("waivers/<int:pk>/", ledger.waiver_detail, name="waiver_detail"),
    path("waivers/<int:pk>/approve/", ledger.WaiverApproveView.as_view(), name="waiver_approve"),
    path("waivers/<int:pk>/reject/", ledger.WaiverRejectView.as_view(), name="waiver_reject"),
    # Talks (INS-4).
    path("talks/", records.TalkListView.as_view(), name="talk_list"),
    path("talks/new/", records.TalkCreateView.as_view(), name="talk_create"),
    path("talks/<int:pk>/", records.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/follow-up/", records.TalkFollowUpView.as_view(), name="talk_follow_up"),
    # Award eligibility (INS-5, AWD-2).
    path("eligibility/", records.eligibility_lookup, name="eligibility_lookup"),
    path("eligibility/losses/", records.RevocationListView.as_view(), name="eligibility_revocation_list"),
    path("eligibility/losses/new/", records.EligibilityRevokeView.as_view(), name="eligibility_revoke"),
    path("eligibility/losses/<int:pk>/", records.revocation_detail, name="eligibility_revocation_detail"),
    path(
        "eligibility/losses/<int:pk>/withdraw/",
        records.RevocationWithdrawView.as_view(),
        name="eligibility_revocation_withdraw",
    ),
    # Circulars (PEN-3, PEN-4, INS-3).
    path("circulars/", records.CircularListView.as_view(), name="circular_list"),
    path("circulars/<int:pk>/", records.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/edit/", records.CircularUpdateView.as_view(), name="circular_update"),
    path("circulars/<int:pk>/publish/", records.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/print/", records.circular_print, name="circular_print"),
    # The policy: the plan's amounts and "what counts as a year", with history.
    path("policy/", records.policy, name="policy"),
    path("policy/change/", records.PolicyChangeView.as_view(), name="policy_change"),
]
