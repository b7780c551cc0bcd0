"""The events part of the demo workspace.

An upcoming hackathon of Code for Australia with Hobart City Council and, as a partner,
Glenorchy City Council: each council posed a challenge with the official who owns it, the
organisers published both (a third waits for their review) and opened registration. The
places are all taken: two people wait on the list. One team is made only of developers,
so the team-mix check has something to flag.

The people other than the personas are fictional, and so are their e-mail addresses.
Everything goes through the services, as users would; the past hackathon and the year of
follow-ups after it run on the days they happened (`core/clock.py`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from civicbridge.accounts.models import User
from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services.lifecycle import advance
from civicbridge.core.clock import as_of
from civicbridge.partners import demo as partners_demo
from civicbridge.partners import services as partners
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Organisation

from .models import Event, Project, ProjectFollowUp
from .services import (
    challenges,
    engagement,
    events,
    followups,
    judging,
    participants,
    projects,
    teams,
)

HACKATHON = "Civic Hack Hobart"
PARTNER_COUNCIL = "legislature/glenorchy_city_council"
PARTNER_EMAIL = "partner@example.org"
# (name, disciplines): fourteen people for twelve places.
PEOPLE = [
    ("Aroha Wilson", ["developer"]),
    ("Ben Carter", ["developer"]),
    ("Chloe Tran", ["developer"]),
    ("Dana Kelly", ["designer"]),
    ("Eli Moss", ["developer", "researcher"]),
    ("Fatima Noor", ["user"]),
    ("Grace Liu", ["official", "domain_expert"]),
    ("Harry Dunn", ["developer"]),
    ("Isla Brown", ["user", "domain_expert"]),
    ("Jack Ferris", ["designer", "researcher"]),
    ("Kiri Walker", ["developer"]),
    ("Leo Santos", ["other"]),
    ("Maya Patel", ["developer", "designer"]),
    ("Noah Reid", ["user"]),
]


@dataclass(frozen=True)
class Cast:
    """The demo's people and places this room needs, looked up (or added) once."""

    lead: User
    official: User
    partner: User
    civic: Organisation
    council: Organisation
    partner_council: Organisation


def _cast(admin, password: str) -> Cast:
    partner_council = Organisation.objects.get(popolo_id=PARTNER_COUNCIL)
    person = partners.create_person(
        admin,
        partner_council,
        {"name": "Tessa Marsh"},
        role="Community services coordinator",
        access=Access.MEMBER,
    )
    partner = User.objects.create_user(
        PARTNER_EMAIL, password, first_name="Tessa", last_name="Marsh", person=person
    )
    return Cast(
        lead=User.objects.get(email="lead@example.org"),
        official=User.objects.get(email="official@example.org"),
        partner=partner,
        civic=Organisation.objects.get(popolo_id=partners_demo.CIVIC_ORGANISATION),
        council=Organisation.objects.get(popolo_id=partners_demo.INSTITUTION),
        partner_council=partner_council,
    )


def load(admin, password: str) -> None:
    cast = _cast(admin, password)
    upcoming_hackathon(cast, timezone.localdate())
    follow_up_year(cast, past_hackathon(cast, admin, timezone.localdate()))


def upcoming_hackathon(cast: Cast, today: date) -> Event:
    start = today + timedelta(days=45)
    event = events.create_event(
        cast.lead,
        title=HACKATHON,
        summary=(
            "Two days on real problems of two Tasmanian councils, with the officials who own "
            "them in the room. We judge designs and concepts, not lines of code."
        ),
        kind="hackathon",
        civic_organisation=cast.civic,
        institution=cast.council,
        partner_institutions=[cast.partner_council],
        start_date=start,
        end_date=start + timedelta(days=1),
        venue="Hobart Town Hall, 50 Macquarie Street, Hobart",
        capacity=12,
        public=True,
    )
    _challenges(cast, event)
    events.open_registration(cast.lead, event)
    people = _register(event)
    teams.create_team(cast.lead, event, name="Bin Day", members=people[3:7], contact=people[5])
    # Three developers who signed up together: the team-mix check flags them.
    teams.create_team(cast.lead, event, name="Pixel Pushers", members=people[:3], contact=people[0])
    return event


