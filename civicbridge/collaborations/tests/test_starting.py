"""A collaboration started from an assessment: the link, its starting conditions (from the
assessment when proposed, from the checks when agreed), who sees them, and that the link
cannot change."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from civicbridge.collaborations.choices import Stage, StartingSource
from civicbridge.collaborations.models import Collaboration, StartingCondition
from civicbridge.collaborations.services import agreement
from civicbridge.collaborations.services.lifecycle import (
    advance,
    create_collaboration,
    update_collaboration,
)
from civicbridge.core.choices import AuditAction, Visibility
from civicbridge.core.models import AuditEntry
from civicbridge.partners.tests.test_query_counts import count_queries
from civicbridge.readiness import services as assessments
from civicbridge.readiness.models import Assessment
from tests.factories import PASSWORD

V1 = "/api/v1"


# --- Assessments to start from ---------------------------------------------------------------


def scale(document: dict, question_id: str) -> list[int]:
    question = next(q for q in document["questions"] if q["id"] == question_id)
    return [o["value"] for o in document["scales"][question["scale"]]]


def model_conditions(document: dict, model_id: str = "fellowship") -> list[dict]:
    return next(m for m in document["models"] if m["id"] == model_id)["conditions"]


# A model with a precondition an assessment asks about (the fellowship's are gates).
BLOCKABLE = "consulting"


def weak_question(document: dict) -> str:
    """A question that only non-blocking conditions of the fellowship ask: answered at its
    lowest, it leaves a condition unmet without excluding the fellowship."""
    conditions = model_conditions(document)
    blocking = {c["question"] for c in conditions if c["blocking"] and c.get("question")}
    return next(
        c["question"]
        for c in conditions
        if not c["blocking"] and c.get("question") and c["question"] not in blocking
    )


def assess(world, *, owner=None, institution=None, weak=True, **fields) -> Assessment:
    """A finished assessment of the institution: every answer at its best, but one that
    leaves a non-blocking condition of the fellowship unmet (`weak`)."""
    actor = world.official if owner == "institution" else world.civic_lead
    assessment = assessments.start_assessment(
        actor,
        world.institution if owner == "institution" else world.civic,
        **{
            "title": "Testshire, 2026",
            "institution": institution or world.institution,
            "country": "Australia",
            "assessed_on": date(2026, 11, 1),
            "visibility": Visibility.BOTH_SIDES,
            **fields,
        },
    )
    document = assessment.playbook_version.content
    answers = {q["id"]: max(scale(document, q["id"])) for q in document["questions"]}
    if weak:
        answers[weak_question(document)] = min(scale(document, weak_question(document)))
    assessments.save_answers(actor, assessment, answers)
    return assessments.complete_assessment(actor, assessment)


def propose(world, assessment, **fields) -> Collaboration:
    return create_collaboration(
        world.civic_lead,
        **{
            "model": "fellowship",
            "title": "Permits fellowship",
            "civic_organisation": world.civic,
            "institution": world.institution,
            "assessment": assessment,
            **fields,
        },
    )


# --- The service -------------------------------------------------------------------------------


def test_proposing_from_an_assessment_keeps_the_link_and_each_observed_condition(world, playbook):
    assessment = assess(world)
    collaboration = propose(world, assessment)
    assert collaboration.assessment == assessment
    document = assessment.playbook_version.content
    weak = weak_question(document)
    expected = {
        c["id"]: c["question"] != weak for c in model_conditions(document) if c.get("question")
    }
    rows = StartingCondition.objects.filter(collaboration=collaboration)
    assert {r.condition: r.met for r in rows} == expected
    assert False in expected.values() and True in expected.values()
    row = rows.get(question=weak, condition=next(c for c, met in expected.items() if not met))
    assert row.source == StartingSource.ASSESSMENT
    assert row.answer == min(scale(document, weak))
    assert row.playbook_version == assessment.playbook_version.number
    assert row.statement  # the condition in words, as the playbook said it then
    # Each row is in the audit log, as every write is.
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, object_repr=row.statement[:300]
    ).exists()


def test_without_an_assessment_nothing_is_kept_at_proposal(world, playbook):
    collaboration = propose(world, None)
    assert collaboration.assessment is None
    assert not collaboration.starting_conditions.exists()


@pytest.mark.parametrize(
    "case",
    ["not_visible", "unfinished", "other_institution", "excluded_model"],
)
def test_a_proposal_from_an_assessment_that_does_not_fit_is_refused_and_creates_nothing(
    case, world, playbook
):
    if case == "not_visible":
        # The institution's own assessment, kept to its side: the civic lead cannot see it.
        assessment = assess(world, owner="institution", visibility=Visibility.OWN_SIDE)
    elif case == "unfinished":
        assessment = assess(world)
        assessment.completed_at = None
        assessment.save()
    elif case == "other_institution":
        assessment = assess(world, institution=world.other)
    else:
        assessment = assess(world)
    model = "fellowship"
    if case == "excluded_model":
        # An assessment where every answer is at its worst excludes a model with a precondition.
        model = BLOCKABLE
        document = assessment.playbook_version.content
        worst = {q["id"]: min(scale(document, q["id"])) for q in document["questions"]}
        assessments.save_answers(world.civic_lead, assessment, worst)
        assessments.complete_assessment(world.civic_lead, assessment)
        assert BLOCKABLE not in _eligible(assessment)
    before = Collaboration.objects.count()
    with pytest.raises(ValidationError) as refused:
        propose(world, assessment, model=model)
    assert "assessment" in refused.value.message_dict
    assert Collaboration.objects.count() == before
    assert not StartingCondition.objects.exists()


def _eligible(assessment):
    from civicbridge.readiness.observations import eligible_models

    return eligible_models(assessment)


def test_the_link_cannot_be_changed_by_the_service(world, playbook):
    collaboration = propose(world, assess(world))
    other = assess(world, title="Another")
    with pytest.raises(ValidationError) as refused:
        update_collaboration(world.civic_lead, collaboration, assessment=other)
    assert "assessment" in refused.value.message_dict
    assert Collaboration.objects.get(pk=collaboration.pk).assessment_id != other.pk
    with pytest.raises(ValidationError):
        update_collaboration(world.civic_lead, collaboration, assessment=None)


def sign_and_agree(world, collaboration) -> None:
    agreement.add_obligation(
        world.civic_lead,
        collaboration,
        party=world.institution,
        description="Host the fellow.",
        owner=world.official.person,
        due_date=date(2027, 3, 1),
    )
    for signer in (world.civic_lead, world.official):
        agreement.sign_agreement(signer, collaboration, version=1, password=PASSWORD)
    advance(world.civic_lead, collaboration)  # preparing
    advance(world.civic_lead, collaboration)  # agreed


def test_reaching_agreed_completes_the_starting_conditions_from_the_checks(world, fellowship):
    sign_and_agree(world, fellowship)
    transition = fellowship.transitions.get(to_stage=Stage.AGREED)
    rows = fellowship.starting_conditions.filter(source=StartingSource.GATE)
    assert {r.condition: r.met for r in rows} == {
        g["condition"]: g["passed"] for g in transition.gate_results
    }
    signed = rows.get(condition="fellowship.mou_signed_before_start")
    assert signed.met is True and signed.reason
    # Statements nobody has written yet fail their checks: kept as not met, with the reason.
    assert rows.filter(met=False).exists()
    assert {r.playbook_version for r in rows} == {transition.playbook_version}
    # Moving on adds nothing: the start is the move to agreed.
    advance(world.civic_lead, fellowship)
    assert fellowship.starting_conditions.count() == rows.count()


def test_the_checks_at_agreed_add_to_what_the_assessment_said(world, playbook):
    collaboration = propose(world, assess(world))
    from_assessment = collaboration.starting_conditions.count()
    sign_and_agree(world, collaboration)
    sources = set(collaboration.starting_conditions.values_list("source", flat=True))
    assert sources == {StartingSource.ASSESSMENT, StartingSource.GATE}
    assert (
        collaboration.starting_conditions.filter(source=StartingSource.ASSESSMENT).count()
        == from_assessment
    )


# --- The result page and the propose form ----------------------------------------------------


def actions(client, assessment) -> dict[str, str]:
    """The result page's "Propose a collaboration with this model" links, by model."""
    html = client.get(reverse("readiness:assessment", args=[assessment.pk])).content.decode()
    links = {}
    for part in html.split('href="')[1:]:
        url = part.split('"')[0].replace("&amp;", "&")
        if url.startswith(reverse("collaborations:create")):
            links[parse_qs(urlsplit(url).query)["model"][0]] = url
    return links


