from django.urls import path

from . import views

app_name = "training"

TRAINING = "collaborations/<int:pk>/training/"

urlpatterns = [
    path(f"{TRAINING}curriculum/", views.curriculum_tab, name="curriculum"),
    path(f"{TRAINING}curriculum/new/", views.module_create, name="module_create"),
    path(f"{TRAINING}curriculum/<int:module_pk>/edit/", views.module_edit, name="module_edit"),
    path(
        f"{TRAINING}curriculum/<int:module_pk>/delete/", views.module_delete, name="module_delete"
    ),
    path(
        f"{TRAINING}curriculum/<int:module_pk>/objectives/new/",
        views.objective_create,
        name="objective_create",
    ),
    path(
        f"{TRAINING}objectives/<int:objective_pk>/delete/",
        views.objective_delete,
        name="objective_delete",
    ),
    path(f"{TRAINING}sessions/", views.sessions_tab, name="sessions"),
    path(f"{TRAINING}sessions/new/", views.session_create, name="session_create"),
    path(f"{TRAINING}sessions/<int:session_pk>/", views.session_detail, name="session"),
    path(f"{TRAINING}sessions/<int:session_pk>/edit/", views.session_edit, name="session_edit"),
    path(
        f"{TRAINING}sessions/<int:session_pk>/invite/", views.session_invite, name="session_invite"
    ),
    path(
        f"{TRAINING}sessions/<int:session_pk>/register/",
        views.session_register,
        name="session_register",
    ),
    path(f"{TRAINING}sessions/<int:session_pk>/attendance/", views.attendance, name="attendance"),
    path(f"{TRAINING}participants/", views.participants_tab, name="participants"),
    path(f"{TRAINING}participants/new/", views.participant_create, name="participant_create"),
    path(
        f"{TRAINING}participants/<int:participant_pk>/delete/",
        views.participant_delete,
        name="participant_delete",
    ),
    path(
        f"{TRAINING}participants/<int:participant_pk>/champion/",
        views.champion,
        name="champion",
    ),
    path(
        f"{TRAINING}participants/<int:participant_pk>/certificate/",
        views.certificate_download,
        name="certificate",
    ),
    path(f"{TRAINING}certificates/", views.certificates_request, name="certificates_request"),
    path(f"{TRAINING}certificates/<int:run_pk>/", views.certificate_run, name="certificate_run"),
    path(f"{TRAINING}capacity/", views.capacity_tab, name="capacity"),
    path(f"{TRAINING}capacity/follow-ups/", views.follow_ups_plan, name="follow_ups_plan"),
    path(f"{TRAINING}mine/", views.own, name="own"),
    path("training/self-assessments/<int:pk>/<str:token>/", views.answer, name="answer"),
]
