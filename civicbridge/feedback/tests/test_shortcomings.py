"""The register of shortcomings and their solutions (T2): raised with a solution by the
civic side, owned, decided and acted on by the institution, published if both want."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civicbridge.core.states import StaleState
from civicbridge.feedback.checks import shortcomings_owned
from civicbridge.feedback.choices import ShortcomingStatus
from civicbridge.feedback.forms import ShortcomingForm
from civicbridge.feedback.models import Shortcoming
from civicbridge.feedback.services import shortcomings as services
from civicbridge.playbook import checks
from tests.factories import ShortcomingFactory

RAISED: dict[str, Any] = {
    "title": "Callers give up",
    "evidence": "Three in four calls are dropped after ten minutes.",
    "solution": "A call-back queue and published opening hours.",
}


def raised(world, programme, **changes) -> Shortcoming:
    fields = {**RAISED, "owner": world.official.person, **changes}
    return services.raise_shortcoming(world.civic_lead, programme, **fields)


# Raising


def test_a_shortcoming_without_a_proposed_solution_is_refused(world, programme, client_for):
    with pytest.raises(ValidationError) as refused:
        services.raise_shortcoming(world.civic_lead, programme, **{**RAISED, "solution": "  "})
    assert "proposed solution" in str(refused.value)
    form = ShortcomingForm({**RAISED, "solution": ""}, collaboration=programme)
    assert not form.is_valid() and "proposed solution" in form.errors["solution"][0]
    url = reverse("feedback:shortcoming_create", args=[programme.pk])
    response = client_for(world.civic_lead).post(url, {**RAISED, "solution": ""})
    assert response.status_code == 200 and b"proposed solution" in response.content
    assert not Shortcoming.objects.exists()


def test_the_civic_side_raises_a_shortcoming_with_its_solution(world, programme, client_for):
    url = reverse("feedback:shortcoming_create", args=[programme.pk])
    body = {**RAISED, "owner": world.official.person.pk}
    assert client_for(world.civic_lead).post(url, body).status_code == 302
    shortcoming = Shortcoming.objects.get()
    assert shortcoming.status == ShortcomingStatus.PROPOSED
    assert shortcoming.owner == world.official.person
    assert shortcoming.raised_on == timezone.localdate() and shortcoming.decided_on is None
    register = client_for(world.official).get(reverse("feedback:shortcomings", args=[programme.pk]))
    assert b"A call-back queue" in register.content


def test_the_owner_is_a_person_of_the_institution(world, programme):
    with pytest.raises(ValidationError, match="not a current member"):
        raised(world, programme, owner=world.civic_lead.person)
    with pytest.raises(ValidationError, match="not a current member"):
        raised(world, programme, owner=world.outsider.person)
    assert not Shortcoming.objects.exists()


def test_the_institution_does_not_raise_shortcomings(world, programme):
    with pytest.raises(PermissionDenied):
        services.raise_shortcoming(world.official, programme, **RAISED)


def test_the_civic_side_changes_a_shortcoming_only_while_proposed(world, programme):
    shortcoming = raised(world, programme)
    services.change_shortcoming(
        world.civic_lead,
        shortcoming,
        **{**RAISED, "title": "Calls dropped", "owner": world.official.person},
    )
    assert Shortcoming.objects.get().title == "Calls dropped"
    services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.ACCEPTED)
    shortcoming.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.change_shortcoming(world.civic_lead, shortcoming, **RAISED)
    assert Shortcoming.objects.get().title == "Calls dropped"


# The institution's decisions


def test_the_institution_accepts_progresses_and_finishes_with_dates(world, programme):
    shortcoming = raised(world, programme)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.ACCEPTED)
    with time_machine.travel(start + timedelta(days=3), tick=False):
        shortcoming.refresh_from_db()
        services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.IN_PROGRESS)
    with time_machine.travel(start + timedelta(days=10), tick=False):
        shortcoming.refresh_from_db()
        services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.DONE)
    shortcoming.refresh_from_db()
    assert shortcoming.status == ShortcomingStatus.DONE
    assert shortcoming.decided_on == timezone.localdate(start)
    assert shortcoming.done_on == timezone.localdate(start + timedelta(days=10))


def test_the_civic_side_cannot_decide(world, programme):
    shortcoming = raised(world, programme)
    with pytest.raises(PermissionDenied):
        services.move_shortcoming(world.civic_lead, shortcoming, to=ShortcomingStatus.ACCEPTED)
    assert Shortcoming.objects.get().status == ShortcomingStatus.PROPOSED


def test_declining_needs_a_reason(world, programme, client_for):
    shortcoming = raised(world, programme)
    with pytest.raises(ValidationError, match="Say why"):
        services.move_shortcoming(
            world.official, shortcoming, to=ShortcomingStatus.DECLINED, reason=" "
        )
    url = reverse("feedback:shortcoming_move", args=[programme.pk, shortcoming.pk])
    client = client_for(world.official)
    response = client.post(url, {"status": "declined", "seen": "proposed", "reason": ""})
    assert response.status_code == 200 and b"Say why" in response.content
    assert Shortcoming.objects.get().status == ShortcomingStatus.PROPOSED
    body = {"status": "declined", "seen": "proposed", "reason": "The law fixes the hours."}
    assert client.post(url, body).status_code == 302
    shortcoming.refresh_from_db()
    assert shortcoming.status == ShortcomingStatus.DECLINED
    assert shortcoming.decline_reason == "The law fixes the hours."
    assert shortcoming.decided_on == timezone.localdate()


def test_accepting_names_an_owner(world, programme):
    shortcoming = raised(world, programme, owner=None)
    with pytest.raises(ValidationError, match="owns the solution"):
        services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.ACCEPTED)
    services.move_shortcoming(
        world.official, shortcoming, to=ShortcomingStatus.ACCEPTED, owner=world.official.person
    )
    assert Shortcoming.objects.get().owner == world.official.person


def test_a_move_the_states_do_not_allow_is_refused(world, programme):
    shortcoming = raised(world, programme)
    with pytest.raises(ValidationError, match="cannot become"):
        services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.IN_PROGRESS)
    with pytest.raises(ValueError):
        services.move_shortcoming(world.official, shortcoming, to="proposed-again")
    assert Shortcoming.objects.get().status == ShortcomingStatus.PROPOSED


def test_a_move_from_a_state_it_left_changes_nothing(world, programme):
    shortcoming = raised(world, programme)
    services.move_shortcoming(world.official, shortcoming, to=ShortcomingStatus.ACCEPTED)
    with pytest.raises(StaleState):
        services.move_shortcoming(
            world.official,
            shortcoming,
            to=ShortcomingStatus.DECLINED,
            seen=ShortcomingStatus.PROPOSED,
            reason="Too late",
        )
    assert Shortcoming.objects.get().status == ShortcomingStatus.ACCEPTED


# Publishing


def test_the_register_is_public_once_published_on_a_public_collaboration(
    world, programme, client_for
):
    raised(world, programme)
    public = reverse("feedback:public_register", args=[programme.pk])
    anyone = client_for(None)
    assert anyone.get(public).status_code == 404
    with pytest.raises(PermissionDenied):
        services.publish_register(world.fellow, programme, published=True)
    url = reverse("feedback:register_publish", args=[programme.pk])
    assert client_for(world.official).post(url, {"published": "on"}).status_code == 302
    response = client_for(None).get(public)
    assert response.status_code == 200 and b"A call-back queue" in response.content
    programme.public = False
    programme.save(update_fields=["public"])
    assert client_for(None).get(public).status_code == 404
    programme.public = True
    programme.save(update_fields=["public"])
    services.publish_register(world.civic_lead, programme, published=False)
    assert client_for(None).get(public).status_code == 404


# The playbook's check


def test_the_check_wants_shortcomings_raised_and_owned(world, programme, playbook):
    assert "feedback.shortcomings_owned" in checks.registered()
    passed, reason = shortcomings_owned(programme)
    assert not passed and "No shortcoming" in reason
    raised(world, programme, owner=None)
    passed, reason = checks.run("feedback.shortcomings_owned", programme)
    assert not passed and "nobody in the institution" in reason
    Shortcoming.objects.update(owner=world.official.person)
    passed, reason = shortcomings_owned(programme)
    assert passed, reason


# Query counts


def test_the_register_keeps_its_queries_at_ten_times(world, programme, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("feedback:shortcomings", args=[programme.pk])
    public = reverse("feedback:public_register", args=[programme.pk])
    services.publish_register(world.civic_lead, programme, published=True)

    def grow(how_many: int) -> None:
        for number in range(how_many):
            ShortcomingFactory.create(
                collaboration=programme,
                owner=world.official.person,
                status=ShortcomingStatus.DECLINED if number % 2 else ShortcomingStatus.PROPOSED,
                decline_reason="No budget" if number % 2 else "",
            )

    def count(user, path) -> int:
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        return len(queries)

    grow(2)
    before = (count(world.civic_lead, url), count(world.official, url), count(None, public))
    grow(20)
    assert (count(world.civic_lead, url), count(world.official, url), count(None, public)) == before
