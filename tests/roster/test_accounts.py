"""Login accounts: nobody who keeps the roster can sign in as someone else.

The office creates accounts and the person chooses their password by a link emailed to the
address on their roster entry; only the system administrator resets an existing account's
password. Every new account, reset and post that carries a role is audited and told to the
leadership group.
"""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    StaffFactory,
    SupervisorFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.audit.selectors import history_for
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification
from tollservice.roster import services
from tollservice.roster.models import Department, LeadershipMembership, OfficeMembership

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "chosen-by-me-2026"


@pytest.fixture
def leader():
    """A leadership-group member with an account: the one who hears of every change."""
    return user_with_role("leadership")


@pytest.fixture
def office():
    return user_with_role("office")


@pytest.fixture
def admin():
    return user_with_role("admin")


def alerts_for(user):
    return list(Notification.objects.filter(recipient=user).values_list("subject", flat=True))


def signs_in(client, username: str, password: str) -> bool:
    """Through the sign-in page, as a person would (django-axes wants the request)."""
    client.logout()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def _link_in(email) -> str:
    return re.search(r"https?://\S+", email.body).group(0)


# The takeover the review found -----------------------------------------------------------------


@pytest.mark.parametrize("role", ["leadership", "finance"])
def test_the_office_cannot_set_the_password_of_the_leader_or_finance(client, office, role):
    victim = user_with_role(role)
    staff = victim.staff_profile
    client.force_login(office)
    # The old screen let the office post a new password for any existing account.
    chosen = {"password1": "taken-over-2026", "password2": "taken-over-2026"}
    client.post(reverse("roster:staff_account", args=[staff.pk]), chosen)
    assert client.post(reverse("roster:staff_password", args=[staff.pk]), chosen).status_code == 403
    victim.refresh_from_db()
    assert not victim.check_password("taken-over-2026")
    assert not signs_in(client, victim.username, "taken-over-2026")


def test_the_office_cannot_reset_a_password_through_the_service(office, leader):
    staff = leader.staff_profile
    with pytest.raises(DomainError):
        services.account_password_reset(actor=office, person=staff, password="taken-over-2026")
    with pytest.raises(DomainError):
        services.account_password_link_send(actor=office, person=staff)
    leader.refresh_from_db()
    assert not leader.check_password("taken-over-2026")


def test_the_office_cannot_choose_the_password_of_a_new_account(client, office):
    staff = StaffFactory(email="lin@station.invalid")
    with pytest.raises(DomainError):
        services.account_link(actor=office, person=staff, username="lin", password="chosen-by-office-2026")
    client.force_login(office)
    client.post(
        reverse("roster:staff_account", args=[staff.pk]),
        {"username": "lin", "password1": "chosen-by-office-2026", "password2": "chosen-by-office-2026"},
    )
    staff.refresh_from_db()
    assert staff.user is not None and not staff.user.has_usable_password()
    assert not signs_in(client, "lin", "chosen-by-office-2026")


# Creating an account: the person chooses their password ------------------------------------------


