"""The event's checks, named by the playbook's event conditions (E1, E2, E4)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civicbridge.playbook.checks import register

from .choices import ChallengeStatus
from .models import Challenge, Event


def _event(collaboration) -> Event | None:
    """The event as stored now: a caller may hold the collaboration from before a change."""
    event = Event.objects.filter(collaboration=collaboration).first()
    if event is not None:
        event.collaboration = collaboration
    return event


@register("events.challenge_published")
def challenge_published(collaboration) -> tuple[bool, str]:
    """At least one institution's challenge is published with the official who owns it (E2)."""
    challenges = Challenge.objects.filter(event__collaboration=collaboration)
    published = challenges.filter(status=ChallengeStatus.PUBLISHED, owner__isnull=False).count()
    if published:
        return True, ngettext(
            "%(count)d challenge posed by an institution is published, with its owner.",
            "%(count)d challenges posed by institutions are published, with their owners.",
            published,
        ) % {"count": published}
    waiting = challenges.filter(status=ChallengeStatus.SUBMITTED).count()
    if waiting:
        return False, ngettext(
            "No challenge is published yet: %(count)d waits for the organisers' review.",
            "No challenge is published yet: %(count)d wait for the organisers' review.",
            waiting,
        ) % {"count": waiting}
    return False, _(
        "No institution has a published challenge yet: an official of the institution "
        "submits one with the official who owns it, and the organisers publish it."
    )


@register("events.receivers_committed")
def receivers_committed(collaboration) -> tuple[bool, str]:
    """From the offset: every published challenge names the official who owns it and says
    who takes the results forward, with what capacity, before registration opens (E1)."""
    published = Challenge.objects.filter(
        event__collaboration=collaboration, status=ChallengeStatus.PUBLISHED
    )
    missing = list(
        published.filter(Q(owner__isnull=True) | Q(receiving_capacity__regex=r"^\s*$"))
        .order_by("title", "id")
        .values_list("title", flat=True)
    )
    if missing:
        return False, _(
            "The institution has not said who takes the results forward, and with what "
            "capacity, for %(challenges)s."
        ) % {"challenges": ", ".join(f"“{title}”" for title in missing)}
    count = published.count()
    if not count:
        return False, _(
            "No challenge is published yet, so no official is named to take the results forward."
        )
    return True, ngettext(
        "The published challenge names who takes its results forward, and with what capacity.",
        "All %(count)d published challenges name who takes their results forward, and with "
        "what capacity.",
        count,
    ) % {"count": count}


def _mix(collaboration):
    from .services.teams import team_mix

    event = _event(collaboration)
    return team_mix(event) if event is not None else None


@register("events.multidisciplinary")
def multidisciplinary(collaboration) -> tuple[bool, str]:
    """No team is made only of developers, and officials take part (E4)."""
    mix = _mix(collaboration)
    if mix is None or not mix.participants:
        return False, _("Nobody has confirmed a place yet: there is no mix to check.")
    problems = []
    if mix.coder_only_teams:
        problems.append(
            ngettext(
                "team %(teams)s is made only of developers",
                "teams %(teams)s are made only of developers",
                len(mix.coder_only_teams),
            )
            % {"teams": ", ".join(mix.coder_only_teams)}
        )
    if not mix.has_officials:
        problems.append(_("no official is among the confirmed participants"))
    if problems:
        return False, _("The teams are not multidisciplinary yet: %(problems)s.") % {
            "problems": _("; ").join(problems)
        }
    return True, ngettext(
        "No team is made only of developers, and %(count)d official takes part.",
        "No team is made only of developers, and %(count)d officials take part.",
        mix.officials,
    ) % {"count": mix.officials}


@register("events.users_present")
def users_present(collaboration) -> tuple[bool, str]:
    """The people who will use the result take part from the start (E4)."""
    mix = _mix(collaboration)
    if mix is None or not mix.participants:
        return False, _("Nobody has confirmed a place yet: no user or citizen takes part.")
    if not mix.has_users:
        return False, _(
            "No user or citizen is among the confirmed participants: nobody who will use "
            "the result is in the room."
        )
    return True, ngettext(
        "%(count)d user or citizen takes part.",
        "%(count)d users or citizens take part.",
        mix.users,
    ) % {"count": mix.users}


@register("events.engagement_plan")
def engagement_plan(collaboration) -> tuple[bool, str]:
    """Every project has a decision; each worth continuing has an official's commitment,
    an owner in the institution and the institution's capacity stated (E1).

    With no project there is nothing to continue, and the gate passes saying so: an
    event may end without results, and a gate that could never pass would push organisers
    to invent projects to close it.
    """
    from .services.engagement import plans_of

    event = _event(collaboration)
    statuses = plans_of(event) if event is not None else []
    if not statuses:
        return True, _(
            "No project is recorded, so there is nothing to continue. If teams made "
            "projects, record them and the plan for each before closing."
        )
    gaps = [status for status in statuses if not status.complete]
    if gaps:
        return False, _("The engagement plan is not complete: %(gaps)s.") % {
            "gaps": _("; ").join(
                f"“{status.project.title}”: {_(', ').join(status.gaps)}" for status in gaps
            )
        }
    continuing = sum(1 for status in statuses if status.plan and status.plan.worth_continuing)
    return True, ngettext(
        "Every project has a decision; %(count)d worth continuing has an owner, the "
        "institution's capacity and an official's commitment.",
        "Every project has a decision; the %(count)d worth continuing have owners, the "
        "institution's capacity and officials' commitments.",
        continuing,
    ) % {"count": continuing}


@register("events.capacity_to_absorb")
def capacity_to_absorb(collaboration) -> tuple[bool, str]:
    """The institution shows it can take the projects on: each worth continuing has an
    owner and a stated capacity, and no official's commitment is overdue (E1)."""
    from .services.engagement import plans_of

    event = _event(collaboration)
    plans = [
        s.plan for s in (plans_of(event) if event else []) if s.plan and s.plan.worth_continuing
    ]
    if not plans:
        return True, _("No project is to be continued: the institution has nothing to absorb.")
    today = timezone.localdate()
    unowned = [p.project.title for p in plans if p.owner_id is None or not p.capacity.strip()]
    overdue = [
        c
        for plan in plans
        for c in plan.commitments.all()
        if c.done_on is None and c.due_on < today
    ]
    problems = []
    if unowned:
        problems.append(
            _("nobody owns %(projects)s, or the capacity is not stated")
            % {"projects": ", ".join(f"“{title}”" for title in unowned)}
        )
    if overdue:
        problems.append(
            ngettext(
                "%(count)d official's commitment is overdue",
                "%(count)d officials' commitments are overdue",
                len(overdue),
            )
            % {"count": len(overdue)}
        )
    if problems:
        return False, _("The institution may not absorb the results: %(problems)s.") % {
            "problems": _("; ").join(problems)
        }
    return True, ngettext(
        "The institution owns the %(count)d project worth continuing, and its officials keep "
        "their commitments.",
        "The institution owns the %(count)d projects worth continuing, and its officials keep "
        "their commitments.",
        len(plans),
    ) % {"count": len(plans)}
