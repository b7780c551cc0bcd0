from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FellowshipsConfig(AppConfig):
    name = "civicbridge.fellowships"
    verbose_name = "Fellowships"

    def ready(self) -> None:
        from civicbridge.collaborations.tabs import Tab, add_tab

        add_tab("fellowship", Tab("placement", _("Placement"), "fellowships:placement"))
        add_tab("fellowship", Tab("brief", _("Preparation"), "fellowships:brief"))
