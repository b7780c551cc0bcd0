"""What the layers above offer to do with a model an assessment leaves open: a registry.

Readiness sits below collaborations and may not import it; the collaborations app adds
"Propose a collaboration with this model" here in `AppConfig.ready()`, and the result page
asks for the actions of each model the assessment does not exclude.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Assessment
from .observations import eligible_models


@dataclass(frozen=True)
class Action:
    """A link the result page shows under a model: `label` names it, `url` leads to it."""

    label: str
    url: str


# (user, assessment, model id) -> the action, or None where the user may not take it.
Source = Callable[[object, Assessment, str], Action | None]
_sources: list[Source] = []


def add_model_action(source: Source) -> None:
    """Offer `source`'s action under every model an assessment does not exclude."""
    if source not in _sources:
        _sources.append(source)


def model_actions(user, assessment: Assessment) -> list[tuple[str, list[Action]]]:
    """(model id, actions) for each model the assessment leaves open and `user` may act on,
    best ranked first."""
    found = []
    for model_id in eligible_models(assessment):
        actions = [a for source in _sources if (a := source(user, assessment, model_id))]
        if actions:
            found.append((model_id, actions))
    return found
