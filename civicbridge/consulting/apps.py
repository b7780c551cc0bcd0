from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultingConfig(AppConfig):
    name = "civicbridge.consulting"
    verbose_name = "Consulting"

    def ready(self) -> None:
        from civicbridge.collaborations.tabs import Tab, add_tab

        add_tab("consulting", Tab("engagement", _("Engagement"), "consulting:engagement"))
        add_tab(
            "consulting",
            Tab("recommendations", _("Recommendations"), "consulting:recommendations"),
        )
