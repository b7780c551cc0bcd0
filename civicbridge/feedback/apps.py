from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "civicbridge.feedback"
    verbose_name = "Feedback and shortcomings"

    def ready(self) -> None:
        from civicbridge.collaborations.choices import Model
        from civicbridge.collaborations.portfolio import add_figures
        from civicbridge.collaborations.tabs import Tab, add_tab

        from .queries import portfolio_figures

        for model in Model.values:
            add_tab(model, Tab("feedback", _("Feedback"), "feedback:feedback"))
            add_tab(model, Tab("shortcomings", _("Shortcomings"), "feedback:shortcomings"))
        add_figures(portfolio_figures)
