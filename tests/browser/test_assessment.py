"""A readiness assessment in Chromium: the context, every step, saving for later, the
results with their explanation, the PDF and a comparison, with axe-core on every page."""

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from civicbridge.core.choices import Visibility
from civicbridge.readiness import demo, services
from civicbridge.readiness.models import Assessment

from .helpers import PDF_TIMEOUT_MS, assert_accessible, sign_in

pytestmark = pytest.mark.browser

ANSWERS = demo.NOVEMBER_2026
SAVE_FOR_LATER_AT = 3  # the step after which the lead stops and comes back


def earlier_assessment(world) -> Assessment:
    """The same institution a year before, finished: something to compare with."""
    assessment = services.start_assessment(
        world.civic_lead,
        world.civic,
        title="Testshire, November 2025",
        institution=world.institution,
        country="Australia",
        assessed_on=date(2025, 11, 20),
        visibility=Visibility.BOTH_SIDES,
    )
    services.save_answers(world.civic_lead, assessment, demo.NOVEMBER_2025)
    return services.complete_assessment(world.civic_lead, assessment)


def answer_step(page: Page, questions: list[dict], labels: dict[str, dict[int, str]]) -> None:
    """Choose each question's answer: by keyboard for the first, by its label for the rest."""
    for index, question in enumerate(questions):
        group = page.get_by_role("group", name=question["text"]["en"], exact=True)
        value = ANSWERS[question["id"]]
        wanted = group.get_by_role("radio", name=labels[question["id"]][value], exact=True)
        if index == 0:
            # USWDS draws its own radio, but the native one still takes focus and keys:
            # Space checks the focused option, arrow keys move the choice along the scale.
            group.get_by_role("radio").first.focus()
            page.keyboard.press("Space")
            for _ in range(value):
                page.keyboard.press("ArrowDown")
        else:
            # The native radio is hidden off-screen: a person clicks the visible label.
            group.get_by_text(labels[question["id"]][value], exact=True).click()
        expect(wanted).to_be_checked()


