"""The inspections pages' forms. They check the shape of what was typed; the rules live in the
services, whose ``DomainError`` lands on the field of the same name."""

from inspections.forms.catalog import ChecklistItemForm, SettingsForm, VersionDraftForm, VersionUpdateForm
from inspections.forms.inspections import (
    CctvForm,
    CorrectionForm,
    InspectionParticularsForm,
    InspectionStartForm,
    ReasonForm,
    RecheckForm,
    ReturnForm,
)
from inspections.forms.outcomes import (
    AnswerForm,
    AppealDecideForm,
    AppealForm,
    DeadlineForm,
    OrderIssueForm,
    OrderReturnForm,
    OverdueResolveForm,
    PenaltyProposeForm,
    SuggestionForm,
    VerifyForm,
)
from inspections.forms.results import parse_results, rows_from_post
from inspections.forms.supervision import (
    CircularDraftForm,
    CircularUpdateForm,
    ReportDecideForm,
    ReportPenaltyForm,
    ReportSubmitForm,
)

__all__ = [
    "AnswerForm",
    "AppealDecideForm",
    "AppealForm",
    "CctvForm",
    "ChecklistItemForm",
    "CircularDraftForm",
    "CircularUpdateForm",
    "CorrectionForm",
    "DeadlineForm",
    "InspectionParticularsForm",
    "InspectionStartForm",
    "OrderIssueForm",
    "OrderReturnForm",
    "OverdueResolveForm",
    "PenaltyProposeForm",
    "ReasonForm",
    "RecheckForm",
    "ReportDecideForm",
    "ReportPenaltyForm",
    "ReportSubmitForm",
    "ReturnForm",
    "SettingsForm",
    "SuggestionForm",
    "VerifyForm",
    "VersionDraftForm",
    "VersionUpdateForm",
    "parse_results",
    "rows_from_post",
]
