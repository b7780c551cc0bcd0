from django.urls import path

from .views import conflicts, contracts, invoices, money, ocds, routes

app_name = "procurement"

CONFLICTS = "organisations/<int:pk>/conflicts/"
DISCLOSURE = "disclosures/<int:disclosure_pk>/"
CONTRACTS = "collaborations/<int:pk>/contract/"
CONTRACT = f"{CONTRACTS}<int:contract_pk>/"
MILESTONE = f"{CONTRACT}milestones/<int:milestone_pk>/"
INVOICES = "collaborations/<int:pk>/invoices/"
INVOICE = f"{INVOICES}<int:invoice_pk>/"
MONEY = "organisations/<int:pk>/"

# Each part of the room adds its routes in its own block.
urlpatterns = [
    # Supplier profile, routes and rules, conflicts of interest
    path("jurisdictions/", routes.jurisdictions, name="jurisdictions"),
    path("jurisdictions/new/", routes.jurisdiction_create, name="jurisdiction_create"),
    path("jurisdictions/<int:pk>/", routes.jurisdiction, name="jurisdiction"),
    path("jurisdictions/<int:pk>/edit/", routes.jurisdiction_edit, name="jurisdiction_edit"),
    path("jurisdictions/<int:pk>/rules/new/", routes.rule_form, name="rule_create"),
    path("jurisdictions/<int:pk>/rules/<int:rule_pk>/", routes.rule_form, name="rule_edit"),
    path("jurisdictions/<int:pk>/steps/new/", routes.step_form, name="step_create"),
    path("jurisdictions/<int:pk>/steps/<int:step_pk>/", routes.step_form, name="step_edit"),
    path("collaborations/<int:pk>/procurement/", routes.plan, name="plan"),
    path("conflicts-of-interest/", conflicts.register, name="register"),
    path(CONFLICTS, conflicts.organisation_register, name="conflicts"),
    path(f"{CONFLICTS}roles/new/", conflicts.role_form, name="role_create"),
    path(f"{CONFLICTS}roles/<int:role_pk>/", conflicts.role_form, name="role_edit"),
    path(f"{CONFLICTS}roles/<int:role_pk>/delete/", conflicts.role_delete, name="role_delete"),
    path(f"{CONFLICTS}disclosures/new/", conflicts.disclosure_form, name="disclosure_create"),
    path(f"{CONFLICTS}{DISCLOSURE}", conflicts.disclosure_form, name="disclosure_edit"),
    path(f"{CONFLICTS}{DISCLOSURE}recusals/new/", conflicts.recusal_create, name="recusal_create"),
    path(
        f"{CONFLICTS}{DISCLOSURE}recusals/<int:recusal_pk>/delete/",
        conflicts.recusal_delete,
        name="recusal_delete",
    ),
    # Contracts, invoices and payments
    path(CONTRACTS, contracts.tab, name="contract"),
    path(f"{CONTRACTS}new/", contracts.contract_create, name="contract_create"),
    path(f"{CONTRACT}edit/", contracts.contract_edit, name="contract_edit"),
    path(f"{CONTRACT}sign/", contracts.contract_sign, name="contract_sign"),
    path(f"{CONTRACT}milestones/new/", contracts.milestone_create, name="milestone_create"),
    path(f"{MILESTONE}edit/", contracts.milestone_edit, name="milestone_edit"),
    path(f"{MILESTONE}delete/", contracts.milestone_delete, name="milestone_delete"),
    path(f"{MILESTONE}deliver/", contracts.milestone_deliver, name="milestone_deliver"),
    path(f"{MILESTONE}accept/", contracts.milestone_accept, name="milestone_accept"),
    path(f"{MILESTONE}outcome/", contracts.milestone_outcome, name="milestone_outcome"),
    path(f"{CONTRACT}variations/new/", contracts.variation_create, name="variation_create"),
    path(f"{CONTRACT}costs/new/", contracts.cost_create, name="cost_create"),
    path(f"{CONTRACT}costs/<int:cost_pk>/delete/", contracts.cost_delete, name="cost_delete"),
    path(f"{CONTRACT}invoices/new/", invoices.invoice_create, name="invoice_create"),
    path(INVOICES, invoices.tab, name="invoices"),
    path(f"{INVOICE}payments/new/", invoices.payment_create, name="payment_create"),
    path(
        f"{INVOICE}payments/<int:payment_pk>/delete/",
        invoices.payment_delete,
        name="payment_delete",
    ),
    path(f"{INVOICE}credit-notes/new/", invoices.credit_note_create, name="credit_note_create"),
    path(f"{MONEY}money-owed/", money.money_owed, name="money_owed"),
    path(f"{MONEY}payment-record/", money.payment_record, name="payment_record"),
    path(f"{MONEY}payment-record/chart.svg", money.payment_chart, name="payment_chart"),
    path(f"{MONEY}payment-record/data.csv", money.payment_csv, name="payment_csv"),
    path(f"{MONEY}cash-flow/", money.cash_flow, name="cash_flow"),
    # OCDS
    path("open-data/", ocds.open_data, name="open_data"),
    path("contracts/<int:pk>/ocds/releases.json", ocds.releases, name="ocds_releases"),
    path("contracts/<int:pk>/ocds/record.json", ocds.record, name="ocds_record"),
    path(
        "open-data/contracts/<int:pk>/ocds/releases.json",
        ocds.public_releases,
        name="ocds_public_releases",
    ),
    path(
        "open-data/contracts/<int:pk>/ocds/record.json",
        ocds.public_record,
        name="ocds_public_record",
    ),
    path("ocds/import/", ocds.import_page, name="ocds_import"),
]
