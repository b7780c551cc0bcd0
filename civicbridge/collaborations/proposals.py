"""What the collaborations offer on an assessment's result: to propose one of a model."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from civicbridge.readiness.actions import Action
from civicbridge.readiness.models import Assessment

from . import permissions


def propose_from_assessment(user, assessment: Assessment, model_id: str) -> Action | None:
    """The link "Propose a collaboration with this model", for those who may propose one: the
    propose form, filled in with the model, the institution and the assessment."""
    if not permissions.can_create_collaboration(user)[0]:
        return None
    query = urlencode({"assessment": assessment.pk, "model": model_id})
    return Action(
        label=_("Propose a collaboration with this model"),
        url=f"{reverse('collaborations:create')}?{query}",
    )
