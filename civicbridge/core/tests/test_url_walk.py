"""Request every URL pattern as every persona and compare with what each may see.

A new URL pattern fails this test until its expectations are written here, so no route
goes without a permission check that somebody thought about.
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import loaded_for_module, make_world
from tests.factories import (
    CalendarFeedFactory,
    FollowUpFactory,
    ImportRunFactory,
    InboxItemFactory,
    NoteFactory,
    ProjectFactory,
    ProjectFollowUpFactory,
)

PERSONAS = ("civic_lead", "official", "fellow", "outsider", "admin", "anonymous")

SIGNED_IN = (200, 200, 200, 200, 200, 302)
EVERYONE = (200,) * 6
CIVIC_EDITORS = (200, 403, 200, 403, 200, 302)  # members of the civic organisation, admins
PLATFORM_ADMIN = (403, 403, 403, 403, 200, 302)
OWNER_AND_ADMIN = (200, 403, 403, 403, 200, 302)
BOTH_SIDES = (200, 200, 200, 404, 200, 302)
PARTIES = BOTH_SIDES
PARTY_MEMBERS = (200, 200, 200, 404, 403, 302)
CIVIC_SIDE = (200, 403, 200, 404, 403, 302)
POST_ONLY = (405, 405, 405, 405, 405, 302)

POLICY_EXPECTED: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(
        [
            "policy:changes",
            "policy:change",
            "policy:consultation",
            "policy:response_file",
            "policy:commitments",
            "policy:commitment",
        ],
        BOTH_SIDES,
    ),
    **dict.fromkeys(
        [
            "policy:change_create",
            "policy:change_edit",
            "policy:change_move",
            "policy:commitment_create",
            "policy:commitment_edit",
            "policy:commitment_assess",
            "policy:milestone_create",
            "policy:milestone_done",
        ],
        PARTY_MEMBERS,
    ),
    "policy:response_create": CIVIC_SIDE,
    "policy:import": (200, 200, 200, 403, 403, 302),
    **dict.fromkeys(
        [
            "api:policy_changes",
            "api:policy_change_create",
            "api:policy_change",
            "api:policy_change_edit",
            "api:consultation_responses",
            "api:commitments",
            "api:commitment_create",
            "api:commitment",
            "api:commitment_edit",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    **dict.fromkeys(
        [
            "api:policy_change_stage",
            "api:commitment_milestone_create",
            "api:commitment_milestone_edit",
            "api:commitment_assess",
        ],
        (405,) * 6,
    ),
}

# Contract and invoice routes: a contract in force between the civic organisation (supplier)
# and the institution (buyer), with a deliverable awaiting acceptance, a planned cost and an
# invoice paid in part. Either side's members write it; the supplier invoices, credits and
# plans its costs (only its side sees them); only the buyer's members accept; admins sign.
# Changes to the terms of a signed contract send members back to the tab.
CONTRACT_EXPECTED: dict[str, tuple[int, ...]] = {
    "procurement:contract": PARTIES,
    "procurement:contract_create": PARTY_MEMBERS,
    **dict.fromkeys(
        [
            "procurement:contract_edit",
            "procurement:milestone_create",
            "procurement:milestone_edit",
            "procurement:milestone_delete",
        ],
        (302, 302, 302, 404, 403, 302),
    ),
    "procurement:contract_sign": (302, 302, 403, 404, 403, 302),
    "procurement:milestone_deliver": POST_ONLY,
    "procurement:milestone_accept": (403, 200, 403, 404, 403, 302),
    # Either side's members record the outcome of a step of the procurement, signed or not.
    "procurement:milestone_outcome": PARTY_MEMBERS,
    "procurement:variation_create": PARTY_MEMBERS,
    "procurement:cost_create": CIVIC_SIDE,
    "procurement:cost_delete": POST_ONLY,
    "procurement:invoices": PARTIES,
    "procurement:invoice_create": CIVIC_SIDE,
    "procurement:payment_create": PARTY_MEMBERS,
    "procurement:payment_delete": PARTY_MEMBERS,
    "procurement:credit_note_create": CIVIC_SIDE,
    # The civic organisation's money owed and cash flow are for its own members; the
    # institution's payment record shows each signed-in user the invoices they may see.
    "procurement:money_owed": CIVIC_EDITORS,
    "procurement:cash_flow": CIVIC_EDITORS,
    "procurement:payment_record": SIGNED_IN,
    "procurement:payment_chart": SIGNED_IN,
    "procurement:payment_csv": SIGNED_IN,
    **dict.fromkeys(
        [
            "api:contracts",
            "api:contract_create",
            "api:contract",
            "api:contract_edit",
            "api:milestones",
            "api:milestone_create",
            "api:variations",
            "api:variation_create",
            "api:invoices",
            "api:invoice_create",
            "api:invoice",
            "api:payments",
            "api:payment_create",
            "api:credit_notes",
            "api:credit_note_create",
            # Listing a contract's signatures, standing and voided, shares the signing URL.
            "api:contract_signatures",
            "api:contract_sign",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    **dict.fromkeys(
        ["api:planned_costs", "api:planned_cost_create"], (200, 403, 200, 404, 200, 401)
    ),
    **dict.fromkeys(
        [
            "api:milestone_edit",
            "api:milestone_delete",
            "api:milestone_deliver",
            "api:milestone_accept",
            "api:milestone_outcome",
            "api:planned_cost_delete",
            "api:payment_delete",
        ],
        (405,) * 6,
    ),
}

# Training routes: a training programme of the civic organisation with the institution, with
# a module, an objective, a session, the official as a participant with a certificate, and
# a batch of certificates. The civic side runs it; the institution's admins (and members of
# the civic side) register officials; the official sees their own page; the link is the key.
TRAINING_EXPECTED: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(
        [
            "training:curriculum",
            "training:sessions",
            "training:session",
            "training:participants",
            "training:capacity",
        ],
        PARTIES,
    ),
    **dict.fromkeys(
        [
            "training:module_create",
            "training:module_edit",
            "training:module_delete",
            "training:objective_create",
            "training:session_create",
            "training:session_edit",
            "training:attendance",
            "training:certificate_run",
        ],
        CIVIC_SIDE,
    ),
    **dict.fromkeys(
        [
            "training:participant_create",
            "training:participant_delete",
            "training:champion",
            "training:certificate",
        ],
        PARTY_MEMBERS,
    ),
    **dict.fromkeys(
        [
            "training:objective_delete",
            "training:session_invite",
            "training:session_register",
            "training:certificates_request",
            "training:follow_ups_plan",
        ],
        POST_ONLY,
    ),
    "training:own": (404, 200, 404, 404, 404, 302),
    # The API: both sides (and platform admins) read; a write shares its list's URL.
    **dict.fromkeys(
        [
            "api:training_modules",
            "api:training_module_create",
            "api:training_sessions",
            "api:training_session_create",
            "api:training_participants",
            "api:training_participant_create",
            "api:training_capacity",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    **dict.fromkeys(
        [
            "api:training_objective_create",
            "api:training_seat_create",
            "api:training_attendance",
        ],
        (405,) * 6,
    ),
    "training:answer": EVERYONE,  # the signed link is the key
}

# Statuses for GET, in the order of PERSONAS.
# Consulting routes: an engagement with its scope, a deliverable whose first version waits
# for the institution, and a recommendation with one adoption update. Either side's members
# plan and follow it; only the civic side sends versions; only the institution's members
# (not the fellow, a viewer there) ask for changes.
CONSULTING_EXPECTED: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(
        [
            "consulting:engagement",
            "consulting:deliverable",
            "consulting:version_download",
            "consulting:recommendations",
            "consulting:recommendation",
        ],
        PARTIES,
    ),
    **dict.fromkeys(
        [
            "consulting:engagement_edit",
            "consulting:deliverable_create",
            "consulting:deliverable_edit",
            "consulting:recommendation_create",
            "consulting:recommendation_edit",
            "consulting:adoption_create",
        ],
        PARTY_MEMBERS,
    ),
    "consulting:version_submit": CIVIC_SIDE,
    "consulting:deliverable_changes": (403, 200, 403, 404, 403, 302),
    "consulting:deliverable_accept": POST_ONLY,
    **dict.fromkeys(
        [
            "api:consulting",
            "api:consulting_edit",
            "api:consulting_deliverables",
            "api:consulting_deliverable_create",
            "api:consulting_deliverable",
            "api:consulting_deliverable_edit",
            "api:consulting_versions",
            "api:consulting_version_create",
            "api:consulting_recommendations",
            "api:consulting_recommendation_create",
            "api:consulting_recommendation",
            "api:consulting_recommendation_edit",
            "api:consulting_adoption",
            "api:consulting_adoption_create",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    **dict.fromkeys(
        ["api:consulting_deliverable_accept", "api:consulting_deliverable_changes"], (405,) * 6
    ),
}


EXPECTED: dict[str, tuple[int, ...]] = {
    **TRAINING_EXPECTED,
    "collaborations:home": EVERYONE,
    # The portfolio's charts count what the user's organisations see: empty for nobody.
    "collaborations:portfolio_stages_chart": SIGNED_IN,
    "collaborations:portfolio_risks_chart": SIGNED_IN,
    "accounts:login": (302, 302, 302, 302, 302, 200),
    "accounts:logout": (405,) * 6,
    "accounts:password_change": SIGNED_IN,
    "accounts:password_change_done": SIGNED_IN,
    "accounts:password_reset": EVERYONE,
    "accounts:password_reset_done": EVERYONE,
    "accounts:password_reset_confirm": EVERYONE,  # an invalid link says so
    "accounts:password_reset_complete": EVERYONE,
    "partners:directory": SIGNED_IN,
    "partners:organisation_create": (200, 200, 200, 403, 200, 302),
    "partners:export_all": SIGNED_IN,
    "partners:organisation": SIGNED_IN,
    "partners:organisation_people": SIGNED_IN,
    "partners:organisation_edit": CIVIC_EDITORS,
    "partners:organisation_audit": (200, 403, 403, 403, 200, 302),
    "partners:organisation_export": SIGNED_IN,
    "partners:department_create": CIVIC_EDITORS,
    "partners:person_create": CIVIC_EDITORS,
    "partners:note_create": (200, 200, 200, 403, 403, 302),
    "partners:department_edit": (403, 200, 403, 403, 200, 302),
    "partners:person": SIGNED_IN,
    # The civic lead's own record and admin membership: theirs and the platform admin's.
    "partners:person_edit": OWNER_AND_ADMIN,
    "partners:membership_create": OWNER_AND_ADMIN,
    "partners:membership_edit": OWNER_AND_ADMIN,
    "partners:membership_delete": OWNER_AND_ADMIN,
    "partners:note_delete": (200, 403, 200, 404, 200, 302),
    "partners:import_upload": PLATFORM_ADMIN,
    "partners:import_run": PLATFORM_ADMIN,
    # The task queue is for platform admins; an import run for whoever started it (here
    # nobody: the command) and platform admins.
    "core:task_queue": PLATFORM_ADMIN,
    "api:import_run": (403, 403, 403, 403, 200, 401),
    "playbook:guidelines": EVERYONE,
    "playbook:markdown": EVERYONE,
    "playbook:pdf": EVERYONE,
    "playbook:versions": EVERYONE,
    "playbook:version": EVERYONE,
    "playbook:version_model": EVERYONE,
    "playbook:compare": EVERYONE,
    "playbook:edit_item": PLATFORM_ADMIN,
    "playbook:model": EVERYONE,
    "playbook:model_markdown": EVERYONE,
    "playbook:model_pdf": EVERYONE,
    # An assessment by the civic side, shared with both sides.
    "readiness:list": SIGNED_IN,
    "readiness:new": (200, 200, 200, 403, 403, 302),
    "readiness:compare": SIGNED_IN,
    "readiness:assessment": BOTH_SIDES,
    "readiness:context": (200, 403, 200, 404, 403, 302),
    "readiness:step": (200, 403, 200, 404, 403, 302),
    "readiness:complete": (405, 405, 405, 405, 405, 302),
    "readiness:repeat": (405, 405, 405, 405, 405, 302),
    "readiness:json": BOTH_SIDES,
    "readiness:csv": BOTH_SIDES,
    "readiness:pdf": BOTH_SIDES,
    # An institution's assessments over time: each signed-in user sees those they may.
    "readiness:timeline": SIGNED_IN,
    # A public fellowship of the civic organisation with the institution; the fellow is a
    # member of the civic side and a viewer of the institution. Platform admins read all
    # collaborations and write none: every write is made for one side.
    "collaborations:list": SIGNED_IN,
    "collaborations:needs_you": SIGNED_IN,
    "collaborations:create": (200, 200, 200, 403, 403, 302),
    "collaborations:detail": PARTIES,
    "collaborations:edit": PARTY_MEMBERS,
    "collaborations:advance": POST_ONLY,
    "collaborations:activity": PARTIES,
    "collaborations:organisation_history": SIGNED_IN,
    "collaborations:public": EVERYONE,
    "collaborations:agreement": PARTIES,
    "collaborations:agreement_edit": PARTY_MEMBERS,
    "collaborations:obligation_create": PARTY_MEMBERS,
    "collaborations:obligation_edit": PARTY_MEMBERS,
    "collaborations:obligation_delete": PARTY_MEMBERS,
    "collaborations:obligation_status": POST_ONLY,
    "collaborations:agreement_sign": (200, 200, 403, 404, 403, 302),  # admins of a side
    "collaborations:agreement_version": PARTIES,
    # A change of party waits for the institution's approval; both sides' admins decide it.
    "collaborations:party_changes": PARTIES,
    "collaborations:party_change_approve": POST_ONLY,
    "collaborations:party_change_withdraw": POST_ONLY,
    "collaborations:agreement_pdf": PARTIES,
    "collaborations:people": PARTIES,
    "collaborations:stakeholder_create": PARTY_MEMBERS,
    "collaborations:stakeholder_delete": PARTY_MEMBERS,
    "collaborations:checkins": PARTIES,
    # A proposed collaboration takes no check-ins yet: members are sent back to the tab.
    "collaborations:checkin_create": (302, 302, 302, 404, 403, 302),
    "collaborations:checkin_chart": PARTIES,
    "collaborations:checkin_csv": PARTIES,
    "collaborations:goals": PARTIES,
    "collaborations:goal_create": PARTY_MEMBERS,
    # A goal the civic side shares with both sides: only its own side changes it.
    "collaborations:goal_edit": CIVIC_SIDE,
    "collaborations:indicator_create": CIVIC_SIDE,
    "collaborations:indicator_report": PARTY_MEMBERS,
    "collaborations:handover": PARTIES,
    "collaborations:successor_create": PARTY_MEMBERS,
    "collaborations:successor_edit": PARTY_MEMBERS,
    "collaborations:successor_delete": PARTY_MEMBERS,
    "collaborations:handover_task_create": PARTY_MEMBERS,
    "collaborations:handover_task_done": POST_ONLY,
    "collaborations:handover_task_reopen": POST_ONLY,
    "collaborations:follow_up_answer": EVERYONE,  # the secret link is the key
    "collaborations:credit": PARTIES,
    "collaborations:credit_create": PARTY_MEMBERS,
    "collaborations:credit_edit": PARTY_MEMBERS,
    "collaborations:credit_approve": POST_ONLY,
    "collaborations:credit_withdraw": POST_ONLY,
    "collaborations:reform_create": PARTY_MEMBERS,
    "collaborations:reform_edit": CIVIC_SIDE,
    "fellowships:placement": PARTIES,
    "fellowships:placement_edit": PARTY_MEMBERS,
    # The fellow's own statement: the fellow and the civic side write it.
    "fellowships:statement": CIVIC_SIDE,
    "fellowships:brief": PARTIES,
    "fellowships:brief_edit": (403, 200, 403, 404, 403, 302),  # the host institution writes it
    "fellowships:brief_deliver": POST_ONLY,
    "fellowships:task_create": PARTY_MEMBERS,
    "fellowships:task_done": POST_ONLY,
    "fellowships:task_reopen": POST_ONLY,
    # Policy development: both sides read and write; the civic side adds its consultation
    # responses; members of a side of a policy collaboration import commitments.
    **POLICY_EXPECTED,
    # API routes
    # The API answers 401 (not a redirect) to anonymous callers; a route without GET (one
    # that only posts, changes or deletes) answers 405 to every GET. A GET on a create or
    # change route reads what it writes, as they share a URL.
    "api:api-root": (404,) * 6,  # ninja's root only points at the docs
    "api:openapi-json": EVERYONE,
    "api:openapi-view": EVERYONE,
    **dict.fromkeys(
        [
            "api:organisations",
            "api:organisation",
            "api:departments",
            "api:department",
            "api:people",
            "api:person",
            "api:memberships",
            "api:membership",
            "api:playbook",
            "api:assessments",
            "api:collaborations",
            "api:collaboration_create",
        ],
        (200, 200, 200, 200, 200, 401),
    ),
    **dict.fromkeys(
        [
            "api:assessment",
            "api:collaboration",
            "api:stakeholders",
            "api:stakeholder_create",
            "api:obligations",
            "api:obligation_create",
            "api:signatures",
            "api:signature_create",
            "api:checkins",
            "api:checkin_create",
            "api:indicators",
            "api:collaboration_transitions",
            "api:transitions",
            "api:goals",
            "api:goal_create",
            "api:successors",
            "api:successor_create",
            "api:handover_tasks",
            "api:handover_task_create",
            "api:credit_statements",
            "api:credit_statement_create",
            "api:reforms",
            "api:reform_create",
            "api:notes",
            "api:note_create",
            "api:placement",
            "api:placement_edit",
            "api:collaboration_edit",
            "api:agreement",
            "api:agreement_edit",
            "api:agreement_versions",
            "api:brief",
            "api:brief_edit",
            "api:preparation_tasks",
            "api:preparation_task_create",
            "api:risks",
            "api:activity",
            "api:party_changes",
            "api:party_change_create",
            "api:feedback_list",
            "api:feedback_services",
            "api:feedback_service_create",
            "api:shortcomings",
            "api:shortcoming_create",
            "api:shortcoming_register",
            "api:shortcoming_register_publish",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    # Each person's own inbox, reminder channels and calendar feed address.
    **dict.fromkeys(
        ["api:inbox", "api:preferences", "api:preferences_edit", "api:calendar"],
        (200, 200, 200, 200, 200, 401),
    ),
    "api:indicator_value_create": (405,) * 6,
    "api:goal_indicator_create": (405,) * 6,
    "api:handover_task_done": (405,) * 6,
    "api:credit_statement_approve": (405,) * 6,
    "api:obligation_status": (405,) * 6,
    "api:placement_statement": (405,) * 6,
    "api:party_change_approve": (405,) * 6,
    "api:party_change_withdraw": (405,) * 6,
    **dict.fromkeys(
        [
            "api:obligation_edit",
            "api:obligation_delete",
            "api:stakeholder_delete",
            "api:goal_edit",
            "api:successor_edit",
            "api:successor_delete",
            "api:handover_task_reopen",
            "api:credit_statement_edit",
            "api:credit_statement_withdraw",
            "api:reform_edit",
            "api:brief_deliver",
            "api:preparation_task_done",
            "api:preparation_task_reopen",
            "api:inbox_read",
            "api:inbox_read_all",
            "api:calendar_reset",
            "api:feedback_moderate",
            "api:feedback_answer",
            "api:shortcoming_edit",
            "api:shortcoming_move",
        ],
        (405,) * 6,
    ),
    "accounts:tokens": SIGNED_IN,
    "accounts:token_revoke": POST_ONLY,
    # Notification routes
    # Each person's own inbox, preferences and calendar page; the feed's secret is its key.
    "notifications:inbox": SIGNED_IN,
    "notifications:read": POST_ONLY,
    "notifications:read_all": POST_ONLY,
    "notifications:preferences": SIGNED_IN,
    "notifications:calendar": SIGNED_IN,
    "notifications:calendar_reset": POST_ONLY,
    "notifications:feed": EVERYONE,
    # Service delivery routes
    # The rules of jurisdictions: everyone signed in reads them, platform admins keep them.
    "procurement:jurisdictions": SIGNED_IN,
    "procurement:jurisdiction": SIGNED_IN,
    "procurement:jurisdiction_create": PLATFORM_ADMIN,
    "procurement:jurisdiction_edit": PLATFORM_ADMIN,
    "procurement:rule_create": PLATFORM_ADMIN,
    "procurement:rule_edit": PLATFORM_ADMIN,
    "procurement:step_create": PLATFORM_ADMIN,
    "procurement:step_edit": PLATFORM_ADMIN,
    # The walk's service delivery of the civic organisation with the institution.
    "procurement:plan": PARTIES,
    # The civic organisation's conflict-of-interest register: its admins write it.
    "procurement:register": EVERYONE,
    "procurement:conflicts": SIGNED_IN,
    **dict.fromkeys(
        [
            "procurement:role_create",
            "procurement:role_edit",
            "procurement:role_delete",
            "procurement:disclosure_create",
            "procurement:disclosure_edit",
            "procurement:recusal_create",
        ],
        (200, 403, 403, 403, 403, 302),
    ),
    "procurement:recusal_delete": POST_ONLY,
    # The civic organisation's supplier profile: its members and platform admins keep it.
    "partners:supplier_profile": SIGNED_IN,
    "partners:capability_statement": SIGNED_IN,
    **dict.fromkeys(
        [
            "partners:supplier_profile_edit",
            "partners:offering_create",
            "partners:offering_edit",
            "partners:offering_delete",
            "partners:past_contract_create",
            "partners:past_contract_edit",
            "partners:past_contract_delete",
        ],
        CIVIC_EDITORS,
    ),
    **dict.fromkeys(
        [
            "api:jurisdictions",
            "api:jurisdiction",
            "api:organisation_roles",
            "api:organisation_role_create",
            "api:organisation_disclosures",
            "api:organisation_disclosure_create",
            "api:supplier_profile",
            "api:supplier_profile_edit",
        ],
        (200, 200, 200, 200, 200, 401),
    ),
    "api:procurement_plan": (200, 200, 200, 404, 200, 401),
    "api:procurement_plan_choose": (200, 200, 200, 404, 200, 401),
    "api:public_disclosures": EVERYONE,
    **dict.fromkeys(
        [
            "api:organisation_role",
            "api:organisation_role_delete",
            "api:organisation_disclosure",
            "api:organisation_recusal_create",
        ],
        (405,) * 6,
    ),
    # OCDS: a contract in force of a public service delivery. Both sides (and platform
    # admins) download its packages; anyone the public ones; editors of an organisation import.
    "procurement:ocds_releases": BOTH_SIDES,
    "procurement:ocds_record": BOTH_SIDES,
    "procurement:open_data": EVERYONE,
    "procurement:ocds_public_releases": EVERYONE,
    "procurement:ocds_public_record": EVERYONE,
    "procurement:ocds_import": (200, 200, 200, 403, 403, 302),
    "api:ocds_release_package": (200, 200, 200, 404, 200, 401),
    "api:ocds_record_package": (200, 200, 200, 404, 200, 401),
    "api:ocds_import": (405,) * 6,
    # Contract and invoice routes (CONTRACT_EXPECTED, above)
    **CONTRACT_EXPECTED,
    # Beneficiaries' feedback and the register of shortcomings, on the walk's public
    # fellowship: the civic side moderates and raises, the institution's members answer and
    # decide (the fellow is only a viewer there); the public pages are anyone's.
    "feedback:overview": SIGNED_IN,
    "feedback:feedback": PARTIES,
    "feedback:export": PARTIES,
    "feedback:service_create": CIVIC_SIDE,
    "feedback:service_delete": POST_ONLY,
    "feedback:moderate": POST_ONLY,
    "feedback:answer": (403, 200, 403, 404, 403, 302),
    "feedback:public": EVERYONE,
    "feedback:give": EVERYONE,
    "feedback:shortcomings": PARTIES,
    "feedback:shortcoming_create": CIVIC_SIDE,
    "feedback:shortcoming_edit": CIVIC_SIDE,
    "feedback:shortcoming_move": (403, 200, 403, 404, 403, 302),
    "feedback:register_publish": POST_ONLY,
    "feedback:public_register": EVERYONE,
    # Consulting routes (CONSULTING_EXPECTED, above)
    **CONSULTING_EXPECTED,
    # Event routes
    # A public event of the civic organisation with the institution, registration open: the
    # civic side organises it, the institution's members pose challenges (the fellow is only
    # a viewer there), participants' addresses stay with the civic side (and platform admins,
    # who read everything). The public page, registration and the signed links are anyone's.
    "events:list": SIGNED_IN,
    "events:create": (200, 403, 200, 403, 403, 302),
    "events:event": PARTIES,
    "events:event_edit": CIVIC_SIDE,
    "events:registration_open": POST_ONLY,
    "events:registration_close": POST_ONLY,
    "events:challenges": PARTIES,
    "events:challenge_create": (403, 200, 403, 404, 403, 302),
    "events:challenge": PARTIES,
    "events:challenge_edit": (403, 200, 403, 404, 403, 302),
    "events:challenge_submit": POST_ONLY,
    "events:challenge_review": CIVIC_SIDE,
    "events:participants": PARTIES,
    "events:participants_csv": (200, 403, 200, 404, 200, 302),
    "events:teams": PARTIES,
    "events:team_create": CIVIC_SIDE,
    "events:team_edit": CIVIC_SIDE,
    "events:team_delete": CIVIC_SIDE,
    "events:public_list": EVERYONE,
    "events:public": EVERYONE,
    "events:register": EVERYONE,
    "events:confirm": EVERYONE,  # the signed link is the key; a GET only shows the button
    "events:cancel": EVERYONE,
    **dict.fromkeys(["api:events", "api:event_create"], (200, 200, 200, 200, 200, 401)),
    **dict.fromkeys(
        [
            "api:event",
            "api:event_edit",
            "api:event_challenges",
            "api:event_challenge_create",
            "api:event_challenge",
            "api:event_challenge_edit",
            "api:event_teams",
            "api:event_team_create",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    "api:event_participants": (200, 403, 200, 404, 200, 401),
    **dict.fromkeys(
        [
            "api:event_registration_open",
            "api:event_registration_close",
            "api:event_challenge_submit",
            "api:event_challenge_review",
            "api:event_team_edit",
            "api:event_team_delete",
        ],
        (405,) * 6,
    ),
    # Follow-ups, survival and import (E5): both sides read the follow-ups and survival of
    # their event; the organisers say what a project led to and import past events. The
    # answer link is the key, and the survival page and its chart are public.
    "events:follow_ups": PARTIES,
    "events:project_led_to": CIVIC_SIDE,
    "events:follow_up_answer": EVERYONE,  # a GET shows the form; it does not use the link
    "events:follow_up_thanks": EVERYONE,
    "events:survival": PARTIES,
    "events:survival_chart": PARTIES,
    "events:public_survival": EVERYONE,
    "events:public_survival_chart": EVERYONE,
    "events:import": (200, 403, 200, 403, 403, 302),
    **dict.fromkeys(["api:event_follow_ups", "api:event_survival"], (200, 200, 200, 404, 200, 401)),
    "api:events_survival": (200, 200, 200, 200, 200, 401),
    "api:events_import": (405,) * 6,
    # Projects, judging and the engagement plan (E3, E1): the walk's event has a team's project
    # with a design artefact, a rubric, the civic lead as a judge, results not yet published,
    # and a plan worth continuing. The civic side organises; both sides read the projects and
    # the plan; the results stay with the organisers, the judges (and platform admins) until
    # published, so their public page is not found yet. The team's link is its key.
    "events:projects": PARTIES,
    "events:project_create": CIVIC_SIDE,
    "events:project": PARTIES,
    "events:project_edit": CIVIC_SIDE,
    "events:artefact_upload": CIVIC_SIDE,
    "events:artefact": PARTIES,
    "events:artefact_remove": POST_ONLY,
    "events:project_winner": POST_ONLY,
    "events:team_link_send": POST_ONLY,
    "events:team_project": EVERYONE,
    "events:team_artefact_upload": (405,) * 6,
    "events:judging": PARTIES,
    "events:criterion_create": CIVIC_SIDE,
    "events:criterion_edit": CIVIC_SIDE,
    "events:criterion_remove": POST_ONLY,
    "events:judge_add": CIVIC_SIDE,
    "events:judge_remove": POST_ONLY,
    "events:recusal_create": CIVIC_SIDE,  # the judge themself, or the organisers
    "events:score": (200, 403, 403, 404, 403, 302),  # the judges only
    "events:results": (200, 403, 200, 404, 200, 302),
    "events:results_publish": POST_ONLY,
    "events:public_results": (404,) * 6,
    "events:engagement": PARTIES,
    "events:plan_edit": PARTY_MEMBERS,
    "events:commitment_create": PARTY_MEMBERS,
    "events:commitment_done": POST_ONLY,
    "events:commitment_reopen": POST_ONLY,
    "events:commitment_remove": POST_ONLY,
    **dict.fromkeys(
        [
            "api:event_projects",
            "api:event_project_create",
            "api:event_project",
            "api:event_project_edit",
            "api:event_artefacts",
            "api:event_artefact_create",
            "api:event_criteria",
            "api:event_criterion_create",
            "api:event_judges",
            "api:event_judge_create",
            "api:event_engagement_plan",
            "api:event_engagement_plan_edit",
            "api:event_commitments",
            "api:event_commitment_create",
        ],
        (200, 200, 200, 404, 200, 401),
    ),
    **dict.fromkeys(
        ["api:event_project_scores", "api:event_project_scores_edit"],
        (200, 403, 403, 404, 403, 401),
    ),
    "api:event_results": (200, 403, 200, 404, 200, 401),
    **dict.fromkeys(
        ["api:event_recusal_create", "api:event_results_publish", "api:event_commitment_done"],
        (405,) * 6,
    ),
    # API writes that match the pages: the rules of jurisdictions, recusals, the supplier
    # profile's offerings and past contracts, and the events' remaining actions. A create or
    # change route shares its URL with a read; the others only write.
    **dict.fromkeys(
        [
            "api:jurisdiction_create",
            "api:jurisdiction_edit",
            "api:supplier_offerings",
            "api:supplier_offering_create",
            "api:supplier_past_contracts",
            "api:supplier_past_contract_create",
        ],
        (200, 200, 200, 200, 200, 401),
    ),
    **dict.fromkeys(
        [
            "api:rule_create",
            "api:rule_edit",
            "api:step_create",
            "api:step_edit",
            "api:organisation_recusal_delete",
            "api:supplier_offering_edit",
            "api:supplier_offering_delete",
            "api:supplier_past_contract_edit",
            "api:supplier_past_contract_delete",
            "api:event_project_led_to",
            "api:event_artefact_delete",
            "api:event_team_link_send",
            "api:event_criterion_edit",
            "api:event_criterion_delete",
            "api:event_judge_delete",
            "api:event_project_winner",
            "api:event_commitment_delete",
        ],
        (405,) * 6,
    ),
}

# API routes of the service-delivery room, walked with its records rather than the fellowship.
SERVICE_DELIVERY_API = {
    "api:jurisdiction",
    "api:procurement_plan",
    "api:procurement_plan_choose",
    "api:organisation_role",
    "api:organisation_role_delete",
    "api:organisation_disclosure",
    "api:organisation_recusal_create",
    # API writes that match the pages
    "api:jurisdiction_edit",
    "api:rule_create",
    "api:rule_edit",
    "api:step_create",
    "api:step_edit",
    "api:organisation_recusal_delete",
    "api:supplier_offerings",
    "api:supplier_offering_create",
    "api:supplier_offering_edit",
    "api:supplier_offering_delete",
    "api:supplier_past_contracts",
    "api:supplier_past_contract_create",
    "api:supplier_past_contract_edit",
    "api:supplier_past_contract_delete",
}


def kwargs_for(name: str, world, objects) -> dict:
    """The objects each route is walked with: the civic side's records, mostly."""
    by_name = {
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "not-a-token"},
        "partners:department_edit": {"pk": world.department.pk},
        "partners:person": {"pk": world.civic_lead.person.pk},
        "partners:person_edit": {"pk": world.civic_lead.person.pk},
        "partners:membership_create": {"pk": world.civic_lead.person.pk},
        "partners:membership_edit": {"pk": objects["membership"].pk},
        "partners:membership_delete": {"pk": objects["membership"].pk},
        "partners:note_delete": {"pk": objects["note"].pk},
        "partners:import_run": {"pk": objects["import_run"].pk},
        "playbook:version": {"number": 1},
        "playbook:version_model": {"number": 1, "model_id": "fellowship"},
        "playbook:compare": {"old": 1, "new": 1},
        "playbook:edit_item": {"item_id": "fellowship.mou_signed_before_start"},
        "readiness:step": {"pk": objects["assessment"].pk, "number": 1},
        "readiness:timeline": {"pk": world.institution.pk},
    }
    if name in by_name:
        return by_name[name]
    route = routes()[name]
    if name == "collaborations:organisation_history":
        return {"pk": world.institution.pk}
    # OCDS kwargs
    if "ocds" in name:
        contract = objects["ocds_contract"].pk
        return {key: contract for key in ("pk", "contract_id") if key in route}
    # Contract and invoice kwargs
    if name in CONTRACT_EXPECTED:
        return contract_kwargs(name, route, world, objects)
    if name in CONSULTING_EXPECTED:
        return consulting_kwargs(route, objects)
    # Service delivery kwargs
    if name.startswith("procurement:") or "/supplier/" in route or name in SERVICE_DELIVERY_API:
        return service_delivery_kwargs(route, world, objects)
    # Feedback kwargs
    if name.startswith("feedback:"):
        return feedback_kwargs(route, objects)
    # Policy kwargs
    if name in POLICY_EXPECTED:
        return policy_kwargs(route, objects)
    # Training kwargs
    if name in TRAINING_EXPECTED:
        return training_kwargs(route, objects)
    # Event kwargs
    if name.startswith(("events:", "api:event")):
        return event_kwargs(route, objects)
    # API kwargs
    if name.startswith("api:"):
        return api_kwargs(route, world, objects)
    # Notification kwargs
    if name.startswith("notifications:"):
        return notification_kwargs(route, objects)
    if name.split(":")[0] in {"collaborations", "fellowships"}:
        return collaboration_kwargs(route, objects)
    if "<slug:model_id>" in route:
        return {"model_id": "fellowship"}
    if name.startswith("readiness:") and "<int:pk>" in route:
        return {"pk": objects["assessment"].pk}
    return {"pk": world.civic.pk} if "<int:pk>" in route else {}


