"""The staff's receipt pages: issue from the activity, print or show with a QR code."""

import pytest
from django.urls import reverse

from receipts.models import Receipt
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def test_staff_issue_a_receipt_and_see_its_code_link_and_qr_once(client, world, staff_a):
    client.force_login(staff_a)
    response = client.post(
        reverse("receipts:receipt_issue", args=[world.a.activity.pk]),
        {"enterprise": world.a.enterprise.pk},
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    new = Receipt.objects.live().get(activity=world.a.activity, enterprise=world.a.enterprise)
    assert new.pk != world.a.receipt.pk
    assert "<svg" in body and 'class="receipt-qr"' in body
    link = response.context["link"]
    assert link.startswith("http") and "/r/" in link
    assert f'data-copy="{link}"' in body
    # The link opens the enterprise's page for anyone.
    client.logout()
    path = link.split("testserver", 1)[1]
    assert client.get(path).status_code == 200


def test_another_person_sees_the_receipt_without_its_code(client, world, lead_a):
    client.force_login(lead_a)
    response = client.get(reverse("receipts:receipt_detail", args=[world.a.receipt.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.a.receipt_code not in body
    assert 'data-testid="code-not-kept"' in body
    assert 'data-testid="reissue"' in body


def test_the_print_page_offers_a5_and_a4(client, world, staff_a):
    client.force_login(staff_a)
    url = reverse("receipts:receipt_issue", args=[world.a.activity.pk])
    receipt_url = client.post(url, {"enterprise": world.a.enterprise.pk}).url
    response = client.get(receipt_url, {"paper": "a4"})
    assert "paper-a4" in response.content.decode()
    assert "receipts.css" in response.content.decode()


def test_anonymous_receipts_need_the_tick_and_carry_no_name(client, world, staff_a):
    item = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    client.force_login(staff_a)
    url = reverse("receipts:receipt_issue", args=[world.a.activity.pk])
    refused = client.post(url, {"items": [item.pk]})
    assert refused.status_code == 200
    assert not Receipt.objects.filter(enterprise__isnull=True).exists()
    response = client.post(url, {"items": [item.pk], "requested": "on"}, follow=True)
    receipt = Receipt.objects.get(enterprise__isnull=True)
    assert list(receipt.feedback_items.all()) == [item]
    assert world.a.enterprise.name not in response.content.decode().split("receipt-sheet")[1]


def test_the_province_reads_the_receipts_without_buttons(client, world, office):
    client.force_login(office)
    response = client.get(reverse("receipts:activity_receipts", args=[world.a.activity.pk]))
    assert response.status_code == 200
    assert 'data-testid="issue-receipt"' not in response.content.decode()


def test_revoking_from_the_page_stops_the_code(client, world, lead_a):
    client.force_login(lead_a)
    client.post(reverse("receipts:receipt_revoke", args=[world.a.receipt.pk]))
    client.logout()
    assert client.get(reverse("track:receipt", args=[world.a.receipt_code])).status_code == 404
