"""Role × URL rows for the penalties pages (see tests/permission_matrix.py).

Objects are made through the services, by the scene's office user, for the staff member of the
team leader's team (``scene.staff``) unless a row says otherwise. Form pages are posted empty,
or posted on an object the service refuses, so an allowed role gets the page back (200) and
nothing changes between roles. Scope: a team leader sees their team's penalties; a staff
member sees their own, and any other penalty is a 404 to them, as if it did not exist.
"""

from django.utils import timezone

from penalties import services
from penalties.models import Penalty
from tests.penalties.factories import decided_service_code, ensure_policy, proposed_complaint, proposed_service_code
from tests.permission_matrix import Case

ALL_PENALTY_ROLES = frozenset({"admin", "leadership", "office", "finance", "team_leader", "staff"})
VIEW_ALL = frozenset({"admin", "leadership", "office", "finance"})
OFFICE = frozenset({"office"})  # penalties.propose, penalties.decide
LEADERSHIP = frozenset({"leadership"})  # penalties.approve, penalties.settings
REVOKE = frozenset({"leadership", "office"})
RECORDS = frozenset({"leadership", "office"})  # penalties.talks, penalties.eligibility
LEDGER_VIEW = VIEW_ALL
FINANCE = frozenset({"finance"})  # ledger.collect, ledger.reverse
WAIVE_REQUEST = frozenset({"office", "finance"})
WAIVE_APPROVE = frozenset({"leadership", "office", "finance"})


def _empty(scene):
    return {}


def _office(scene):
    ensure_policy()
    return scene.users["office"]


def _decided(scene) -> Penalty:
    return decided_service_code(office=_office(scene), staff=scene.staff)


def _decided_pk(scene):
    return {"pk": _decided(scene).pk}


def _proposed_pk(scene):
    return {"pk": proposed_service_code(office=_office(scene), staff=scene.staff).pk}


def _awaiting_pk(scene):
    """PEN-2: the second violation in the year waits for the leadership group."""
    _decided(scene)
    penalty = _decided(scene)
    assert penalty.status == Penalty.Status.AWAITING_APPROVAL
    return {"pk": penalty.pk}


def _own_penalty_pk(scene):
    """A penalty of the signed-in staff member themselves."""
    return {"pk": decided_service_code(office=_office(scene), staff=scene.users["staff"].staff_profile).pk}


def _collection(scene):
    penalty = _decided(scene)
    return services.fine_collect(penalty=penalty, collected_by=scene.users["finance"], receipt_number="MX-0001")


def _collection_pk(scene):
    return {"pk": _collection(scene).pk}


def _waiver(scene):
    return services.waiver_request(penalty=_decided(scene), requested_by=_office(scene), reason="家庭困难")


def _waiver_pk(scene):
    return {"pk": _waiver(scene).pk}


def _closed_waiver_pk(scene):
    """A rejected waiver: approving or rejecting it again is refused, so nothing changes."""
    waiver = services.waiver_reject(waiver=_waiver(scene), rejected_by=scene.users["leadership"], reason="不符合条件")
    return {"pk": waiver.pk}


def _talk(scene):
    return services.talk_record(
        recorded_by=_office(scene),
        kind="admonishment",
        held_at=timezone.now(),
        conducted_by=scene.users["office"].staff_profile,
        reason="整改不积极",
        summary="指出问题，提出要求。",
        staff=scene.staff,
        follow_up="一个月后复查",
    )


def _talk_pk(scene):
    return {"pk": _talk(scene).pk}


def _revocation_pk(scene):
    revocation = services.eligibility_revoke(
        decided_by=_office(scene), year=timezone.localdate().year, reason="消极对待活动", team=scene.team
    )
    return {"pk": revocation.pk}


def _draft_circular(scene):
    """PEN-3: deciding a verified complaint drafts a circulated criticism."""
    office = _office(scene)
    penalty = services.penalty_decide(penalty=proposed_complaint(office=office, staff=scene.staff), decided_by=office)
    return penalty.circular


def _draft_circular_pk(scene):
    return {"pk": _draft_circular(scene).pk}


def _published_circular_pk(scene):
    circular = services.circular_publish(circular=_draft_circular(scene), published_by=_office(scene))
    return {"pk": circular.pk}


def _page_and_form(url_name: str, allowed: frozenset, kwargs=None, post_kwargs=None, **extra) -> list[Case]:
    return [
        Case(url_name, allowed, kwargs=kwargs, **extra),
        Case(url_name, allowed, kwargs=post_kwargs or kwargs, method="post", data=_empty, **extra),
    ]