def _challenges(cast: Cast, event: Event) -> None:
    bins = challenges.create_challenge(
        cast.official,
        event,
        institution=cast.council,
        submit=True,
        title="Tell residents when their bin day moves",
        problem=(
            "After public holidays the collection days shift. Residents who miss the notice "
            "put their bins out on the wrong day, and the council takes hundreds of calls."
        ),
        affected_users="Residents, especially older residents without a smartphone; the "
        "waste team and the call centre.",
        data_available="Collection zones and the yearly collection calendar, published as "
        "open data.",
        constraints="No new app for the council to maintain; it must work by text message or "
        "phone as well as on the web.",
        success_criteria="Fewer calls and missed collections in the week after a holiday.",
        owner=cast.official.person,
        owner_attends=True,
        receiving_capacity="The waste team's manager takes the best design forward, with a "
        "developer from Digital Services for three months.",
    )
    halls = challenges.create_challenge(
        cast.partner,
        event,
        institution=cast.partner_council,
        submit=True,
        title="Book a community hall without the paperwork",
        problem=(
            "Community groups book halls by phone and paper forms; staff re-type them into a "
            "spreadsheet, and halls sit empty while groups are told they are taken."
        ),
        affected_users="Community groups, clubs and the council's booking staff.",
        data_available="The list of halls with their rooms and capacity; a year of bookings "
        "with the names removed.",
        constraints="Payments go through the council's existing payment system.",
        success_criteria="More bookings and less re-typing by staff.",
        owner=cast.partner.person,
        owner_attends=True,
        receiving_capacity="The bookings officer and the council's web team, one day a week "
        "until the new booking page is live.",
    )
    challenges.create_challenge(
        cast.official,
        event,
        institution=cast.council,
        submit=True,
        title="Planning notices anyone can read",
        problem="Planning notices are legal text: neighbours learn of a development too late.",
        affected_users="Neighbours of a development, applicants, the planning team.",
        success_criteria="Neighbours understand a notice in a minute.",
        owner=cast.official.person,
        owner_attends=True,
    )
    for posed in (bins, halls):
        challenges.publish_challenge(cast.lead, posed, note="A real problem with its owner.")


def _register(event: Event) -> list:
    """Everyone registers and confirms; the last two join the waiting list."""
    people = []
    for name, disciplines in PEOPLE:
        email = name.lower().replace(" ", ".") + "@example.net"
        registration = participants.register(
            event, name=name, email=email, disciplines=disciplines, consent=True
        )
        people.append(participants.confirm(registration.participant))
    return people


# The past hackathon: its projects, judging and engagement plan (E3, E1). Follow-ups over
# the year after it are added on top of the event this returns.

