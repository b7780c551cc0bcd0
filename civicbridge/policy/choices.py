from django.db import models
from django.utils.translation import gettext_lazy as _


class Instrument(models.TextChoices):
    """The kind of rule a policy change is about."""

    LAW = "law", _("Law")
    REGULATION = "regulation", _("Regulation")
    PROCUREMENT_RULE = "procurement_rule", _("Procurement rule")
    GUIDANCE = "guidance", _("Guidance")
    STANDARD = "standard", _("Standard")


class PolicyStage(models.TextChoices):
    """Where a policy change stands on its way to becoming a rule people follow."""

    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Consultation")
    ADOPTED = "adopted", _("Adopted")
    IN_FORCE = "in_force", _("In force")
    REJECTED = "rejected", _("Rejected")


# The order a change goes through; rejection may end any stage before it is in force.
STAGE_ORDER = [
    PolicyStage.DRAFT,
    PolicyStage.CONSULTATION,
    PolicyStage.ADOPTED,
    PolicyStage.IN_FORCE,
]
FINAL_STAGES = {PolicyStage.IN_FORCE, PolicyStage.REJECTED}


def next_stages(stage: str) -> list[str]:
    """The stages a change in `stage` may move to: any later one, or rejected."""
    if stage in FINAL_STAGES:
        return []
    later = STAGE_ORDER[STAGE_ORDER.index(PolicyStage(stage)) + 1 :]
    return [*later, PolicyStage.REJECTED]


class InstitutionRole(models.TextChoices):
    """What an institution does for a commitment, as an action plan names it."""

    LEAD = "lead", _("Lead")
    SUPPORTING = "supporting", _("Supporting")
