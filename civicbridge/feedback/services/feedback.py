"""Beneficiaries' feedback (T3): given without an account, moderated by the civic side
before anything is published, answered by the institution (by e-mail too, when the
person left an address)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.core import audit
from civicbridge.core.choices import Visibility
from civicbridge.core.permissions import require
from civicbridge.core.states import lock_in_state

from ..choices import FeedbackStatus
from ..models import Feedback, Service
from ..permissions import can_answer, can_moderate


def _status(feedback: Feedback) -> tuple[str, str]:
    return feedback.status, str(feedback.get_status_display())


@transaction.atomic
def add_service(actor, collaboration: Collaboration, *, name: str) -> Service:
    """Name a service beneficiaries may choose when they give feedback (the civic side)."""
    require(can_moderate(actor, collaboration))
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the service.")})
    service = Service(collaboration=collaboration, name=name)
    service.full_clean(exclude=["collaboration"], validate_unique=False)
    try:
        with transaction.atomic():
            service.save()
    except IntegrityError:
        raise ValidationError(
            {"name": _("This collaboration has a service of this name.")}
        ) from None
    audit.log_created(actor, service)
    return service


@transaction.atomic
def remove_service(actor, service: Service) -> None:
    """Take a service off the form; feedback given on it stays, without the service."""
    require(can_moderate(actor, service.collaboration))
    pk = service.pk
    service.delete()
    audit.log_deleted(actor, service, pk)


@transaction.atomic
def give_feedback(
    collaboration: Collaboration,
    *,
    worked: str,
    did_not_work: str,
    rating: int,
    service: Service | None = None,
    email: str = "",
) -> Feedback:
    """Take a beneficiary's feedback on a public collaboration; it waits for moderation."""
    if not collaboration.public:
        raise ValidationError(_("This collaboration takes no feedback: it is not public."))
    if service is not None and service.collaboration_id != collaboration.pk:
        raise ValidationError({"service": _("Choose one of the services listed.")})
    errors = {}
    if not worked.strip():
        errors["worked"] = _("Tell us what worked, even if it was little.")
    if not did_not_work.strip():
        errors["did_not_work"] = _("Tell us what did not work, or write “nothing”.")
    if errors:
        raise ValidationError(errors)
    feedback = Feedback(
        collaboration=collaboration,
        service=service,
        worked=worked.strip(),
        did_not_work=did_not_work.strip(),
        rating=rating,
        email=email.strip().lower(),
    )
    feedback.full_clean(exclude=["collaboration", "service"])
    feedback.save()
    audit.log_created(None, feedback)
    return feedback


@transaction.atomic
def moderate_feedback(actor, feedback: Feedback, *, publish: bool) -> Feedback:
    """Publish feedback, or reject it (the civic side); only new feedback moves, once."""
    collaboration = feedback.collaboration
    require(can_moderate(actor, collaboration))
    locked = lock_in_state(
        feedback,
        FeedbackStatus.NEW,
        _status,
        _("This feedback was moderated a moment ago: it is “%(state)s”. Nothing was changed."),
    )
    before = audit.snapshot(locked)
    locked.status = FeedbackStatus.PUBLISHED if publish else FeedbackStatus.REJECTED
    locked.moderated_at = timezone.now()
    locked.moderated_by = actor
    locked.save(update_fields=["status", "moderated_at", "moderated_by", "updated_at"])
    locked.collaboration = collaboration
    audit.log_updated(actor, locked, before)
    record_activity(
        actor,
        collaboration,
        (
            _("%(name)s published feedback from a beneficiary.")
            if publish
            else _("%(name)s rejected feedback from a beneficiary.")
        )
        % {"name": actor_name(actor)},
        side=collaboration.civic_organisation_id,
        visibility=Visibility.BOTH_SIDES if publish else Visibility.OWN_SIDE,
    )
    return locked


def _send_answer(feedback: Feedback) -> None:
    collaboration = feedback.collaboration
    body = render_to_string(
        "feedback/answer_email.txt",
        {
            "feedback": feedback,
            "collaboration": collaboration,
            "page_url": settings.SITE_URL.rstrip("/")
            + reverse("feedback:public", args=[collaboration.pk]),
        },
    )
    subject = _("%(institution)s answered your feedback on %(title)s") % {
        "institution": collaboration.institution.name,
        "title": collaboration.title,
    }
    recipient = feedback.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [recipient]))


@transaction.atomic
def answer_feedback(actor, feedback: Feedback, *, answer: str) -> Feedback:
    """Answer published feedback (the institution), once; the answer is shown with it and
    sent to the person who gave it, if they left an address."""
    collaboration = feedback.collaboration
    require(can_answer(actor, feedback))
    answer = answer.strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    locked = lock_in_state(
        feedback,
        FeedbackStatus.PUBLISHED,
        _status,
        _("This feedback is “%(state)s” now: it cannot be answered. Nothing was changed."),
    )
    if locked.answered_at is not None:
        raise ValidationError(_("This feedback was answered already. Nothing was changed."))
    before = audit.snapshot(locked)
    locked.answer = answer
    locked.answered_at = timezone.now()
    locked.answered_by = actor
    locked.full_clean(exclude=["collaboration", "service"])
    locked.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
    locked.collaboration = collaboration
    audit.log_updated(actor, locked, before)
    if locked.email:
        _send_answer(locked)
    record_activity(
        actor,
        collaboration,
        _("%(name)s answered feedback from a beneficiary.") % {"name": actor_name(actor)},
        side=collaboration.institution_id,
    )
    return locked