PAST_HACKATHON = "Hobart Civic Hack: streets, rates and access"
PAST_CRITERIA = [  # (name, what judges look for, weight)
    ("Understanding of the problem", "The team went to the people who have it.", 3),
    ("Users involved", "Users shaped the design, not only tested it.", 3),
    ("Concept and design", "A clear idea, designed for the people who will use it.", 4),
    ("Prototype", "Something people can try, on paper or on screen.", 2),
    ("Feasible for the council", "The council could run it with what it has.", 2),
]
# Team: (members as (name, disciplines), the project's challenge, title, problem, users, concept)
PAST_TEAMS = {
    "Snap Crew": (
        [("Ana Ruiz", ["designer"]), ("Tomás Weir", ["developer"]), ("Lena Fox", ["user"])],
        0,
        "Snap and Send",
        "Residents do not know where to report a broken footpath or a dumped couch.",
        "Residents on foot, and the customer service team who sorts the reports.",
        "Take a photo, confirm the place on a map, send: the council routes it.",
    ),
    "Textperts": (
        [
            ("Owen Hale", ["developer"]),
            ("Ruth Mills", ["user", "domain_expert"]),
            ("Sam Ito", ["designer"]),
        ],
        0,
        "Street Fix by Text",
        "Many residents never use the council's website, but all of them text.",
        "Older residents and people without a data plan.",
        "Text a street problem to one number and get a reference back.",
    ),
    "Data Diggers": (
        [("Ivy Chen", ["developer"]), ("Marco Bell", ["researcher"]), ("Joy Park", ["official"])],
        0,
        "Pothole Radar",
        "Nobody sees where the same problems keep coming back.",
        "The roads team planning its maintenance.",
        "A heat map of ten years of reports, street by street.",
    ),
    "Plain Words": (
        [
            ("Hana Sato", ["designer", "researcher"]),
            ("Will Grant", ["user"]),
            ("Dee Moran", ["official", "domain_expert"]),
        ],
        1,
        "Rates in Plain Words",
        "The rates notice is legal text: people call to ask what they owe and why.",
        "Ratepayers, and the rates team who answers their calls.",
        "A rewritten notice, tested with ratepayers, with a page explaining each line.",
    ),
    "Number Crunchers": (
        [
            ("Raj Singh", ["developer"]),
            ("Eve Long", ["developer", "designer"]),
            ("Kai Moss", ["user"]),
        ],
        1,
        "Rates Calculator",
        "People cannot check how their rates were worked out.",
        "Ratepayers who question their bill.",
        "Enter the property's value and see each part of the rates.",
    ),
    "Wheel Easy": (
        [
            ("Nell Byrne", ["user", "domain_expert"]),
            ("Theo Vance", ["developer"]),
            ("Pia Lund", ["designer"]),
        ],
        2,
        "Kerb Map",
        "Wheelchair users find blocked kerbs only when they reach them.",
        "Wheelchair users, parents with prams, and the council's access officer.",
        "A map of kerb ramps, kept up to date by the people who use them.",
    ),
    "Open Routes": (
        [("Gus Olsen", ["developer"]), ("Mia Rossi", ["designer"]), ("Zoe Kerr", ["user"])],
        2,
        "Step-Free Routes",
        "Route planners send wheelchair users up stairs.",
        "Wheelchair users and visitors with luggage.",
        "Directions across the city centre that avoid steps and steep hills.",
    ),
    "Venue Vision": (
        [("Finn Doyle", ["developer"]), ("Lily Hart", ["other"]), ("Ned Ames", ["official"])],
        2,
        "Accessible Venues List",
        "Event organisers cannot tell which council venues are accessible.",
        "Community groups booking a venue.",
        "A list of venues with their access, from the council's own audits.",
    ),
}
# Each judge's sheet per project, in the rubric's order. Kerb Map and Step-Free Routes end
# equal (4.00); Kerb Map is ahead on the heaviest criterion, concept and design.
PAST_SCORES = {
    "Snap and Send": [5, 5, 5, 4, 4],
    "Street Fix by Text": [4, 4, 4, 3, 4],
    "Pothole Radar": [3, 2, 3, 4, 3],
    "Rates in Plain Words": [5, 5, 4, 4, 5],
    "Rates Calculator": [3, 3, 3, 4, 3],
    "Kerb Map": [4, 4, 5, 2, 4],
    "Step-Free Routes": [4, 4, 4, 4, 4],
    "Accessible Venues List": [3, 2, 3, 3, 4],
}
PAST_WINNERS = ("Snap and Send", "Rates in Plain Words")


