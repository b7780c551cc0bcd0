from django.db import models
from django.utils.translation import gettext_lazy as _


class Model(models.TextChoices):
    """The six collaboration models; the values are the playbook's model ids."""

    FELLOWSHIP = "fellowship", _("Fellowship")
    TRAINING = "training", _("Training programme")
    SERVICE_DELIVERY = "service_delivery", _("Service delivery")
    EVENT = "event", _("Event or hackathon")
    CONSULTING = "consulting", _("Consulting")
    POLICY = "policy", _("Policy development")


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PREPARING = "preparing", _("Preparing")
    AGREED = "agreed", _("Agreed")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


class GoalKind(models.TextChoices):
    """The goals the source names for fellowships (F1), or the collaboration's own."""

    CITIZEN_SERVICES = "citizen_services", _("Improve services for citizens")
    EFFICIENCY = "efficiency", _("Make government more efficient")
    INTERNAL_CULTURE = "internal_culture", _("Change the internal culture of government")
    FELLOWS_CAPACITY = "fellows_capacity", _("Build fellows' capacity")
    OWN = "own", _("The collaboration's own goal")


class StakeholderRole(models.TextChoices):
    SUPERVISOR = "supervisor", _("Supervisor")
    CHAMPION = "champion", _("Champion")
    DECISION_MAKER = "decision_maker", _("Decision-maker")
    SUCCESSOR = "successor", _("Successor")
    TECHNICAL_CONTACT = "technical", _("Technical contact")
    PROGRAMME_LEAD = "programme_lead", _("Programme lead")
    FELLOW = "fellow", _("Fellow")
    OTHER = "other", _("Other")


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")


class TrainingStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_TRAINING = "in_training", _("In training")
    TRAINED = "trained", _("Trained")


class ReformStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    AGREED = "agreed", _("Agreed")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class StillRunning(models.TextChoices):
    """A sustainability follow-up's answer: does the institution still run the work?"""

    YES = "yes", _("Yes, we still run it")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No, it has stopped")


class PartySide(models.TextChoices):
    """Which party of a collaboration a change of party replaces."""

    CIVIC_ORGANISATION = "civic_organisation", _("Civic organisation")
    INSTITUTION = "institution", _("Institution")


class PartyChangeStatus(models.TextChoices):
    OPEN = "open", _("Waiting for approval")
    APPROVED = "approved", _("Approved: the party was replaced")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class StartingSource(models.TextChoices):
    """Where a collaboration's starting condition was read from, and so when."""

    ASSESSMENT = "assessment", _("The assessment it was proposed from")
    GATE = "gate", _("The checks on the move to “agreed”")


class RiskReason(models.TextChoices):
    """Why the portfolio counts a collaboration at risk (see models/health.py)."""

    CONDITIONS = "conditions", _("A condition of the playbook fails")
    CHECKINS = "checkins", _("Check-ins overdue or diverging")
    ONE_PERSON = "one_person", _("A side rests on one person")


class Completion(models.TextChoices):
    """How far a recommendation or a commitment got, on the Open Government Partnership's
    Independent Reporting Mechanism scale (consulting and policy development)."""

    NOT_STARTED = "not_started", _("Not started")
    LIMITED = "limited", _("Limited")
    SUBSTANTIAL = "substantial", _("Substantial")
    COMPLETE = "complete", _("Complete")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PracticeChange(models.TextChoices):
    """Whether it changed government practice (“did it open government?” on the same
    Independent Reporting Mechanism's scale)."""

    DID_NOT_CHANGE = "did_not_change", _("Did not change")
    MARGINAL = "marginal", _("Marginal")
    MAJOR = "major", _("Major")
    OUTSTANDING = "outstanding", _("Outstanding")