def test_the_result_offers_a_proposal_for_each_model_it_leaves_open(world, playbook, client_for):
    assessment = assess(world)
    links = actions(client_for(world.civic_lead), assessment)
    assert set(links) == set(_eligible(assessment)) and "fellowship" in links
    query = parse_qs(urlsplit(links["fellowship"]).query)
    assert query == {"assessment": [str(assessment.pk)], "model": ["fellowship"]}
    # A platform admin sees the assessment but proposes for no organisation.
    assert actions(client_for(world.admin), assessment) == {}


def test_the_result_offers_no_proposal_for_an_excluded_model(world, playbook, client_for):
    assessment = assess(world)
    document = assessment.playbook_version.content
    assert BLOCKABLE in actions(client_for(world.civic_lead), assessment)
    blocking = next(
        c for c in model_conditions(document, BLOCKABLE) if c["blocking"] and c.get("question")
    )
    answers = {blocking["question"]: min(scale(document, blocking["question"]))}
    assessments.save_answers(world.civic_lead, assessment, answers)
    assert BLOCKABLE not in actions(client_for(world.civic_lead), assessment)


def test_the_propose_form_is_filled_in_from_the_assessment(world, playbook, client_for):
    assessment = assess(world, civic_partner=world.civic)
    client = client_for(world.civic_lead)
    response = client.get(actions(client, assessment)["fellowship"])
    form = response.context["form"]
    assert form["assessment"].value() == assessment.pk
    assert form["institution"].value() == world.institution.pk
    assert form["civic_organisation"].value() == world.civic.pk
    assert form["model"].value() == "fellowship"


