"""The assessment pages through plain requests, as a browser without JavaScript sends them:
the context form, the steps, saving for later, the results, downloads and comparing."""

import csv
import io
import json
import math
import re
from datetime import date
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from civicbridge.core.choices import Visibility
from civicbridge.readiness import demo, engine, services
from civicbridge.readiness.models import Assessment
from civicbridge.readiness.views import CSV_COLUMNS, steps
from tests.factories import OrganisationFactory

# A real context (Hobart, November 2025).
ANSWERS = demo.NOVEMBER_2025
# In 2025 nobody was named to take an event's results forward: the event is excluded. The
# fellowship's missing MOU is only to do before *agreed*, and excludes nothing.
BLOCKED = {"event"}
TIMES, DIVIDED_BY = "\N{MULTIPLICATION SIGN}", "\N{DIVISION SIGN}"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


# --- Reading pages -------------------------------------------------------------------------


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag, self.attrs = tag, attrs
        self.children: list[Node | str] = []

    def text(self) -> str:
        return re.sub(r"\s+", " ", self.raw_text()).strip()

    def raw_text(self) -> str:
        return "".join(c if isinstance(c, str) else c.raw_text() for c in self.children)

    def find_all(self, tag: str, **attrs: str) -> list["Node"]:
        """Descendants named `tag` whose attributes hold these values (class_: one class)."""
        found = []
        for child in self.children:
            if isinstance(child, str):
                continue
            if child.tag == tag and all(child.has(k, v) for k, v in attrs.items()):
                found.append(child)
            found += child.find_all(tag, **attrs)
        return found

    def find(self, tag: str, **attrs: str) -> "Node":
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]

    def has(self, key: str, value: str) -> bool:
        if key == "class_":
            return value in (self.attrs.get("class") or "").split()
        return self.attrs.get(key.replace("_", "-")) == value

    def cells(self) -> list[str]:
        return [c.text() for c in self.children if isinstance(c, Node) and c.tag in ("td", "th")]


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs))
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def page(response) -> Node:
    assert response.status_code == 200, response.status_code
    builder = TreeBuilder()
    builder.feed(response.content.decode())
    return builder.root.find("main")


def rows(table: Node, part: str = "tbody") -> list[list[str]]:
    return [row.cells() for row in table.find(part).find_all("tr")]


def radios(form: Node) -> dict[str, dict[str, bool]]:
    """Each radio group of the form: its values and whether each is checked."""
    groups: dict[str, dict[str, bool]] = {}
    for radio in form.find_all("input", type="radio"):
        groups.setdefault(radio.attrs["name"] or "", {})[radio.attrs["value"] or ""] = (
            "checked" in radio.attrs
        )
    return groups


def messages(response) -> list[str]:
    """The messages of the page (slim alerts), not the alerts of its content."""
    return [
        m.find("p", class_="usa-alert__text").text()
        for m in page(response).find_all("div", class_="usa-alert--slim")
    ]


# --- Making assessments ---------------------------------------------------------------------


def start(world, **fields) -> Assessment:
    return services.start_assessment(
        world.civic_lead,
        world.civic,
        **{
            "title": "Testshire, November 2025",
            "institution": world.institution,
            "country": "Australia",
            "assessed_on": date(2025, 11, 20),
            "visibility": Visibility.BOTH_SIDES,
            **fields,
        },
    )


def finished(world, answers=ANSWERS, **fields) -> Assessment:
    assessment = start(world, **fields)
    services.save_answers(world.civic_lead, assessment, answers)
    return services.complete_assessment(world.civic_lead, assessment)


def document(assessment: Assessment) -> dict:
    return assessment.playbook_version.content


def shown_quote(quote: engine.Quote | None) -> str:
    """A quote as the page shows it: the sentence, then where it stands in the report."""
    assert quote is not None
    return f"“{quote.text}” The report, {quote.place}"


def answer_labels(assessment: Assessment) -> dict[str, dict[int, str]]:
    content = document(assessment)
    return {
        q["id"]: {o["value"]: o["label"]["en"] for o in content["scales"][q["scale"]]}
        for q in content["questions"]
    }