def past_hackathon(cast: Cast, admin, today: date) -> Event:
    """The hackathon of about fourteen months ago, judged, planned and closed.

    Each step runs through the services on the day it happened (`core/clock.py`): proposed
    three months before, registration a month before, projects and judging on the weekend,
    the engagement plan the day after, closed three weeks later.
    """
    # Long enough ago that the year of follow-ups, and the quiet one marked unknown a month
    # and a half after its reminder, are all in the past.
    last_day = today - timedelta(days=440)
    first_day = last_day - timedelta(days=1)
    with as_of(first_day - timedelta(days=95)):
        nina = partners.create_person(
            admin,
            cast.council,
            {"name": "Nina Hale", "email": "nina.hale@council.example"},
            role="Rates team leader",
        )
        event = events.create_event(
            cast.lead,
            title=PAST_HACKATHON,
            summary="A weekend on three problems of Hobart City Council, judged on design.",
            kind="hackathon",
            civic_organisation=cast.civic,
            institution=cast.council,
            start_date=first_day,
            end_date=last_day,
            venue="The Hedberg, Hobart",
            public=True,
        )
    with as_of(first_day - timedelta(days=90)):
        advance(cast.lead, event.collaboration)  # → preparing
    posed = _past_challenges(cast, event, nina, first_day)
    with as_of(first_day - timedelta(days=60)):
        advance(cast.lead, event.collaboration)  # → agreed
    with as_of(first_day - timedelta(days=30), hour=9):
        events.open_registration(cast.lead, event)
    with as_of(first_day - timedelta(days=7)):
        rosa = User.objects.create_user(
            "rosa.cole@example.org", None, first_name="Rosa", last_name="Cole"
        )
        criteria, jury = _past_rubric(cast, event, rosa)
    people = _past_teams(event, first_day)
    with as_of(first_day - timedelta(days=2), hour=9):
        events.close_registration(cast.lead, event)
    with as_of(first_day, hour=9):
        advance(cast.lead, event.collaboration)  # → active
    projects_ = _past_projects(cast, event, posed, people, last_day)
    _past_judging(cast, event, rosa, projects_, criteria, jury, last_day)
    _past_plans(cast, event, nina, projects_, last_day)
    with as_of(last_day + timedelta(days=1)):
        advance(cast.lead, event.collaboration)  # → closing
    with as_of(last_day + timedelta(days=21)):
        advance(cast.lead, event.collaboration)  # → closed, once the engagement plan is complete
    event.refresh_from_db()
    event.collaboration.refresh_from_db()
    return event


def _past_challenges(cast: Cast, event: Event, nina, first_day: date) -> list:
    texts = [
        (
            "Report a street problem in a minute",
            "Residents give up reporting broken footpaths and dumped rubbish: the form is long.",
            "Residents; the customer service team.",
            cast.official.person,
        ),
        (
            "Rates notices people understand",
            "Every quarter the rates team takes hundreds of calls about the notice itself.",
            "Ratepayers; the rates team.",
            nina,
        ),
        (
            "Find an accessible way around the city",
            "People using wheelchairs cannot tell in advance which streets they can use.",
            "Wheelchair users, parents with prams, older residents.",
            cast.official.person,
        ),
    ]
    posed = []
    for number, (title, problem, users, owner) in enumerate(texts):
        with as_of(first_day - timedelta(days=88 - 2 * number)):
            challenge = challenges.create_challenge(
                cast.official,
                event,
                institution=cast.council,
                submit=True,
                title=title,
                problem=problem,
                affected_users=users,
                success_criteria="A design the council can test with residents within three "
                "months.",
                owner=owner,
                owner_attends=True,
                receiving_capacity="The owner's team tests the chosen design with residents, "
                "with a budget for three months.",
            )
        with as_of(first_day - timedelta(days=80)):
            posed.append(challenges.publish_challenge(cast.lead, challenge, note="Real and owned."))
    return posed


def _past_teams(event: Event, first_day: date) -> dict[str, list]:
    """Each team's people register and confirm in the weeks before, a team every other day."""
    found = {}
    for number, (team_name, (members, *_project)) in enumerate(PAST_TEAMS.items()):
        with as_of(first_day - timedelta(days=26 - 2 * number)):
            people = []
            for name, disciplines in members:
                email = name.lower().replace(" ", ".").replace("á", "a") + "@example.net"
                registration = participants.register(
                    event, name=name, email=email, disciplines=disciplines, consent=True
                )
                people.append(participants.confirm(registration.participant))
            found[team_name] = people
    return found


