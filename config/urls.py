"""The project's URL map: each app has its own namespace."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Outreach feedback tracker administration")
admin.site.site_title = _("Outreach feedback tracker")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("outreach/", include("outreach.urls")),
    path("import/", include("imports.urls")),
    path("notifications/", include("notifications.urls")),
    path("issues/", include("issues.urls")),
    path("calendar/", include("workdays.urls")),
    path("receipts/", include("receipts.urls")),
    path("jobs/", include("jobs.urls")),
    path("recurring/", include("themes.urls")),
    # The enterprise's page: a short link, printed and sent by SMS or WeChat.
    # The online opinion box's challenge pictures (django-simple-captcha's URL names).
    path("r/captcha/", include("receipts.captcha_urls")),
    path("r/", include("receipts.public_urls")),
    path("", include("reports.urls")),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("branches.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
