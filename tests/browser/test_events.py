"""A hackathon in Chromium from the institution's challenge to a follow-up answered a month
after it, with axe-core on every page and the keyboard focus checked on the main forms.

The civic lead creates the event; an official poses a challenge from their own account; the
organiser publishes it and opens registration; two visitors register without an account and
confirm by the e-mailed link; the organiser forms a team, enters its project with a design
artefact, judges it against a weighted rubric and publishes the results; the engagement plan
gets its owner, capacity and the official's commitment; the organiser moves the event
through its stages to closed, which plans the follow-ups; a month later the team's contact
answers the first one by its link, and the Follow-ups and Survival tabs show the answer.
"""

import re
import struct
import zlib
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import Page, expect

from civicbridge.notifications.services import enqueue_due

from .helpers import assert_accessible, sign_in, submit_by_keyboard

pytestmark = pytest.mark.browser

# Fixed days make every date on the pages certain.
REGISTRATION_DAY = datetime(2031, 3, 3, 9, 0, tzinfo=UTC)
FIRST_DAY, LAST_DAY = date(2031, 4, 5), date(2031, 4, 6)
LAST_AFTERNOON = datetime(2031, 4, 6, 15, 0, tzinfo=UTC)  # teams, projects, judging, close
ONE_MONTH_ON = datetime(2031, 5, 6, 9, 0, tzinfo=UTC)  # the first follow-up is due
COMMITTED_BY = "2031-06-02"
TITLE = "Testshire civic hackathon"
CHALLENGE = "Fewer missed bin collections"
PROJECT = "Bin map"
TEAM = "Team Bins"
ROBIN = "robin@example.net"  # a resident and designer: the team's contact
MORGAN = "morgan@example.net"  # an officer of the council's waste team, taking part


def png_sketch() -> bytes:
    """A real one-pixel white PNG: the upload checks the file's first bytes, not its name."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def tab(page: Page, name: str) -> None:
    """Open one tab of the collaboration's page and check it is accessible."""
    tabs = page.get_by_role("navigation", name="Parts of this collaboration")
    tabs.get_by_role("link", name=name, exact=True).click()
    expect(tabs.locator("[aria-current=page]")).to_have_text(name)
    assert_accessible(page)


def switch_to(page: Page, email: str) -> None:
    """Sign out whoever is signed in, then sign in as `email`."""
    sign_out = page.get_by_role("button", name="Sign out")
    if sign_out.count():
        sign_out.click()
    sign_in(page, email)


