from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "civicbridge.policy"
    verbose_name = "Policy development"

    def ready(self) -> None:
        from civicbridge.collaborations.tabs import Tab, add_tab

        add_tab("policy", Tab("policy-changes", _("Policy changes"), "policy:changes"))
        add_tab("policy", Tab("consultation", _("Consultation"), "policy:consultation"))
        add_tab("policy", Tab("commitments", _("Commitments"), "policy:commitments"))

        from civicbridge.partners.imports import Importer, register_importer

        from . import importer

        register_importer(
            "commitments_csv",
            Importer(
                label=_("Action plan commitments (CSV)"),
                run=importer.run_import,
                allowed=importer.allowed,
                upload_url="policy:import",
                result_url="",
                result_label="",
            ),
        )
