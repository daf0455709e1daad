"""An opinion's reply summary is its replies', whatever writes (issues/migrations/0005, 0009).

``FeedbackItem.last_replied_on`` and ``satisfaction`` are copies of the latest reply's; a
write to a reply refreshes them, and a write to the opinion that names them (an
``update()``, or ``save()`` of an object read before a reply came) gets the replies' values
back. Each path is tried: the admin's forms, a queryset ``update()``, and the service.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from issues.models import Reply
from issues.services import reply_record
from outreach.models import FeedbackItem
from tests.admin_forms import form_errors, post_admin_form
from tests.derived import branch_counts
from tests.factories import FeedbackItemFactory, ReplyFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def summary(item) -> tuple:
    rows = FeedbackItem.objects.filter(pk=item.pk)
    return rows.values_list("last_replied_on", "satisfaction").get()


@pytest.fixture
def unreplied(world):
    """An opinion of A with no reply yet."""
    return FeedbackItemFactory(activity=world.a.activity)


# --- the admin --------------------------------------------------------------------------


def test_admin_reply_forms_refresh_the_summary(client, admin_user, unreplied):
    client.force_login(admin_user)
    day = TODAY() - timedelta(days=2)
    response = post_admin_form(
        client,
        reverse("admin:issues_reply_add"),
        feedback_item=unreplied.pk,
        channel="phone",
        content="电话答复",
        replied_on=day.isoformat(),
        replied_by=admin_user.pk,
        satisfaction="unsatisfied",
    )
    assert response.status_code == 302, form_errors(response)
    assert summary(unreplied) == (day, "unsatisfied")
    reply = Reply.objects.get(feedback_item=unreplied)
    url = reverse("admin:issues_reply_change", args=[reply.pk])
    response = post_admin_form(client, url, satisfaction="satisfied")
    assert response.status_code == 302, form_errors(response)
    assert summary(unreplied) == (day, "satisfied")


def test_admin_saving_an_opinion_keeps_its_summary(client, admin_user, world):
    item = world.a.feedback  # replied in the world, no satisfaction recorded
    before = summary(item)
    client.force_login(admin_user)
    url = reverse("admin:outreach_feedbackitem_change", args=[item.pk])
    response = post_admin_form(client, url, content="改过的意见内容")
    assert response.status_code == 302, form_errors(response)
    assert summary(item) == before


# --- a queryset update(), a stale save() -------------------------------------------------


def test_the_summary_cannot_be_written_on_the_opinion(world, unreplied, office):
    before = branch_counts(office, "replied_feedback", campaign=world.campaign)
    FeedbackItem.objects.filter(pk=unreplied.pk).update(
        last_replied_on=TODAY(), satisfaction="satisfied"
    )
    assert summary(unreplied) == (None, "")
    replied = world.a.feedback
    FeedbackItem.objects.filter(pk=replied.pk).update(last_replied_on=None, satisfaction="")
    assert summary(replied)[0] == replied.replies.get().replied_on
    assert branch_counts(office, "replied_feedback", campaign=world.campaign) == before


def test_saving_an_opinion_read_before_its_reply_keeps_the_reply(unreplied, staff_a):
    stale = FeedbackItem.objects.get(pk=unreplied.pk)
    reply_record(
        actor=staff_a,
        feedback_item=unreplied,
        channel="visit",
        content="上门答复",
        satisfaction="basically_satisfied",
    )
    stale.contact = "新的联系电话"
    stale.save()
    assert summary(unreplied) == (TODAY(), "basically_satisfied")


def test_updating_a_reply_refreshes_the_summary(unreplied, staff_a):
    reply = ReplyFactory(feedback_item=unreplied, replied_by=staff_a, satisfaction="satisfied")
    Reply.objects.filter(pk=reply.pk).update(satisfaction="unsatisfied")
    assert summary(unreplied)[1] == "unsatisfied"


# --- the service ------------------------------------------------------------------------


def test_recording_a_reply_fills_the_summary_and_the_figures(world, unreplied, staff_a, office):
    a = world.a.branch.code
    before = branch_counts(office, "replied_feedback", campaign=world.campaign)[a]
    reply_record(
        actor=staff_a,
        feedback_item=unreplied,
        channel="phone",
        content="电话答复",
        satisfaction="satisfied",
    )
    assert summary(unreplied) == (TODAY(), "satisfied")
    assert branch_counts(office, "replied_feedback", campaign=world.campaign)[a] == before + 1
