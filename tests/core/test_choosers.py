"""The shared staff chooser (tollservice/core/choosers.py, static/js/chooser.js): a search that
answers JSON to the script and a page without it, scoped by its selector; the form field takes
the chosen id, or resolves the name or number typed when there was no script."""

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from tests.roster.factories import StaffFactory, TeamFactory, user_with_role
from tollservice.core.choosers import ChooserField, get_chooser
from tollservice.roster.models import Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    team = TeamFactory(name="收费一班")
    return {
        "chen": StaffFactory(name="陈晨", employee_number="CT0022", team=team),
        "chen2": StaffFactory(name="陈思远", employee_number="CT0031"),
        "wang": StaffFactory(name="王伟", employee_number="CT0040", team=team),
        "gone": StaffFactory(name="陈旧", employee_number="CT0099", active=False),
        "team": team,
    }


class OneForm(forms.Form):
    person = ChooserField("staff", label="Person")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Staff.objects.filter(active=True)


class ManyForm(forms.Form):
    people = ChooserField("staff", label="People", multiple=True, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Staff.objects.filter(active=True)


def _data(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data.setlist(key, value if isinstance(value, list) else [value])
    return data


def test_the_search_answers_json_to_the_script_and_a_page_without_it(client, people):
    client.force_login(user_with_role("office"))
    url = reverse("chooser", kwargs={"name": "staff"})
    response = client.get(url, {"q": "陈"}, headers={"Accept": "application/json"})
    assert [row["label"] for row in response.json()["results"]] == ["陈晨", "陈思远"]  # not the one who left
    assert response.json()["results"][0] == {"id": people["chen"].pk, "label": "陈晨", "detail": "CT0022 收费一班"}
    assert client.get(url, {"q": "CT0040", "format": "json"}).json()["results"][0]["label"] == "王伟"
    page = client.get(url, {"q": "陈"})
    assert page["Content-Type"].startswith("text/html") and "陈思远" in page.content.decode()
    scoped = client.get(url, {"q": "陈", "team": people["team"].pk, "format": "json"}).json()
    assert [row["label"] for row in scoped["results"]] == ["陈晨"]
    assert client.get(url, {"q": "陈", "team": "x"}).status_code == 404
    assert client.get(reverse("chooser", kwargs={"name": "nobody"})).status_code == 404


def test_whoever_may_not_read_the_roster_cannot_search_it(client, people):
    client.force_login(user_with_role("team_leader"))
    assert client.get(reverse("chooser", kwargs={"name": "staff"}), {"q": "陈"}).status_code == 403


def test_the_chosen_id_is_taken_and_a_typed_name_or_number_is_resolved(people):
    chosen = OneForm(_data(person="陈晨 CT0022 收费一班", person_pk=str(people["chen"].pk)))
    assert chosen.is_valid() and chosen.cleaned_data["person"] == people["chen"]
    by_number = OneForm(_data(person="ct0040", person_pk=""))
    assert by_number.is_valid() and by_number.cleaned_data["person"] == people["wang"]
    by_name = OneForm(_data(person="王伟", person_pk=""))
    assert by_name.is_valid() and by_name.cleaned_data["person"] == people["wang"]
    # Typed over a chosen name: the text wins.
    retyped = OneForm(_data(person="王伟", person_pk=str(people["chen"].pk)))
    assert retyped.is_valid() and retyped.cleaned_data["person"] == people["wang"]


def test_an_ambiguous_or_unknown_name_is_refused_with_what_matches(people):
    ambiguous = OneForm(_data(person="陈", person_pk=""))
    assert not ambiguous.is_valid()
    message = ambiguous.errors["person"][0]
    assert "陈晨" in message and "陈思远" in message and "CT0022" in message
    unknown = OneForm(_data(person="赵六", person_pk=""))
    assert not unknown.is_valid() and "赵六" in unknown.errors["person"][0]
    outside = OneForm(_data(person="", person_pk=str(people["gone"].pk)))
    assert not outside.is_valid()  # someone who left is not in the field's queryset


def test_several_people_by_chips_or_by_names_separated_by_commas(people):
    form = ManyForm(_data(people="王伟、CT0031", people_pk=[str(people["chen"].pk)]))
    assert form.is_valid()
    assert form.cleaned_data["people"] == [people["chen"], people["wang"], people["chen2"]]
    rendered = str(ManyForm(initial={"people": [people["chen"], people["wang"]]})["people"])
    assert rendered.count('name="people_pk"') == 2 and 'data-chooser-multiple="1"' in rendered
    assert reverse("chooser", kwargs={"name": "staff"}) in rendered


def test_a_chooser_is_registered_once():
    assert get_chooser("staff").permission == "roster.view"
    assert get_chooser("inspection-staff").permission == "inspections.record"
    assert get_chooser("complaint-staff").permission == "complaints.handle"  # team leaders name colleagues too
    with pytest.raises(LookupError):
        get_chooser("nobody")


def test_an_id_given_as_initial_or_alone_shows_the_person_chosen(people):
    # A link's ``?staff=<pk>`` (initial), a model form's foreign key, a lone ``?person_pk=``.
    chen = people["chen"]
    for initial in (chen.pk, str(chen.pk), chen):
        html = str(OneForm(initial={"person": initial})["person"])
        assert 'value="陈晨 CT0022 收费一班"' in html and f'name="person_pk" value="{chen.pk}"' in html
    assert 'name="person_pk" value=""' in str(OneForm(initial={"person": people["gone"].pk})["person"])  # out of scope
    bound = OneForm(_data(person_pk=str(chen.pk)))
    assert 'value="陈晨 CT0022 收费一班"' in str(bound["person"]) and bound.is_valid()
    assert bound.cleaned_data["person"] == chen
    many = str(ManyForm(initial={"people": [people["wang"].pk, chen.pk]})["people"])
    assert many.index("王伟") < many.index("陈晨")
