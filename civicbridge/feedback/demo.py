"""The demo's beneficiaries' feedback and register of shortcomings, on collaborations the
rooms' demos made:

- on the public "Planning permits fellowship" of Hobart City Council, feedback from
  residents in every state: waiting for moderation, published and answered by the council
  (by e-mail to one who left an address), published and waiting for an answer, rejected;
- on the "Bin-collection reminders by text message" service of Launceston City Council,
  three shortcomings: one proposed, one accepted and under way, one declined with a reason;
- on the "Open data for council officers" training programme with Hobart City Council,
  what its participants' work showed: one shortcoming solved, one under way, one proposed;
  and what two residents said of the officers it trained, one answered, one to moderate.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from civicbridge.collaborations.models import Collaboration
from civicbridge.core.clock import as_of
from civicbridge.partners.choices import Access
from civicbridge.partners.models import Membership

from .choices import ShortcomingStatus
from .services import feedback, shortcomings

FELLOWSHIP = "Planning permits fellowship"
SERVICE = "Bin-collection reminders by text message"
TRAINING = "Open data for council officers"

# (days ago, what worked, what did not, rating, e-mail, what happens to it)
RESIDENTS = [
    (
        60,
        "The new guide told me which plans to attach before I started.",
        "I could not find where to pay the application fee online.",
        4,
        "resident.sandy.bay@example.org",
        "answered",
    ),
    (
        45,
        "The map of open applications showed me what is planned on my street.",
        "The applications open data is a week behind the counter.",
        3,
        "",
        "answered",
    ),
    (
        30,
        "Staff at the counter knew the new guide and used it with me.",
        "Nothing, it was fine.",
        5,
        "",
        "published",
    ),
    (20, "Buy cheap watches at", "spam spam spam", 1, "", "rejected"),
    (
        6,
        "I applied in one evening instead of two visits.",
        "The checklist is only in English.",
        4,
        "new.town.resident@example.org",
        "new",
    ),
    (2, "Clear steps.", "The page timed out when I uploaded my plans.", 2, "", "new"),
]

ANSWERS = [
    "Thank you. Since March the fee can be paid online from the confirmation page; the guide "
    "now links to it from step one.",
    "You are right: the data is now published every night, not every week.",
]


def load(admin, password: str) -> None:
    lead = get_user_model().objects.get(email="lead@example.org")
    official = get_user_model().objects.get(email="official@example.org")
    residents_speak(lead, official, Collaboration.objects.get(title=FELLOWSHIP))
    shortcomings_raised(lead, Collaboration.objects.get(title=SERVICE))
    training = Collaboration.objects.get(title=TRAINING)
    training_shortcomings(lead, training)
    residents_asked_officers(lead, official, training)


def residents_speak(lead, official, collaboration: Collaboration) -> None:
    """Residents' feedback on the planning permits work, moderated and answered."""
    today = timezone.localdate()
    with as_of(today - timedelta(days=90)):
        service = feedback.add_service(lead, collaboration, name="Planning permit guide")
    answers = iter(ANSWERS)
    for days_ago, worked, did_not_work, rating, email, fate in RESIDENTS:
        with as_of(today - timedelta(days=days_ago)):
            given = feedback.give_feedback(
                collaboration,
                service=service if rating > 1 else None,
                worked=worked,
                did_not_work=did_not_work,
                rating=rating,
                email=email,
            )
        if fate == "new":
            continue
        with as_of(today - timedelta(days=days_ago - 1)):
            given = feedback.moderate_feedback(lead, given, publish=fate != "rejected")
        if fate == "answered":
            with as_of(today - timedelta(days=days_ago - 3)):
                feedback.answer_feedback(official, given, answer=next(answers))


