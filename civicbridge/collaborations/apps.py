from django.apps import AppConfig


class CollaborationsConfig(AppConfig):
    name = "civicbridge.collaborations"
    verbose_name = "Collaborations"
