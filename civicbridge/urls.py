from django.urls import include, path

from civicbridge.api.main import api

urlpatterns = [
    path("accounts/", include("civicbridge.accounts.urls")),
    path("", include("civicbridge.partners.urls")),
    path("", include("civicbridge.playbook.urls")),
    path("", include("civicbridge.readiness.urls")),
    path("", include("civicbridge.collaborations.urls")),
    path("", include("civicbridge.fellowships.urls")),
    path("", include("civicbridge.procurement.urls")),
    path("", include("civicbridge.events.urls")),
    path("", include("civicbridge.feedback.urls")),
    path("", include("civicbridge.consulting.urls")),
    path("", include("civicbridge.policy.urls")),
    path("", include("civicbridge.training.urls")),
    path("", include("civicbridge.notifications.urls")),
    path("", include("civicbridge.core.urls")),
    path("api/", api.urls),
]

handler400 = "civicbridge.core.errors.bad_request"
handler403 = "civicbridge.core.errors.permission_denied"
handler404 = "civicbridge.core.errors.page_not_found"
handler500 = "civicbridge.core.errors.server_error"
