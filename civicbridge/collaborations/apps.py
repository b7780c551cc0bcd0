from django.apps import AppConfig


class CollaborationsConfig(AppConfig):
    name = "civicbridge.collaborations"
    verbose_name = "Collaborations"

    def ready(self) -> None:
        from civicbridge.readiness.actions import add_model_action

        from .proposals import propose_from_assessment

        add_model_action(propose_from_assessment)
