"""A rating of the world's opinion, made when a table first needs one (the shared world
has none, so the figures and queues of other tests are not changed by it)."""

from receipts import ratings
from receipts.selectors import receipt_for_code


def enterprise_rating(rows):
    """``rows`` (``world.a`` or ``world.b``): the enterprise's "not solved" rating of its
    opinion's answer, made once."""
    if getattr(rows, "rating", None) is None:
        receipt = receipt_for_code(rows.receipt_code)
        item = next(i for i in receipt.public_items if i.pk == rows.feedback.pk)
        rows.rating = ratings.rating_record(
            receipt=receipt, item=item, level=2, comment="报告还是拿不到", not_solved=True
        )
    return rows.rating


def rating_post(code, number=1, **data):
    """What the receipt's page at ``code`` posts to rate the opinion at ``number``: ``data``
    and the form's token of the opinion and its newest answer, as the page draws it now."""
    from receipts.public import RATING_FIELD, rating_token

    receipt = receipt_for_code(code)
    if receipt is not None and 1 <= number <= len(receipt.public_items):
        item = receipt.public_items[number - 1]
        if item.answers:
            data.setdefault(RATING_FIELD, rating_token(item, ratings.answer_to_rate(item)))
    return data