def names(assessment: Assessment) -> dict[str, str]:
    return {m["id"]: m["name"]["en"] for m in document(assessment)["models"]}


def field(question_id: str) -> str:
    return question_id.replace(".", "__")


def step_url(assessment: Assessment, number: int) -> str:
    return reverse("readiness:step", args=[assessment.pk, number])


@pytest.fixture
def lead(world, playbook, client_for):
    return client_for(world.civic_lead)


# --- Starting: the context form -------------------------------------------------------------


def context_data(world, **overrides) -> dict:
    return {
        "title": "Testshire, November 2026",
        "owner_organisation": world.civic.pk,
        "institution": world.institution.pk,
        "civic_partner": "",
        "country": "Australia",
        "assessed_on": "2026-11-20",
        "visibility": Visibility.BOTH_SIDES,
        **overrides,
    }


def test_the_context_form_offers_ones_own_side_and_government_institutions(world, lead):
    form = page(lead.get(reverse("readiness:new"))).find("form", method="post")
    owners = form.find("select", name="owner_organisation").find_all("option")
    assert [o.text() for o in owners] == ["Code for Testing"]
    institutions = form.find("select", name="institution").find_all("option")
    assert sorted(o.text() for o in institutions) == [
        "- Select an option -",
        "Elsewhere Council",
        "Testshire Council",
    ]
    assert radios(form)["visibility"] == {"own": True, "both": False, "public": False}


def test_the_context_form_starts_an_assessment_and_leads_to_the_first_step(world, lead):
    response = lead.post(reverse("readiness:new"), context_data(world))
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == step_url(assessment, 1)
    assert assessment.owner_organisation == world.civic
    assert assessment.institution == world.institution
    assert assessment.civic_partner is None
    assert assessment.assessed_on == date(2026, 11, 20)
    assert assessment.visibility == Visibility.BOTH_SIDES
    assert assessment.created_by == world.civic_lead


def test_the_context_form_refuses_an_owner_that_is_not_ones_own_side(world, lead):
    response = lead.post(
        reverse("readiness:new"), context_data(world, owner_organisation=world.institution.pk)
    )
    errors = page(response).find("div", id="error-summary").text()
    assert "Made by: Select a valid choice." in errors
    assert not Assessment.objects.exists()


def test_the_context_form_refuses_an_institution_that_is_no_government_body(world, lead):
    response = lead.post(reverse("readiness:new"), context_data(world, institution=world.civic.pk))
    assert (
        "Institution: Select a valid choice."
        in page(response).find("div", id="error-summary").text()
    )
    assert not Assessment.objects.exists()


def test_starting_before_any_playbook_is_loaded_says_so_on_the_form(world, client_for):
    client = client_for(world.civic_lead)
    response = client.post(reverse("readiness:new"), context_data(world))
    assert (
        "No playbook has been loaded yet." in page(response).find("div", id="error-summary").text()
    )
    assert not Assessment.objects.exists()


def test_the_context_can_be_changed_afterwards(world, lead):
    assessment = start(world)
    response = lead.post(
        reverse("readiness:context", args=[assessment.pk]),
        context_data(world, title="Renamed", visibility=Visibility.OWN_SIDE),
    )
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert (assessment.title, assessment.visibility) == ("Renamed", Visibility.OWN_SIDE)


# --- The steps ------------------------------------------------------------------------------


def test_each_step_asks_one_context_factors_questions_with_radio_answers(world, lead):
    assessment = start(world)
    content = document(assessment)
    factors = content["factors"]
    assert len(steps(content)) == len(factors) == 10
    scales = content["scales"]
    for number, factor in enumerate(factors, start=1):
        main = page(lead.get(step_url(assessment, number)))
        assert main.find("h1").text() == f"Step {number} of 10 {factor['name']['en']}"
        questions = [q for q in content["questions"] if q["factor"] == factor["id"]]
        form = main.find("form", method="post")
        assert radios(form) == {
            field(q["id"]): {str(o["value"]): False for o in scales[q["scale"]]} for q in questions
        }
        legends = [legend.text() for legend in form.find_all("legend")]
        assert legends == [q["text"]["en"] for q in questions]