def test_civic_lead_assesses_an_institution_and_reads_the_results(
    page: Page, world, playbook, live_server
):
    content = playbook.content
    factors = content["factors"]
    labels = {
        q["id"]: {o["value"]: o["label"]["en"] for o in content["scales"][q["scale"]]}
        for q in content["questions"]
    }
    before = earlier_assessment(world)
    heading = page.get_by_role("heading", level=1)

    sign_in(page, world.civic_lead.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Assess").click()
    expect(heading).to_have_text("Assessments")
    assert_accessible(page)

    # The context.
    page.get_by_role("link", name="Start an assessment").click()
    expect(heading).to_have_text("Start an assessment")
    assert_accessible(page)
    page.get_by_label("Title").fill("Testshire, November 2026")
    expect(page.get_by_label("Made by")).to_have_value(str(world.civic.pk))
    page.get_by_label("Institution").select_option(label="Testshire Council")
    page.get_by_label("Country").fill("Australia")
    page.get_by_label("Assessed on").fill("2026-11-20")
    visibility = page.get_by_role("group", name="Who can see this")
    visibility.locator("label", has_text="Both sides").click()
    expect(visibility.get_by_role("radio", name="Both sides")).to_be_checked()
    page.get_by_role("button", name="Continue to the questions").click()
    assessment = Assessment.objects.get(title="Testshire, November 2026")

    # The steps, one context factor each.
    answered = 0
    for number, factor in enumerate(factors, start=1):
        expect(page).to_have_url(f"{live_server.url}/assessments/{assessment.pk}/steps/{number}/")
        expect(heading).to_contain_text(f"Step {number} of {len(factors)}")
        expect(heading).to_contain_text(factor["name"]["en"])
        assert_accessible(page)
        questions = [q for q in content["questions"] if q["factor"] == factor["id"]]
        answer_step(page, questions, labels)
        answered += len(questions)
        if number == SAVE_FOR_LATER_AT:
            page.get_by_role("button", name="Save and finish later").click()
            expect(heading).to_have_text("Testshire, November 2026")
            expect(page.get_by_role("status")).to_have_text(
                "Your answers are saved. Continue whenever you like."
            )
            progress = page.get_by_role("region", name=re.compile("questions answered"))
            expect(progress.get_by_role("heading")).to_have_text(
                f"{answered} of {len(content['questions'])} questions answered"
            )
            assert_accessible(page)
            # Resume where the lead stopped: the saved answers are there, still editable.
            progress.get_by_role("link", name=factor["name"]["en"]).click()
            for question in questions:
                group = page.get_by_role("group", name=question["text"]["en"], exact=True)
                label = labels[question["id"]][ANSWERS[question["id"]]]
                expect(group.get_by_role("radio", name=label, exact=True)).to_be_checked()
            assert_accessible(page)
        last = number == len(factors)
        page.get_by_role("button", name="Save and review" if last else "Save and continue").click()

    # Every question answered: the results are one button away.
    progress = page.get_by_role("region", name=re.compile("questions answered"))
    total = len(content["questions"])
    expect(progress.get_by_role("heading")).to_have_text(f"{total} of {total} questions answered")
    assert_accessible(page)
    progress.get_by_role("button", name="See the results").click()

    expect(page.get_by_role("heading", name="Which models fit this context")).to_be_visible()
    assessment.refresh_from_db()
    assert assessment.complete
    assert assessment.answers == ANSWERS
    result = assessment.result()
    ranking = page.get_by_role("table", name="Models, best fit first")
    names = {m["id"]: m["name"]["en"] for m in content["models"]}
    expect(ranking.get_by_role("rowheader")).to_have_text(
        [names[m.model_id] for m in result.models]
    )
    expect(page.get_by_role("heading", name="What to do first")).to_be_visible()
    assert_accessible(page)

    # Every fit opens to the conditions that produced it.
    best = result.models[0]
    section = page.locator(f"#model-{best.model_id}")
    explanation = section.get_by_role("table", name=re.compile("Each condition and context"))
    expect(explanation).to_be_hidden()
    section.get_by_text("How this fit was worked out").click()
    expect(explanation).to_be_visible()
    expect(explanation.locator("tfoot")).to_contain_text(
        f"fit = 100 \N{MULTIPLICATION SIGN} points \N{DIVISION SIGN} answered weight = {best.score}"
    )
    # Each line quotes the report and says where the quote stands in it.
    first_line = explanation.locator("tbody tr").first
    quote = best.conditions[0].quote
    assert quote is not None
    expect(first_line.locator("blockquote")).to_contain_text(f"“{quote.text}”")
    expect(first_line.locator("blockquote")).to_contain_text(f"The report, {quote.place}")
    assert_accessible(page)

    # The PDF: the link answers with a PDF for this signed-in user.
    pdf_link = page.get_by_role("link", name="Download as PDF")
    response = page.request.get(pdf_link.get_attribute("href") or "", timeout=PDF_TIMEOUT_MS)
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")

    # Compare with the year before.
    page.get_by_role("link", name="Assessments", exact=True).click()
    expect(heading).to_have_text("Assessments")
    assert_accessible(page)
    page.get_by_label("Compare").select_option(label=before.title)
    page.get_by_label("with").select_option(label=assessment.title)
    page.get_by_role("main").get_by_role("button", name="Compare").click()
    expect(heading).to_have_text("Compare assessments")
    fits = page.get_by_role("table", name="Fit of each model (0\N{EN DASH}100)")
    earlier = {m.model_id: m.score for m in before.result().models}
    fellowship = fits.get_by_role("row").filter(has_text="Fellowship")
    now = result.model("fellowship").score
    assert now > earlier["fellowship"]
    expect(fellowship.get_by_role("cell")).to_have_text(
        [str(earlier["fellowship"]), str(now), f"+{now - earlier['fellowship']}"]
    )
    expect(page.get_by_role("table", name="Answers")).to_be_visible()
    assert_accessible(page)