def form_data(world, assessment_pk) -> dict:
    return {
        "model": "fellowship",
        "title": "Permits fellowship",
        "civic_organisation": world.civic.pk,
        "institution": world.institution.pk,
        "assessment": assessment_pk,
        "checkin_every_days": 14,
    }


def test_proposing_on_the_form_keeps_the_link(world, playbook, client_for):
    assessment = assess(world)
    response = client_for(world.civic_lead).post(
        reverse("collaborations:create"), form_data(world, assessment.pk)
    )
    collaboration = Collaboration.objects.get(title="Permits fellowship")
    assert response.status_code == 302
    assert collaboration.assessment == assessment
    assert collaboration.starting_conditions.filter(source=StartingSource.ASSESSMENT).exists()


def test_a_forged_assessment_on_the_form_is_refused_clearly_and_creates_nothing(
    world, playbook, client_for
):
    hidden = assess(world, owner="institution", visibility=Visibility.OWN_SIDE)
    client = client_for(world.civic_lead)
    response = client.post(reverse("collaborations:create"), form_data(world, hidden.pk))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This assessment is not one you may see" in page
    assert hidden.title not in page
    # An id that does not exist is answered in the same words.
    missing = client.post(reverse("collaborations:create"), form_data(world, 999_999))
    assert "This assessment is not one you may see" in missing.content.decode()
    assert not Collaboration.objects.exists() and not StartingCondition.objects.exists()


def test_a_forged_assessment_in_the_link_fills_in_nothing_and_says_why(world, playbook, client_for):
    hidden = assess(world, owner="institution", visibility=Visibility.OWN_SIDE)
    url = f"{reverse('collaborations:create')}?assessment={hidden.pk}&model=fellowship"
    response = client_for(world.civic_lead).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This assessment is not one you may see" in page
    assert response.context["form"]["assessment"].value() is None
    assert hidden.title not in page


def test_the_edit_form_cannot_change_the_link(world, playbook, client_for):
    collaboration = propose(world, assess(world))
    other = assess(world, title="Another")
    client = client_for(world.civic_lead)
    edit = client.get(reverse("collaborations:edit", args=[collaboration.pk]))
    assert "assessment" not in edit.context["form"].fields
    data = {**form_data(world, other.pk), "title": "Renamed"}
    client.post(reverse("collaborations:edit", args=[collaboration.pk]), data)
    collaboration.refresh_from_db()
    assert collaboration.title == "Renamed" and collaboration.assessment_id != other.pk


# --- The overview ------------------------------------------------------------------------------


def test_the_overview_shows_where_it_started_and_each_condition(world, playbook, client_for):
    assessment = assess(world)
    collaboration = propose(world, assessment)
    page = client_for(world.official).get(collaboration.get_absolute_url()).content.decode()
    section = page.split('id="starting-conditions"')[1].split("</section>")[0]
    assert "Started from the assessment" in section
    assert f'href="{assessment.get_absolute_url()}"' in section
    assert reverse("readiness:timeline", args=[world.institution.pk]) in section
    for row in collaboration.starting_conditions.all():
        link = (
            reverse("playbook:version_model", args=[row.playbook_version, "fellowship"])
            + f"#{row.condition}"
        )
        assert link in section
    assert section.count("Not met") == collaboration.starting_conditions.unmet().count() > 0
    assert section.count(">Met<") == collaboration.starting_conditions.met().count() > 0


