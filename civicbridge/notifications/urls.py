from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/<int:pk>/read/", views.read, name="read"),
    path("notifications/read-all/", views.read_all, name="read_all"),
    path("notifications/preferences/", views.preferences, name="preferences"),
    path("notifications/calendar/", views.calendar, name="calendar"),
    path("notifications/calendar/reset/", views.calendar_reset, name="calendar_reset"),
    path("calendar/<str:secret>.ics", views.feed, name="feed"),
]