def test_a_question_the_report_makes_decisive_says_why_in_the_reports_words(world, lead):
    assessment = start(world)
    content = document(assessment)
    number = next(i for i, (f, _q) in enumerate(steps(content), start=1) if f["id"] == "aims")
    main = page(lead.get(step_url(assessment, number)))
    question = next(q for q in content["questions"] if q["id"] == "aims.build_capacity")
    help_text = main.find("div", id=f"id_{field(question['id'])}_helptext").text()
    assert help_text == f"Why it matters, in the report's words: “{question['source']['en']}”"


def all_ids(node: Node) -> list[str]:
    own = [node.attrs["id"] or ""] if "id" in node.attrs else []
    return own + [i for child in node.children if isinstance(child, Node) for i in all_ids(child)]


def test_step_radios_use_the_design_systems_markup_with_unique_ids(world, lead):
    assessment = start(world)
    main = page(lead.get(step_url(assessment, 1)))
    ids = all_ids(main)
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    for radio in main.find("form", method="post").find_all("input", type="radio"):
        assert radio.attrs["class"] == "usa-radio__input"
    labels = main.find_all("label", class_="usa-radio__label")
    level, yes_no = ["None", "Low", "Moderate", "High", "Very high"], ["No", "Yes"]
    until = [
        "Within three months, or a caretaker period now",
        "In three to twelve months",
        "Not for more than a year",
    ]
    assert [label.text() for label in labels] == [*level, *yes_no, *until, *yes_no]


@pytest.mark.parametrize("number", [0, 11, 99])
def test_a_step_number_out_of_range_is_not_found(number, world, lead):
    assessment = start(world)
    assert lead.get(step_url(assessment, number)).status_code == 404
    assert lead.post(step_url(assessment, number), {}).status_code == 404


def test_saving_a_step_stores_its_answers_and_moves_to_the_next(world, lead):
    assessment = start(world)
    response = lead.post(
        step_url(assessment, 1),
        {field("political_legal.reform_openness"): "3", field("political_legal.mou_ready"): "1"},
    )
    assert response.status_code == 302
    assert response["Location"] == step_url(assessment, 2)
    assessment.refresh_from_db()
    assert assessment.answers == {
        "political_legal.reform_openness": 3,
        "political_legal.mou_ready": 1,
    }


def test_an_answer_off_the_scale_is_shown_as_an_error_and_not_saved(world, lead):
    assessment = start(world)
    response = lead.post(step_url(assessment, 1), {field("political_legal.mou_ready"): "7"})
    errors = page(response).find("div", id="error-summary").text()
    assert "Select a valid choice. 7 is not one of the available choices." in errors
    assessment.refresh_from_db()
    assert assessment.answers == {}


