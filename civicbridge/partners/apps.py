from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "civicbridge.partners"
    label = "partners"
