from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    HACKATHON = "hackathon", _("Hackathon")
    DESIGN_SPRINT = "design_sprint", _("Design sprint")
    DATATHON = "datathon", _("Datathon")
    CHALLENGE = "challenge", _("Challenge")
    WORKSHOP = "workshop", _("Civic workshop")


class ChallengeStatus(models.TextChoices):
    """An institution's challenge, from its official's draft to the organisers' decision."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")


class Discipline(models.TextChoices):
    """What a participant brings (E4)."""

    DEVELOPER = "developer", _("Developer")
    DESIGNER = "designer", _("Designer")
    RESEARCHER = "researcher", _("Researcher")
    DOMAIN_EXPERT = "domain_expert", _("Domain expert")
    OFFICIAL = "official", _("Official")
    USER = "user", _("User or citizen")
    OTHER = "other", _("Other")


class ParticipantStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("Waiting for e-mail confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationState(models.TextChoices):
    """What a person who wants to come finds: a form, the waiting list, or nothing."""

    OPEN = "open", _("Registration open")
    FULL = "full", _("Full — waiting list")
    CLOSED = "closed", _("Registration closed")


class ArtefactKind(models.TextChoices):
    """Design artefacts a team submits before any code (E3)."""

    SKETCH = "sketch", _("Sketch or storyboard")
    WIREFRAME = "wireframe", _("Wireframe or mock-up")
    RESEARCH = "research", _("User research")
    SLIDES = "slides", _("Presentation")
    OTHER = "other", _("Other")


class ProjectStatus(models.TextChoices):
    """What a follow-up says of a project (E5); unknown when nobody answered."""

    ACTIVE = "active", _("Still active")
    ADOPTED = "adopted", _("Adopted by the institution")
    HANDED_OVER = "handed_over", _("Handed over")
    PAUSED = "paused", _("Paused")
    ABANDONED = "abandoned", _("Abandoned")
    UNKNOWN = "unknown", _("Unknown: no answer")

    @classmethod
    def alive(cls) -> set[str]:
        """The statuses under which a project still lives."""
        return {cls.ACTIVE, cls.ADOPTED, cls.HANDED_OVER, cls.PAUSED}


class Respondent(models.TextChoices):
    TEAM = "team", _("Team contact")
    OFFICIAL = "official", _("Committed official")