def test_save_and_finish_later_shows_progress_and_the_answers_come_back(world, lead):
    assessment = start(world)
    response = lead.post(
        step_url(assessment, 4),
        {
            field("civic_space.health"): "3",
            field("civic_space.trust_between_sides"): "2",
            "save_and_exit": "",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()

    detail = lead.get(assessment.get_absolute_url())
    assert messages(detail) == ["Your answers are saved. Continue whenever you like."]
    summary = page(detail).find("div", class_="usa-summary-box")
    assert summary.find("h2").text() == "2 of 42 questions answered"
    progress = [item.text() for item in summary.find_all("li")]
    assert "Civic space: 2 of 5" in progress
    assert "Political and legal context: 0 of 4" in progress
    assert summary.find("a", href=step_url(assessment, 4)).text() == "Civic space"
    assert "Answer every question to finish the assessment" in summary.text()
    assert not summary.find_all("form")

    # Reopened, the step shows the saved answers checked; they can be changed.
    groups = radios(page(lead.get(step_url(assessment, 4))).find("form", method="post"))
    assert groups[field("civic_space.health")]["3"] is True
    assert groups[field("civic_space.trust_between_sides")]["2"] is True
    assert not any(groups[field("civic_space.conflicts_handled")].values())
    lead.post(
        step_url(assessment, 4),
        {field("civic_space.health"): "1", field("civic_space.trust_between_sides"): "2"},
    )
    assessment.refresh_from_db()
    assert assessment.answers == {"civic_space.health": 1, "civic_space.trust_between_sides": 2}


def answer_every_step(client, assessment: Assessment, answers: dict[str, int]) -> str:
    """Post each step with the answers its page asks for; return where the last one leads."""
    location = ""
    for number in range(1, len(steps(document(assessment))) + 1):
        form = page(client.get(step_url(assessment, number))).find("form", method="post")
        asked = {name.replace("__", "."): name for name in radios(form)}
        response = client.post(
            step_url(assessment, number), {asked[q]: str(answers[q]) for q in asked}
        )
        assert response.status_code == 302
        location = response["Location"]
        if number < len(steps(document(assessment))):
            assert location == step_url(assessment, number + 1)
    return location


def test_the_last_step_leads_to_see_the_results_and_then_to_the_ranked_models(world, lead):
    assessment = start(world)
    assert answer_every_step(lead, assessment, ANSWERS) == assessment.get_absolute_url()
    summary = page(lead.get(assessment.get_absolute_url())).find("div", class_="usa-summary-box")
    assert summary.find("h2").text() == "42 of 42 questions answered"
    form = summary.find("form", method="post")
    assert form.attrs["action"] == reverse("readiness:complete", args=[assessment.pk])
    assert form.find("button").text() == "See the results"

    response = lead.post(form.attrs["action"])
    assert response.status_code == 302
    assert response["Location"] == assessment.get_absolute_url()
    assessment.refresh_from_db()
    assert assessment.complete
    assert assessment.answers == ANSWERS
    main = page(lead.get(assessment.get_absolute_url()))
    ranking = main.find("table")
    assert [row[1] for row in rows(ranking)] == [
        names(assessment)[m.model_id] for m in assessment.result().models
    ]


def test_finishing_with_questions_open_says_how_many_and_keeps_it_unfinished(world, lead):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, dict(list(ANSWERS.items())[:40]))
    response = lead.post(reverse("readiness:complete", args=[assessment.pk]), follow=True)
    assert messages(response) == ["Answer every question first. Still open: 2."]
    assessment.refresh_from_db()
    assert not assessment.complete


# --- The results ----------------------------------------------------------------------------


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5)


def verdict(model: engine.ModelResult) -> str:
    if model.blocking_failed:
        return "Not now: a blocking condition fails"
    if model.status == engine.Status.UNDECIDED:
        return "Not enough answers"
    return "Recommended" if model.recommended else "Weak fit"


def ranking(main: Node) -> list[list[str]]:
    return rows(main.find("section", aria_labelledby="ranking").find("table"))


def test_the_result_page_ranks_all_six_models_with_their_fit(world, lead):
    assessment = finished(world)
    result = engine.assess(document(assessment), ANSWERS)
    shown = ranking(page(lead.get(assessment.get_absolute_url())))
    assert shown == [
        [
            str(m.rank),
            names(assessment)[m.model_id],
            str(m.score),
            "100 %",
            verdict(m),
            f"{len(m.met)} / {len(m.conditions_only)}",
        ]
        for m in result.models
    ]
    assert [row[0] for row in shown] == ["1", "2", "3", "4", "5", "6"]
    assert sorted(row[1] for row in shown) == sorted(names(assessment).values())
    # Recommended models first, then weak fits, then excluded ones, each by fit.
    order = ["Recommended", "Weak fit", "Not now: a blocking condition fails"]
    groups = [order.index(row[4]) for row in shown]
    assert groups == sorted(groups)
    for group in range(3):
        scores = [int(row[2]) for row, g in zip(shown, groups, strict=True) if g == group]
        assert scores == sorted(scores, reverse=True)


