from django.urls import path

from . import views

app_name = "playbook"

urlpatterns = [
    path("playbook/", views.guidelines, name="guidelines"),
    path("playbook/guidelines.md", views.guidelines_markdown, name="markdown"),
    path("playbook/guidelines.pdf", views.guidelines_pdf, name="pdf"),
    path("playbook/versions/", views.versions, name="versions"),
    path("playbook/versions/<int:number>/", views.guidelines, name="version"),
    path("playbook/versions/<int:old>/<int:new>/", views.compare, name="compare"),
    path(
        "playbook/versions/<int:number>/<slug:model_id>/",
        views.guidelines,
        name="version_model",
    ),
    path("playbook/items/<str:item_id>/edit/", views.edit_item, name="edit_item"),
    path("playbook/<slug:model_id>/", views.guidelines, name="model"),
    path(
        "playbook/<slug:model_id>/guidelines.md", views.guidelines_markdown, name="model_markdown"
    ),
    path("playbook/<slug:model_id>/guidelines.pdf", views.guidelines_pdf, name="model_pdf"),
]
