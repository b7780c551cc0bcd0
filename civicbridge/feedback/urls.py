from django.urls import path

from .views import feedback, shortcomings

app_name = "feedback"

FEEDBACK = "collaborations/<int:pk>/feedback/"
SHORTCOMINGS = "collaborations/<int:pk>/shortcomings/"
PUBLIC = "public/collaborations/<int:pk>/"

urlpatterns = [
    path("feedback/", feedback.overview_page, name="overview"),
    path(FEEDBACK, feedback.feedback_tab, name="feedback"),
    path(f"{FEEDBACK}export.csv", feedback.export, name="export"),
    path(f"{FEEDBACK}services/new/", feedback.service_create, name="service_create"),
    path(
        f"{FEEDBACK}services/<int:service_pk>/remove/",
        feedback.service_delete,
        name="service_delete",
    ),
    path(f"{FEEDBACK}<int:feedback_pk>/moderate/", feedback.moderate, name="moderate"),
    path(f"{FEEDBACK}<int:feedback_pk>/answer/", feedback.answer, name="answer"),
    path(f"{PUBLIC}feedback/", feedback.public_page, name="public"),
    path(f"{PUBLIC}feedback/new/", feedback.give, name="give"),
    path(SHORTCOMINGS, shortcomings.register, name="shortcomings"),
    path(f"{SHORTCOMINGS}new/", shortcomings.create, name="shortcoming_create"),
    path(f"{SHORTCOMINGS}publish/", shortcomings.publish, name="register_publish"),
    path(f"{SHORTCOMINGS}<int:shortcoming_pk>/edit/", shortcomings.edit, name="shortcoming_edit"),
    path(f"{SHORTCOMINGS}<int:shortcoming_pk>/status/", shortcomings.move, name="shortcoming_move"),
    path(f"{PUBLIC}shortcomings/", shortcomings.public_register, name="public_register"),
]