def test_equal_fits_are_shown_as_ties(world, lead):
    middle = {
        q["id"]: [o["value"] for o in scale][len(scale) // 2]
        for q in document(start(world))["questions"]
        for scale in [document(start(world))["scales"][q["scale"]]]
    }
    assessment = finished(world, answers=middle)
    result = assessment.result()
    tied = [m for m in result.models if m.tied]
    assert tied, "the middling answers were meant to give two models the same fit"
    shown = {row[1]: row[0] for row in ranking(page(lead.get(assessment.get_absolute_url())))}
    for model in tied:
        assert shown[names(assessment)[model.model_id]] == f"{model.rank} tied"


def test_an_unfinished_assessment_shows_the_result_so_far_or_which_questions_would_decide(
    world, lead
):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, {"civic_space.health": 2})
    main = page(lead.get(assessment.get_absolute_url()))
    section = main.find("section", aria_labelledby="ranking")
    assert section.find("h3").text() == "Not enough answers yet"
    assert not section.find_all("table")  # no ranking of zeros
    questions = {q["id"]: q["text"]["en"] for q in document(assessment)["questions"]}
    deciding = [item.find("a").text() for item in section.find("ol").find_all("li")]
    assert deciding == [questions[q.question_id] for q in assessment.result().deciding]
    assert "best-ranked" not in main.text() and "What to do first" not in main.text()
    for model in assessment.result().models:  # no fit shown for a model that cannot be judged
        heading = main.find("section", id=f"model-{model.model_id}").find("h2").text()
        assert heading.endswith(
            f"not enough answers yet ({model.answered_percent} % of its weight answered)"
        )
    # Enough answers: the ranking so far, each fit with the share of its weight answered.
    services.save_answers(world.civic_lead, assessment, dict(list(ANSWERS.items())[:36]))
    shown = ranking(page(lead.get(assessment.get_absolute_url())))
    result = assessment.result()
    assert [row[3] for row in shown] == [f"{m.answered_percent} %" for m in result.models]
    assert any(m.answered_percent < 100 for m in result.models)


def test_a_model_with_a_failed_blocking_condition_is_shown_as_not_recommended(world, lead):
    assessment = finished(world)
    main = page(lead.get(assessment.get_absolute_url()))
    verdicts = {row[1]: row[4] for row in ranking(main)}
    for model_id, name in names(assessment).items():
        blocked = model_id in BLOCKED
        assert (verdicts[name] == "Not now: a blocking condition fails") is blocked, model_id
        section = main.find("section", id=f"model-{model_id}")
        failed = [row for row in rows(section.find("table")) if "Blocking" in row[0]]
        assert any(row[5] == "no" for row in failed) is blocked, model_id


def test_a_blocked_model_is_not_recommended_whatever_its_fit(world, playbook, lead):
    """Everything at its best but the policy mandate: policy fits well and is still blocked."""
    scales = playbook.content["scales"]
    best = {
        q["id"]: max(o["value"] for o in scales[q["scale"]]) for q in playbook.content["questions"]
    }
    assessment = finished(world, answers={**best, "political_legal.policy_mandate": 0})
    shown = {row[1]: row for row in ranking(page(lead.get(assessment.get_absolute_url())))}
    policy = shown["Policy development"]
    assert int(policy[2]) >= 80
    assert policy[4] == "Not now: a blocking condition fails"
    assert policy[0] == "6"  # after the five recommended models, though it fits better
    assert all(
        row[4] == "Recommended" for name, row in shown.items() if name != "Policy development"
    )


def test_what_to_do_first_lists_the_best_models_risks_with_their_mitigations(world, lead):
    assessment = finished(world)
    result = assessment.result()
    content = document(assessment)
    conditions = {c["id"]: c for m in content["models"] for c in m["conditions"]}
    mitigations = {x["id"]: x for m in content["models"] for x in m["mitigations"]}
    section = page(lead.get(assessment.get_absolute_url())).find(
        "section", aria_labelledby="first-steps"
    )
    assert section.find("h2").text() == "What to do first"
    [leader] = result.leaders
    best = names(assessment)[leader.model_id]
    assert f"For {best}, the best-ranked model" in section.text()
    items = section.find_all("li", class_="usa-process-list__item")
    assert result.first_steps()  # this context leaves the best model something to do
    assert len(items) == len(result.first_steps())
    for item, risk in zip(items, result.first_steps(), strict=True):
        heading = item.find("h4").text()
        assert heading.startswith(conditions[risk.condition_id]["statement"]["en"])
        # The report's sentence, and where it stands in the report.
        quote = item.find("blockquote").text()
        source = conditions[risk.condition_id]["source"]["en"]
        assert quote == shown_quote(risk.condition.quote)
        assert quote.startswith(f"“{source}”")
        assert [li.text() for li in item.find("ul").find_all("li")] == [
            mitigations[m]["text"]["en"] for m in risk.mitigation_ids
        ]
        assert risk.mitigation_ids


