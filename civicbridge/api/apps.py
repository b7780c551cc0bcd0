from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civicbridge.api"
    label = "api"
    verbose_name = "API"
