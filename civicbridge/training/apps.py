from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "civicbridge.training"
    verbose_name = "Training programmes"

    def ready(self) -> None:
        from civicbridge.collaborations.services.lifecycle import on_close
        from civicbridge.collaborations.tabs import Tab, add_tab

        add_tab("training", Tab("curriculum", _("Curriculum"), "training:curriculum"))
        add_tab("training", Tab("sessions", _("Sessions"), "training:sessions"))
        add_tab("training", Tab("participants", _("Participants"), "training:participants"))
        add_tab("training", Tab("capacity", _("Capacity"), "training:capacity"))

        from .services.capacity import plan_follow_ups_on_close

        on_close("training", plan_follow_ups_on_close)
