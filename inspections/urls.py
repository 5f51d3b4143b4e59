"""The inspections pages. ``inspections.links`` names the ones the domain links to."""

from django.urls import path

from inspections.views import catalog, circulars, detail, filling, lists, orders, outcomes, review, supervision

app_name = "inspections"

urlpatterns = [
    # Inspections: the list, starting one on a phone, filling it in, filing it.
    path("", lists.InspectionListView.as_view(), name="inspection_list"),
    path("new/", filling.InspectionStartView.as_view(), name="inspection_start"),
    path("<int:pk>/", detail.inspection_detail, name="inspection_detail"),
    path("<int:pk>/particulars/", filling.InspectionParticularsView.as_view(), name="inspection_update"),
    path("<int:pk>/fill/", filling.inspection_fill, name="inspection_fill"),
    path("<int:pk>/draft/", filling.inspection_draft, name="inspection_draft"),
    path("<int:pk>/photos/", filling.evidence_photo_upload, name="evidence_photo_upload"),
    path("<int:pk>/cctv/", detail.CctvAddView.as_view(), name="evidence_cctv_add"),
    path("<int:pk>/recheck/<int:finding>/", filling.finding_recheck, name="finding_recheck"),
    path("<int:pk>/file/", filling.InspectionFileView.as_view(), name="inspection_file"),
    path("evidence/<int:pk>/", detail.evidence_file, name="evidence_file"),
    path("evidence/<int:pk>/remove/", detail.evidence_remove, name="evidence_remove"),
    # The office's review of a supervisor's visit (INS-6); corrections and closing (INS-2).
    path("review/", lists.review_queue, name="review_queue"),
    path("<int:pk>/publish/", review.PublishView.as_view(), name="inspection_publish"),
    path("<int:pk>/return/", review.ReturnView.as_view(), name="inspection_return"),
    path("<int:pk>/void/", review.VoidView.as_view(), name="inspection_void"),
    path("<int:pk>/correct/", detail.CorrectionView.as_view(), name="inspection_correct"),
    path("<int:pk>/close/", detail.inspection_close, name="inspection_close"),
    # Findings and their outcomes (INS-2); appeals (INS-6).
    path("findings/", lists.FindingListView.as_view(), name="finding_list"),
    path("findings/<int:pk>/suggest/", outcomes.SuggestView.as_view(), name="finding_suggest"),
    path("findings/<int:pk>/penalty/", outcomes.PenaltyProposeView.as_view(), name="finding_penalty"),
    path("findings/<int:pk>/order/", outcomes.OrderIssueView.as_view(), name="finding_order"),
    path("findings/<int:pk>/appeal/", outcomes.AppealLodgeView.as_view(), name="finding_appeal"),
    path("appeals/", outcomes.appeal_list, name="appeal_list"),
    path("appeals/<int:pk>/decide/", outcomes.AppealDecideView.as_view(), name="appeal_decide"),
    # Rectification orders.
    path("orders/", lists.OrderListView.as_view(), name="order_list"),
    path("orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("orders/<int:pk>/answer/", orders.AnswerView.as_view(), name="order_answer"),
    path("orders/<int:pk>/verify/", orders.VerifyView.as_view(), name="order_verify"),
    path("orders/<int:pk>/return/", orders.OrderReturnView.as_view(), name="order_return"),
    path("orders/<int:pk>/deadline/", orders.DeadlineChangeView.as_view(), name="order_deadline"),
    path("overdue/", supervision.overdue_list, name="overdue_list"),
    path("overdue/<int:pk>/", supervision.OverdueResolveView.as_view(), name="overdue_resolve"),
    # Supervisors' reports (INS-6) and the leadership group's decisions (INS-7).
    path("reports/", supervision.report_list, name="report_list"),
    path("reports/new/", supervision.ReportSubmitView.as_view(), name="report_submit"),
    path("reports/<int:pk>/", supervision.report_detail, name="report_detail"),
    path("reports/<int:pk>/decide/", supervision.ReportDecideView.as_view(), name="report_decide"),
    path("reports/<int:pk>/penalty/", supervision.ReportPenaltyView.as_view(), name="report_penalty"),
    # The checklist (versions, items) and the settings.
    path("checklist/", catalog.version_list, name="version_list"),
    path("checklist/new/", catalog.VersionDraftView.as_view(), name="version_draft"),
    path("checklist/<int:pk>/", catalog.version_detail, name="version_detail"),
    path("checklist/<int:pk>/edit/", catalog.VersionUpdateView.as_view(), name="version_update"),
    path("checklist/<int:pk>/publish/", catalog.VersionPublishView.as_view(), name="version_publish"),
    path("checklist/<int:pk>/items/new/", catalog.ItemCreateView.as_view(), name="item_create"),
    path("checklist/items/<int:pk>/edit/", catalog.ItemUpdateView.as_view(), name="item_update"),
    path("checklist/items/<int:pk>/remove/", catalog.item_remove, name="item_remove"),
    path("settings/", catalog.SettingsView.as_view(), name="settings"),
    # The station affairs meeting circular (INS-3).
    path("circulars/", circulars.circular_list, name="circular_list"),
    path("circulars/new/", circulars.CircularDraftView.as_view(), name="circular_draft"),
    path("circulars/<int:pk>/", circulars.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/edit/", circulars.CircularUpdateView.as_view(), name="circular_update"),
    path("circulars/<int:pk>/publish/", circulars.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/export.xlsx", circulars.circular_export, name="circular_export"),
]
