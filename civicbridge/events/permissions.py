"""Who may see and do what in the events room.

An event is a collaboration: its two parties see its pages as for any collaboration. The
civic organisation organises it: its members change the event, review the challenges,
open registration and form teams, and only its own side reads the participants' names and
e-mail addresses (personal data). The institutions of the event — the collaboration's
institution and the partner institutions — pose challenges: their officials submit them
from their own accounts. A partner institution is no party: it reads the collaboration's
pages (and only what the parties made public of their records), and changes none. An institution sees how many people registered and with
which disciplines, and the teams by name and discipline, never an e-mail address.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from civicbridge.collaborations import permissions as collaboration_permissions
from civicbridge.collaborations.choices import Model
from civicbridge.collaborations.models import Collaboration
from civicbridge.core.permissions import Decision, require
from civicbridge.partners.choices import Access, OrganisationKind
from civicbridge.partners.models import Organisation
from civicbridge.partners.permissions import acting_organisation_ids, is_platform_admin

from .choices import ChallengeStatus
from .models import Challenge, Event, Participant, Team


def can_organise(user, collaboration: Collaboration) -> Decision:
    """Members of the civic organisation organise the event."""
    if collaboration.civic_organisation_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of %(civic)s, who organise this event, can do this.") % {
        "civic": collaboration.civic_organisation.name
    }


def can_create_event(user, civic_organisation: Organisation) -> Decision:
    """A civic organisation's members organise its events."""
    if civic_organisation.pk in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _(
        "Events are organised by a civic organisation: only members of %(civic)s can create "
        "one for it."
    ) % {"civic": civic_organisation.name}


def organising_organisations(user) -> QuerySet[Organisation]:
    """The civic organisations for which the user creates events."""
    return Organisation.objects.filter(pk__in=acting_organisation_ids(user, Access.MEMBER)).exclude(
        kind=OrganisationKind.GOVERNMENT
    )


def can_organise_events(user) -> Decision:
    """Members of a civic organisation create its events."""
    if organising_organisations(user).exists():
        return True, ""
    return False, _("Events are organised by a civic organisation: you act for none.")


def can_see_participants(user, collaboration: Collaboration) -> Decision:
    """Names and e-mail addresses stay with the organisers' own side."""
    if is_platform_admin(user) or collaboration.civic_organisation_id in acting_organisation_ids(
        user
    ):
        return True, ""
    return False, _(
        "Participants' names and e-mail addresses are personal data: only %(civic)s, who "
        "organises the event, sees them."
    ) % {"civic": collaboration.civic_organisation.name}


def get_event_collaboration_for(user, pk: int, *, edit: bool = False) -> Collaboration:
    """An event collaboration the user may see (and `edit`), else 404 as for any other."""
    collaboration = collaboration_permissions.get_collaboration_for(user, pk, edit=edit)
    if collaboration.model != Model.EVENT:
        raise Http404
    return collaboration


def event_of(collaboration: Collaboration) -> Event | None:
    """The event's own facts, if they are recorded, with their collaboration attached."""
    event = Event.objects.filter(collaboration=collaboration).first()
    if event is not None:
        event.collaboration = collaboration
    return event


def get_event_for(user, pk: int, *, organise: bool = False) -> Event:
    """The event of collaboration `pk` if the user sees it (404), organising it with
    `organise` (403)."""
    collaboration = get_event_collaboration_for(user, pk)
    event = event_of(collaboration)
    if event is None:
        raise Http404
    if organise:
        require(can_organise(user, collaboration))
    return event


def institution_ids(event: Event) -> set[int]:
    """The institutions that pose the event's challenges: its own and the partners."""
    partners = {organisation.pk for organisation in event.partner_institutions.all()}
    return {event.collaboration.institution_id, *partners}


def challenge_institutions(user, event: Event) -> QuerySet[Organisation]:
    """The event's institutions for which the user submits challenges."""
    mine = acting_organisation_ids(user, Access.MEMBER) & institution_ids(event)
    return Organisation.objects.filter(pk__in=mine).order_by("name")


