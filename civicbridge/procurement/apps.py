from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "civicbridge.procurement"
    verbose_name = "Service delivery"

    def ready(self) -> None:
        from civicbridge.collaborations import portfolio as collaboration_portfolio
        from civicbridge.collaborations.services.parties import on_party_change
        from civicbridge.collaborations.tabs import Tab, add_tab
        from civicbridge.partners import extensions
        from civicbridge.partners.imports import Importer, register_importer

        from . import portfolio, supplier
        from .ocds.importer import run_import
        from .permissions import may_start_ocds_import
        from .services.signing import follow_party_change

        add_tab("service_delivery", Tab("procurement", _("Procurement"), "procurement:plan"))
        add_tab("service_delivery", Tab("contract", _("Contract"), "procurement:contract"))
        add_tab("service_delivery", Tab("invoices", _("Invoices"), "procurement:invoices"))
        extensions.add_past_work(supplier.past_work)
        extensions.add_notice("procurement/conflicts/_warnings.html", supplier.conflict_notice)
        extensions.add_section(
            extensions.Section(
                "money",
                _("Money"),
                40,
                supplier.money_section,
                (
                    "procurement:money_owed",
                    "procurement:cash_flow",
                    "procurement:payment_record",
                ),
            )
        )
        extensions.add_section(
            extensions.Section(
                "conflicts",
                _("Conflicts of interest"),
                60,
                supplier.conflicts_section,
                ("procurement:conflicts",),
            )
        )
        on_party_change(follow_party_change)
        collaboration_portfolio.add_figures(portfolio.figures)
        collaboration_portfolio.add_platform_figures(portfolio.platform_figures)
        register_importer(
            "ocds",
            Importer(
                label=_("OCDS contracts (release or record package)"),
                run=run_import,
                allowed=may_start_ocds_import,
                upload_url="procurement:ocds_import",
                result_url="collaborations:list",
                result_label=_("See your collaborations"),
            ),
        )