def _past_projects(cast: Cast, event: Event, posed: list, people: dict, last_day: date) -> dict:
    """On the last day each team enters its project: the first three through their own
    link, the others by the organisers."""
    found = {}
    for number, (team_name, (_members, challenge, title, problem, users, concept)) in enumerate(
        PAST_TEAMS.items()
    ):
        members = people[team_name]
        with as_of(last_day, hour=9):
            team = teams.create_team(
                cast.lead, event, name=team_name, members=members, contact=members[0]
            )
        fields = {
            "challenge": posed[challenge],
            "title": title,
            "problem": problem,
            "users": users,
            "concept": concept,
        }
        with as_of(last_day, hour=12):
            if number < 3:
                found[title] = projects.save_team_project(team, **fields)
            else:
                found[title] = projects.create_project(cast.lead, event, team=team, **fields)
    return found


def _past_rubric(cast: Cast, event: Event, rosa) -> tuple[list, list]:
    """The rubric and the jury, set the week before."""
    criteria = [
        judging.add_criterion(
            cast.lead, event, name=name, description=text, weight=weight, order=order
        )
        for order, (name, text, weight) in enumerate(PAST_CRITERIA, start=1)
    ]
    jury = [
        judging.add_judge(cast.lead, event, email=user.email)
        for user in (cast.lead, cast.official, rosa)
    ]
    return criteria, jury


def _past_judging(
    cast: Cast, event: Event, rosa, found: dict, criteria: list, jury: list, last_day: date
) -> None:
    """Three judges score on the rubric in the afternoon; Rosa Cole mentors Wheel Easy and
    recuses."""
    with as_of(last_day, hour=14):
        judging.recuse(rosa, jury[2], found["Kerb Map"].team)
        for title, scores in PAST_SCORES.items():
            project = found[title]
            sheet = {c.pk: score for c, score in zip(criteria, scores, strict=True)}
            for judge in jury:
                if not judging.is_recused(judge, project):
                    judging.score_project(judge.user, project, sheet)
    with as_of(last_day, hour=17):
        for title in PAST_WINNERS:
            judging.set_winner(cast.lead, found[title], winner=True)
        judging.publish_results(cast.lead, event)


def _past_plans(cast: Cast, event: Event, nina, found: dict, last_day: date) -> None:
    """Three projects go on, each owned in the council with an official's commitment; the
    others stop with the event."""
    continuing = {
        "Snap and Send": (
            cast.official.person,
            "Customer service gives it half a day a week; Digital Services hosts it.",
            "Test it with the customer service team on real reports.",
            30,
        ),
        "Rates in Plain Words": (
            nina,
            "The rates team rewrites the notice within its yearly budget.",
            "Use the new wording in the next quarter's notice.",
            75,
        ),
        "Kerb Map": (
            cast.official.person,
            "The access officer checks new reports weekly; no budget beyond that.",
            "Survey the city centre's kerbs with the team.",
            60,
        ),
    }
    commitments = []
    with as_of(last_day + timedelta(days=1)):
        for title, project in found.items():
            if title not in continuing:
                engagement.decide(cast.lead, project, worth_continuing=False)
                continue
            owner, capacity, step, days = continuing[title]
            plan = engagement.decide(
                cast.official, project, worth_continuing=True, owner=owner, capacity=capacity
            )
            commitments.append(
                engagement.add_commitment(
                    cast.official,
                    plan,
                    official=owner,
                    next_step=step,
                    due_on=last_day + timedelta(days=days),
                )
            )
    # Each next step is taken on the day it was due, after the event has closed.
    for commitment in sorted(commitments, key=lambda c: c.due_on):
        with as_of(commitment.due_on, hour=15):
            engagement.set_commitment_done(cast.official, commitment, done=True)


# The year after the past hackathon (E5): every follow-up at 1, 3, 6 and 12 months, answered
# through the answer service on the day it was given. Two projects were adopted, five
# abandoned, and one went quiet: its 12-month follow-up was reminded, then marked unknown.

