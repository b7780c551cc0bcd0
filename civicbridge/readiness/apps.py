from django.apps import AppConfig


class ReadinessConfig(AppConfig):
    name = "civicbridge.readiness"
    label = "readiness"
