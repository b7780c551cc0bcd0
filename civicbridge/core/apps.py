from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicbridge.core"
    label = "core"
