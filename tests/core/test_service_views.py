"""A state-changing form is saved once, however often it is sent (tollservice.core.service_views).

Every ``ServiceFormView`` page carries a one-time submission token; the POST that spends it
writes a row in the same transaction as its service call, so a double-click, the back button or
a replay gets the first submission's result, never a second write. The penalties' talk form and
the roster's department form stand for every screen (they share the one base view).
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from penalties.models import TalkRecord
from tests.permission_matrix import ROLES, Scene, all_cases
from tests.roster.factories import StaffFactory, user_with_role
from tests.services import require_postgres
from tests.submissions import opened, token_from
from tollservice.core.models import FormSubmission
from tollservice.core.service_views import (
    SUBMISSION_FIELD,
    ServiceFormView,
    form_submissions_purge,
    submission_token_issue,
)
from tollservice.roster.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, station):
    user = user_with_role("office")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return user


def _talk(staff, conductor) -> dict:
    return {
        "kind": TalkRecord.Kind.ADMONISHMENT,
        "staff_pk": staff.pk,
        "held_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "conducted_by_pk": conductor.pk,
        "reason": "整改不积极",
        "summary": "指出问题",
    }


def test_a_form_sent_twice_is_saved_once_and_the_second_gets_the_first_result(client, office):
    url = reverse("penalties:talk_create")
    data = _talk(StaffFactory(), StaffFactory()) | opened(client, url)
    first = client.post(url, data)
    talk = TalkRecord.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("penalties:talk_detail", args=[talk.pk])
    # The double-click, or the back button and "send" again: the same token.
    second = client.post(url, data, follow=True)
    assert TalkRecord.objects.count() == 1
    assert second.redirect_chain == [(reverse("penalties:talk_detail", args=[talk.pk]), 302)]
    assert "This form had already been sent; it was saved once." in second.content.decode()


def test_a_roster_form_is_saved_once_too(client, office):
    url = reverse("roster:department_create")
    data = {"name": "监控室", "kind": Department.Kind.OTHER} | opened(client, url)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Department.objects.filter(name="监控室").count() == 1


@pytest.mark.parametrize("token", ["", "forged", "other-user"])
def test_a_form_without_a_valid_token_comes_back_unsaved_with_what_was_typed(client, office, token):
    url = reverse("penalties:talk_create")
    if token == "other-user":
        token = submission_token_issue(user_with_role("office"))
    data = _talk(StaffFactory(), StaffFactory()) | {SUBMISSION_FIELD: token}
    response = client.post(url, data)
    assert response.status_code == 200 and not TalkRecord.objects.exists()
    assert response.context["form"].non_field_errors() == [
        "This form had expired or was not sent from the portal's page. Check it and send it again."
    ]
    assert "整改不积极" in response.content.decode()
    # The page carries a fresh token, with which the same data is saved.
    fresh = token_from(response)
    assert fresh != token
    assert client.post(url, data | {SUBMISSION_FIELD: fresh}).status_code == 302
    assert TalkRecord.objects.count() == 1


def test_an_expired_token_is_refused(client, office, monkeypatch):
    url = reverse("penalties:talk_create")
    data = _talk(StaffFactory(), StaffFactory()) | opened(client, url)
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())
    assert client.post(url, data).status_code == 200
    assert not TalkRecord.objects.exists()


def test_a_refused_submission_leaves_its_token_for_the_corrected_form(client, office):
    url = reverse("penalties:talk_create")
    staff = StaffFactory()
    token = opened(client, url)
    # Refused by the service (a talk is recorded once it has been held): nothing is spent.
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(url, _talk(staff, staff) | {"held_at": future} | token)
    assert refused.status_code == 200 and not FormSubmission.objects.exists()
    assert client.post(url, _talk(staff, staff) | token).status_code == 302
    assert TalkRecord.objects.count() == 1 and FormSubmission.objects.count() == 1


def test_spent_tokens_are_forgotten_once_expired(office):
    FormSubmission.objects.create(nonce="old", user=office, path="/x/")
    FormSubmission.objects.filter(nonce="old").update(submitted_at=timezone.now() - datetime.timedelta(days=3))
    FormSubmission.objects.create(nonce="new", user=office, path="/x/")
    assert form_submissions_purge() == 1
    assert list(FormSubmission.objects.values_list("nonce", flat=True)) == ["new"]


@pytest.fixture
def scene(db) -> Scene:
    users = {role: user_with_role(role) for role in ROLES}
    leader_staff = users["team_leader"].staff_profile
    team = leader_staff.led_teams.get()
    return Scene(
        users=users,
        team=team,
        staff=StaffFactory(team=team, department=team.department),
        supervisor=users["supervisor"].supervisor_profile,
    )


def _service_form_pages():
    from django.urls import resolve

    for case in all_cases():
        if case.method != "get" or not case.allowed:  # a row where nobody gets the form has none to check
            continue
        view_class = getattr(resolve(reverse_pattern(case)).func, "view_class", None)
        if view_class is not None and issubclass(view_class, ServiceFormView):
            yield case


def reverse_pattern(case) -> str:
    # A path good enough to resolve the view (the kwargs' values do not matter for that).
    from tests.core.test_url_walk import walk

    for pattern in walk():
        if pattern.name == case.url_name:
            return reverse(case.url_name, kwargs=pattern.kwargs or None)
    raise AssertionError(case.url_name)


@pytest.mark.parametrize("case", list(_service_form_pages()), ids=str)
def test_every_service_form_page_carries_a_submission_token(client, scene, case):
    # Every screen built on ServiceFormView, in every app, renders the token in its form:
    # otherwise it could not be sent at all.
    role = next(role for role in ROLES if role in case.allowed)
    client.force_login(scene.users[role])
    url = reverse(case.url_name, kwargs=case.kwargs(scene) if case.kwargs else None)
    response = client.get(url)
    assert response.status_code == 200, url
    assert f'name="{SUBMISSION_FIELD}"' in response.content.decode(), url


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_copies_of_one_form_sent_at_once_are_saved_once(station):
    # The same form (one token) posted twenty times at the same moment, each on its own
    # connection: the first spends the token; the others wait for it on the database's unique
    # constraint and are sent to its result. Never twenty talks.
    require_postgres()
    user = user_with_role("office")
    staff, conductor = StaffFactory(), StaffFactory()
    url = reverse("penalties:talk_create")
    opener = Client()
    opener.force_login(user)
    data = _talk(staff, conductor) | opened(opener, url)
    copies = 20
    barrier = threading.Barrier(copies)
    statuses, errors = [], []

    def send():
        try:
            client = Client()
            client.force_login(user)
            barrier.wait(timeout=20)
            statuses.append(client.post(url, data).status_code)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert statuses == [302] * copies
    assert TalkRecord.objects.count() == 1 and FormSubmission.objects.count() == 1