def _officer(collaboration: Collaboration):
    """The institution's admin with an account, who decides for it."""
    admin = (
        Membership.objects.filter(
            organisation=collaboration.institution, access=Access.ADMIN, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("id")
        .first()
    )
    assert admin is not None, "the service's demo gives the council an admin"
    return admin.person.user


def shortcomings_raised(lead, collaboration: Collaboration) -> None:
    """Three shortcomings of the text-message service, each further along."""
    officer = _officer(collaboration)
    owner = officer.person
    today = timezone.localdate()
    with as_of(today - timedelta(days=120)):
        late = shortcomings.raise_shortcoming(
            lead,
            collaboration,
            title="Reminders arrive after the truck has passed",
            evidence="112 residents in Invermay reported missed bins in March; their "
            "collection starts at 5 a.m., the reminder goes out at 7 p.m. the evening before "
            "only in some suburbs.",
            solution="Send reminders by suburb, at 6 p.m., from the collection rounds the "
            "council's contractor already publishes.",
            owner=owner,
        )
    with as_of(today - timedelta(days=110)):
        late = shortcomings.move_shortcoming(officer, late, to=ShortcomingStatus.ACCEPTED)
    with as_of(today - timedelta(days=95)):
        shortcomings.move_shortcoming(officer, late, to=ShortcomingStatus.IN_PROGRESS)
    with as_of(today - timedelta(days=70)):
        paper = shortcomings.raise_shortcoming(
            lead,
            collaboration,
            title="Residents without a mobile phone are left out",
            evidence="One in five sign-up calls to customer service came from residents "
            "asking for a landline reminder.",
            solution="Offer a printed yearly calendar with the rates notice.",
        )
    with as_of(today - timedelta(days=60)):
        shortcomings.move_shortcoming(
            officer,
            paper,
            to=ShortcomingStatus.DECLINED,
            reason="The rates notice is printed by the state revenue office; the council "
            "will post calendars on request instead.",
        )
    with as_of(today - timedelta(days=10)):
        shortcomings.raise_shortcoming(
            lead,
            collaboration,
            title="Sign-up page asks for an address format residents do not use",
            evidence="A third of sign-ups fail on the first try; most write the unit before "
            "the street number.",
            solution="Accept any address and match it against the council's address list, "
            "asking only when two match.",
            owner=owner,
        )


def training_shortcomings(lead, collaboration: Collaboration) -> None:
    """What the training programme's sessions brought to light, each with its solution."""
    officer = _officer(collaboration)
    today = timezone.localdate()
    with as_of(today - timedelta(days=60)):
        licence = shortcomings.raise_shortcoming(
            lead,
            collaboration,
            title="Datasets go out without a licence",
            evidence="Nine of the council's fourteen published datasets name no licence; "
            "officers in the first session did not know which one the council uses.",
            solution="Publish every dataset under CC BY 4.0, as the council's open data "
            "policy says, and add the licence to the publishing checklist.",
            owner=officer.person,
        )
    with as_of(today - timedelta(days=55)):
        licence = shortcomings.move_shortcoming(
            officer, licence, to=ShortcomingStatus.ACCEPTED, owner=officer.person
        )
    with as_of(today - timedelta(days=30)):
        licence = shortcomings.move_shortcoming(officer, licence, to=ShortcomingStatus.IN_PROGRESS)
    with as_of(today - timedelta(days=12)):
        shortcomings.move_shortcoming(officer, licence, to=ShortcomingStatus.DONE)
    with as_of(today - timedelta(days=40)):
        owner = shortcomings.raise_shortcoming(
            lead,
            collaboration,
            title="Nobody owns a dataset once it is published",
            evidence="Participants from three departments each thought another kept the "
            "planning applications data up to date; it was four months old.",
            solution="Name an owner for each dataset in the register, and have the owner "
            "confirm it every quarter.",
            owner=officer.person,
        )
    with as_of(today - timedelta(days=35)):
        owner = shortcomings.move_shortcoming(
            officer, owner, to=ShortcomingStatus.ACCEPTED, owner=officer.person
        )
    with as_of(today - timedelta(days=20)):
        shortcomings.move_shortcoming(officer, owner, to=ShortcomingStatus.IN_PROGRESS)
    with as_of(today - timedelta(days=5)):
        shortcomings.raise_shortcoming(
            lead,
            collaboration,
            title="Spreadsheets are published as PDF",
            evidence="The budget tables were published as PDF scans; participants could not "
            "reuse them in the exercises.",
            solution="Publish tables as CSV beside any PDF, starting with the budget.",
        )


def residents_asked_officers(lead, official, collaboration: Collaboration) -> None:
    """Two residents who asked trained officers for data: one answered, one waiting."""
    today = timezone.localdate()
    with as_of(today - timedelta(days=25)):
        asked = feedback.give_feedback(
            collaboration,
            worked="The officer at the counter sent me the street-tree data the same day.",
            did_not_work="I had to ask in person: the data is not on the council's website.",
            rating=4,
        )
    with as_of(today - timedelta(days=24)):
        asked = feedback.moderate_feedback(lead, asked, publish=True)
    with as_of(today - timedelta(days=21)):
        feedback.answer_feedback(
            official,
            asked,
            answer="The street-tree data is now published every month on the open data page.",
        )
    with as_of(today - timedelta(days=3)):
        feedback.give_feedback(
            collaboration,
            worked="Quick reply by e-mail.",
            did_not_work="The file came as a PDF and I could not open it in a spreadsheet.",
            rating=3,
        )
