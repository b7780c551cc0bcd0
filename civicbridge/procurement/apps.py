from django.apps import AppConfig


class ProcurementConfig(AppConfig):
    name = "civicbridge.procurement"
    verbose_name = "Service delivery"
