"""Outreach routes, one module per area (enterprises, activities, feedback, attachments)."""

from . import activities, attachments, enterprises, feedback

app_name = "outreach"

urlpatterns = [
    *enterprises.urlpatterns,
    *activities.urlpatterns,
    *feedback.urlpatterns,
    *attachments.urlpatterns,
]
