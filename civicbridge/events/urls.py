from django.urls import path

from .views import (
    challenges,
    engagement,
    events,
    followups,
    imports,
    judging,
    participants,
    projects,
    survival,
    teams,
)

app_name = "events"

# Projects, judging and the engagement plan
PROJECTS = "collaborations/<int:pk>/projects/"
PROJECT = f"{PROJECTS}<int:project_pk>/"
JUDGING = "collaborations/<int:pk>/judging/"
ENGAGEMENT = "collaborations/<int:pk>/engagement/"
COMMITMENT = f"{ENGAGEMENT}commitments/<int:commitment_pk>/"

# Each part of the room adds its routes in its own block.
urlpatterns = [
    # Events, challenges, participants and teams
    path("events/", events.event_list, name="list"),
    path("events/new/", events.event_create, name="create"),
    path("collaborations/<int:pk>/event/", events.event_tab, name="event"),
    path("collaborations/<int:pk>/event/edit/", events.event_edit, name="event_edit"),
    path(
        "collaborations/<int:pk>/event/registration/open/",
        events.registration_open,
        name="registration_open",
    ),
    path(
        "collaborations/<int:pk>/event/registration/close/",
        events.registration_close,
        name="registration_close",
    ),
    path("collaborations/<int:pk>/challenges/", challenges.challenges, name="challenges"),
    path(
        "collaborations/<int:pk>/challenges/new/",
        challenges.challenge_create,
        name="challenge_create",
    ),
    path(
        "collaborations/<int:pk>/challenges/<int:challenge_pk>/",
        challenges.challenge_detail,
        name="challenge",
    ),
    path(
        "collaborations/<int:pk>/challenges/<int:challenge_pk>/edit/",
        challenges.challenge_edit,
        name="challenge_edit",
    ),
    path(
        "collaborations/<int:pk>/challenges/<int:challenge_pk>/submit/",
        challenges.challenge_submit,
        name="challenge_submit",
    ),
    path(
        "collaborations/<int:pk>/challenges/<int:challenge_pk>/review/",
        challenges.challenge_review,
        name="challenge_review",
    ),
    path("collaborations/<int:pk>/participants/", participants.participants, name="participants"),
    path(
        "collaborations/<int:pk>/participants.csv",
        participants.participants_csv,
        name="participants_csv",
    ),
    path("collaborations/<int:pk>/teams/", teams.teams, name="teams"),
    path("collaborations/<int:pk>/teams/new/", teams.team_create, name="team_create"),
    path("collaborations/<int:pk>/teams/<int:team_pk>/edit/", teams.team_edit, name="team_edit"),
    path(
        "collaborations/<int:pk>/teams/<int:team_pk>/dissolve/",
        teams.team_delete,
        name="team_delete",
    ),
    path("public/events/", events.public_list, name="public_list"),
    path("public/events/<int:pk>/", events.public_page, name="public"),
    path("public/events/<int:pk>/register/", participants.register, name="register"),
    path("registrations/<str:token>/confirm/", participants.confirm, name="confirm"),
    path("registrations/<str:token>/cancel/", participants.cancel, name="cancel"),
    # Projects, judging and the engagement plan
    path(PROJECTS, projects.projects, name="projects"),
    path(f"{PROJECTS}new/", projects.project_create, name="project_create"),
    path(PROJECT, projects.project_detail, name="project"),
    path(f"{PROJECT}edit/", projects.project_edit, name="project_edit"),
    path(f"{PROJECT}artefacts/new/", projects.artefact_upload, name="artefact_upload"),
    path(f"{PROJECT}artefacts/<int:artefact_pk>/", projects.artefact_download, name="artefact"),
    path(
        f"{PROJECT}artefacts/<int:artefact_pk>/remove/",
        projects.artefact_remove,
        name="artefact_remove",
    ),
    path(f"{PROJECT}winner/", judging.winner, name="project_winner"),
    path(
        "collaborations/<int:pk>/teams/<int:team_pk>/project-link/",
        projects.team_link_send,
        name="team_link_send",
    ),
    path("team-projects/<str:token>/", projects.team_project, name="team_project"),
    path(
        "team-projects/<str:token>/artefacts/",
        projects.team_artefact_upload,
        name="team_artefact_upload",
    ),
    path(JUDGING, judging.judging, name="judging"),
    path(f"{JUDGING}criteria/new/", judging.criterion_create, name="criterion_create"),
    path(
        f"{JUDGING}criteria/<int:criterion_pk>/edit/",
        judging.criterion_edit,
        name="criterion_edit",
    ),
    path(
        f"{JUDGING}criteria/<int:criterion_pk>/remove/",
        judging.criterion_remove,
        name="criterion_remove",
    ),
    path(f"{JUDGING}judges/new/", judging.judge_add, name="judge_add"),
    path(f"{JUDGING}judges/<int:judge_pk>/remove/", judging.judge_remove, name="judge_remove"),
    path(
        f"{JUDGING}judges/<int:judge_pk>/recusals/new/",
        judging.recusal_create,
        name="recusal_create",
    ),
    path(f"{JUDGING}projects/<int:project_pk>/score/", judging.score, name="score"),
    path(f"{JUDGING}results/", judging.results, name="results"),
    path(f"{JUDGING}results/publish/", judging.results_publish, name="results_publish"),
    path("public/events/<int:pk>/results/", judging.public_results, name="public_results"),
    path(ENGAGEMENT, engagement.engagement, name="engagement"),
    path(f"{ENGAGEMENT}projects/<int:project_pk>/", engagement.plan_edit, name="plan_edit"),
    path(
        f"{ENGAGEMENT}projects/<int:project_pk>/commitments/new/",
        engagement.commitment_create,
        name="commitment_create",
    ),
    path(f"{COMMITMENT}done/", engagement.commitment_done, name="commitment_done"),
    path(f"{COMMITMENT}reopen/", engagement.commitment_reopen, name="commitment_reopen"),
    path(f"{COMMITMENT}remove/", engagement.commitment_remove, name="commitment_remove"),
    # Follow-ups, survival and import
    path("collaborations/<int:pk>/follow-ups/", followups.follow_ups, name="follow_ups"),
    path(
        "collaborations/<int:pk>/follow-ups/<int:project_pk>/led-to/",
        followups.project_led_to,
        name="project_led_to",
    ),
    path(
        "follow-ups/projects/<int:follow_up_pk>/<str:token>/",
        followups.answer,
        name="follow_up_answer",
    ),
    path("follow-ups/projects/thanks/", followups.thanks, name="follow_up_thanks"),
    path("collaborations/<int:pk>/survival/", survival.event_survival, name="survival"),
    path("collaborations/<int:pk>/survival/chart.svg", survival.event_chart, name="survival_chart"),
    path("public/events/survival/", survival.public_survival, name="public_survival"),
    path("public/events/survival/chart.svg", survival.public_chart, name="public_survival_chart"),
    path("events/import/", imports.upload, name="import"),
]