def api_kwargs(route: str, world, objects) -> dict:
    """The API's path parameters: the walk's objects, by the parameter's name."""
    values = {
        "organisation_id": world.civic.pk,
        "department_id": world.department.pk,
        "person_id": world.civic_lead.person.pk,
        "membership_id": objects["membership"].pk,
        "import_id": objects["import_run"].pk,
        "assessment_id": objects["assessment"].pk,
        "collaboration_id": objects["fellowship"].pk,
        "indicator_id": objects["indicator"].pk,
        "goal_id": objects["goal"].pk,
        "task_id": objects["handover_task"].pk,
        "credit_id": objects["credit"].pk,
        "obligation_id": objects["obligation"].pk,
        "who": "fellow",
        "stakeholder_id": objects["stakeholder"].pk,
        "successor_id": objects["successor"].pk,
        "reform_id": objects["reform"].pk,
        "preparation_task_id": objects["preparation_task"].pk,
        "item_id": objects["inbox_item"].pk,
        "change_id": objects["party_change"].pk,
        "feedback_id": objects["feedback"].pk,
        "shortcoming_id": objects["shortcoming"].pk,
    }
    return {
        name: value
        for name, value in values.items()
        if f"<{name}>" in route or f"<int:{name}>" in route
    }


def collaboration_kwargs(route: str, objects) -> dict:
    """The walk's fellowship, and the record of it each parameter of the route names."""
    found = {"pk": objects["fellowship"].pk} if "<int:pk>" in route else {}
    for parameter, key in (
        ("obligation_pk", "obligation"),
        ("stakeholder_pk", "stakeholder"),
        ("goal_pk", "goal"),
        ("indicator_pk", "indicator"),
        ("successor_pk", "successor"),
        ("credit_pk", "credit"),
        ("reform_pk", "reform"),
        ("change_pk", "party_change"),
    ):
        if f"<int:{parameter}>" in route:
            found[parameter] = objects[key].pk
    if "<int:task_pk>" in route:
        tasks = "handover_task" if "handover" in route else "preparation_task"
        found["task_pk"] = objects[tasks].pk
    if "<int:number>" in route:
        found["number"] = 1
    if "<str:who>" in route:
        found["who"] = "fellow"
    if "<str:token>" in route:
        found["token"] = objects["follow_up"].token
    return found


