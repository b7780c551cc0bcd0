from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("ops/tasks/", views.task_queue, name="task_queue"),
]
