"""One institution's assessments over time, what changed between two of them, and what an
assessment says about a model's conditions for work that starts from it."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicbridge.core.choices import Visibility
from civicbridge.readiness import demo, services
from civicbridge.readiness.models import Assessment
from civicbridge.readiness.observations import eligible_models, observed_conditions
from civicbridge.readiness.tests.test_views import finished, names, page, rows, start
from tests.factories import OrganisationFactory

EARLIER, LATER = demo.NOVEMBER_2025, demo.NOVEMBER_2026


def timeline_url(world) -> str:
    return reverse("readiness:timeline", args=[world.institution.pk])


@pytest.fixture
def two_years(world, playbook):
    """The same institution assessed a year apart, and an assessment of another one."""
    first = finished(
        world, answers=EARLIER, title="Testshire, 2025", assessed_on=date(2025, 11, 20)
    )
    second = finished(world, answers=LATER, title="Testshire, 2026", assessed_on=date(2026, 11, 20))
    elsewhere = finished(world, title="Elsewhere, 2026", institution=world.other)
    return first, second, elsewhere


def test_the_timeline_lists_the_institutions_assessments_with_each_models_fit(
    world, two_years, client_for
):
    first, second, elsewhere = two_years
    unfinished = start(world, title="Testshire, 2027", assessed_on=date(2027, 5, 1))
    main = page(client_for(world.civic_lead).get(timeline_url(world)))
    table = main.find("table")
    header = table.find("thead").find("tr").cells()
    model_names = names(second)
    assert header == ["Assessed on", "Assessment", "Made by", *model_names.values()]
    shown = rows(table)
    assert [row[1] for row in shown] == [
        unfinished.title,
        second.title,
        first.title,
    ]
    assert shown[0][2:] == ["Code for Testing", "Not finished yet"]
    for row, assessment in ((shown[1], second), (shown[2], first)):
        result = assessment.result()
        expected = []
        for model_id in model_names:
            fit = result.model(model_id)
            expected.append(f"{fit.score} Blocked" if fit.blocking_failed else str(fit.score))
        assert row[3:] == expected
    assert elsewhere.title not in main.text()


def test_the_timeline_shows_only_assessments_the_user_may_see(world, playbook, client_for):
    finished(world, title="Shared with them", visibility=Visibility.BOTH_SIDES)
    finished(world, title="Kept to ourselves", visibility=Visibility.OWN_SIDE)
    official = page(client_for(world.official).get(timeline_url(world))).text()
    assert "Shared with them" in official and "Kept to ourselves" not in official
    outsider = page(client_for(world.outsider).get(timeline_url(world))).text()
    assert "Shared with them" not in outsider
    assert "You can see no assessment of Testshire Council yet." in outsider


def test_the_timeline_compares_the_latest_two_by_default_and_lists_only_changed_answers(
    world, two_years, client_for
):
    first, second, _elsewhere = two_years
    main = page(client_for(world.civic_lead).get(timeline_url(world)))
    assert main.find("h3").text() == "From 20 Nov 2025 to 20 Nov 2026"
    fits, answers = main.find_all("table")[1:]
    earlier = first.result()
    expected = []
    for model in second.result().models:
        change = model.score - earlier.model(model.model_id).score
        expected.append(
            [
                names(second)[model.model_id],
                str(earlier.model(model.model_id).score),
                str(model.score),
                f"+{change}" if change > 0 else str(change),
            ]
        )
    assert rows(fits) == expected
    changed = [
        q
        for q in second.playbook_version.content["questions"]
        if EARLIER[q["id"]] != LATER[q["id"]]
    ]
    assert changed and len(changed) < len(EARLIER)
    assert [row[0] for row in rows(answers)] == [q["text"]["en"] for q in changed]
    assert answers.find("caption").text() == f"{len(changed)} answers changed"


def test_the_timeline_compares_the_two_chosen(world, two_years, client_for):
    _first, second, elsewhere = two_years
    again = finished(world, answers=LATER, title="Testshire, 2027", assessed_on=date(2027, 11, 20))
    client = client_for(world.civic_lead)
    main = page(client.get(timeline_url(world), {"first": second.pk, "second": again.pk}))
    assert main.find("h3").text() == "From 20 Nov 2026 to 20 Nov 2027"
    assert "No answer changed between the two." in main.text()
    # An assessment of another institution is not one of this timeline's to choose.
    refused = page(client.get(timeline_url(world), {"first": elsewhere.pk, "second": again.pk}))
    assert "Select a valid choice" in refused.find("div", id="error-summary").text()
    assert not refused.find_all("h3")


def test_the_result_page_links_to_the_institutions_timeline(world, two_years, client_for):
    _first, second, _elsewhere = two_years
    main = page(client_for(world.civic_lead).get(second.get_absolute_url()))
    link = next(a for a in main.find_all("a") if a.attrs.get("href") == timeline_url(world))
    assert link.text() == "All assessments of Testshire Council over time"


def add_assessments(world, how_many: int) -> None:
    partner = OrganisationFactory.create(name="Partner Lab")
    for i in range(how_many):
        answers = LATER if i % 2 else EARLIER
        if i % 3:
            finished(world, answers=answers, title=f"Assessment {i}", civic_partner=partner)
        else:
            assessment = start(world, title=f"Open {i}")
            services.save_answers(world.civic_lead, assessment, answers)


def queries_of(client, url: str) -> int:
    client.get(url)  # warm what lasts beyond one request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["civic_lead", "official"])
def test_the_timeline_makes_as_many_queries_for_twenty_assessments_as_for_three(
    persona, world, playbook, client_for
):
    client = client_for(getattr(world, persona))
    add_assessments(world, 3)
    few = queries_of(client, timeline_url(world))
    add_assessments(world, 17)
    assert len(page(client.get(timeline_url(world))).find("tbody").find_all("tr")) == 20
    assert queries_of(client, timeline_url(world)) == few


# --- What an assessment observes ------------------------------------------------------------


def test_observed_conditions_are_met_unmet_or_unknown_as_answered(world, playbook):
    assessment = start(world)
    document = assessment.playbook_version.content
    conditions = next(m for m in document["models"] if m["id"] == "training")["conditions"]
    asked = [c for c in conditions if c.get("question")]
    met, unmet = asked[0], next(c for c in asked[1:] if c["question"] != asked[0]["question"])
    scale = {q["id"]: document["scales"][q["scale"]] for q in document["questions"]}
    services.save_answers(
        world.civic_lead,
        assessment,
        {
            met["question"]: max(o["value"] for o in scale[met["question"]]),
            unmet["question"]: min(o["value"] for o in scale[unmet["question"]]),
        },
    )
    seen = {o.condition: o for o in observed_conditions(assessment, "training")}
    assert list(seen) == [c["id"] for c in asked]
    assert seen[met["id"]].met is True and seen[unmet["id"]].met is False
    answered = {met["question"], unmet["question"]}
    assert all(seen[c["id"]].met is None for c in asked if c["question"] not in answered)
    assert seen[met["id"]].statement == met["statement"]
    assert observed_conditions(assessment, "no_such_model") == []


def test_an_unfinished_assessment_leaves_no_model_open(world, playbook):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, EARLIER)
    assert eligible_models(assessment) == ()
    services.complete_assessment(world.civic_lead, assessment)
    open_models = eligible_models(assessment)
    assert open_models == tuple(
        m.model_id for m in assessment.result().models if not m.blocking_failed
    )
    assert "event" not in open_models  # blocked in 2025: nobody to take the results forward


# --- Repeating an assessment ----------------------------------------------------------------


def test_repeating_starts_a_new_assessment_of_the_context_with_the_earlier_answers(
    world, two_years, client_for
):
    _first, second, _elsewhere = two_years
    # An answer to a question the current playbook no longer asks is not carried over.
    Assessment.objects.filter(pk=second.pk).update(answers={**LATER, "gone.question": 1})
    before = Assessment.objects.count()
    response = client_for(world.civic_lead).post(reverse("readiness:repeat", args=[second.pk]))
    again = Assessment.objects.latest("id")
    assert Assessment.objects.count() == before + 1
    assert response["Location"] == reverse("readiness:step", args=[again.pk, 1])
    assert again.answers == LATER and not again.complete
    assert again.assessed_on == timezone.localdate()
    context = ("title", "owner_organisation", "institution", "civic_partner", "country")
    assert all(getattr(again, name) == getattr(second, name) for name in context)
    assert again.visibility == second.visibility
    Assessment.objects.filter(pk=second.pk).update(answers=LATER)
    timeline = page(client_for(world.civic_lead).get(timeline_url(world)))
    assert rows(timeline.find("table"))[0][2:] == ["Code for Testing", "Not finished yet"]


def test_only_the_side_that_made_an_assessment_repeats_it(world, two_years, client_for):
    _first, second, _elsewhere = two_years
    before = Assessment.objects.count()
    response = client_for(world.official).post(reverse("readiness:repeat", args=[second.pk]))
    assert response.status_code == 403
    assert Assessment.objects.count() == before
    result = page(client_for(world.official).get(second.get_absolute_url()))
    assert "Repeat this assessment today" not in result.text()
