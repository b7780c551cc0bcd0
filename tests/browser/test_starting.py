"""Starting a collaboration from an assessment in Chromium: the result's proposal link, the
filled-in form, the overview's starting conditions and the institution's assessments over
time, with axe-core on every page."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.tests.test_starting import assess
from civicbridge.readiness import demo, services

from .helpers import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_civic_lead_proposes_a_fellowship_from_an_assessment(page: Page, world, playbook):
    earlier = services.start_assessment(
        world.civic_lead,
        world.civic,
        title="Testshire, 2025",
        institution=world.institution,
        country="Australia",
        assessed_on=date(2025, 11, 20),
        visibility="both",
    )
    services.save_answers(world.civic_lead, earlier, demo.NOVEMBER_2025)
    services.complete_assessment(world.civic_lead, earlier)
    assessment = assess(world)
    heading = page.get_by_role("heading", level=1)

    sign_in(page, world.civic_lead.email)
    page.goto(assessment.get_absolute_url())
    expect(heading).to_have_text(assessment.title)
    start = page.get_by_role("region", name="Start work from this assessment")
    link = start.get_by_role("link", name="Propose a collaboration with this model (Fellowship)")
    assert_accessible(page)
    link.click()

    expect(heading).to_have_text("Propose a collaboration")
    expect(page.get_by_label("Started from the assessment")).to_have_value(str(assessment.pk))
    expect(page.get_by_label("Institution", exact=True)).to_have_value(str(world.institution.pk))
    expect(page.get_by_label("Model", exact=True)).to_have_value("fellowship")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill("Permits fellowship")
    page.get_by_label("Civic organisation").select_option(label="Code for Testing")
    page.get_by_role("main").get_by_role("button", name="Save").click()

    collaboration = Collaboration.objects.get(title="Permits fellowship")
    expect(heading).to_contain_text("Permits fellowship")
    started = page.get_by_role("region", name="Where it started")
    expect(started.get_by_role("link", name=assessment.title)).to_be_visible()
    table = started.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(collaboration.starting_conditions.count() + 1)
    expect(table.get_by_text("Not met")).to_have_count(
        collaboration.starting_conditions.unmet().count()
    )
    assert_accessible(page)

    started.get_by_role("link", name="The institution's assessments over time").click()
    expect(heading).to_have_text("Assessments of Testshire Council over time")
    expect(page.get_by_role("heading", level=3)).to_have_text("From 20 Nov 2025 to 1 Nov 2026")
    assert_accessible(page)
    # Choosing the pair by keyboard-free form submission works without JavaScript too.
    page.get_by_label("Earlier assessment").select_option(label="Testshire, 2025 (20 Nov 2025)")
    page.get_by_role("button", name="Show the changes").click()
    expect(page.get_by_role("heading", level=3)).to_have_text("From 20 Nov 2025 to 1 Nov 2026")
    assert_accessible(page)