def open_event(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(heading(page)).to_have_text("Events")
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link", name=TITLE).click()
    expect(heading(page)).to_have_text(TITLE)
    assert_accessible(page)


def for_project(action: str) -> re.Pattern:
    """A link's name: the action, then the project for screen readers only (Chromium puts a
    space before the hidden part)."""
    return re.compile(rf"^{action}\s?: {PROJECT}$")


def last_link_to(address: str, pattern: str) -> str:
    """The path of the link in the last e-mail to `address`; the e-mail names the site."""
    body = [message for message in mail.outbox if message.to == [address]][-1].body
    link = re.search(pattern, body)
    assert link, body
    return link.group(0)


# 1. The event, its challenge, the gate and registration ----------------------------------


def create_event(page: Page, world) -> None:
    """The civic lead creates the event with the council, public so that people register."""
    sign_in(page, world.civic_lead.email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Events").click()
    expect(heading(page)).to_have_text("Events")
    assert_accessible(page)
    page.get_by_role("link", name="Create an event").click()
    expect(heading(page)).to_have_text("Create an event")
    assert_accessible(page)
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind of event").select_option(label="Hackathon")
    page.get_by_label("What the event is about").fill("Two days on the council's real problems.")
    page.get_by_label("Organised by").select_option(label=world.civic.name)
    page.get_by_label("Institution", exact=True).select_option(label=world.institution.name)
    page.get_by_label("First day").fill(FIRST_DAY.isoformat())
    page.get_by_label("Last day").fill(LAST_DAY.isoformat())
    page.get_by_label("Venue").fill("Testshire Town Hall")
    page.get_by_label("Places").fill("30")
    page.locator("label", has_text="Show on the public portfolio").click()
    page.get_by_role("button", name="Create the event").click()
    expect(page.get_by_text("The event was created.")).to_be_visible()
    expect(heading(page)).to_have_text(TITLE)
    assert_accessible(page)


def pose_challenge(page: Page, world) -> None:
    """The council's official poses a challenge from their own account."""
    switch_to(page, world.official.email)
    open_event(page)
    tab(page, "Challenges")
    expect(page.get_by_role("heading", name="Challenges from the institutions")).to_be_visible()
    page.get_by_role("link", name="Pose a challenge").click()
    expect(heading(page)).to_have_text("Pose a challenge")
    assert_accessible(page)
    expect(page.get_by_label("Institution")).to_have_value(str(world.institution.pk))
    page.get_by_label("Title").fill(CHALLENGE)
    page.get_by_label("Problem statement").fill(
        "Residents report missed bins by phone; nobody sees the pattern."
    )
    page.get_by_label("Who is affected").fill("Residents and the waste team.")
    page.get_by_label("Data available").fill("Two years of missed-bin reports.")
    page.get_by_label("What success looks like").fill("The streets that miss most are known.")
    page.get_by_label("Owner official").select_option(label="Sam Official")
    page.get_by_label("Who takes the results forward, and with what").fill(
        "The waste team tests the best answer on two rounds, with a budget for three months."
    )
    page.locator("label", has_text="The owner commits to attend").click()
    submit_by_keyboard(
        page, "Submit for review", start=page.get_by_label("The owner commits to attend")
    )
    expect(page.get_by_text("The challenge was submitted")).to_be_visible()
    expect(heading(page)).to_have_text(TITLE)
    assert_accessible(page)
    [submitted] = mail.outbox
    assert submitted.to == [world.civic_lead.email]


def publish_and_open_registration(page: Page, world) -> str:
    """The organiser publishes the challenge, which lets registration open; returns the
    event's public page."""
    switch_to(page, world.civic_lead.email)
    open_event(page)
    tab(page, "Challenges")
    page.get_by_role("table").get_by_role("link", name=CHALLENGE).click()
    expect(page.get_by_role("heading", name="Your review")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Your decision").locator("label", has_text="Publish it").click()
    page.get_by_label("Note to the institution").fill("A real problem, clearly put.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_text("The challenge is published.")).to_be_visible()
    assert_accessible(page)
    assert "published your challenge" in mail.outbox[-1].body

    tab(page, "Event")
    registration = page.get_by_role("region", name="Registration closed")
    expect(registration).to_contain_text("1 challenge posed by an institution is published")
    page.get_by_role("button", name="Open registration").click()
    expect(page.get_by_text("Registration is open: people register")).to_be_visible()
    expect(page.get_by_role("region", name="Registration open")).to_be_visible()
    assert_accessible(page)
    public_url = page.get_by_role("link", name="Published").get_attribute("href")
    assert public_url is not None
    page.get_by_role("button", name="Sign out").click()
    return public_url


def register(
    page: Page, traveller, public_url: str, name: str, email: str, brings, *, left: int
) -> None:
    """A visitor registers on the public page without an account, and confirms by the
    e-mailed link; the public page counts the places left before and after."""
    page.goto(public_url)
    expect(heading(page)).to_have_text(TITLE)
    expect(page.get_by_role("heading", name=CHALLENGE)).to_be_visible()
    expect(page.get_by_text(f"{left} places left of 30.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Register").click()
    expect(heading(page)).to_have_text(f"Register for {TITLE}")
    assert_accessible(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("E-mail address").fill(email)
    disciplines = page.get_by_role("group", name="What you bring")
    for discipline in brings:
        disciplines.locator("label", has_text=discipline).click()
    page.locator("label", has_text="I agree").click()
    traveller.shift(timedelta(seconds=5))  # a person takes a moment to fill it in
    submit_by_keyboard(page, "Register", start=page.get_by_label("I agree"))
    expect(page.get_by_text(f"Almost done: we sent a link to {email}")).to_be_visible()
    assert_accessible(page)

    page.goto(last_link_to(email, r"/registrations/\S+/confirm/"))
    expect(heading(page)).to_have_text(f"Your registration for {TITLE}")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my registration").click()
    expect(page.get_by_role("heading", name="Your place is confirmed")).to_be_visible()
    assert_accessible(page)
    confirmed = [message for message in mail.outbox if message.to == [email]][-1].body
    assert "Your place at" in confirmed and "/cancel/" in confirmed
    page.get_by_role("link", name=f"About {TITLE}").click()
    expect(page.get_by_text(f"{left - 1} places left of 30.")).to_be_visible()


# 2. The team, its project, and judging ----------------------------------------------------


def form_team(page: Page) -> None:
    """The organiser forms a team of both confirmed participants, Robin its contact."""
    tab(page, "Participants")
    expect(page.get_by_role("table")).to_contain_text("Robin Resident")
    page.get_by_role("main").get_by_role("link", name="Teams", exact=True).click()
    expect(
        page.get_by_role("heading", name="Confirmed participants without a team")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Form a team").click()
    expect(heading(page)).to_have_text("Form a team")
    assert_accessible(page)
    page.get_by_label("Team name").fill(TEAM)
    members = page.get_by_role("group", name="Members")
    members.locator("label", has_text="Robin Resident").click()
    members.locator("label", has_text="Morgan Waste").click()
    page.get_by_label("Contact").select_option(label="Robin Resident")
    page.get_by_role("button", name="Form the team").click()
    expect(page.get_by_text("The team was formed.")).to_be_visible()
    expect(page.get_by_role("table", name=TEAM)).to_contain_text("Morgan Waste")
    expect(page.get_by_text(f"Contact: Robin Resident, {ROBIN}")).to_be_visible()
    assert_accessible(page)


def enter_project(page: Page) -> None:
    """The organiser enters the team's project answering the challenge, and its sketch."""
    tab(page, "Projects")
    page.get_by_role("link", name="Enter a team's project").click()
    expect(heading(page)).to_have_text("Enter a team's project")
    assert_accessible(page)
    page.get_by_label("Team").select_option(label=TEAM)
    page.get_by_label("Challenge").select_option(label=CHALLENGE)
    page.get_by_label("Title").fill(PROJECT)
    page.get_by_label("Problem").fill("Nobody sees which streets miss their collection.")
    page.get_by_label("Users").fill("Residents who report, and the crews who plan the rounds.")
    page.get_by_label("Concept").fill("A map of missed bins by street, updated every night.")
    page.get_by_label("Prototype").fill("https://prototype.example/bin-map")
    submit_by_keyboard(
        page, "Enter the project", start=page.get_by_label("Code repository (optional)")
    )
    expect(page.get_by_text("The project was entered.")).to_be_visible()
    expect(page.get_by_role("heading", name=PROJECT, level=2)).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Kind").select_option(label="Sketch or storyboard")
    page.get_by_label("File").set_input_files(
        {"name": "bin-map-sketch.png", "mimeType": "image/png", "buffer": png_sketch()}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The artefact was added.")).to_be_visible()
    artefacts = page.get_by_role("table", name="The project's design artefacts")
    expect(artefacts).to_contain_text("bin-map-sketch.png")
    expect(artefacts).to_contain_text("Sketch or storyboard")
    assert_accessible(page)


def add_criterion(page: Page, name: str, looks_for: str, weight: str) -> None:
    page.get_by_role("link", name="Add a criterion").click()
    expect(heading(page)).to_have_text("Add a criterion to the rubric")
    assert_accessible(page)
    page.get_by_label("Criterion").fill(name)
    page.get_by_label("What judges look for").fill(looks_for)
    page.get_by_label("Weight").fill(weight)
    page.get_by_role("button", name="Add the criterion").click()
    expect(page.get_by_text("The criterion was added to the rubric.")).to_be_visible()


def judge(page: Page, world) -> None:
    """A rubric of two weighted criteria; the organiser judges, scores and publishes."""
    tab(page, "Judging")
    add_criterion(page, "Understanding of the problem", "Did they talk to the users?", "3")
    add_criterion(page, "Quality of the prototype", "Could a resident use it?", "1")
    rubric = page.get_by_role("table", name=re.compile("total weight 4"))
    expect(
        rubric.get_by_role("row", name=re.compile("Understanding of the problem"))
    ).to_contain_text("3")
    assert_accessible(page)
    page.get_by_role("link", name="Add a judge").click()
    expect(heading(page)).to_have_text("Add a judge")
    assert_accessible(page)
    page.get_by_label("The judge's e-mail address").fill(world.civic_lead.email)
    page.get_by_role("button", name="Add the judge").click()
    expect(page.get_by_text("The judge was added.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=for_project("Score it")).click()
    expect(heading(page)).to_have_text(f"Score “{PROJECT}”")
    assert_accessible(page)
    understanding = page.get_by_role("group", name=re.compile("Understanding of the problem"))
    understanding.locator("label", has_text="5").click()
    prototype = page.get_by_role("group", name=re.compile("Quality of the prototype"))
    prototype.locator("label", has_text="3").click()
    submit_by_keyboard(page, "Save the scores", start=prototype.get_by_label("3"))
    expect(page.get_by_text(f"Your scores of “{PROJECT}” were saved.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("region", name="Results").get_by_role("link", name="See the results").click()
    expect(page.get_by_role("table")).to_contain_text("4.5")  # (3 * 5 + 1 * 3) / 4
    assert_accessible(page)
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_text("The results are published on the event's pages.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="The public page of the results").click()
    expect(page.get_by_role("main")).to_contain_text(PROJECT)
    assert_accessible(page)
    page.go_back()


# 3. The engagement plan and the close -------------------------------------------------


def decide_plan(page: Page) -> None:
    """The organiser records that the project is worth continuing, its owner and capacity."""
    tab(page, "Engagement plan")
    page.get_by_role("link", name=for_project("Decide")).click()
    expect(heading(page)).to_have_text(f"What happens to “{PROJECT}” after the event?")
    assert_accessible(page)
    page.get_by_role("group", name="Is the project worth continuing?").locator(
        "label", has_text="Yes: it is worth continuing"
    ).click()
    page.get_by_label("Who in the institution will own it").select_option(label="Sam Official")
    capacity = page.get_by_label("The institution's capacity to absorb it")
    capacity.fill("The waste team's analyst, two days a week; the web team hosts it.")
    submit_by_keyboard(page, "Save", start=capacity)
    expect(page.get_by_text(f"The decision on “{PROJECT}” was saved.")).to_be_visible()
    expect(page.get_by_text("Missing:")).to_contain_text("commitment")
    assert_accessible(page)


def commit(page: Page, world) -> None:
    """The official records their own commitment: the next step and a date."""
    switch_to(page, world.official.email)
    open_event(page)
    tab(page, "Engagement plan")
    page.get_by_role("link", name=for_project("Add a commitment")).click()
    expect(heading(page)).to_have_text(f"An official's commitment for “{PROJECT}”")
    assert_accessible(page)
    page.get_by_label("Official").select_option(label="Sam Official")
    page.get_by_label("Next step").fill("Show the map to the waste crews' planners.")
    page.get_by_label("By").fill(COMMITTED_BY)
    submit_by_keyboard(page, "Record the commitment", start=page.get_by_label("By"))
    expect(page.get_by_text("The commitment was recorded.")).to_be_visible()
    plan = page.get_by_role("region", name="Before the event can close")
    expect(plan).to_contain_text("Ready")
    expect(plan).to_contain_text("Every project has a decision; 1 worth continuing has an owner")
    expect(page.get_by_role("table", name=f"Officials' commitments for {PROJECT}")).to_contain_text(
        "2 Jun 2031"
    )
    assert_accessible(page)


def advance(page: Page, stage: str, gates: tuple[str, ...] = ()) -> None:
    """Move to `stage` on the Overview, after checking each gate named in `gates` is met."""
    next_gate = page.get_by_role("region", name=f"Next stage: {stage}")
    for statement in gates:
        expect(next_gate.get_by_role("listitem").filter(has_text=statement)).to_contain_text("Met:")
    page.get_by_role("button", name=f"Move to “{stage}”").click()
    expect(page.get_by_text(f"The collaboration is now “{stage}”.")).to_be_visible()
    expect(page.get_by_label("Stage").locator("[aria-current=true]")).to_contain_text(stage)
    assert_accessible(page)


def close_the_event(page: Page, world) -> None:
    """The organiser moves the event through its stages; every checked gate holds."""
    switch_to(page, world.civic_lead.email)
    open_event(page)
    tab(page, "Overview")
    advance(page, "Preparing")
    advance(page, "Agreed")
    advance(
        page,
        "Active",
        (
            "institution, together with the organisers, presents real problems",
            "brings in people beyond coders",
            "people who will use the solutions take part",
        ),
    )
    advance(page, "Closing")
    advance(
        page,
        "Closed",
        ("There is a plan, agreed with the institution", "capacity to take over and maintain"),
    )
    expect(page.get_by_role("region", name="This collaboration is closed")).to_contain_text(
        "It closed on 6 Apr 2031."
    )
    expect(page.get_by_text("None: every condition checked so far held.")).to_be_visible()

    tab(page, "Follow-ups")
    asked = page.get_by_role("table", name=f"Follow-ups of {PROJECT}")
    expect(asked.get_by_role("row", name=re.compile("^1 month"))).to_contain_text("Robin Resident")
    expect(asked.get_by_role("row", name=re.compile("^1 month"))).to_contain_text("Due 6 May 2031")
    expect(asked.get_by_role("row", name=re.compile("^12 months"))).to_contain_text(
        "Due 6 Apr 2032"
    )


# 4. The first follow-up, answered by its link --------------------------------------------


def answer_follow_up(page: Page) -> None:
    """A month on, the team's contact answers the follow-up's link without an account."""
    assert enqueue_due()["follow_ups"] == 1  # the scheduler's pass, as the clock says
    page.goto(last_link_to(ROBIN, r"/follow-ups/projects/\d+/\S+/"))
    expect(heading(page)).to_have_text(f"What became of “{PROJECT}”?")
    expect(page.get_by_text("You are answering as Robin Resident.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="What became of the project?").locator(
        "label", has_text="The institution adopted it"
    ).click()
    page.get_by_label("Evidence (a link)").fill("https://council.example/bin-map")
    note = page.get_by_label("Anything to add")
    note.fill("The waste team plans the rounds with it now.")
    submit_by_keyboard(page, "Send the answer", start=note)
    expect(heading(page)).to_have_text("Thank you for your answer")
    assert_accessible(page)


def see_the_answer(page: Page, world) -> None:
    """The organiser sees the answer on the Follow-ups and Survival tabs, and in public."""
    sign_in(page, world.civic_lead.email)
    open_event(page)
    tab(page, "Follow-ups")
    expect(page.get_by_role("heading", name="What became of each project")).to_be_visible()
    first = page.get_by_role("table", name=f"Follow-ups of {PROJECT}").get_by_role(
        "row", name=re.compile("^1 month")
    )
    expect(first).to_contain_text("Answered 6 May 2031: Adopted by the institution")
    expect(first.get_by_role("link", name="https://council.example/bin-map")).to_be_visible()
    expect(first).to_contain_text("The waste team plans the rounds with it now.")

    tab(page, "Survival")
    expect(page.get_by_role("heading", name="Adopted by institutions")).to_be_visible()
    expect(
        page.get_by_role("table", name="What the follow-ups found of each project").get_by_role(
            "row", name=re.compile(PROJECT)
        )
    ).to_contain_text("Adopted by the institution")
    page.get_by_role("link", name="Survival across public events").click()
    expect(heading(page)).to_have_text("Do event projects survive?")
    assert_accessible(page)


def test_from_a_challenge_to_a_follow_up_answer(page: Page, world, playbook):
    with time_machine.travel(REGISTRATION_DAY, tick=True) as traveller:
        create_event(page, world)
        pose_challenge(page, world)
        public_url = publish_and_open_registration(page, world)
        register(
            page,
            traveller,
            public_url,
            "Robin Resident",
            ROBIN,
            ("Designer", "User or citizen"),
            left=30,
        )
        register(
            page,
            traveller,
            public_url,
            "Morgan Waste",
            MORGAN,
            ("Domain expert", "Official"),
            left=29,
        )

        traveller.move_to(LAST_AFTERNOON)
        sign_in(page, world.civic_lead.email)
        open_event(page)
        form_team(page)
        enter_project(page)
        judge(page, world)
        decide_plan(page)
        commit(page, world)
        close_the_event(page, world)
        page.get_by_role("button", name="Sign out").click()

        traveller.move_to(ONE_MONTH_ON)
        answer_follow_up(page)
        see_the_answer(page, world)
