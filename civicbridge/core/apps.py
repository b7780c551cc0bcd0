from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicbridge.core"
    label = "core"

    def ready(self) -> None:
        from . import system_checks  # noqa: F401  (registers the deploy checks)
