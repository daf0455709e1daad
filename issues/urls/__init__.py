"""Issue routes, one module per area: pages, workflow actions, feedback → issue, province."""

from . import actions, feedback_actions, issue_pages, province

app_name = "issues"

urlpatterns = [
    *issue_pages.urlpatterns,
    *actions.urlpatterns,
    *feedback_actions.urlpatterns,
    *province.urlpatterns,
]