CASES = [
    # Penalties.
    Case("penalties:penalty_list", ALL_PENALTY_ROLES),
    Case("penalties:my_penalties", ALL_PENALTY_ROLES),
    # The team leader's team member's penalty: the staff member (someone else) gets a 404.
    Case(
        "penalties:penalty_detail",
        VIEW_ALL | {"team_leader"},
        kwargs=_decided_pk,
        status_for={"staff": 404},
    ),
    # The staff member's own penalty: theirs to read; outside the team leader's team, a 404.
    Case(
        "penalties:penalty_detail",
        VIEW_ALL | {"staff"},
        kwargs=_own_penalty_pk,
        status_for={"team_leader": 404},
    ),
    # The printable notice of a decision: read as the penalty itself is (a person's own, a team's).
    Case(
        "penalties:penalty_notice",
        VIEW_ALL | {"team_leader"},
        kwargs=_decided_pk,
        status_for={"staff": 404},
    ),
    Case(
        "penalties:penalty_notice",
        VIEW_ALL | {"staff"},
        kwargs=_own_penalty_pk,
        status_for={"team_leader": 404},
    ),
    *_page_and_form("penalties:penalty_propose", OFFICE),
    Case("penalties:penalty_preview", OFFICE),
    # Posting a decision on a decided penalty is refused by the service: the form comes back.
    *_page_and_form("penalties:penalty_decide", OFFICE, kwargs=_proposed_pk, post_kwargs=_decided_pk),
    *_page_and_form("penalties:penalty_withdraw", OFFICE, kwargs=_proposed_pk),
    *_page_and_form("penalties:penalty_revoke", REVOKE, kwargs=_decided_pk),
    Case("penalties:approval_queue", LEADERSHIP),
    *_page_and_form("penalties:penalty_approve", LEADERSHIP, kwargs=_awaiting_pk),
    *_page_and_form("penalties:penalty_reject", LEADERSHIP, kwargs=_awaiting_pk),
    # The ledger.
    Case("penalties:outstanding", LEDGER_VIEW),
    *_page_and_form("penalties:fine_collect", FINANCE, kwargs=_decided_pk),
    *_page_and_form("penalties:waiver_request", WAIVE_REQUEST, kwargs=_decided_pk),
    Case("penalties:receipt_list", LEDGER_VIEW),
    *_page_and_form("penalties:ledger_entry_reverse", FINANCE, kwargs=_collection_pk),
    Case("penalties:balances", LEDGER_VIEW),
    Case("penalties:reconciliation", LEDGER_VIEW),
    *_page_and_form("penalties:ledger_period_close", FINANCE),
    Case("penalties:waiver_list", LEDGER_VIEW),
    Case("penalties:waiver_detail", LEDGER_VIEW, kwargs=_waiver_pk),
    *_page_and_form("penalties:waiver_approve", WAIVE_APPROVE, kwargs=_waiver_pk, post_kwargs=_closed_waiver_pk),
    *_page_and_form("penalties:waiver_reject", WAIVE_APPROVE, kwargs=_waiver_pk),
    # Talks (INS-4).
    Case("penalties:talk_list", RECORDS),
    *_page_and_form("penalties:talk_create", RECORDS),
    Case("penalties:talk_detail", RECORDS, kwargs=_talk_pk),
    *_page_and_form("penalties:talk_follow_up", RECORDS, kwargs=_talk_pk),
    # Award eligibility (INS-5, AWD-2).
    Case("penalties:eligibility_lookup", RECORDS),
    Case("penalties:eligibility_revocation_list", RECORDS),
    *_page_and_form("penalties:eligibility_revoke", RECORDS),
    Case("penalties:eligibility_revocation_detail", RECORDS, kwargs=_revocation_pk),
    *_page_and_form("penalties:eligibility_revocation_withdraw", RECORDS, kwargs=_revocation_pk),
    # Circulars: a draft is the office's; a published one is read by everyone with penalties.
    Case("penalties:circular_list", ALL_PENALTY_ROLES),
    Case(
        "penalties:circular_detail",
        VIEW_ALL,
        kwargs=_draft_circular_pk,
        status_for={"team_leader": 404, "staff": 404},
    ),
    Case("penalties:circular_detail", ALL_PENALTY_ROLES, kwargs=_published_circular_pk),
    Case("penalties:circular_print", ALL_PENALTY_ROLES, kwargs=_published_circular_pk),
    Case(
        "penalties:circular_print",
        VIEW_ALL,
        kwargs=_draft_circular_pk,
        status_for={"team_leader": 404, "staff": 404},
    ),
    *_page_and_form("penalties:circular_update", OFFICE, kwargs=_draft_circular_pk),
    # Publishing twice is refused with a message; both answers redirect to the circular.
    Case("penalties:circular_publish", OFFICE, kwargs=_draft_circular_pk, method="post", ok_status=302),
    # The policy.
    Case("penalties:policy", VIEW_ALL),
    *_page_and_form("penalties:policy_change", LEADERSHIP),
]
