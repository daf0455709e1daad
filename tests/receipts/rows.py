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
