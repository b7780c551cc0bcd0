from django.apps import AppConfig


class PlaybookConfig(AppConfig):
    name = "civicbridge.playbook"
    label = "playbook"