def test_what_to_do_first_never_comes_from_an_excluded_model_nor_is_it_empty(world, lead):
    """Every model excluded: no model supplies first steps, and the page says why."""
    assessment = finished(
        world,
        answers={
            **ANSWERS,
            "willingness.share_credit": 0,
            "political_legal.policy_mandate": 0,
            "finances.donated": 1,
            "procurement.free_accepted": 0,
            "capacity.successor_officials": 0,
        },
    )
    result = assessment.result()
    section = page(lead.get(assessment.get_absolute_url())).find(
        "section", aria_labelledby="first-steps"
    )
    if result.leaders:  # fellowship and training have no blocking condition: they may lead
        assert {r.model_id for r in result.first_steps()} <= {m.model_id for m in result.leaders}
        assert all(m.status != engine.Status.EXCLUDED for m in result.leaders)
    for model in result.models:
        if model.status == engine.Status.EXCLUDED:
            assert f"For {names(assessment)[model.model_id]}," not in section.text()


def test_each_fit_is_explained_by_weights_and_points_that_add_up_to_it(world, lead):
    assessment = finished(world)
    result = assessment.result()
    main = page(lead.get(assessment.get_absolute_url()))
    for model in result.models:
        section = main.find("section", id=f"model-{model.model_id}")
        heading = section.find("h2").text()
        match = re.fullmatch(r"\d\. .+: fit (\d+), on 100 % of its weight", heading)
        assert match, heading
        shown = int(match.group(1))
        assert shown == model.score
        details = section.find("details")
        assert details.find("summary").text() == (
            "How this fit was worked out, with the report's words"
        )
        table = details.find("table")
        body = rows(table)
        assert len(body) == len(model.conditions)
        weights = [int(row[3]) for row in body]
        points = [float(row[4]) for row in body]
        labels = answer_labels(assessment)
        assert [row[1] for row in body] == [
            "does not apply" if c.applies is False else labels[c.question_id][c.answer or 0]
            for c in model.conditions
        ]
        # Every line quotes the report, with the place of the quote.
        quotes = [row.find("blockquote").text() for row in table.find("tbody").find_all("tr")]
        assert quotes == [shown_quote(c.quote) for c in model.conditions]
        total = table.find("tfoot").find("tr").cells()
        assert total[3] == f"{sum(weights)} of {sum(weights)}"
        assert float(total[4]) == pytest.approx(sum(points))
        assert round_half_up(100 * sum(points) / sum(weights)) == shown, model.model_id
        assert total[5] == f"fit = 100 {TIMES} points {DIVIDED_BY} answered weight = {shown}"


def test_the_result_page_offers_no_download_while_unfinished(world, lead):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, dict(list(ANSWERS.items())[:30]))
    main = page(lead.get(assessment.get_absolute_url()))
    assert "The result so far" in main.text()
    assert not main.find_all("a", href=reverse("readiness:pdf", args=[assessment.pk]))


# --- Downloads ------------------------------------------------------------------------------


