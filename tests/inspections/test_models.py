"""Points are exact: Decimal in Python, whole hundredths in the database, summed and averaged
without floating point on SQLite and PostgreSQL alike."""

from decimal import Decimal as D

import pytest

from inspections import selectors
from inspections.models import Deduction, Inspection
from inspections.models.fields import PointsField
from tests.inspections.factories import a_moment, inspection

pytestmark = pytest.mark.django_db


def test_points_are_stored_as_hundredths_and_read_back_as_decimals(site):
    done = inspection(by=site.office, team=site.team_a, breaches={"JC-02": (3, site.collector)})
    assert done.score == D("98.5") and isinstance(done.score, D)
    stored = Inspection.objects.filter(pk=done.pk).values_list("score", flat=True).get()
    assert stored == D("98.50")
    assert Inspection.objects.filter(score=D("98.5")).exists() and not Inspection.objects.filter(score=98).exists()
    with pytest.raises(ValueError):
        PointsField().get_prep_value(D("0.125"))


def test_rankings_average_and_sum_exactly(site):
    day = a_moment().date()
    inspection(by=site.office, team=site.team_a, breaches={"JC-02": (5, site.collector)})  # 97.5
    inspection(by=site.office2, team=site.team_a, breaches={"JC-02": (4, site.collector)})  # 98
    inspection(by=site.office, team=site.team_a, breaches={"JC-02": (1, site.collector)}, occurred_at=a_moment(2, 9))
    rows = {r["team_id"]: r for r in selectors.team_scores(user=site.office, start=day, end=day)}
    assert rows[site.team_a.pk]["inspections"] == 3
    assert rows[site.team_a.pk]["average_score"] == D("98.33")  # (97.5 + 98 + 99.5) / 3
    assert rows[site.team_a.pk]["lowest_score"] == D("97.5")
    [person] = selectors.subject_deductions(user=site.office, start=day, end=day, subject=Deduction.Subject.PERSON)
    assert person["points"] == D("5") and person["findings"] == 3
