"""The demo workspace's dates are plausible: nothing happened in the future, nothing of a
collaboration's work after it closed, no signature after the stage it let through.

Every room's records are read here by their app label, the one place that sees them all.
"""

from datetime import date, datetime

import pytest
from django.apps import apps
from django.utils import timezone

from civicbridge.collaborations.models import Collaboration

# (model, the lookup from it to its collaboration, the fields that say when something happened)
HAPPENED = [
    ("collaborations.Collaboration", "pk", ["created_at"]),
    ("collaborations.Transition", "collaboration", ["at"]),
    ("collaborations.Activity", "collaboration", ["at"]),
    ("collaborations.CollaborationNote", "collaboration", ["created_at"]),
    ("collaborations.AgreementVersion", "agreement__collaboration", ["made_at"]),
    ("collaborations.Signature", "agreement__collaboration", ["signed_at"]),
    ("collaborations.Obligation", "agreement__collaboration", ["done_on"]),
    ("collaborations.CheckIn", "collaboration", ["created_at"]),
    ("collaborations.IndicatorValue", "indicator__goal__collaboration", ["reported_at"]),
    ("collaborations.Reform", "collaboration", ["asked_on", "agreed_on", "achieved_on"]),
    ("collaborations.Successor", "collaboration", ["created_at"]),
    ("collaborations.HandoverTask", "collaboration", ["done_on"]),
    (
        "collaborations.CreditStatement",
        "collaboration",
        ["civic_approved_at", "institution_approved_at"],
    ),
    ("collaborations.FollowUp", "collaboration", ["answered_at"]),
    ("fellowships.Placement", "collaboration", ["fellow_statement_at", "supervisor_statement_at"]),
    ("fellowships.PreparationBrief", "placement__collaboration", ["delivered_at"]),
    ("fellowships.PreparationTask", "placement__collaboration", ["done_on"]),
    ("training.Module", "collaboration", ["created_at"]),
    ("training.Participant", "collaboration", ["created_at"]),
    ("training.SelfAssessment", "participant__collaboration", ["answered_at"]),
    ("procurement.ContractSignature", "contract__collaboration", ["signed_at"]),
    ("procurement.Milestone", "contract__collaboration", ["submitted_on", "accepted_on"]),
    ("procurement.Invoice", "contract__collaboration", ["issued_on", "created_at"]),
    ("procurement.Payment", "invoice__contract__collaboration", ["paid_on", "created_at"]),
    ("procurement.CreditNote", "invoice__contract__collaboration", ["issued_on"]),
    ("procurement.Variation", "contract__collaboration", ["agreed_on"]),
    (
        "events.Event",
        "collaboration",
        ["created_at", "registration_opened_at", "results_published_at"],
    ),
    ("events.Challenge", "event__collaboration", ["created_at", "published_at"]),
    ("events.Participant", "event__collaboration", ["consent_at", "confirmed_at"]),
    ("events.Score", "project__event__collaboration", ["created_at"]),
    ("events.Commitment", "plan__project__event__collaboration", ["done_on"]),
    ("events.ProjectFollowUp", "project__event__collaboration", ["sent_at", "answered_at"]),
    ("consulting.Deliverable", "collaboration", ["created_at", "submitted_at"]),
    ("consulting.DeliverableVersion", "deliverable__collaboration", ["created_at"]),
    ("consulting.Review", "version__deliverable__collaboration", ["created_at"]),
    ("consulting.Recommendation", "collaboration", ["created_at"]),
    ("consulting.AdoptionUpdate", "recommendation__collaboration", ["created_at"]),
    ("policy.PolicyChange", "collaboration", ["created_at"]),
    ("policy.StageEntry", "policy_change__collaboration", ["on", "created_at"]),
    ("policy.ConsultationResponse", "policy_change__collaboration", ["submitted_on", "created_at"]),
    ("policy.Commitment", "collaboration", ["created_at"]),
    ("policy.CommitmentMilestone", "commitment__collaboration", ["done_on"]),
    ("policy.CommitmentAssessment", "commitment__collaboration", ["on", "created_at"]),
    ("feedback.Feedback", "collaboration", ["created_at", "moderated_at", "answered_at"]),
]
# What comes after a collaboration closes by its nature: the follow-ups and what they say,
# the next steps an event's engagement plan committed officials to, and how far the
# institution adopted a consulting engagement's recommendations, and what the people the
# work served said of it, with its moderation and the institution's answers.
AFTER_CLOSING = {
    "collaborations.FollowUp",
    "events.ProjectFollowUp",
    "events.Commitment",
    "consulting.AdoptionUpdate",
    "feedback.Feedback",
}


def day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


@pytest.fixture
def collaborations(demo_workspace, db):
    collaborations = list(Collaboration.objects.prefetch_related("transitions"))
    assert len(collaborations) >= 9
    return collaborations


def moved_on(collaboration: Collaboration, stage: str) -> date | None:
    return next((day(t.at) for t in collaboration.transitions.all() if t.to_stage == stage), None)


def happenings(collaboration: Collaboration):
    """(what, when) for everything recorded as having happened in the collaboration."""
    for label, lookup, fields in HAPPENED:
        model = apps.get_model(label)
        for row in model.objects.filter(**{lookup: collaboration.pk}).values("pk", *fields):
            for field in fields:
                if row[field] is not None:
                    yield label, f"{label}.{field} #{row['pk']}", day(row[field])


def test_nothing_in_the_demo_happened_in_the_future(collaborations):
    today = timezone.localdate()
    future = [
        f"{c.title}: {what} on {when}"
        for c in collaborations
        for _label, what, when in happenings(c)
        if when > today
    ]
    assert not future


def test_nothing_of_a_closed_collaborations_work_happened_after_it_closed(collaborations):
    closed = [c for c in collaborations if c.closed_on]
    assert {c.model for c in closed} >= {"fellowship", "event"}
    late = [
        f"{c.title} (closed {c.closed_on}): {what} on {when}"
        for c in closed
        for label, what, when in happenings(c)
        if when > c.closed_on and label not in AFTER_CLOSING | {"collaborations.Activity"}
    ]
    assert not late


def test_nothing_happened_before_the_collaboration_was_proposed(collaborations):
    early = []
    for c in collaborations:
        proposed = day(c.created_at)
        early += [
            f"{c.title} (proposed {proposed}): {what} on {when}"
            for _label, what, when in happenings(c)
            if when < proposed
        ]
    assert not early


def test_each_signature_was_given_before_the_stage_it_let_through(collaborations):
    wrong = []
    for c in collaborations:
        for label, stage in (
            ("collaborations.Signature", "agreed"),
            ("procurement.ContractSignature", "active"),
        ):
            passed = moved_on(c, stage)
            wrong += [
                f"{c.title} ({stage} on {passed}): {what} on {when}"
                for signed_label, what, when in happenings(c)
                if signed_label == label and passed is not None and when > passed
            ]
    assert not wrong


def test_activity_after_closing_is_only_what_came_after_it(collaborations):
    """A closed collaboration's feed goes on only on the days its follow-ups or next steps
    brought something, and with the collaborations it led to."""
    for c in (c for c in collaborations if c.closed_on):
        days = {when for label, _what, when in happenings(c) if label in AFTER_CLOSING}
        activity = apps.get_model("collaborations.Activity").objects.filter(collaboration=c)
        after = [
            f"{a.message} ({day(a.at)})"
            for a in activity
            if day(a.at) > c.closed_on
            and day(a.at) not in days
            and not any(words in a.message for words in ("follow-up", "led to"))
        ]
        assert not after
