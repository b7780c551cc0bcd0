"""How the playbook's conditions stood as a collaboration started, kept to relate to outcomes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import StartingSource
from .core import Collaboration


class StartingConditionQuerySet(models.QuerySet["StartingCondition"]):
    def met(self):
        return self.filter(met=True)

    def unmet(self):
        return self.filter(met=False)

    def unknown(self):
        return self.filter(met__isnull=True)


class StartingCondition(models.Model):
    """Whether one condition of the playbook held as the collaboration started.

    Taken twice, one row per condition and source, written once and never changed:

    - source `assessment`, when the collaboration is proposed from an assessment: each
      condition of its model that the assessment's questions observe. `met` is True when
      the answer (`question`, `answer`) reaches the condition's threshold, False when it
      falls short, None (unknown) when the question was left unanswered.
    - source `gate`, when the collaboration reaches *agreed*, for every collaboration: each
      condition the playbook checks on that move. `met` is whether its check passed (its
      `reason` says why), None (unknown) when the playbook names no check for it.

    `playbook_version` is the number of the playbook the condition was read from: the
    assessment's for the first, the current one at the move for the second. Insights
    relate these rows to how the collaboration turned out (e.g. `condition`, `met` against
    its follow-ups), so they are rows to query, not a document.
    """

    collaboration = models.ForeignKey(
        Collaboration, on_delete=models.CASCADE, related_name="starting_conditions"
    )
    condition = models.CharField(_("condition id"), max_length=100)
    source = models.CharField(_("read from"), max_length=20, choices=StartingSource.choices)
    met = models.BooleanField(_("met"), null=True)
    statement = models.TextField(_("what the condition says"))
    question = models.CharField(_("question id"), max_length=100, blank=True)
    answer = models.SmallIntegerField(_("answer"), null=True, blank=True)
    reason = models.TextField(_("why"), blank=True)
    playbook_version = models.PositiveIntegerField(_("playbook version"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = StartingConditionQuerySet.as_manager()

    class Meta:
        ordering = ["source", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "condition", "source"],
                name="starting_condition_once_per_source",
            )
        ]
        indexes = [models.Index(fields=["condition", "met"], name="starting_condition_met")]

    def __str__(self) -> str:
        return self.statement

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id

    @property
    def state(self) -> str:
        """The state in one word: "met", "unmet" or "unknown"."""
        return {True: "met", False: "unmet", None: "unknown"}[self.met]