# Project: {months: status, or None for no answer}; one answer per person asked.
FOLLOW_UP_FATES: dict[str, dict[int, str | None]] = {
    "Snap and Send": {1: "active", 3: "active", 6: "adopted", 12: "adopted"},
    "Rates in Plain Words": {1: "active", 3: "handed_over", 6: "handed_over", 12: "adopted"},
    "Kerb Map": {1: "active", 3: "active", 6: "paused", 12: None},
    "Street Fix by Text": {1: "active", 3: "abandoned", 6: "abandoned", 12: "abandoned"},
    "Pothole Radar": {1: "abandoned", 3: "abandoned", 6: "abandoned", 12: "abandoned"},
    "Rates Calculator": {1: "active", 3: "active", 6: "abandoned", 12: "abandoned"},
    "Step-Free Routes": {1: "abandoned", 3: "abandoned", 6: "abandoned", 12: "abandoned"},
    "Accessible Venues List": {1: "active", 3: "abandoned", 6: "abandoned", 12: "abandoned"},
}
FOLLOW_UP_NOTES = {  # (project, months, who answers): (evidence link, note)
    ("Snap and Send", 6, "team"): (
        "https://snap-and-send.example/",
        "Customer service took it on: street reports now arrive with a photo and a place.",
    ),
    ("Rates in Plain Words", 3, "team"): (
        "",
        "We handed the wording to the rates team, who test it with ratepayers.",
    ),
    ("Rates in Plain Words", 12, "official"): (
        "https://rates-in-plain-words.example/notice",
        "The new notice has gone out every quarter since; calls about it halved.",
    ),
    ("Kerb Map", 6, "team"): ("", "Paused until the access officer has time to check reports."),
    ("Pothole Radar", 1, "team"): ("", "None of us could keep it going after the weekend."),
}
LED_TO = ("Snap and Send", "Online service requests fellowship")


def follow_up_year(cast: Cast, event: Event) -> None:
    """Follow the past hackathon's projects for a year, as if the scheduler had sent each
    follow-up on its day and the answers had come in over the following days."""
    collaboration = event.collaboration
    assert collaboration.closed_on is not None
    # Plan the follow-ups as they were planned on the day the event closed.
    with as_of(collaboration.closed_on):
        followups.schedule_follow_ups(cast.lead, event, today=collaboration.closed_on)
    rows = ProjectFollowUp.objects.filter(project__event=event).select_related("project")
    for follow_up in rows.order_by("months", "pk"):
        sent = timezone.make_aware(datetime.combine(follow_up.due_on, time(9)))
        status = FOLLOW_UP_FATES[follow_up.project.title][follow_up.months]
        if status is None:  # sent, reminded once, never answered
            ProjectFollowUp.objects.filter(pk=follow_up.pk).update(
                sent_at=sent, reminded_at=sent + followups.REMIND_AFTER
            )
            continue
        ProjectFollowUp.objects.filter(pk=follow_up.pk).update(sent_at=sent)
        key = (follow_up.project.title, follow_up.months, follow_up.respondent)
        evidence, note = FOLLOW_UP_NOTES.get(key, ("", ""))
        followups.answer_follow_up(
            follow_up,
            status=status,
            evidence_url=evidence,
            note=note,
            answered_at=sent + timedelta(days=2 if follow_up.respondent == "team" else 5),
        )
    quiet = ProjectFollowUp.objects.filter(project__event=event, reminded_at__isnull=False)
    for follow_up in quiet:
        assert follow_up.reminded_at is not None
        marked_at = follow_up.reminded_at + followups.UNKNOWN_AFTER
        with as_of(timezone.localdate(marked_at), hour=marked_at.hour):
            followups.mark_unknown(marked_at)
    # The fellowship it led to is the fellowships demo's, loaded before this one.
    project_title, fellowship_title = LED_TO
    fellowship = Collaboration.objects.filter(
        civic_organisation=cast.civic, title=fellowship_title
    ).first()
    if fellowship is not None:
        project = Project.objects.select_related("event__collaboration").get(
            event=event, title=project_title
        )
        followups.set_led_to(cast.lead, project, fellowship)