def test_what_the_assessment_said_stays_with_those_who_may_see_it(world, playbook, client_for):
    # The civic side's own assessment: the institution never saw its answers.
    assessment = assess(world, visibility=Visibility.OWN_SIDE)
    collaboration = propose(world, assessment)
    sign_and_agree(world, collaboration)
    page = client_for(world.official).get(collaboration.get_absolute_url()).content.decode()
    section = page.split('id="starting-conditions"')[1].split("</section>")[0]
    assert "not shared with you" in section
    assert assessment.get_absolute_url() not in section and assessment.title not in section
    shown = section.count("<tr>") - 1  # less the heading row
    assert shown == collaboration.starting_conditions.filter(source=StartingSource.GATE).count()
    api = client_for(world.official).get(f"{V1}/collaborations/{collaboration.pk}").json()
    assert api["assessment_id"] is None
    assert {c["source"] for c in api["starting_conditions"]} == {"gate"}


# --- The API -----------------------------------------------------------------------------------


def test_the_api_proposes_from_an_assessment_and_shows_the_start(world, playbook, client_for):
    assessment = assess(world)
    client = client_for(world.civic_lead)
    body = {
        "model": "fellowship",
        "title": "By script",
        "civic_organisation": world.civic.pk,
        "institution": world.institution.pk,
        "assessment": assessment.pk,
    }
    created = client.post(f"{V1}/collaborations", body, content_type="application/json")
    assert created.status_code == 201, created.content
    detail = client.get(f"{V1}/collaborations/{created.json()['id']}").json()
    assert detail["assessment_id"] == assessment.pk
    stored = StartingCondition.objects.filter(collaboration_id=created.json()["id"])
    assert {(c["condition"], c["met"]) for c in detail["starting_conditions"]} == {
        (r.condition, r.met) for r in stored
    }


def test_the_api_refuses_a_forged_assessment_and_a_change_of_it(world, playbook, client_for):
    hidden = assess(world, owner="institution", visibility=Visibility.OWN_SIDE)
    client = client_for(world.civic_lead)
    body = {
        "model": "fellowship",
        "title": "By script",
        "civic_organisation": world.civic.pk,
        "institution": world.institution.pk,
        "assessment": hidden.pk,
    }
    refused = client.post(f"{V1}/collaborations", body, content_type="application/json")
    assert refused.status_code == 422
    assert "This assessment is not one you may see" in refused.content.decode()
    assert not Collaboration.objects.exists()
    collaboration = propose(world, assess(world))
    other = assess(world, title="Another")
    change = client.patch(
        f"{V1}/collaborations/{collaboration.pk}",
        {"assessment": other.pk},
        content_type="application/json",
    )
    assert change.status_code == 422
    assert Collaboration.objects.get(pk=collaboration.pk).assessment_id != other.pk


def test_an_assessment_cannot_be_deleted_from_under_a_collaboration(world, playbook):
    from django.db.models import ProtectedError

    assessment = assess(world)
    propose(world, assessment)
    with pytest.raises(ProtectedError):
        assessment.delete()


@pytest.mark.parametrize("persona", ["civic_lead", "official"])
def test_the_overview_and_the_api_keep_their_query_count_as_starting_conditions_grow(
    persona, world, playbook, client_for
):
    collaboration = propose(world, assess(world))
    client = client_for(getattr(world, persona))

    def grow(how_many: int) -> None:
        StartingCondition.objects.bulk_create(
            StartingCondition(
                collaboration=collaboration,
                condition=f"fellowship.extra_{StartingCondition.objects.count()}_{i}",
                source=[StartingSource.ASSESSMENT, StartingSource.GATE][i % 2],
                met=[True, False, None][i % 3],
                statement="s",
                playbook_version=1,
            )
            for i in range(how_many)
        )

    urls = [collaboration.get_absolute_url(), f"{V1}/collaborations/{collaboration.pk}"]
    few = [count_queries(client, url) for url in urls]
    grow(30)
    assert [count_queries(client, url) for url in urls] == few
