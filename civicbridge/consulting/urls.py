from django.urls import path

from . import views

app_name = "consulting"

ENGAGEMENT = "collaborations/<int:pk>/consulting/"
DELIVERABLE = f"{ENGAGEMENT}deliverables/<int:deliverable_pk>/"
RECOMMENDATIONS = f"{ENGAGEMENT}recommendations/"
RECOMMENDATION = f"{RECOMMENDATIONS}<int:recommendation_pk>/"

urlpatterns = [
    path(ENGAGEMENT, views.engagement, name="engagement"),
    path(f"{ENGAGEMENT}edit/", views.engagement_edit, name="engagement_edit"),
    path(f"{ENGAGEMENT}deliverables/new/", views.deliverable_create, name="deliverable_create"),
    path(DELIVERABLE, views.deliverable, name="deliverable"),
    path(f"{DELIVERABLE}edit/", views.deliverable_edit, name="deliverable_edit"),
    path(f"{DELIVERABLE}versions/new/", views.version_submit, name="version_submit"),
    path(
        f"{DELIVERABLE}versions/<int:version_pk>/file/",
        views.version_download,
        name="version_download",
    ),
    path(f"{DELIVERABLE}accept/", views.deliverable_accept, name="deliverable_accept"),
    path(f"{DELIVERABLE}changes/", views.deliverable_changes, name="deliverable_changes"),
    path(RECOMMENDATIONS, views.recommendations, name="recommendations"),
    path(f"{RECOMMENDATIONS}new/", views.recommendation_create, name="recommendation_create"),
    path(RECOMMENDATION, views.recommendation, name="recommendation"),
    path(f"{RECOMMENDATION}edit/", views.recommendation_edit, name="recommendation_edit"),
    path(f"{RECOMMENDATION}adoption/", views.adoption_create, name="adoption_create"),
]
