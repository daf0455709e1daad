from django.urls import path

from ..views import enterprises

urlpatterns = [
    path("enterprises/", enterprises.EnterpriseListView.as_view(), name="enterprise_list"),
    path("enterprises/new/", enterprises.EnterpriseFormView.as_view(), name="enterprise_create"),
    path(
        "enterprises/autocomplete/",
        enterprises.enterprise_autocomplete,
        name="enterprise_autocomplete",
    ),
    path(
        "enterprises/<int:pk>/",
        enterprises.EnterpriseDetailView.as_view(),
        name="enterprise_detail",
    ),
    path(
        "enterprises/<int:pk>/edit/",
        enterprises.EnterpriseFormView.as_view(),
        name="enterprise_update",
    ),
    path(
        "enterprises/<int:pk>/withdraw/",
        enterprises.enterprise_withdraw,
        name="enterprise_withdraw",
    ),
]
