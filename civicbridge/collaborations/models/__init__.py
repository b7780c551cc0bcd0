"""A collaboration between a civic organisation and an institution, and what both sides keep.

Records that one side writes (check-ins, goals, reforms, notes, activity) are
`CollaborationRecord`s: each says who may see it — its own side, both sides or the public.
The agreement, its obligations and signatures, the stakeholder map and the handover plan
belong to both sides by nature.
"""

from .agreement import Agreement, AgreementVersion, Obligation, Signature
from .checkins import CheckIn, OwedCheckIn
from .core import Activity, Collaboration, CollaborationNote, CollaborationRecord, Risk, Transition
from .credit import CreditStatement, Reform
from .goals import Goal, Indicator, IndicatorValue
from .handover import FollowUp, HandoverTask, Successor, new_token
from .parties import PartyChange
from .people import Stakeholder
from .starting import StartingCondition

__all__ = [
    "Activity",
    "Agreement",
    "AgreementVersion",
    "CheckIn",
    "Collaboration",
    "CollaborationNote",
    "CollaborationRecord",
    "CreditStatement",
    "FollowUp",
    "Goal",
    "HandoverTask",
    "Indicator",
    "IndicatorValue",
    "Obligation",
    "OwedCheckIn",
    "PartyChange",
    "Reform",
    "Risk",
    "Signature",
    "Stakeholder",
    "StartingCondition",
    "Successor",
    "Transition",
    "new_token",
]
