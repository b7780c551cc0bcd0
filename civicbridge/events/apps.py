from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "civicbridge.events"
    verbose_name = "Events and hackathons"