def can_submit_challenge(user, event: Event, institution: Organisation | None = None) -> Decision:
    """An official submits a challenge for an institution of the event they act for."""
    mine = acting_organisation_ids(user, Access.MEMBER) & institution_ids(event)
    if mine and (institution is None or institution.pk in mine):
        return True, ""
    if institution is not None and mine:
        return False, _(
            "You act for %(institutions)s: you cannot submit a challenge for %(other)s."
        ) % {
            "institutions": ", ".join(o.name for o in Organisation.objects.filter(pk__in=mine)),
            "other": institution.name,
        }
    return False, _(
        "Challenges come from the event's institutions: only their officials submit them."
    )


def can_change_challenge(user, challenge: Challenge) -> Decision:
    """The institution that posed a challenge keeps it."""
    if challenge.institution_id in acting_organisation_ids(user, Access.MEMBER):
        return True, ""
    return False, _("Only members of %(institution)s can change this challenge.") % {
        "institution": challenge.institution.name
    }


def partnered_collaborations(organisation_ids: set[int]):
    """The event collaborations whose partner institutions include one of `organisation_ids`:
    registered with `collaborations.viewers`, so their officials see the event's pages."""
    return Event.objects.filter(partner_institutions__in=organisation_ids).values(
        "collaboration_id"
    )


def visible_challenges(user, event: Event) -> QuerySet[Challenge]:
    """An institution sees all its own challenges; the organisers every one submitted;
    everybody else who sees the event, the published ones."""
    challenges = Challenge.objects.filter(event=event)
    own = Q(institution_id__in=acting_organisation_ids(user))
    if is_platform_admin(user) or event.collaboration.civic_organisation_id in (
        acting_organisation_ids(user)
    ):
        return challenges.filter(own | ~Q(status=ChallengeStatus.DRAFT))
    return challenges.filter(own | Q(status=ChallengeStatus.PUBLISHED))


def get_challenge_for(user, pk: int, challenge_pk: int, *, edit: bool = False):
    """The event and one of its challenges the user may read (and `edit`)."""
    event = get_event_for(user, pk)
    challenge = get_object_or_404(
        visible_challenges(user, event).select_related(
            "institution", "owner", "submitted_by__person", "reviewed_by__person"
        ),
        pk=challenge_pk,
    )
    challenge.event = event
    if edit:
        require(can_change_challenge(user, challenge))
    return event, challenge


def get_team_for(user, event: Event, team_pk: int) -> Team:
    """One team of the event, for its organisers."""
    require(can_organise(user, event.collaboration))
    team = get_object_or_404(Team.objects.filter(event=event), pk=team_pk)
    team.event = event
    return team


def participants_of(event: Event) -> QuerySet[Participant]:
    return Participant.objects.filter(event=event).select_related("team")


# Projects, judging and the engagement plan (E3, E1). Judges are people with an account
# whom the organisers ask to judge: they may be party to neither side, so they see the
# event's projects and its judging, and nothing else of the collaboration.


def judge_of(user, event: Event):
    """The user's place on the event's jury, if they have one."""
    from .models import Judge

    if not user.is_authenticated:
        return None
    judge = Judge.objects.filter(event=event, user=user).prefetch_related("recused_from").first()
    if judge is not None:
        judge.event = event
    return judge


def get_event_for_projects(user, pk: int, *, organise: bool = False) -> tuple[Event, bool]:
    """The event if the user sees its collaboration or judges it (404), organising it with
    `organise` (403); and whether the user sees the collaboration's other pages."""
    try:
        return get_event_for(user, pk, organise=organise), True
    except Http404:
        if not user.is_authenticated:
            raise
        event = get_object_or_404(
            Event.objects.select_related(
                "collaboration__civic_organisation", "collaboration__institution"
            ),
            collaboration_id=pk,
            collaboration__model=Model.EVENT,
            judges__user=user,
        )
        if organise:
            require(can_organise(user, event.collaboration))
        return event, False


