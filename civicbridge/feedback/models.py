"""What beneficiaries say about a collaboration (T3), and the register of shortcomings
and their solutions (T2): records every model keeps."""

from django.conf import settings
from django.db import models
from django.db.models import Avg, Count, Q
from django.utils.translation import gettext_lazy as _

from civicbridge.core.models import TimeStamped

from .choices import FeedbackStatus, Rating, ShortcomingStatus


class Service(TimeStamped):
    """A service the collaboration delivers that beneficiaries may give feedback on; the
    civic side names them."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="feedback_services"
    )
    name = models.CharField(_("service"), max_length=200)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collaboration", "name"],
                name="feedback_service_named_once",
                violation_error_message=_("This collaboration has a service of this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class FeedbackQuerySet(models.QuerySet["Feedback"]):
    def published(self):
        return self.filter(status=FeedbackStatus.PUBLISHED)

    def health(self) -> dict:
        """How many published, and their average rating, in one query."""
        return self.published().aggregate(count=Count("pk"), average=Avg("rating"))


class Feedback(TimeStamped):
    """What a citizen or a business said about a collaboration, sent without an account.

    The e-mail address is private: only the civic side's members read it, to send the
    institution's answer; it is never published nor exported.
    """

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="feedback"
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback",
        verbose_name=_("service"),
    )
    worked = models.TextField(_("what worked"), max_length=3000)
    did_not_work = models.TextField(_("what did not work"), max_length=3000)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    email = models.EmailField(_("e-mail address"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("the institution's answer"), max_length=5000, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = FeedbackQuerySet.as_manager()
    # The address stays out of the audit log, which the civic side's admins read.
    audit_exclude = ("email",)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("feedback")
        indexes = [models.Index(fields=["collaboration", "status"], name="feedback_by_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1) & Q(rating__lte=5),
                name="feedback_rating_one_to_five",
                violation_error_message=_("The rating is a number from 1 to 5."),
            )
        ]

    def __str__(self) -> str:
        return _("Feedback %(number)s on %(title)s") % {
            "number": self.pk,
            "title": self.collaboration_id,
        }

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class ShortcomingRegister(TimeStamped):
    """Whether a collaboration's register of shortcomings is published; without a row it
    is shared by the two sides only."""

    collaboration = models.OneToOneField(
        "collaborations.Collaboration",
        on_delete=models.CASCADE,
        related_name="shortcoming_register",
    )
    published = models.BooleanField(_("published"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return _("Register of shortcomings of %(title)s") % {"title": self.collaboration_id}

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id


class Shortcoming(TimeStamped):
    """A shortcoming the civic side found, its evidence, the solution it proposes, who in
    the institution owns it, and what the institution decided and did (T2)."""

    collaboration = models.ForeignKey(
        "collaborations.Collaboration", on_delete=models.CASCADE, related_name="shortcomings"
    )
    title = models.CharField(_("shortcoming"), max_length=200)
    evidence = models.TextField(_("evidence"), max_length=5000)
    solution = models.TextField(_("proposed solution"), max_length=5000)
    owner = models.ForeignKey(
        "partners.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner in the institution"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ShortcomingStatus.choices,
        default=ShortcomingStatus.PROPOSED,
    )
    decline_reason = models.TextField(_("why it was declined"), max_length=3000, blank=True)
    raised_on = models.DateField(_("raised"))
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(solution=""),
                name="shortcoming_has_a_solution",
                violation_error_message=_("Propose a solution to the shortcoming."),
            ),
            models.CheckConstraint(
                condition=~Q(status=ShortcomingStatus.DECLINED) | ~Q(decline_reason=""),
                name="shortcoming_declined_with_a_reason",
                violation_error_message=_("Say why the shortcoming was declined."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_organisation_id(self) -> int:
        return self.collaboration.civic_organisation_id
