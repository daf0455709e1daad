from django.urls import path

from ..views import issue_pages, ledger

urlpatterns = [
    path("", issue_pages.IssueListView.as_view(), name="issue_list"),
    path("ledger.xlsx", ledger.issue_ledger, name="issue_ledger"),
    path("mine/", issue_pages.my_work, name="my_work"),
    path("<int:pk>/", issue_pages.issue_detail, name="issue_detail"),
]
