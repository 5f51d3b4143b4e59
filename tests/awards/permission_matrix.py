"""Role × URL rows for the awards' pages (see tests/permission_matrix.py).

The campaign is this year's, opened by the scene's office user; the team led by the scene's
team leader is nominated (and, where a row needs an award, approved by the leadership user).
Form pages are posted empty, or on an object the service refuses, so an allowed role gets the
page back (200) and nothing changes between roles; the one confirmation that succeeds (study
reminders) redirects (302).
"""

from django.utils import timezone

from awards import services
from awards.models import AwardKind, Campaign
from tests.penalties.factories import ensure_policy
from tests.permission_matrix import Case

VIEW = frozenset({"admin", "leadership", "office"})  # awards.view
OFFICE = frozenset({"office"})  # awards.manage
LEADERSHIP = frozenset({"leadership"})  # awards.approve
STUDY = frozenset({"office", "team_leader"})  # awards.study
STANDING = frozenset({"leadership", "office", "finance", "team_leader", "staff"})  # awards.standing
GOLD = AwardKind.GOLD_TEAM


def _empty(scene):
    return {}


def _campaign(scene):
    ensure_policy()
    year = timezone.localdate().year
    return Campaign.objects.filter(year=year).first() or services.campaign_open(
        year=year, opened_by=scene.users["office"]
    )


def _year(scene):
    return {"year": _campaign(scene).year}


def _ranking(kind):
    def kwargs(scene):
        return {"year": _campaign(scene).year, "kind": kind}

    return kwargs


def _candidate(scene):
    return {"year": _campaign(scene).year, "kind": GOLD, "pk": scene.team.pk}


def _nomination(scene):
    selection = _campaign(scene).selections.get(kind=GOLD)
    return services.nomination_create(
        selection=selection,
        nominated_by=scene.users["office"],
        candidate_id=scene.team.pk,
        citation="全年服务规范。",
        out_of_order_reason="测试",
    )


def _nomination_pk(scene):
    return {"pk": _nomination(scene).pk}


def _award(scene):
    return services.nomination_approve(nomination=_nomination(scene), approved_by=scene.users["leadership"])


def _award_pk(scene):
    return {"pk": _award(scene).pk}


def _drafted(scene):
    award = _award(scene)
    services.commendation_draft(campaign=award.selection.campaign, drafted_by=scene.users["office"])
    return {"year": award.year}


def _page_and_form(url_name: str, allowed: frozenset, kwargs=None, post_kwargs=None, **extra) -> list[Case]:
    return [
        Case(url_name, allowed, kwargs=kwargs, **extra),
        Case(url_name, allowed, kwargs=post_kwargs or kwargs, method="post", data=_empty, **extra),
    ]


CASES = [
    # The campaign (CAM-1) and the study (CAM-2).
    Case("awards:campaign_list", VIEW),
    *_page_and_form("awards:campaign_open", OFFICE),
    Case("awards:campaign_detail", VIEW, kwargs=_year),
    *_page_and_form("awards:campaign_change", OFFICE, kwargs=_year),
    Case("awards:study_list", STUDY, kwargs=_year),
    *_page_and_form("awards:study_record", STUDY, kwargs=_year),
    Case("awards:study_remind", OFFICE, kwargs=_year),
    Case("awards:study_remind", OFFICE, kwargs=_year, method="post", data=_empty, ok_status=302),
    # The selection (AWD-1, AWD-2).
    Case("awards:ranking", VIEW, kwargs=_ranking(AwardKind.GOLD_TEAM)),
    Case("awards:ranking", VIEW, kwargs=_ranking(AwardKind.SERVICE_STAR)),
    Case("awards:ranking_refresh", OFFICE, kwargs=_ranking(GOLD), method="post", data=_empty, ok_status=302),
    *_page_and_form("awards:selection_change", OFFICE, kwargs=_ranking(GOLD)),
    Case("awards:candidate", VIEW, kwargs=_candidate),
    *_page_and_form("awards:nominate", OFFICE, kwargs=_candidate),
    Case("awards:approval_queue", LEADERSHIP),
    Case("awards:nomination_detail", VIEW, kwargs=_nomination_pk),
    *_page_and_form("awards:nomination_approve", LEADERSHIP, kwargs=_nomination_pk),
    *_page_and_form("awards:nomination_reject", LEADERSHIP, kwargs=_nomination_pk),
    *_page_and_form("awards:nomination_withdraw", OFFICE, kwargs=_nomination_pk),
    # What winners get (AWD-1).
    Case("awards:award_list", VIEW),
    Case("awards:award_detail", VIEW, kwargs=_award_pk),
    Case("awards:certificate", VIEW, kwargs=_award_pk),
    *_page_and_form("awards:plaque_record", OFFICE, kwargs=_award_pk),
    Case("awards:plaque_register", VIEW),
    Case("awards:commendation", VIEW, kwargs=_year),
    *_page_and_form("awards:commendation_draft", OFFICE, kwargs=_year),
    *_page_and_form("awards:commendation_update", OFFICE, kwargs=_drafted),
    *_page_and_form("awards:commendation_publish", OFFICE, kwargs=_year),
    Case("awards:commendation_print", VIEW, kwargs=_drafted),
    # Each employee's own standing.
    Case("awards:standing", STANDING),
]
