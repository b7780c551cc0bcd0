"""Every write of the fellowship room."""

from civicbridge.collaborations.services import parameter, playbook_model

BRIEF_DAYS_DEFAULT = 30


def brief_days_before_start(collaboration) -> int:
    """How many days before the start the fellow must have the brief (from the playbook)."""
    return parameter(playbook_model(collaboration), "brief_days_before_start", BRIEF_DAYS_DEFAULT)
