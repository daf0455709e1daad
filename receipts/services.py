"""Writes: issue, reissue and revoke a receipt; count its openings.

``receipt_issue`` and ``receipt_reissue`` return the receipt and its code: the code is not
stored (only its digest), so the caller shows it now or never.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, F, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import rules
from outreach.models import Activity

from . import codes
from .models import Receipt


def _check_branch(actor, activity) -> None:
    if not rules.works_in_branch(actor, activity.branch_id):
        raise PermissionDenied
    if activity.withdrawn_at is not None:
        raise ValidationError(_("The activity was withdrawn: it gives no receipt."))


def _new_selector() -> tuple[str, str]:
    while True:
        code = codes.new_code()
        selector, _verifier = codes.split(code)
        if not Receipt.objects.filter(selector=selector).exists():
            return code, selector


def _revoke(receipt: Receipt, actor, now) -> None:
    receipt.revoked_at = now
    receipt.revoked_by = actor
    receipt.save(update_fields=["revoked_at", "revoked_by"])


def _create(*, activity, enterprise, items, requested, actor, reissue_of=None, code=None):
    """A new receipt over ``items``; ``code`` is one handed out beforehand (the online box's
    form carries its receipt's code, so a form sent twice finds the receipt it made)."""
    if code is None:
        code, selector = _new_selector()
    else:
        selector = codes.split(code)[0]
    receipt = Receipt.objects.create(
        activity=activity,
        enterprise=enterprise,
        requested=requested,
        selector=selector,
        verifier_digest=codes.digest(codes.split(code)[1]),
        issued_by=actor,
        reissue_of=reissue_of,
    )
    receipt.feedback_items.set(items)
    return receipt, code


@transaction.atomic
def receipt_issue(
    *, activity, actor, enterprise=None, feedback_items=(), requested: bool = False
) -> tuple[Receipt, str]:
    """A receipt for ``enterprise``'s opinions at ``activity`` (issuing again reissues:
    the live one is revoked), or for the anonymous ``feedback_items`` their giver asked
    a receipt for. The online box's opinions got theirs when they were sent."""
    _check_branch(actor, activity)
    if activity.kind == Activity.Kind.ONLINE_BOX:
        raise PermissionDenied(
            _("The online box's opinions got their receipts when they were sent.")
        )
    opinions = activity.feedback_items.active()
    if enterprise is not None:
        items = list(opinions.filter(enterprise=enterprise))
        if not items:
            raise ValidationError(_("No opinion of this enterprise was recorded here."))
        live = (
            Receipt.objects.select_for_update()
            .live()
            .filter(activity=activity, enterprise=enterprise)
            .first()
        )
        if live is not None:
            return receipt_reissue(receipt=live, actor=actor)
        return _create(
            activity=activity, enterprise=enterprise, items=items, requested=requested, actor=actor
        )
    if not requested:
        raise ValidationError(
            _("An anonymous opinion gets a receipt only when the person asks for one.")
        )
    ids = [getattr(item, "pk", item) for item in feedback_items]
    items = list(opinions.filter(pk__in=ids, enterprise__isnull=True))
    if not items or len(items) != len(set(ids)):
        raise ValidationError(_("Tick the anonymous opinions the receipt is for."))
    return _create(activity=activity, enterprise=None, items=items, requested=True, actor=actor)


@transaction.atomic
def receipt_reissue(*, receipt: Receipt, actor) -> tuple[Receipt, str]:
    """Revoke ``receipt`` and give its opinions (an enterprise's: all of them at the
    activity now) a new receipt with a new code."""
    receipt = Receipt.objects.select_for_update().select_related("activity").get(pk=receipt.pk)
    _check_branch(actor, receipt.activity)
    if receipt.is_revoked:
        raise ValidationError(_("This receipt was already revoked or reissued."))
    opinions = receipt.activity.feedback_items.active()
    if receipt.enterprise_id is not None:
        items = list(opinions.filter(enterprise_id=receipt.enterprise_id))
    else:
        items = list(opinions.filter(pk__in=receipt.feedback_items.values("pk")))
    if not items:
        raise ValidationError(_("None of the receipt's opinions is left: it cannot be reissued."))
    _revoke(receipt, actor, timezone.now())
    return _create(
        activity=receipt.activity,
        enterprise=receipt.enterprise,
        items=items,
        requested=receipt.requested,
        actor=actor,
        reissue_of=receipt,
    )


@transaction.atomic
def receipt_revoke(*, receipt: Receipt, actor) -> Receipt:
    receipt = Receipt.objects.select_for_update().select_related("activity").get(pk=receipt.pk)
    _check_branch(actor, receipt.activity)
    if receipt.is_revoked:
        raise ValidationError(_("This receipt was already revoked or reissued."))
    _revoke(receipt, actor, timezone.now())
    return receipt


def receipt_opened(*, receipt: Receipt) -> None:
    """Count one opening of the public page (the figure "receipts opened")."""
    now = timezone.now()
    Receipt.objects.filter(pk=receipt.pk).update(
        opened_count=F("opened_count") + 1,
        first_opened_at=Coalesce("first_opened_at", Value(now, output_field=DateTimeField())),
    )
