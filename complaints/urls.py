"""The complaints pages. Drivers' pages (no account) are listed in the permission matrix's PUBLIC."""

from django.urls import path

from complaints.views import detail, intake, lists, office, public, steps

app_name = "complaints"

urlpatterns = [
    # Drivers (CMP-9): the form a lane's QR poster opens, and the look-up by number and code.
    path("report/", public.complaint_form, name="public_form"),
    path("track/", public.lookup, name="lookup"),
    path("track/add/", public.lookup_add_information, name="lookup_add"),
    path("track/rate/", public.lookup_rate, name="lookup_rate"),
    # Staff.
    path("", lists.ComplaintListView.as_view(), name="list"),
    path("ledger/", lists.LedgerView.as_view(), name="ledger"),
    path("new/", intake.RegisterView.as_view(), name="register"),
    path("new/duplicates/", intake.duplicate_suggestions, name="duplicate_suggestions"),
    path("<int:pk>/", detail.complaint_detail, name="detail"),
    path("<int:pk>/photos/<int:photo_pk>/", detail.complaint_photo, name="photo"),
    path("<int:pk>/contact-details/", detail.reveal_contact, name="reveal_contact"),
    path("<int:pk>/new-code/", intake.reissue_code, name="reissue_code"),
    path("<int:pk>/take-up/", steps.take_up, name="take_up"),
    path("<int:pk>/hand-over/", steps.HandOverView.as_view(), name="hand_over"),
    path("<int:pk>/escalate/", steps.EscalateView.as_view(), name="escalate"),
    path("<int:pk>/subjects/", steps.SubjectsView.as_view(), name="subjects"),
    path("<int:pk>/contact/", steps.ContactView.as_view(), name="contact"),
    path("<int:pk>/investigate/", steps.start_investigation, name="investigate"),
    path("<int:pk>/statement/", steps.StatementView.as_view(), name="statement"),
    path("<int:pk>/pause/", steps.PauseView.as_view(), name="pause"),
    path("<int:pk>/resume/", steps.ResumeView.as_view(), name="resume"),
    path("<int:pk>/extension/", steps.ExtensionRequestView.as_view(), name="extension_request"),
    path("extensions/<int:pk>/decide/", steps.ExtensionDecideView.as_view(), name="extension_decide"),
    path("<int:pk>/verdict/", steps.VerdictView.as_view(), name="verdict"),
    path("<int:pk>/apology/", steps.ApologyView.as_view(), name="apology"),
    path("<int:pk>/answer/", steps.AnswerView.as_view(), name="answer"),
    path("<int:pk>/work-order/report/", steps.WorkOrderReportView.as_view(), name="work_order_report"),
    path("<int:pk>/work-order/returned/", steps.WorkOrderReturnView.as_view(), name="work_order_return"),
    path("<int:pk>/link/", steps.LinkView.as_view(), name="link"),
    path("<int:pk>/unlink/", steps.UnlinkView.as_view(), name="unlink"),
    path("<int:pk>/make-primary/", steps.MakePrimaryView.as_view(), name="make_primary"),
    path("<int:pk>/return-visit/", steps.ReturnVisitView.as_view(), name="return_visit"),
    path("reviews/<int:pk>/decide/", steps.ReviewDecideView.as_view(), name="review_decide"),
    path("<int:pk>/close/", steps.CloseView.as_view(), name="close"),
    path("<int:pk>/void/", steps.VoidView.as_view(), name="void"),
    path("<int:pk>/penalty/", steps.PenaltyProposeView.as_view(), name="penalty_propose"),
    path("<int:pk>/mishandling/", steps.HandlingViolationView.as_view(), name="handling_violation"),
    # The group office.
    path("posters/", office.lane_posters, name="posters"),
    path("figures/", office.figures, name="figures"),
    path("settings/", office.settings_page, name="settings"),
    path("settings/change/", office.SettingsChangeView.as_view(), name="settings_change"),
    path("settings/limits/<str:urgency>/", office.UrgencyLimitView.as_view(), name="urgency_limit"),
    path("methods/", office.department_methods, name="methods"),
    path("methods/<int:pk>/", office.DepartmentMethodView.as_view(), name="method_edit"),
]
