from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "civicbridge.events"
    verbose_name = "Events and hackathons"

    def ready(self) -> None:
        from civicbridge.collaborations.tabs import Tab, add_tab

        add_tab("event", Tab("event", _("Event"), "events:event"))
        add_tab("event", Tab("challenges", _("Challenges"), "events:challenges"))
        add_tab("event", Tab("participants", _("Participants"), "events:participants"))
        add_tab("event", Tab("projects", _("Projects"), "events:projects"))
        add_tab("event", Tab("judging", _("Judging"), "events:judging"))
        add_tab("event", Tab("engagement", _("Engagement plan"), "events:engagement"))
        add_tab("event", Tab("follow-ups", _("Follow-ups"), "events:follow_ups"))
        add_tab("event", Tab("survival", _("Survival"), "events:survival"))

        from civicbridge.collaborations.services.lifecycle import on_close
        from civicbridge.collaborations.viewers import add_viewers

        from .permissions import partnered_collaborations

        add_viewers(partnered_collaborations)

        from .services.followups import schedule_on_close

        on_close("event", schedule_on_close)

        from civicbridge.partners.imports import Importer, register_importer

        from . import importer

        register_importer(
            "events_csv",
            Importer(
                label=_("Past events and their projects (CSV)"),
                run=importer.run_import,
                allowed=importer.allowed,
                upload_url="events:import",
                result_url="events:list",
                result_label=_("See the events"),
            ),
        )
