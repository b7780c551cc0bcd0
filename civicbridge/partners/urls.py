from django.urls import path

from . import supplier_views, views

app_name = "partners"

SUPPLIER = "organisations/<int:pk>/supplier/"

urlpatterns = [
    path("organisations/", views.directory, name="directory"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/export.json", views.export_all, name="export_all"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("organisations/<int:pk>/audit/", views.organisation_audit, name="organisation_audit"),
    path(
        "organisations/<int:pk>/popolo.json", views.organisation_export, name="organisation_export"
    ),
    path(
        "organisations/<int:pk>/departments/new/", views.department_create, name="department_create"
    ),
    path("organisations/<int:pk>/people/", views.organisation_people, name="organisation_people"),
    path("organisations/<int:pk>/people/new/", views.person_create, name="person_create"),
    path("organisations/<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/memberships/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("memberships/<int:pk>/delete/", views.membership_delete, name="membership_delete"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
    path(SUPPLIER, supplier_views.supplier_profile, name="supplier_profile"),
    path(f"{SUPPLIER}edit/", supplier_views.supplier_profile_edit, name="supplier_profile_edit"),
    path(
        f"{SUPPLIER}capability-statement.pdf",
        supplier_views.capability_statement,
        name="capability_statement",
    ),
    path(f"{SUPPLIER}offerings/new/", supplier_views.offering_form, name="offering_create"),
    path(
        f"{SUPPLIER}offerings/<int:offering_pk>/",
        supplier_views.offering_form,
        name="offering_edit",
    ),
    path(
        f"{SUPPLIER}offerings/<int:offering_pk>/delete/",
        supplier_views.offering_delete,
        name="offering_delete",
    ),
    path(
        f"{SUPPLIER}contracts/new/", supplier_views.past_contract_form, name="past_contract_create"
    ),
    path(
        f"{SUPPLIER}contracts/<int:contract_pk>/",
        supplier_views.past_contract_form,
        name="past_contract_edit",
    ),
    path(
        f"{SUPPLIER}contracts/<int:contract_pk>/delete/",
        supplier_views.past_contract_delete,
        name="past_contract_delete",
    ),
    path("imports/", views.import_upload, name="import_upload"),
    path("imports/<int:pk>/", views.import_run, name="import_run"),
]
