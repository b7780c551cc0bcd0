from .views import agreement, checkins, core, credit, goals, handover, home, needs_you, people

app_name = "collaborations"

# Each tab's module keeps its own routes, next to its views.
urlpatterns = [
    *home.urlpatterns,
    *needs_you.urlpatterns,
    *core.urlpatterns,
    *agreement.urlpatterns,
    *people.urlpatterns,
    *checkins.urlpatterns,
    *goals.urlpatterns,
    *handover.urlpatterns,
    *credit.urlpatterns,
]
