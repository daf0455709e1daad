"""The staff's receipt pages (``receipts:``); the public pages are ``public_urls.py``."""

from django.urls import path

from . import views

app_name = "receipts"

urlpatterns = [
    path("", views.ReceiptListView.as_view(), name="receipt_list"),
    path("activities/<int:activity_pk>/", views.activity_receipts, name="activity_receipts"),
    path("activities/<int:activity_pk>/issue/", views.receipt_issue, name="receipt_issue"),
    path("<int:pk>/", views.receipt_detail, name="receipt_detail"),
    path("<int:pk>/reissue/", views.receipt_reissue, name="receipt_reissue"),
    path("<int:pk>/revoke/", views.receipt_revoke, name="receipt_revoke"),
    # The enterprises' ratings (好差评) and the lead's follow-up
    path("ratings/", views.rating_list, name="rating_list"),
    path("ratings/<int:pk>/", views.rating_detail, name="rating_detail"),
    path("ratings/<int:pk>/follow-up/", views.rating_follow_up, name="rating_follow_up"),
]