def routes(resolver: URLResolver | None = None, namespace: str = "") -> dict[str, str]:
    """Every named URL pattern, with its route, keyed by its namespaced name."""
    found = {}
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found.update(routes(pattern, inner))
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            found[namespace + pattern.name] = str(pattern.pattern)
    return found


def quick_pdfs(monkeypatch) -> None:
    """The walk is about who may fetch a PDF; making one is tested where PDFs are."""
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, **kwargs: b"%PDF-1.7")


@pytest.fixture(scope="module")
def walked(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world and an object behind every route, built once for the module.

    The walk only reads (GET), and whatever a request writes is rolled back after its test,
    so every test sees the objects as built.
    """
    from civicbridge.playbook.services import save_version
    from civicbridge.playbook.tests.helpers import shipped

    built = SimpleNamespace(media_root=tmp_path_factory.mktemp("walk") / "media")

    def build() -> None:
        with pytest.MonkeyPatch.context() as monkeypatch:
            quick_pdfs(monkeypatch)
            save_version(None, shipped(), "Loaded for a test")
            built.world = make_world()
            built.objects = build_objects(built.world)

    with loaded_for_module(django_db_blocker, built.media_root, build):
        yield built


@pytest.fixture
def world(walked, db, settings, monkeypatch):
    settings.MEDIA_ROOT = walked.media_root  # where the built artefacts were stored
    quick_pdfs(monkeypatch)
    return walked.world


@pytest.fixture
def objects(walked, db):
    return walked.objects


def build_objects(world) -> dict:
    built = {
        "membership": world.civic_lead.person.memberships.get(organisation=world.civic),
        "note": NoteFactory(owner_organisation=world.civic, subject=world.institution),
        "import_run": ImportRunFactory(),
        "assessment": finished_assessment(world),
        **collaboration_records(world),
        **notification_records(world),
        **service_delivery_records(world),
        **contract_records(world),
        **ocds_records(world),
        **event_records(world),
        **follow_up_records(world),
        **project_records(world),
        **consulting_records(world),
        **policy_records(world),
        **training_records(world),
    }
    return {**built, **feedback_records(world, built["fellowship"])}


def feedback_records(world, fellowship) -> dict:
    """A service, a published and unanswered feedback and a proposed shortcoming on the
    walk's public fellowship, whose register is published."""
    from civicbridge.feedback.services import feedback, shortcomings

    service = feedback.add_service(world.civic_lead, fellowship, name="Open data portal")
    given = feedback.give_feedback(
        fellowship, service=service, worked="Fast", did_not_work="Search", rating=4
    )
    shortcomings.publish_register(world.civic_lead, fellowship, published=True)
    return {
        "feedback_service": service,
        "feedback": feedback.moderate_feedback(world.civic_lead, given, publish=True),
        "shortcoming": shortcomings.raise_shortcoming(
            world.civic_lead,
            fellowship,
            title="Data is stale",
            evidence="Last update a year ago.",
            solution="Publish monthly.",
        ),
    }


def feedback_kwargs(route: str, objects) -> dict:
    """The walk's fellowship and its feedback records, by the route's parameters."""
    found = {"pk": objects["fellowship"].pk} if "<int:pk>" in route else {}
    for parameter, key in (
        ("service_pk", "feedback_service"),
        ("feedback_pk", "feedback"),
        ("shortcoming_pk", "shortcoming"),
    ):
        if f"<int:{parameter}>" in route:
            found[parameter] = objects[key].pk
    return found


def ocds_records(world) -> dict:
    """A contract of a public service delivery, signed by both sides: in force."""
    from datetime import date, timedelta
    from decimal import Decimal

    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.procurement.services import contracts
    from tests.factories import PASSWORD

    today = date.today()
    service = create_collaboration(
        world.civic_lead,
        model="service_delivery",
        title="Published service",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=today,
        public=True,
    )
    contract = contracts.create_contract(
        world.civic_lead,
        service,
        title="Open data portal",
        value=Decimal("5000.00"),
        currency="AUD",
        start_date=today,
        end_date=today + timedelta(days=90),
    )
    for signer in (world.civic_lead, world.official):
        digest = contracts.terms_digest(contract)
        contract = contracts.sign_contract(signer, contract, terms=digest, password=PASSWORD)
    return {"ocds_contract": contract}


def contract_records(world) -> dict:
    """A contract in force with a deliverable delivered, a step of the procurement, a
    planned cost and an invoice paid in part, written through the services."""
    from datetime import date, timedelta
    from decimal import Decimal

    from civicbridge.procurement.services import contracts, invoices
    from civicbridge.procurement.tests.contract_helpers import draft, service_delivery, sign_both

    today = date.today()
    service = service_delivery(world, title="Walked contract")
    contract = draft(world, service)
    deliverable = contracts.add_milestone(
        world.civic_lead, contract, kind="delivery", title="Beta", due_on=today
    )
    step = contracts.add_milestone(
        world.civic_lead, contract, kind="engagement", title="Consultation", due_on=today
    )
    contract = sign_both(world, contract)
    contracts.deliver_milestone(world.civic_lead, deliverable)
    cost = contracts.add_planned_cost(
        world.civic_lead,
        contract,
        description="Hosting",
        amount=Decimal("100.00"),
        currency="AUD",
        due_on=today + timedelta(days=7),
    )
    invoice = invoices.add_invoice(
        world.civic_lead,
        contract,
        number="WALK-1",
        amount=Decimal("1000.00"),
        currency="AUD",
        issued_on=today,
    )
    payment = invoices.record_payment(
        world.official, invoice, amount=Decimal("100.00"), currency="AUD", paid_on=today
    )
    return {
        "contract": contract,
        "deliverable": deliverable,
        "procurement_step": step,
        "planned_cost": cost,
        "invoice": invoice,
        "payment": payment,
    }


def contract_kwargs(name: str, route: str, world, objects) -> dict:
    """The walk's contract, and the record of it each parameter of the route names."""
    contract = objects["contract"]
    milestone = objects["procurement_step" if "outcome" in route else "deliverable"]
    if route.startswith("organisations/"):
        # The civic organisation's money; the institution's payment record.
        return {"pk": (world.institution if "payment" in name else world.civic).pk}
    values = {
        "pk": contract.collaboration_id,
        "contract_pk": contract.pk,
        "milestone_pk": milestone.pk,
        "cost_pk": objects["planned_cost"].pk,
        "invoice_pk": objects["invoice"].pk,
        "payment_pk": objects["payment"].pk,
        "collaboration_id": contract.collaboration_id,
        "contract_id": contract.pk,
        "milestone_id": milestone.pk,
        "cost_id": objects["planned_cost"].pk,
        "invoice_id": objects["invoice"].pk,
        "payment_id": objects["payment"].pk,
    }
    return {
        key: value
        for key, value in values.items()
        if f"<int:{key}>" in route or f"<{key}>" in route
    }


def consulting_records(world) -> dict:
    """A consulting engagement with its scope, a deliverable whose first version waits for
    the institution, and a recommendation owned by the official with one update."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.consulting import services

    engagement = create_collaboration(
        world.civic_lead,
        model="consulting",
        title="Walked advice",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=date.today(),
    )
    services.save_engagement(world.official, engagement, scope="Permits.", questions=["Which?"])
    deliverable = services.add_deliverable(
        world.civic_lead, engagement, title="Review", kind="review", due_on=date.today()
    )
    version = services.submit_version(
        world.civic_lead,
        deliverable,
        from_status="planned",
        file=SimpleUploadedFile("review.pdf", b"%PDF-1.7\n%%EOF\n"),
    )
    recommendation = services.add_recommendation(
        world.civic_lead,
        engagement,
        deliverable=deliverable,
        title="Publish the register",
        finding="Asked weekly.",
        priority="high",
        owner=world.official.person,
    )
    services.record_adoption(
        world.official,
        recommendation,
        completion="limited",
        practice_change="marginal",
        evidence="A first export.",
    )
    return {
        "consulting": engagement,
        "consulting_deliverable": deliverable,
        "consulting_version": version,
        "recommendation": recommendation,
    }


def consulting_kwargs(route: str, objects) -> dict:
    """The walk's engagement, and the record of it each parameter of the route names."""
    values = {
        "pk": objects["consulting"].pk,
        "consulting_id": objects["consulting"].pk,
        "deliverable_pk": objects["consulting_deliverable"].pk,
        "deliverable_id": objects["consulting_deliverable"].pk,
        "version_pk": objects["consulting_version"].pk,
        "recommendation_pk": objects["recommendation"].pk,
        "recommendation_id": objects["recommendation"].pk,
    }
    return {name: value for name, value in values.items() if re.search(f"[<:]{name}>", route)}


def notification_records(world) -> dict:
    """The civic lead's inbox item and calendar feed."""
    return {
        "inbox_item": InboxItemFactory(user=world.civic_lead),
        "calendar_feed": CalendarFeedFactory(user=world.civic_lead),
    }


def service_delivery_records(world) -> dict:
    """A service delivery with its route, a jurisdiction's rules, the civic organisation's
    register and supplier profile, written through the services."""
    from datetime import date
    from decimal import Decimal
    from typing import Any

    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.partners import services as partners
    from civicbridge.procurement.services import conflicts, routes

    today = date.today()
    place = routes.create_jurisdiction(world.admin, name="Walkland", code="walkland")
    fields: dict[str, Any] = {"source": "Walkland Procurement Act", "source_date": today}
    rule = routes.save_rule(
        world.admin, place, route="open_tender", allowed=True, explanation="Allowed.", **fields
    )
    step = routes.save_step(
        world.admin, place, route="open_tender", order=1, name="Notice", minimum_days=30, **fields
    )
    service = create_collaboration(
        world.civic_lead,
        model="service_delivery",
        title="Walked service",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=today,
    )
    routes.choose_route(
        world.civic_lead,
        service,
        route="open_tender",
        jurisdiction=place,
        estimated_value=Decimal("1000.00"),
        currency="AUD",
        procurement_starts_on=today,
    )
    role = conflicts.add_role(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        role="watchdog",
        started_on=today,
    )
    disclosure = conflicts.add_disclosure(
        world.civic_lead,
        world.civic,
        institution=world.institution,
        roles=["watchdog"],
        mission_discussion="Discussed.",
        outcome="Decided.",
        discussed_on=today,
    )
    recusal = conflicts.add_recusal(
        world.civic_lead, disclosure, person=world.fellow.person, stands_aside_from="Reports."
    )
    partners.save_supplier_profile(
        world.civic_lead,
        world.civic,
        legal_name="Code for Testing Inc.",
        registration_country="Australia",
        capabilities="Digital services.",
    )
    offering = partners.add_offering(
        world.civic_lead, world.civic, name="Hosting", kind="service", description="We run it."
    )
    past = partners.add_past_contract(
        world.civic_lead, world.civic, buyer_name="Elsewhere", title="A site", year=2024
    )
    return {
        "service_delivery": service,
        "jurisdiction": place,
        "rule": rule,
        "step": step,
        "role": role,
        "disclosure": disclosure,
        "recusal": recusal,
        "offering": offering,
        "past_contract": past,
    }


def service_delivery_kwargs(route: str, world, objects) -> dict:
    """The service-delivery record each parameter of the route names."""
    if route.startswith("jurisdictions/"):
        pk = objects["jurisdiction"].pk
    elif route.startswith("collaborations/"):
        pk = objects["service_delivery"].pk
    else:
        pk = world.civic.pk
    values = {
        "pk": pk,
        "rule_pk": objects["rule"].pk,
        "step_pk": objects["step"].pk,
        "role_pk": objects["role"].pk,
        "disclosure_pk": objects["disclosure"].pk,
        "recusal_pk": objects["recusal"].pk,
        "offering_pk": objects["offering"].pk,
        "contract_pk": objects["past_contract"].pk,
        "jurisdiction_id": objects["jurisdiction"].pk,
        "collaboration_id": objects["service_delivery"].pk,
        "organisation_id": world.civic.pk,
        "role_id": objects["role"].pk,
        "disclosure_id": objects["disclosure"].pk,
        # API writes that match the pages
        "rule_id": objects["rule"].pk,
        "step_id": objects["step"].pk,
        "recusal_id": objects["recusal"].pk,
        "offering_id": objects["offering"].pk,
        "past_contract_id": objects["past_contract"].pk,
    }
    return {
        name: value
        for name, value in values.items()
        if f"<int:{name}>" in route or f"<{name}>" in route
    }


def notification_kwargs(route: str, objects) -> dict:
    if "<int:pk>" in route:
        return {"pk": objects["inbox_item"].pk}
    return {"secret": objects["calendar_feed"].secret} if "<str:secret>" in route else {}


def collaboration_records(world) -> dict:
    """A public fellowship with one record of each kind, written through the services."""
    from datetime import date, timedelta
    from decimal import Decimal

    from civicbridge.collaborations.services import (
        agreement,
        credit,
        goals,
        handover,
        parties,
        people,
    )
    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.fellowships.services import create_or_update_placement

    today = date.today()
    start, end = today + timedelta(days=60), today + timedelta(days=240)
    fellowship = create_collaboration(
        world.civic_lead,
        model="fellowship",
        title="Walked fellowship",
        civic_organisation=world.civic,
        institution=world.institution,
        start_date=start,
        end_date=end,
        public=True,
    )
    goal = goals.add_goal(world.civic_lead, fellowship, kind="own", title="Faster permits")
    placement = create_or_update_placement(
        world.civic_lead,
        fellowship,
        fellow=world.fellow.person,
        supervisor=world.official.person,
        host_department=world.department,
        start_date=start,
        end_date=end,
    )
    return {
        "fellowship": fellowship,
        "obligation": agreement.add_obligation(
            world.civic_lead,
            fellowship,
            party=world.institution,
            description="Provide a desk and building access.",
            owner=world.official.person,
            due_date=today + timedelta(days=30),
        ),
        "stakeholder": people.add_stakeholder(
            world.official, fellowship, person=world.official.person, role="champion"
        ),
        "goal": goal,
        "indicator": goals.add_indicator(
            world.civic_lead,
            goal,
            name="Days to a permit",
            baseline=Decimal(40),
            target=Decimal(10),
        ),
        "successor": handover.add_successor(
            world.official, fellowship, person=world.official.person
        ),
        "handover_task": handover.add_task(world.official, fellowship, title="Document the tool"),
        "preparation_task": placement.preparation_tasks.first(),
        "follow_up": FollowUpFactory(collaboration=fellowship, due_on=today),
        "credit": credit.draft_credit(
            world.fellow, fellowship, text="Thanks.", government_contribution="A team."
        ),
        "reform": credit.ask_reform(world.civic_lead, fellowship, title="Open the permit data"),
        "party_change": parties.propose_party_change(
            world.civic_lead,
            fellowship,
            side="institution",
            successor=world.other,
            reason="Testshire Council merged into Elsewhere Council.",
        ),
    }


def event_records(world) -> dict:
    """A public event with registration open: a challenge waiting for review, a confirmed
    participant in a team, and a registration still to confirm."""
    from civicbridge.events.services import teams
    from civicbridge.events.services.participants import link_token
    from civicbridge.events.tests.eventdata import challenge, confirmed, open_event, registered

    event = open_event(world)
    ann = confirmed(event, "Ann Dev")
    return {
        "event": event,
        "challenge": challenge(world, event, title="Waiting for review"),
        "team": teams.create_team(world.civic_lead, event, name="Walkers", members=[ann]),
        "confirm_token": link_token(registered(event, "Una Unconfirmed")),
        "cancel_token": link_token(ann, cancel=True),
    }


def follow_up_records(world) -> dict:
    """A project of the walk's event, with its team contact's one-month follow-up."""
    from civicbridge.events.models import Event
    from civicbridge.events.services.followups import answer_token

    project = ProjectFactory(event=Event.objects.get(), title="Walked project")
    follow_up = ProjectFollowUpFactory.create(project=project, name="Ann Dev")
    return {
        "followed_project": project,
        "project_follow_up": follow_up,
        "follow_up_token": answer_token(follow_up),
    }


def event_kwargs(route: str, objects) -> dict:
    """The walk's event, and the record of it each parameter of the route names."""
    values = {
        "pk": objects["event"].collaboration_id,
        "event_id": objects["event"].collaboration_id,
        "challenge_pk": objects["challenge"].pk,
        "challenge_id": objects["challenge"].pk,
        "team_pk": objects["team"].pk,
        "team_id": objects["team"].pk,
        "token": objects["cancel_token" if "cancel" in route else "confirm_token"],
    }
    # Projects, judging and the engagement plan
    values.update(project_kwargs(route, objects))
    if "follow-ups" in route:  # a project of the event, and one of its follow-ups
        values["project_pk"] = objects["followed_project"].pk
        values["follow_up_pk"] = objects["project_follow_up"].pk
        values["token"] = objects["follow_up_token"]
    return {name: value for name, value in values.items() if re.search(f"[<:]{name}>", route)}


def project_records(world) -> dict:
    """The walk team's project with an artefact, a rubric, the civic lead judging, and a
    plan worth continuing with the official's commitment."""
    from datetime import date, timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.events.models import Team
    from civicbridge.events.services import engagement, judging
    from civicbridge.events.services.projects import add_artefact, team_link_token
    from civicbridge.events.tests.projectdata import PNG, add_project

    team = Team.objects.get(name="Walkers")
    event = team.event
    project = add_project(world, event, team, "Walked bin map")
    sketch = SimpleUploadedFile("sketch.png", PNG)
    plan = engagement.decide(
        world.official,
        project,
        worth_continuing=True,
        owner=world.official.person,
        capacity="A day a week.",
    )
    return {
        "project": project,
        "artefact": add_artefact(world.civic_lead, project, kind="sketch", file=sketch),
        "criterion": judging.add_criterion(world.civic_lead, event, name="Design", weight=3),
        "judge": judging.add_judge(world.civic_lead, event, email=world.civic_lead.email),
        "commitment": engagement.add_commitment(
            world.official,
            plan,
            official=world.official.person,
            next_step="Pilot it.",
            due_on=date.today() + timedelta(days=30),
        ),
        "team_token": team_link_token(team),
    }


def project_kwargs(route: str, objects) -> dict:
    """The walk's project and its records, by the names the routes give them."""
    values = {
        "project_pk": objects["project"].pk,
        "project_id": objects["project"].pk,
        "artefact_pk": objects["artefact"].pk,
        "criterion_pk": objects["criterion"].pk,
        "judge_pk": objects["judge"].pk,
        "judge_id": objects["judge"].pk,
        "commitment_pk": objects["commitment"].pk,
        "commitment_id": objects["commitment"].pk,
        # API writes that match the pages
        "criterion_id": objects["criterion"].pk,
        "artefact_id": objects["artefact"].pk,
    }
    if "team-projects" in route:
        values["token"] = objects["team_token"]
    return values


def policy_records(world) -> dict:
    """A policy collaboration with a draft change, the civic side's response with its file,
    and a commitment with a milestone."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from civicbridge.collaborations.services.lifecycle import create_collaboration
    from civicbridge.policy import services
    from civicbridge.policy.tests.conftest import days_ago, record_change

    policy = create_collaboration(
        world.civic_lead,
        model="policy",
        title="Walked policy",
        civic_organisation=world.civic,
        institution=world.institution,
    )
    change = record_change(world.civic_lead, policy)
    commitment = services.save_commitment(world.civic_lead, policy, title="Open the budget")
    return {
        "policy": policy,
        "policy_change": change,
        "policy_response": services.add_response(
            world.civic_lead,
            change,
            title="Our response",
            submitted_on=days_ago(1),
            file=SimpleUploadedFile("response.pdf", b"%PDF-1.4 walked"),
        ),
        "policy_commitment": commitment,
        "policy_milestone": services.add_milestone(
            world.civic_lead, commitment, title="Budget online", due_on=days_ago(-10)
        ),
    }


def policy_kwargs(route: str, objects) -> dict:
    """The walk's policy collaboration, and the record of it each parameter names."""
    values = {
        "pk": objects["policy"].pk,
        "policy_id": objects["policy"].pk,
        "change_pk": objects["policy_change"].pk,
        "policy_change_id": objects["policy_change"].pk,
        "response_pk": objects["policy_response"].pk,
        "commitment_pk": objects["policy_commitment"].pk,
        "policy_commitment_id": objects["policy_commitment"].pk,
        "milestone_pk": objects["policy_milestone"].pk,
        "policy_milestone_id": objects["policy_milestone"].pk,
    }
    return {name: value for name, value in values.items() if re.search(f"[<:]{name}>", route)}


def finished_assessment(world):
    from datetime import date

    from civicbridge.readiness import services

    assessment = services.start_assessment(
        world.civic_lead,
        world.civic,
        title="Testshire, 2026",
        institution=world.institution,
        country="Australia",
        assessed_on=date(2026, 11, 1),
        visibility="both",
    )
    questions = assessment.playbook_version.content["questions"]
    services.save_answers(world.civic_lead, assessment, {q["id"]: 1 for q in questions})
    return services.complete_assessment(world.civic_lead, assessment)


def test_every_url_pattern_has_expectations():
    names = set(routes())
    assert names - EXPECTED.keys() == set(), "Write expectations for these new URL patterns"
    assert EXPECTED.keys() - names == set(), "These expectations name URL patterns that are gone"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_url_walk(name, world, objects, client_for):
    url = reverse(name, kwargs=kwargs_for(name, world, objects))
    got = {}
    for persona in PERSONAS:
        response = client_for(getattr(world, persona)).get(url)
        got[persona] = response.status_code
        if response.status_code == 302 and persona == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login")), url
    assert got == dict(zip(PERSONAS, EXPECTED[name], strict=True)), url


def training_records(world) -> dict:
    """A training programme with a module and its objective, a session, the official as a
    participant who attended and has a certificate, and the batch that made it."""
    from datetime import date

    from django.core.files.base import ContentFile

    from civicbridge.training.models import Certificate, CertificateRun
    from civicbridge.training.services import capacity, participants, sessions
    from civicbridge.training.tests.trainingdata import programme, session, with_curriculum

    training = programme(world, title="Walked training")
    basics, _practice, objectives = with_curriculum(world, training)
    day = session(world, training, [basics], days=-1)
    participant = participants.add_participant(
        world.civic_lead, training, person=world.official.person
    )
    sessions.invite(world.civic_lead, day, [participant])
    sessions.take_attendance(world.civic_lead, day, [participant.pk])
    certificate = Certificate(participant=participant, issued_on=date.today())
    certificate.file.save("certificate.pdf", ContentFile(b"%PDF-1.7"))
    before = participant.self_assessments.get(moment="before")
    return {
        "training": training,
        "training_module": basics,
        "training_objective": objectives[0],
        "training_session": day,
        "training_participant": participant,
        "certificate_run": CertificateRun.objects.create(collaboration=training, status="done"),
        "self_assessment": before,
        "self_assessment_token": capacity.answer_token(before),
    }


def training_kwargs(route: str, objects) -> dict:
    """The walk's training programme, and the record of it each parameter names."""
    if route.startswith("training/self-assessments/"):
        return {"pk": objects["self_assessment"].pk, "token": objects["self_assessment_token"]}
    values = {
        "pk": objects["training"].pk,
        "training_id": objects["training"].pk,
        "module_id": objects["training_module"].pk,
        "session_id": objects["training_session"].pk,
        "module_pk": objects["training_module"].pk,
        "objective_pk": objects["training_objective"].pk,
        "session_pk": objects["training_session"].pk,
        "participant_pk": objects["training_participant"].pk,
        "run_pk": objects["certificate_run"].pk,
    }
    return {
        name: value
        for name, value in values.items()
        if f"<int:{name}>" in route or f"<{name}>" in route
    }
