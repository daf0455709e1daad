"""seed_demo's receipt: a working link to an answered opinion's page, new at each run."""

import pytest
from django.urls import reverse

from demo.receipt import demo_receipt

pytestmark = pytest.mark.django_db


def test_the_demo_receipt_opens_a_page_with_an_answer(client, world):
    receipt, code = demo_receipt(world.campaign)
    response = client.get(reverse("track:receipt", args=[code]))
    assert response.status_code == 200
    reply = receipt.feedback_items.first().replies.first()
    assert reply.content in response.content.decode()


def test_each_run_gives_a_new_code_and_the_old_one_stops(client, world):
    _first, old = demo_receipt(world.campaign)
    _second, new = demo_receipt(world.campaign)
    assert old != new
    assert client.get(reverse("track:receipt", args=[old])).status_code == 404
    assert client.get(reverse("track:receipt", args=[new])).status_code == 200
