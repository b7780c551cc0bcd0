from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "civicbridge.partners"
    label = "partners"

    def ready(self) -> None:
        from . import sections

        sections.register()
