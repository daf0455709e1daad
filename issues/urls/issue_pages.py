from django.urls import path

from ..views import issue_pages

urlpatterns = [
    path("", issue_pages.IssueListView.as_view(), name="issue_list"),
    path("mine/", issue_pages.my_work, name="my_work"),
    path("<int:pk>/", issue_pages.issue_detail, name="issue_detail"),
]
