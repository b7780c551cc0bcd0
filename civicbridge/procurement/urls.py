from django.urls import path

app_name = "procurement"

# Each part of the room adds its routes in its own block.
urlpatterns = [
    # Supplier profile, routes and rules, conflicts of interest
    # Contracts, invoices and payments
    # OCDS
]