def test_a_new_account_owner_chooses_the_password_with_the_emailed_link(
    client, office, leader, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_BASE_URL = "https://portal.example.com"
    staff = StaffFactory(name="林静", email="lin@station.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.account_link(actor=office, person=staff, username="lin")
    assert not user.has_usable_password()
    email = next(message for message in mailoutbox if message.to == ["lin@station.invalid"])
    link = _link_in(email)
    assert link.startswith("https://portal.example.com/accounts/set-password/")
    assert "lin" in email.body

    # The link works without signing in, once.
    path = link.removeprefix("https://portal.example.com")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"]
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert signs_in(client, "lin", NEW_PASSWORD)
    client.logout()
    assert not client.get(path, follow=True).context["validlink"]

    # Audited, and the leadership group is told.
    assert history_for(staff).filter(changes__has_key="user").exists()
    assert any("林静" in subject and "lin" in subject for subject in alerts_for(leader))


def test_an_account_needs_an_email_address_for_its_link(office):
    staff = StaffFactory(name="赵敏", email="")
    with pytest.raises(DomainError) as error:
        services.account_link(actor=office, person=staff, username="zhao")
    assert "赵敏" in str(error.value)
    assert not get_user_model().objects.filter(username="zhao").exists()


def test_the_administrator_may_set_an_initial_password(admin):
    staff = StaffFactory(email="")
    user = services.account_link(actor=admin, person=staff, username="direct", password=NEW_PASSWORD)
    assert user.check_password(NEW_PASSWORD)


# Resetting: the system administrator only, told to the leadership group ---------------------------


def test_the_administrator_resets_a_password_and_the_leadership_group_hears_of_it(client, admin, leader):
    owner = user_with_role("finance")
    staff = owner.staff_profile
    client.force_login(admin)
    url = reverse("roster:staff_password", args=[staff.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert history_for(staff).filter(summary="Password reset", actor=admin).exists()
    assert any(staff.name in subject for subject in alerts_for(leader))


def test_the_administrator_sends_a_link_instead(client, admin, leader, mailoutbox, django_capture_on_commit_callbacks):
    owner = user_with_role("staff")
    staff = owner.staff_profile
    staff.email = owner.email
    staff.save()
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("roster:staff_password", args=[staff.pk]), {"send_link": "1"})
    assert response.status_code == 302
    (link_email,) = [message for message in mailoutbox if message.to == [owner.email]]
    assert "/accounts/set-password/" in link_email.body
    owner.refresh_from_db()
    assert owner.has_usable_password()  # the old one works until the link is used
    assert history_for(staff).filter(summary="Set-password link sent").exists()
    assert len(alerts_for(leader)) == 1


def test_a_supervisor_password_is_reset_by_the_administrator_only(client, office, admin):
    supervisor = user_with_role("supervisor").supervisor_profile
    url = reverse("roster:supervisor_password", args=[supervisor.pk])
    client.force_login(office)
    assert client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 403
    client.force_login(admin)
    assert client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 302
    supervisor.user.refresh_from_db()
    assert supervisor.user.check_password(NEW_PASSWORD)


def test_the_password_page_of_someone_without_an_account_is_not_found(client, admin):
    client.force_login(admin)
    staff = StaffFactory()
    assert client.get(reverse("roster:staff_password", args=[staff.pk])).status_code == 404
    supervisor = SupervisorFactory()
    assert client.get(reverse("roster:supervisor_password", args=[supervisor.pk])).status_code == 404


# Posts that carry a role are told to the leadership group ----------------------------------------


def test_every_post_that_grants_a_role_is_told_to_the_leadership_group(office, leader):
    toll = DepartmentFactory(name="征费室", kind=Department.Kind.TOLL_OFFICE)
    finance = DepartmentFactory(station=toll.station, name="财务室", kind=Department.Kind.FINANCE)
    today = datetime.date.today()

    person = StaffFactory(department=toll, name="钱进")
    services.leadership_membership_add(
        actor=office, staff=person, role=LeadershipMembership.Role.DEPUTY, start_date=today
    )
    other = StaffFactory(department=toll, name="孙立")
    services.office_membership_add(actor=office, staff=other, role=OfficeMembership.Role.MEMBER, start_date=today)
    team = TeamFactory(department=toll, station=toll.station, name="收费九班")
    team_leader = StaffFactory(department=toll, name="周全")
    services.team_update(actor=office, team=team, name=team.name, department=toll, leader=team_leader, active=True)
    clerk = services.staff_create(actor=office, employee_number="F001", name="吴用", department=finance)
    mover = StaffFactory(department=toll, name="郑和")
    services.staff_update(
        actor=office,
        staff=mover,
        employee_number=mover.employee_number,
        name=mover.name,
        position=mover.position,
        department=finance,
        team=None,
        phone=mover.phone,
        email=mover.email,
    )

    subjects = alerts_for(leader)
    for name in ("钱进", "孙立", "周全", "吴用", "郑和"):
        assert sum(name in subject for subject in subjects) == 1, (name, subjects)
    assert any("收费九班" in subject for subject in subjects)
    assert clerk.pk and history_for(clerk).exists()  # the change itself is audited as before


def test_a_department_that_becomes_the_finance_office_is_told_per_person(office, leader):
    department = DepartmentFactory(name="综合室", kind=Department.Kind.OTHER)
    StaffFactory.create_batch(2, department=department)
    services.department_update(
        actor=office,
        department=department,
        name=department.name,
        kind=Department.Kind.FINANCE,
        head=None,
        hotline="",
        active=True,
    )
    assert len(alerts_for(leader)) == 2


def test_the_actor_is_not_told_of_their_own_change_and_the_system_tells_no_one(leader):
    toll = DepartmentFactory()
    person = StaffFactory(department=toll)
    services.leadership_membership_add(
        actor=leader, staff=person, role=LeadershipMembership.Role.MEMBER, start_date=datetime.date.today()
    )
    assert alerts_for(leader) == []
    other_member = LeadershipMembershipFactory(staff=StaffFactory(user=UserFactory())).staff.user
    services.leadership_membership_add(
        actor=None, staff=StaffFactory(), role=LeadershipMembership.Role.MEMBER, start_date=datetime.date.today()
    )
    assert alerts_for(other_member) == []


def test_a_changed_account_email_is_told_to_the_leadership_group(office, leader):
    owner = user_with_role("staff")
    staff = owner.staff_profile
    services.staff_update(
        actor=office,
        staff=staff,
        employee_number=staff.employee_number,
        name=staff.name,
        position=staff.position,
        department=staff.department,
        team=staff.team,
        phone=staff.phone,
        email="elsewhere@station.invalid",
    )
    owner.refresh_from_db()
    assert owner.email == "elsewhere@station.invalid"
    assert any("elsewhere@station.invalid" in subject for subject in alerts_for(leader))
