from django.urls import path

from . import views

app_name = "fellowships"

PLACEMENT = "collaborations/<int:pk>/placement/"
PREPARATION = "collaborations/<int:pk>/preparation/"

urlpatterns = [
    path(PLACEMENT, views.placement, name="placement"),
    path(f"{PLACEMENT}edit/", views.placement_edit, name="placement_edit"),
    path(f"{PLACEMENT}statements/<str:who>/", views.statement, name="statement"),
    path(PREPARATION, views.brief, name="brief"),
    path(f"{PREPARATION}brief/", views.brief_edit, name="brief_edit"),
    path(f"{PREPARATION}brief/send/", views.brief_deliver, name="brief_deliver"),
    path(f"{PREPARATION}tasks/new/", views.task_create, name="task_create"),
    path(f"{PREPARATION}tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path(f"{PREPARATION}tasks/<int:task_pk>/reopen/", views.task_reopen, name="task_reopen"),
]
