"""The demo workspace holds a training programme at *active* that shows what the room does."""

import pytest

from civicbridge.collaborations.models import Collaboration
from civicbridge.training.choices import Moment
from civicbridge.training.queries import alumni_reforms, capacity_change, eligible


@pytest.fixture
def programme(demo_workspace, db):
    return Collaboration.objects.get(model="training")


def test_an_active_programme_of_two_modules_three_sessions_and_twelve_officials(programme):
    assert programme.stage == "active"
    assert programme.training_modules.count() == 2
    assert programme.training_sessions.count() == 3
    assert programme.training_participants.count() == 12
    departments = set(programme.training_participants.values_list("department", flat=True))
    assert len(departments - {None}) == 3


def test_everyone_rated_before_and_after_and_the_change_shows(programme):
    rows = capacity_change(programme)["rows"]
    everyone = [row for row in rows if row.department == ""]
    assert len(everyone) == 4
    for row in everyone:
        assert row.moments[Moment.BEFORE].count == 12
        assert row.moments[Moment.AFTER].count == 12
        assert row.change.shown and row.change.median > 0
    shown = {row.department for row in rows if row.department and row.change.shown}
    kept_back = {row.department for row in rows if row.department and not row.change.shown}
    assert shown == {"City Innovation", "Customer Service"}
    assert kept_back == {"Digital Services"}  # two people: too few to show


def test_certificates_are_earned_and_an_alumna_champions_a_reform(programme):
    assert 8 <= eligible(programme).count() < 12
    [found] = alumni_reforms(
        programme.civic_organisation.memberships.first().person.user, programme
    )
    assert [person.name for person in found["alumni"]] == ["Priya Anand"]
