from django.urls import path

from . import views

app_name = "fellowships"

urlpatterns = [
    path("collaborations/<int:pk>/placement/", views.placement, name="placement"),
    path("collaborations/<int:pk>/preparation/", views.brief, name="brief"),
]
