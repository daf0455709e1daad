"""Correcting an opinion from the screens: the form, its refusals, its history on the
opinion's page, and the ways in (the activity page, the opinion list, the opinion page)."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from core.templatetags.people import person_name
from outreach.models import FeedbackCategory, FeedbackItem
from outreach.services import feedback_update
from tests.factories import EnterpriseFactory, FeedbackCategoryFactory, FeedbackItemFactory
from tests.submissions import keyed

pytestmark = pytest.mark.django_db


def edit_url(item) -> str:
    return reverse("outreach:feedback_update", args=[item.pk])


def page_url(item) -> str:
    return reverse("issues:feedback_detail", args=[item.pk])


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def item(world, staff_a):
    """An opinion of A's activity, neither disposed of nor answered nor on a receipt."""
    return FeedbackItemFactory(
        activity=world.a.activity,
        enterprise=world.a.enterprise,
        category=FeedbackCategoryFactory(name="收费"),
        content="检验收费标准不透明",
        contact="张先生",
        created_by=staff_a,
    )


def form_data(item, **changes) -> dict:
    """What the form posts for ``item`` as drawn, with ``changes`` typed over it."""
    data = {
        "enterprise": item.enterprise_id or "",
        "category": item.category_id,
        "kind": item.kind,
        "content": item.content,
        "contact": item.contact,
        "version": item.updated_at.isoformat(),
    }
    return {**data, **changes}


def test_the_form_shows_the_opinion_as_it_is(client, staff_a, item):
    client.force_login(staff_a)
    response = client.get(edit_url(item))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["content"].value() == "检验收费标准不透明"
    assert form["version"].value() == item.updated_at.isoformat()
    assert not any(field.disabled for field in form.fields.values())
    body = response.content.decode()
    assert "更正意见 #" in body and 'name="submission_key"' in body


def test_staff_correct_an_opinion_and_its_page_shows_the_history(client, staff_a, item):
    advice = FeedbackCategoryFactory(name="服务效率")
    client.force_login(staff_a)
    response = client.post(
        edit_url(item), form_data(item, category=advice.pk, content="建议公开收费标准")
    )
    assert response.status_code == 302 and response.url == page_url(item)
    assert messages_of(response) == ["意见已更正，修改记录已保留在其历史中。"]
    item.refresh_from_db()
    assert (item.category, item.content) == (advice, "建议公开收费标准")

    page = client.get(page_url(item))
    entries = page.context["history"]
    assert [entry.kind for entry in entries] == ["changed", "created"]
    assert {change.name for change in entries[0].changes} == {"category", "content"}
    body = page.content.decode()
    assert 'data-testid="record-history"' in body
    assert "检验收费标准不透明" in body and "建议公开收费标准" in body  # before and after
    changed_by = body[body.index('data-testid="changed-by"') :]
    changed_by = changed_by[: changed_by.index("</dd>")]
    assert person_name(staff_a) in changed_by and "录入后未修改" not in changed_by
    assert 'data-testid="edit-opinion"' in body


def test_a_form_with_errors_comes_back_with_them_and_saves_nothing(client, staff_a, item):
    client.force_login(staff_a)
    stranger = EnterpriseFactory(name="未到场的企业")
    response = client.post(edit_url(item), form_data(item, content="  ", enterprise=stranger.pk))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"content", "enterprise"}
    item.refresh_from_db()
    assert item.content == "检验收费标准不透明"
    assert item.history.count() == 1


def test_a_stale_form_keeps_what_was_typed_and_shows_the_opinion_now(client, staff_a, lead_a, item):
    drawn = form_data(item, content="工作人员的更正")
    feedback_update(
        actor=lead_a,
        feedback_item=item,
        seen_updated_at=item.updated_at,
        enterprise=item.enterprise,
        category=item.category,
        kind=item.kind,
        content="负责人的更正",
        contact=item.contact,
    )
    client.force_login(staff_a)
    response = client.post(edit_url(item), drawn)
    assert response.status_code == 200
    body = response.content.decode()
    assert "你打开之后，有人修改了这条意见" in body
    assert 'data-testid="opinion-now"' in body and "负责人的更正" in body
    form = response.context["form"]
    assert form["content"].value() == "工作人员的更正"
    item.refresh_from_db()
    assert item.content == "负责人的更正"
    # Sent again as drawn now, the correction is a decision made on what is there.
    assert form["version"].value() == item.updated_at.isoformat()
    again = client.post(edit_url(item), {**drawn, "version": form["version"].value()})
    assert again.status_code == 302
    item.refresh_from_db()
    assert item.content == "工作人员的更正"


def test_a_double_submission_is_one_correction(client, staff_a, item):
    client.force_login(staff_a)
    data = keyed(form_data(item, content="只改一次"))
    first = client.post(edit_url(item), data)
    second = client.post(edit_url(item), data)
    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    assert item.history.filter(history_type="~").count() == 1


def test_a_kept_field_is_shown_disabled_and_a_posted_value_is_ignored(client, staff_a, world):
    # World A's opinion was answered, and a receipt lists it: its words and enterprise stay.
    item = world.a.feedback
    client.force_login(staff_a)
    form = client.get(edit_url(item)).context["form"]
    assert {name for name, field in form.fields.items() if field.disabled} == {
        "content",
        "enterprise",
    }
    other = FeedbackCategory.objects.exclude(pk=item.category_id).first()
    response = client.post(
        edit_url(item),
        form_data(item, content="改写已答复的话", enterprise="", category=other.pk),
    )
    assert response.status_code == 302
    kept = FeedbackItem.objects.get(pk=item.pk)
    assert (kept.content, kept.enterprise_id) == (item.content, item.enterprise_id)
    assert kept.category == other


def test_a_withdrawn_opinion_leads_back_to_its_page(client, staff_a, world):
    item = FeedbackItemFactory(activity=world.a.activity, withdrawn=True)
    client.force_login(staff_a)
    response = client.get(edit_url(item))
    assert response.status_code == 302 and response.url == page_url(item)
    assert messages_of(response) == ["该意见已撤回，不能再更正。"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("staff_b", 404), ("lead_b", 404), ("no_role_user", 404), ("office", 403), ("leader", 403)],
)
def test_others_may_not_post_a_correction(client, personas, item, persona, status):
    client.force_login(personas[persona])
    response = client.post(edit_url(item), form_data(item, content="别人改的"))
    assert response.status_code == status
    item.refresh_from_db()
    assert item.content == "检验收费标准不透明"


def test_the_ways_in_are_shown_to_the_branch_only(client, staff_a, office, world, item):
    pages = [
        reverse("outreach:activity_detail", args=[world.a.activity.pk]),
        reverse("outreach:enterprise_detail", args=[world.a.enterprise.pk]),
        reverse("outreach:feedback_list"),
        page_url(item),
    ]
    client.force_login(staff_a)
    for url in pages:
        assert edit_url(item) in client.get(url).content.decode(), url
    client.force_login(office)
    for url in pages:
        assert edit_url(item) not in client.get(url).content.decode(), url
