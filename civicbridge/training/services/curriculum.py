"""The curriculum (T1): modules, in order, each required or not, with learning objectives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from civicbridge.collaborations.models import Collaboration
from civicbridge.collaborations.services import actor_name, record_activity
from civicbridge.collaborations.tabs import tab_url
from civicbridge.core import audit

from ..models import Module, Objective, Rating
from . import require_runner


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def add_module(
    actor,
    collaboration: Collaboration,
    *,
    title: str,
    summary: str = "",
    required: bool = True,
    position: int | None = None,
) -> Module:
    """Add a module to the curriculum, last unless a position is given."""
    side = require_runner(actor, collaboration)
    module = Module(
        collaboration=collaboration,
        title=title.strip(),
        summary=summary.strip(),
        required=required,
        position=position or _next_position(collaboration.training_modules.all()),
    )
    module.full_clean()
    module.save()
    audit.log_created(actor, module)
    record_activity(
        actor,
        collaboration,
        _("%(name)s added the module “%(title)s” to the curriculum.")
        % {"name": actor_name(actor), "title": module.title},
        side=side,
        url=tab_url(collaboration, "curriculum"),
    )
    return module


@transaction.atomic
def update_module(actor, module: Module, **fields) -> Module:
    """Change a module's title, summary, whether it is required, or its position."""
    require_runner(actor, module.collaboration)
    before = audit.snapshot(module)
    for name, value in fields.items():
        setattr(module, name, value.strip() if isinstance(value, str) else value)
    module.full_clean()
    module.save()
    audit.log_updated(actor, module, before)
    return module


@transaction.atomic
def remove_module(actor, module: Module) -> None:
    """Remove a module nobody has rated yet; its objectives go with it."""
    require_runner(actor, module.collaboration)
    if Rating.objects.filter(objective__module=module).exists():
        raise ValidationError(
            _(
                "Participants have rated this module's objectives: it stays, so their "
                "before and after can still be compared. Mark it not required instead."
            )
        )
    pk = module.pk
    module.delete()
    audit.log_deleted(actor, module, pk)


@transaction.atomic
def add_objective(actor, module: Module, *, text: str, position: int | None = None) -> Objective:
    """Add a learning objective to a module, last unless a position is given."""
    require_runner(actor, module.collaboration)
    objective = Objective(
        module=module,
        text=text.strip(),
        position=position or _next_position(module.objectives.all()),
    )
    objective.full_clean()
    objective.save()
    audit.log_created(actor, objective)
    return objective


@transaction.atomic
def remove_objective(actor, objective: Objective) -> None:
    """Remove an objective nobody has rated yet."""
    require_runner(actor, objective.module.collaboration)
    if objective.ratings.exists():
        raise ValidationError(
            _("Participants have rated this objective: it stays, so the change can be measured.")
        )
    pk = objective.pk
    objective.delete()
    audit.log_deleted(actor, objective, pk)
