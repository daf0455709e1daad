"""The online box on the staff's side: its standing activity is made by the box alone,
its opinions are marked as stated by the sender and wait in "my work" like any other."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from imports.planning.matching import Vocabulary
from imports.sheets import fold, kind_labels
from outreach import services as outreach_services
from outreach.models import Activity
from receipts import box, codes

pytestmark = pytest.mark.django_db


def leave(world, content, **stated):
    return box.box_submit(
        code=codes.new_code(),
        branch=world.a.branch,
        category=world.a.feedback.category,
        content=content,
        contact=stated.pop("contact", ""),
        **{"anonymous": False, **stated},
    )


@pytest.fixture
def named(world):
    return leave(
        world, "箱中具名意见内容", stated_name="声称的公司", stated_uscc="", contact="13905910000"
    ).feedback_items.get()


@pytest.fixture
def anonymous(world):
    return leave(world, "箱中匿名意见内容", anonymous=True).feedback_items.get()


def test_the_box_kind_is_not_offered_to_log_by_hand(client, world, staff_a):
    client.force_login(staff_a)
    body = client.get(reverse("outreach:activity_kind_choice")).content.decode()
    assert reverse("outreach:activity_create", args=["visit"]) in body
    assert reverse("outreach:activity_create", args=["online_box"]) not in body
    assert str(Activity.Kind.ONLINE_BOX.label) not in body
    url = reverse("outreach:activity_create", args=["online_box"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"campaign": world.campaign.pk}).status_code == 404


def test_the_box_activity_cannot_be_edited(client, world, staff_a, named):
    client.force_login(staff_a)
    url = reverse("outreach:activity_update", args=[named.activity_id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "改名"}).status_code == 403
    assert Activity.objects.get(pk=named.activity_id).title != "改名"


def test_the_service_refuses_a_box_activity(world, staff_a):
    with pytest.raises(ValidationError):
        outreach_services.activity_create(
            actor=staff_a,
            branch=world.a.branch,
            campaign=world.campaign,
            kind=Activity.Kind.ONLINE_BOX,
            occurred_on=timezone.localdate(),
        )


def test_a_spreadsheet_cannot_name_the_box_kind(world):
    assert Activity.Kind.ONLINE_BOX not in kind_labels().values()
    kinds = Vocabulary.load(world.a.branch).kinds
    assert fold("online_box") not in kinds
    assert fold(str(Activity.Kind.ONLINE_BOX.label)) not in kinds
    assert kinds[fold("visit")] == Activity.Kind.VISIT


def test_the_box_activity_page_explains_itself_and_marks_the_senders(
    client, world, staff_a, named, anonymous
):
    client.force_login(staff_a)
    body = client.get(reverse("outreach:activity_detail", args=[named.activity_id])).content
    body = body.decode()
    assert 'data-testid="box-activity"' in body
    assert 'data-testid="record-feedback"' not in body
    assert reverse("outreach:activity_update", args=[named.activity_id]) not in body
    assert "声称的公司" in body and "自报，未核实" in body
    assert body.count('data-testid="box-mark"') == 2
    # A junk opinion can still be withdrawn.
    assert 'data-testid="withdraw-opinion"' in body


def test_no_receipt_is_issued_for_the_box_activity(client, world, staff_a, anonymous):
    client.force_login(staff_a)
    page = client.get(reverse("receipts:activity_receipts", args=[anonymous.activity_id]))
    body = page.content.decode()
    assert 'data-testid="box-receipts"' in body and 'data-testid="issue-receipt"' not in body
    assert "箱中匿名意见内容" in body
    posted = client.post(
        reverse("receipts:receipt_issue", args=[anonymous.activity_id]),
        {"items": [anonymous.pk], "requested": "on"},
    )
    assert posted.status_code == 403
    assert anonymous.receipts.count() == 1


def test_the_opinion_page_shows_what_the_sender_stated(client, world, staff_a, named):
    client.force_login(staff_a)
    body = client.get(reverse("issues:feedback_detail", args=[named.pk])).content.decode()
    assert 'data-testid="box-sender"' in body
    assert "声称的公司" in body and "13905910000" in body
    assert "由提交人自报，未经核实" in body


def test_an_ordinary_opinion_page_has_no_box_mark(client, world, staff_a):
    client.force_login(staff_a)
    page = client.get(reverse("issues:feedback_detail", args=[world.a.feedback.pk]))
    assert 'data-testid="box-sender"' not in page.content.decode()


@pytest.mark.parametrize("who", ["staff_a", "lead_a"])
def test_box_opinions_wait_in_the_branchs_my_work(client, world, named, anonymous, who, request):
    client.force_login(request.getfixturevalue(who))
    body = client.get(reverse("issues:my_work")).content.decode()
    section = body[body.index('data-testid="section-opinions"') :]
    section = section[: section.index("</section>")]
    for item in (named, anonymous):
        assert f'data-pk="{item.pk}"' in section
    assert "声称的公司" in section and section.count('data-testid="box-mark"') == 2


def test_box_opinions_stay_out_of_another_branchs_my_work(client, world, staff_b, named):
    client.force_login(staff_b)
    body = client.get(reverse("issues:my_work")).content.decode()
    assert "箱中具名意见内容" not in body


def test_the_opinion_list_marks_box_opinions(client, world, staff_a, named):
    client.force_login(staff_a)
    body = client.get(reverse("outreach:feedback_list")).content.decode()
    assert "声称的公司" in body and 'data-testid="box-mark"' in body