def test_the_json_download_is_the_engines_result_with_the_context(world, lead):
    partner = OrganisationFactory.create(name="Partner Lab")
    assessment = finished(world, civic_partner=partner)
    response = lead.get(reverse("readiness:json", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="assessment-{assessment.pk}.json"'
    )
    assert json.loads(response.content) == {
        "title": "Testshire, November 2025",
        "country": "Australia",
        "institution": "Testshire Council",
        "civic_partner": "Partner Lab",
        "assessed_on": "2025-11-20",
        "playbook_version": 1,
        "answers": ANSWERS,
        **engine.assess(document(assessment), ANSWERS).as_dict(),
    }


def test_the_csv_download_has_a_row_per_model_and_condition(world, lead):
    assessment = finished(world)
    response = lead.get(reverse("readiness:csv", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0] == CSV_COLUMNS
    result = engine.assess(document(assessment), ANSWERS)
    lines = [(m, c) for m in result.models for c in m.conditions]
    gates = [(m, g) for m in result.models for g in m.gates]
    assert len(table) == 1 + len(lines) + len(gates)
    rows_by_line = {(row[0], row[6]): dict(zip(CSV_COLUMNS, row, strict=True)) for row in table[1:]}
    for m, c in lines:
        row = rows_by_line[(m.model_id, c.condition_id)]
        assert (row["rank"], row["score"], row["status"]) == (str(m.rank), str(m.score), m.status)
        assert (row["kind"], row["question"], row["favourable"]) == (
            c.kind,
            c.question_id,
            c.favourable,
        )
        assert row["answer"] == str(c.answer) and row["weight"] == str(c.weight)
        assert row["points"] == f"{c.points:.3f}"
        assert row["met"] == ("" if c.met is None else str(c.met))
        assert c.quote and (row["quote"], row["place"]) == (c.quote.text, str(c.quote.place))
    for m, g in gates:
        row = rows_by_line[(m.model_id, g.condition_id)]
        assert g.quote and (row["kind"], row["quote"]) == (f"gate before {g.stage}", g.quote.text)


def test_the_pdf_download_is_a_pdf_with_the_title_and_what_to_do_first(world, lead):
    assessment = finished(world, title="Testshire report for print")
    response = lead.get(reverse("readiness:pdf", args=[assessment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))
    assert "Testshire report for print" in text
    assert "What to do first" in text
    assert "Which models fit this context" in text
    # The explanations quote the report, with the place of each quote.
    assert "The report, “Fellowship Model Challenges”, paragraph" in text


@pytest.mark.parametrize("name", ["readiness:json", "readiness:csv", "readiness:pdf"])
def test_downloads_of_an_unfinished_assessment_are_not_found(name, world, lead):
    assessment = start(world)
    services.save_answers(world.civic_lead, assessment, ANSWERS)
    assert lead.get(reverse(name, args=[assessment.pk])).status_code == 404


# --- Comparing ------------------------------------------------------------------------------


def test_compare_shows_both_fits_per_model_the_change_and_the_answers(world, lead):
    before = finished(world)
    after = finished(
        world, answers=demo.NOVEMBER_2026, title="Testshire, 2026", assessed_on=date(2026, 11, 20)
    )
    response = lead.get(reverse("readiness:compare"), {"first": before.pk, "second": after.pk})
    main = page(response)
    assert main.find("h2").text() == "Testshire, November 2025 and Testshire, 2026"
    fits, answers = main.find_all("table")
    assert fits.find("thead").find("tr").cells() == [
        "Model",
        "20 Nov 2025",
        "20 Nov 2026",
        "Change",
    ]
    earlier = {m.model_id: m for m in before.result().models}
    later = after.result().models
    expected = []
    for m in later:
        change = (m.score or 0) - (earlier[m.model_id].score or 0)
        expected.append(
            [
                names(after)[m.model_id] + tag(m),
                str(earlier[m.model_id].score),
                str(m.score),
                f"+{change}" if change > 0 else str(change),
            ]
        )
    assert rows(fits) == expected
    assert any(row[3].startswith("+") for row in expected)
    scales = document(after)["scales"]

    def label(question, value):
        return next(o["label"]["en"] for o in scales[question["scale"]] if o["value"] == value)

    # Answers as the questionnaire showed them ("Partly"), not as numbers.
    assert rows(answers) == [
        [q["text"]["en"], label(q, ANSWERS[q["id"]]), label(q, demo.NOVEMBER_2026[q["id"]])]
        for q in document(after)["questions"]
    ]


def tag(model: engine.ModelResult) -> str:
    if model.blocking_failed:
        return " Blocked"
    return "" if model.recommended else " Weak fit"


def test_compare_tells_a_blocked_model_from_a_weak_fit(world, lead):
    later = finished(world, answers=demo.NOVEMBER_2026, title="Later")
    earlier = finished(world, title="Earlier")
    fits = page(
        lead.get(reverse("readiness:compare"), {"first": later.pk, "second": earlier.pk})
    ).find("table")
    shown = {row[0] for row in rows(fits)}
    assert "Event (hackathon and similar) Blocked" in shown  # nobody to take results forward
    assert "Fellowship Weak fit" in shown  # nothing blocks it, but it fits under 50
    assert (earlier.result().model("fellowship").score or 0) < engine.RECOMMEND_FROM
    changes = [int(row[3]) for row in rows(fits)]
    assert any(change < 0 for change in changes)


def test_compare_shows_a_fit_of_zero_as_zero(world, lead):
    nothing = dict.fromkeys(ANSWERS, 0)
    first = finished(world, answers=nothing)
    second = finished(world, answers=nothing, title="Again")
    fits = page(
        lead.get(reverse("readiness:compare"), {"first": first.pk, "second": second.pk})
    ).find("table")
    zeros = {m.model_id for m in first.result().models if m.score == 0}
    assert zeros, "the worst answers were meant to give some model a fit of 0"
    shown = {row[0].split(" ")[0]: tuple(row[1:]) for row in rows(fits)}
    assert shown["Training"] == ("0", "0", "0")


def test_compare_refuses_an_assessment_the_user_cannot_see(world, playbook, client_for):
    hidden = finished(world, visibility=Visibility.OWN_SIDE, title="Kept to ourselves")
    shared = finished(world, title="Shared")
    response = client_for(world.official).get(
        reverse("readiness:compare"), {"first": hidden.pk, "second": shared.pk}
    )
    main = page(response)
    errors = main.find("div", id="error-summary").text()
    assert "Compare: Select a valid choice." in errors
    assert "Kept to ourselves" not in main.text()
    assert not main.find_all("table")


def test_compare_refuses_an_unfinished_assessment(world, lead):
    unfinished = start(world, title="Not done")
    done = finished(world)
    response = lead.get(reverse("readiness:compare"), {"first": done.pk, "second": unfinished.pk})
    assert "with: Select a valid choice." in page(response).find("div", id="error-summary").text()


def test_the_lists_compare_form_offers_only_finished_assessments(world, lead):
    finished(world, title="Finished one")
    start(world, title="Still open")
    main = page(lead.get(reverse("readiness:list")))
    assert [row[0] for row in rows(main.find("table"))] == ["Still open", "Finished one"]
    for name in ("first", "second"):
        options = main.find("select", name=name).find_all("option")
        assert [o.text() for o in options if o.attrs.get("value")] == ["Finished one"]


# --- The list and its queries ---------------------------------------------------------------


def add_assessments(world, how_many: int) -> None:
    partner = OrganisationFactory.create(name="Partner Lab")
    for i in range(how_many):
        assessment = start(
            world,
            title=f"Assessment {i}",
            civic_partner=partner if i % 2 else None,
            visibility=[Visibility.BOTH_SIDES, Visibility.PUBLIC][i % 2],
        )
        if i % 3 == 0:
            services.save_answers(world.civic_lead, assessment, ANSWERS)
            services.complete_assessment(world.civic_lead, assessment)


def list_queries(client) -> int:
    url = reverse("readiness:list")
    client.get(url)  # warm what lasts beyond one request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["civic_lead", "official"])
def test_the_list_makes_as_many_queries_for_twenty_assessments_as_for_two(
    persona, world, playbook, client_for, django_assert_num_queries
):
    client = client_for(getattr(world, persona))
    add_assessments(world, 2)
    with_two = list_queries(client)
    add_assessments(world, 18)
    assert len(page(client.get(reverse("readiness:list"))).find("tbody").find_all("tr")) == 20
    with django_assert_num_queries(with_two):
        client.get(reverse("readiness:list"))
    assert list_queries(client) == with_two
