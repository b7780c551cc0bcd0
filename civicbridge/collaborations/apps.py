from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollaborationsConfig(AppConfig):
    name = "civicbridge.collaborations"
    verbose_name = "Collaborations"

    def ready(self) -> None:
        from django.urls import reverse

        from civicbridge.partners.extensions import Section, add_section
        from civicbridge.readiness.actions import add_model_action

        from .models.health import watch_health
        from .proposals import propose_from_assessment

        watch_health()

        add_model_action(propose_from_assessment)

        add_section(
            Section(
                "collaborations",
                _("Collaborations"),
                30,
                lambda user, organisation: reverse(
                    "collaborations:organisation_history", args=[organisation.pk]
                ),
                ("collaborations:organisation_history",),
            )
        )
