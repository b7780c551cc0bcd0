from django.urls import path

from . import views

app_name = "policy"

BASE = "collaborations/<int:pk>/policy/"
CHANGE = f"{BASE}changes/<int:change_pk>/"
COMMITMENT = f"{BASE}commitments/<int:commitment_pk>/"

urlpatterns = [
    path(f"{BASE}changes/", views.changes, name="changes"),
    path(f"{BASE}changes/new/", views.change_create, name="change_create"),
    path(CHANGE, views.change, name="change"),
    path(f"{CHANGE}edit/", views.change_edit, name="change_edit"),
    path(f"{CHANGE}stage/", views.change_move, name="change_move"),
    path(f"{CHANGE}responses/new/", views.response_create, name="response_create"),
    path(f"{BASE}consultation/", views.consultation, name="consultation"),
    path(f"{BASE}responses/<int:response_pk>/file/", views.response_file, name="response_file"),
    path(f"{BASE}commitments/", views.commitments, name="commitments"),
    path(f"{BASE}commitments/new/", views.commitment_create, name="commitment_create"),
    path(COMMITMENT, views.commitment, name="commitment"),
    path(f"{COMMITMENT}edit/", views.commitment_edit, name="commitment_edit"),
    path(f"{COMMITMENT}assess/", views.commitment_assess, name="commitment_assess"),
    path(f"{COMMITMENT}milestones/new/", views.milestone_create, name="milestone_create"),
    path(
        f"{COMMITMENT}milestones/<int:milestone_pk>/done/",
        views.milestone_done,
        name="milestone_done",
    ),
    path("policy/commitments/import/", views.upload, name="import"),
]
