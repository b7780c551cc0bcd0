from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import AuditAction, Visibility


class TimeStamped(models.Model):
    """Abstract base that records when a row was created and last changed."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class VisibleQuerySet(models.QuerySet["VisibleRecord"]):
    """Rows filtered by the visibility each row declares."""

    def visible_to(self, organisation_ids: set[int], *, everything: bool = False):
        """Return rows that members of `organisation_ids` may see."""
        if everything:
            return self
        own = Q(owner_organisation_id__in=organisation_ids)
        both = Q(visibility=Visibility.BOTH_SIDES) & self.model.other_side_q(organisation_ids)
        return self.filter(Q(visibility=Visibility.PUBLIC) | own | both)


class VisibleRecord(TimeStamped):
    """Abstract base for a record that one side owns and that says who else may see it.

    A concrete model names its other side by overriding `other_side_q`.
    """

    owner_organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner side"),
    )
    visibility = models.CharField(
        _("who can see this"),
        max_length=8,
        choices=Visibility.choices,
        default=Visibility.OWN_SIDE,
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def other_side_q(cls, organisation_ids: set[int]) -> Q:
        raise NotImplementedError


class AuditEntry(models.Model):
    """One create, update or delete: who, when, which fields, old and new values."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=8, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=300)
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"
