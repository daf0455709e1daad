"""Tracking codes: long, random, not derived from ids, kept only as a digest."""

import pytest

from receipts import codes
from receipts.models import Receipt
from receipts.selectors import receipt_for_code
from receipts.services import receipt_issue
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db


def test_a_code_carries_at_least_128_secret_bits():
    assert codes.LENGTH == 36
    assert codes.VERIFIER_BITS >= 128
    assert len(codes.ALPHABET) == 32
    code = codes.new_code()
    assert len(code) == codes.LENGTH
    assert set(code) <= set(codes.ALPHABET)


def test_codes_never_repeat():
    assert len({codes.new_code() for _ in range(2000)}) == 2000


def test_two_receipts_get_different_codes(world):
    other = FeedbackItemFactory(activity=world.a.activity, anonymous=True)
    receipt, code = receipt_issue(
        activity=world.a.activity,
        actor=world.a.activity.staff.first(),
        feedback_items=[other],
        requested=True,
    )
    assert code != world.a.receipt_code
    assert receipt.selector != world.a.receipt.selector


def test_the_database_keeps_no_readable_code(world):
    receipt = Receipt.objects.get(pk=world.a.receipt.pk)
    selector, verifier = codes.split(world.a.receipt_code)
    assert receipt.selector == selector
    assert verifier not in receipt.verifier_digest
    assert receipt.verifier_digest == codes.digest(verifier)


@pytest.mark.parametrize(
    "typed",
    [
        lambda code: code.lower(),
        lambda code: codes.grouped(code),
        lambda code: " ".join(codes.grouped(code).split("-")),
    ],
)
def test_a_code_typed_in_lower_case_or_groups_opens_its_receipt(world, typed):
    assert receipt_for_code(typed(world.a.receipt_code)).pk == world.a.receipt.pk


def test_letters_read_as_digits_are_read_so():
    assert codes.normalize("O" * 36) == "0" * 36
    assert codes.normalize("il" * 18) == "1" * 36


@pytest.mark.parametrize("text", ["", "short", "U" * 36, "0" * 35, "0" * 37, "€" * 36])
def test_a_malformed_code_is_nothing(text):
    assert codes.normalize(text) is None


def test_a_wrong_secret_with_a_real_selector_opens_nothing(world):
    selector, verifier = codes.split(world.a.receipt_code)
    wrong = verifier[:-1] + ("0" if verifier[-1] != "0" else "1")
    assert receipt_for_code(selector + wrong) is None
    assert receipt_for_code(world.a.receipt_code) is not None
