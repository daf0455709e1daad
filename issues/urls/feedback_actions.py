from django.urls import path

from ..views import feedback_actions

urlpatterns = [
    path("from-feedback/", feedback_actions.feedback_dispose, name="feedback_dispose"),
]
