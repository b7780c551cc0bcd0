app_name = "events"

# Each part of the room adds its routes in its own block.
urlpatterns = [
    # Events, challenges, participants and teams
    # Projects, judging and the engagement plan
    # Follow-ups, survival and import
]