def projects_shown(event: Event):
    """The event's projects with what the pages show of each, in one query."""
    from .models import Project

    return Project.objects.filter(event=event).select_related(
        "team", "challenge__institution", "engagement_plan__owner"
    )


def project_of(event: Event, project_pk: int):
    """One project of `event`, which the caller fetched with a permission check: a project
    of another event is not found here."""
    project = get_object_or_404(projects_shown(event), pk=project_pk)
    project.event = event
    return project


def get_project_for(user, pk: int, project_pk: int, *, organise: bool = False):
    """One project of event `pk`, if the user sees the event or judges it."""
    event, _sees = get_event_for_projects(user, pk, organise=organise)
    return project_of(event, project_pk)


def get_artefact_for(user, pk: int, project_pk: int, artefact_pk: int, *, organise=False):
    """A design artefact of project `project_pk` of event `pk`."""
    from .models import Artefact

    project = get_project_for(user, pk, project_pk, organise=organise)
    artefact = get_object_or_404(Artefact.objects.filter(project=project), pk=artefact_pk)
    artefact.project = project
    return artefact


def can_see_results(user, event: Event) -> Decision:
    """The organisers and the judges see the results as they come in; everybody else who
    sees the event, once the organisers publish them."""
    if event.results_published_at is not None or is_platform_admin(user):
        return True, ""
    if can_organise(user, event.collaboration)[0] or judge_of(user, event) is not None:
        return True, ""
    return False, _("The organisers have not published the results yet.")


def project_institution_ids(project) -> set[int]:
    """The institutions that would take the project on: the event's own, and the one whose
    challenge it answers."""
    ids = {project.event.collaboration.institution_id}
    if project.challenge_id is not None:
        ids.add(project.challenge.institution_id)
    return ids


def can_decide_plan(user, collaboration: Collaboration) -> Decision:
    """The organisers and the institution decide together what is worth continuing."""
    if collaboration_permissions.side_of(user, collaboration) is not None:
        return True, ""
    return False, _(
        "Only members of %(civic)s or %(institution)s decide what happens to a project after "
        "the event."
    ) % {
        "civic": collaboration.civic_organisation.name,
        "institution": collaboration.institution.name,
    }


def can_add_commitment(user, project, official) -> Decision:
    """Either side records an official's commitment; an official of the project's
    institution records their own."""
    if collaboration_permissions.side_of(user, project.event.collaboration) is not None:
        return True, ""
    if official is not None and user.is_authenticated and user.person_id == official.pk:
        return True, ""
    return False, _(
        "Only either side of the event, or the official themself, records a commitment."
    )


def get_criterion_for(user, pk: int, criterion_pk: int):
    """A line of the event's rubric, for its organisers."""
    from .models import Criterion

    event = get_event_for(user, pk, organise=True)
    criterion = get_object_or_404(Criterion.objects.filter(event=event), pk=criterion_pk)
    criterion.event = event
    return criterion


def get_judge_for(user, pk: int, judge_pk: int):
    """A judge of the event, for those who see the event or judge it."""
    from .models import Judge

    event, _sees = get_event_for_projects(user, pk)
    judge = get_object_or_404(
        Judge.objects.filter(event=event).select_related("user__person"), pk=judge_pk
    )
    judge.event = event
    return judge


def get_published_results(pk: int) -> Event:
    """A public event whose organisers published the results, for anyone."""
    collaboration = collaboration_permissions.get_public_collaboration(pk)
    event = event_of(collaboration) if collaboration.model == Model.EVENT else None
    if event is None or event.results_published_at is None:
        raise Http404
    return event


def get_commitment_for(user, pk: int, commitment_pk: int):
    """An official's commitment on one of the event's projects."""
    from .models import Commitment

    event = get_event_for(user, pk)
    commitment = get_object_or_404(
        Commitment.objects.filter(plan__project__event=event).select_related(
            "official", "plan__project__challenge"
        ),
        pk=commitment_pk,
    )
    commitment.plan.project.event = event
    return commitment
