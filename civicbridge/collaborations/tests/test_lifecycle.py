"""The lifecycle: gates from the playbook, through the registry, refuse or record risks."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicbridge.collaborations import lifecycle
from civicbridge.collaborations.choices import Stage
from civicbridge.collaborations.models import Transition
from civicbridge.collaborations.services.lifecycle import (
    GateRefused,
    advance,
    create_collaboration,
    update_collaboration,
)
from civicbridge.playbook import checks

MODEL = {
    "id": "demo",
    "conditions": [
        {
            "id": "demo.hard",
            "statement": {"en": "Hard"},
            "blocking": True,
            "gates": "agreed",
            "check": "test.hard",
        },
        {
            "id": "demo.soft",
            "statement": {"en": "Soft"},
            "blocking": False,
            "gates": "agreed",
            "check": "test.soft",
        },
        {
            "id": "demo.unchecked",
            "statement": {"en": "Unchecked"},
            "blocking": True,
            "gates": "agreed",
        },
        {
            "id": "demo.later",
            "statement": {"en": "Later"},
            "blocking": True,
            "gates": "closed",
            "check": "test.hard",
        },
    ],
    "mitigations": [{"id": "demo.m", "text": {"en": "Do the thing."}, "conditions": ["demo.hard"]}],
}


def test_evaluate_runs_only_the_gates_of_the_stage_blocking_first():
    outcomes = {"test.hard": (False, "No."), "test.soft": (False, "Not quite.")}
    results = lifecycle.evaluate(MODEL, "agreed", None, lambda name, _c: outcomes[name])
    assert [r.condition for r in results] == ["demo.hard", "demo.unchecked", "demo.soft"]
    hard, unchecked, soft = results
    assert hard.blocks and hard.mitigations == ({"en": "Do the thing."},)
    assert unchecked.passed is None and not unchecked.blocks  # nobody can check it: never blocks
    assert soft.is_risk and not soft.blocks
    assert lifecycle.refusals(results) == [hard]


def test_next_stage_walks_the_six_stages():
    assert lifecycle.next_stage("proposed") == "preparing"
    assert lifecycle.next_stage("closing") == "closed"
    assert lifecycle.next_stage("closed") is None


def test_create_collaboration_needs_a_side_and_a_government_institution(world, playbook):
    with pytest.raises(PermissionDenied):
        create_collaboration(
            world.outsider,
            model="fellowship",
            title="X",
            civic_organisation=world.civic,
            institution=world.institution,
        )
    with pytest.raises(ValidationError, match="government body"):
        create_collaboration(
            world.civic_lead,
            model="fellowship",
            title="X",
            civic_organisation=world.civic,
            institution=world.civic,
        )
    collaboration = create_collaboration(
        world.civic_lead,
        model="fellowship",
        title="X",
        civic_organisation=world.civic,
        institution=world.institution,
        departments=[world.department],
    )
    assert collaboration.stage == Stage.PROPOSED
    assert collaboration.checkin_every_days == 14  # from the playbook's parameters


def test_details_can_change_after_the_creators_account_is_gone(fellowship, world):
    fellowship.created_by = None
    fellowship.save()
    update_collaboration(world.civic_lead, fellowship, title="Renamed")
    fellowship.refresh_from_db()
    assert fellowship.title == "Renamed"


def test_mou_gate_refuses_agreed_and_records_nothing(fellowship, world):
    advance(world.civic_lead, fellowship)  # proposed → preparing: no blocking gate
    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, fellowship)
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.PREPARING
    assert [r.condition for r in refused.value.refusals] == ["fellowship.mou_signed_before_start"]
    assert "no MOU" in refused.value.refusals[0].reason
    assert Transition.objects.filter(collaboration=fellowship).count() == 1


def test_outsider_cannot_advance(fellowship, world):
    with pytest.raises(PermissionDenied):
        advance(world.outsider, fellowship)


def test_failed_non_blocking_gate_becomes_a_risk(fellowship, world, monkeypatch):
    monkeypatch.setattr(checks, "_registry", {**checks._registry})
    checks._registry["collaborations.agreement_signed"] = lambda c: (True, "Signed.")
    advance(world.civic_lead, fellowship)
    transition = advance(world.civic_lead, fellowship)
    assert transition.to_stage == Stage.AGREED
    risks = {risk.condition for risk in fellowship.risks.all()}
    assert risks == {"fellowship.supervisor_willing", "fellowship.fellow_willing"}
    assert {r["condition"] for r in transition.gate_results} >= risks


def test_a_blocking_condition_keeps_gating_every_later_stage():
    assert [c["id"] for c in lifecycle.gates(MODEL, "agreed")] == [
        "demo.hard",
        "demo.soft",
        "demo.unchecked",
    ]
    # From `agreed` on, only the blocking ones of `agreed` still stand.
    assert [c["id"] for c in lifecycle.gates(MODEL, "active")] == ["demo.hard", "demo.unchecked"]
    assert [c["id"] for c in lifecycle.gates(MODEL, "closed")] == [
        "demo.hard",
        "demo.unchecked",
        "demo.later",
    ]


def test_an_mou_amended_after_agreed_must_be_signed_again_before_the_start(fellowship, world):
    from civicbridge.collaborations.services import agreement
    from tests.factories import PASSWORD

    agreement.add_obligation(
        world.civic_lead,
        fellowship,
        party=world.institution,
        description="Host the fellow.",
        owner=world.official.person,
        due_date=fellowship.start_date,
    )
    for signer in (world.civic_lead, world.official):
        agreement.sign_agreement(signer, fellowship, version=1, password=PASSWORD)
    advance(world.civic_lead, fellowship)  # preparing
    advance(world.civic_lead, fellowship)  # agreed
    agreement.add_obligation(
        world.official,
        fellowship,
        party=world.civic,
        description="Pay the stipend.",
        owner=world.civic_lead.person,
        due_date=fellowship.start_date,
    )
    with pytest.raises(GateRefused) as refused:
        advance(world.civic_lead, fellowship)
    assert [r.condition for r in refused.value.refusals] == ["fellowship.mou_signed_before_start"]
    fellowship.refresh_from_db()
    assert fellowship.stage == Stage.AGREED
