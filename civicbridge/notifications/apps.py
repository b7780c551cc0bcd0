from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civicbridge.notifications"
    verbose_name = "Notifications"
