"""Certificates (T1): a PDF for each participant who attended sessions covering every
required module, made by the task worker; the page shows the batch's progress."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import audit, documents

from ..choices import RunStatus
from ..models import Certificate, CertificateRun, Participant
from ..queries import curriculum, eligible
from . import require_runner


@transaction.atomic
def request_certificates(actor, collaboration: Collaboration) -> CertificateRun:
    """Ask the task worker for the certificates of everyone who earned one and has none."""
    side = require_runner(actor, collaboration)
    waiting = eligible(collaboration).filter(certificate__isnull=True).count()
    if not waiting:
        raise ValidationError(
            _(
                "Nobody is waiting for a certificate: a participant earns one by attending "
                "sessions that cover every required module."
            )
        )
    if CertificateRun.objects.filter(
        collaboration=collaboration, status__in=[RunStatus.PENDING, RunStatus.RUNNING]
    ).exists():
        raise ValidationError(_("Certificates are being made already: wait for them to finish."))
    run = CertificateRun.objects.create(
        collaboration=collaboration, created_by=actor, total=waiting
    )
    audit.log_created(actor, run)
    record_activity(
        actor,
        collaboration,
        _("%(name)s asked for %(count)d certificates.")
        % {"name": actor_name(actor), "count": waiting},
        side=side,
        url=tab_url(collaboration, "participants"),
    )
    transaction.on_commit(lambda: make_certificates.enqueue(run.pk))
    return run


def certificate_pdf(participant: Participant, modules, issued_on) -> bytes:
    """Draw one participant's certificate."""
    html = render_to_string(
        "training/certificate.html",
        {
            "participant": participant,
            "collaboration": participant.collaboration,
            "modules": modules,
            "issued_on": issued_on,
        },
    )
    return documents.draw(html, settings.SITE_URL.rstrip("/") + "/")


@task()
def make_certificates(run_id: int) -> None:
    """Make the certificates of a batch, recording progress on its run."""
    claimed = CertificateRun.objects.filter(pk=run_id, status=RunStatus.PENDING).update(
        status=RunStatus.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return
    run = CertificateRun.objects.select_related(
        "collaboration__civic_organisation", "collaboration__institution"
    ).get(pk=run_id)
    collaboration = run.collaboration
    waiting = list(eligible(collaboration).filter(certificate__isnull=True))
    modules = list(curriculum(collaboration))
    today = timezone.localdate()
    run.total = len(waiting)
    try:
        for done, participant in enumerate(waiting, start=1):
            participant.collaboration = collaboration
            content = certificate_pdf(participant, modules, today)
            certificate = Certificate(participant=participant, issued_on=today)
            certificate.file.save(f"certificate-{participant.pk}.pdf", ContentFile(content))
            audit.log_created(run.created_by, certificate)
            run.processed = done
            run.save(update_fields=["processed", "total", "updated_at"])
    except Exception:
        run.status = RunStatus.FAILED
        run.errors = [_("Making the certificates stopped on an unexpected error.")]
        run.save(update_fields=["status", "errors", "updated_at"])
        raise
    run.status = RunStatus.DONE
    run.save(update_fields=["status", "processed", "total", "updated_at"])
