"""The staff's receipt pages: the activity's receipts, one receipt to print or show on a
phone, and the POSTs that issue, reissue and revoke.

A code is shown only to the person who issued it, from their session: the database keeps
its digest alone (``receipts.codes``). Printing it again later means reissuing.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from branches import rules
from core.submissions import once_per_submission
from outreach.models import Activity

from . import codes, selectors, services
from .forms import AnonymousReceiptForm, EnterpriseReceiptForm
from .models import Receipt

#: Codes kept in a session (the latest issued by this person).
SESSION_KEY = "receipt_codes"
KEPT_CODES = 20
PAPERS = ("a5", "a4")


def _remember_code(request, receipt: Receipt, code: str) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[str(receipt.pk)] = code
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEPT_CODES:])


def _activity_in_scope(request, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("branch"), pk=pk
    )


def _receipt_in_scope(request, pk: int) -> Receipt:
    return get_object_or_404(
        Receipt.objects.visible_to(request.user).select_related(
            "activity__branch", "enterprise", "issued_by"
        ),
        pk=pk,
    )


def _can_issue(user, activity) -> bool:
    """Staff of the branch issue receipts, except for the online box's opinions, whose
    senders got theirs when sending (reissuing and revoking one stays possible)."""
    return activity.withdrawn_at is None and rules.works_in_branch(user, activity.branch_id)


def _issues_here(user, activity) -> bool:
    return activity.kind != Activity.Kind.ONLINE_BOX and _can_issue(user, activity)


def _activity_page(request, activity, enterprise_form=None, anonymous_form=None, status=200):
    context = {
        "activity": activity,
        "can_issue": _issues_here(request.user, activity),
        "from_box": activity.kind == Activity.Kind.ONLINE_BOX,
        "anonymous_form": anonymous_form or AnonymousReceiptForm(activity=activity),
        "enterprise_form": enterprise_form,
        **selectors.activity_receipt_rows(activity),
    }
    return render(request, "receipts/activity_receipts.html", context, status=status)


@login_required
@require_GET
def activity_receipts(request, activity_pk: int):
    """An activity's receipts: one per enterprise, and anonymous ones on request."""
    return _activity_page(request, _activity_in_scope(request, activity_pk))


@login_required
@require_POST
@once_per_submission
def receipt_issue(request, activity_pk: int):
    activity = _activity_in_scope(request, activity_pk)
    if not _issues_here(request.user, activity):
        raise PermissionDenied
    anonymous = "enterprise" not in request.POST
    form_class = AnonymousReceiptForm if anonymous else EnterpriseReceiptForm
    form = form_class(request.POST, activity=activity)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: check the highlighted fields."))
        key = "anonymous_form" if anonymous else "enterprise_form"
        return _activity_page(request, activity, **{key: form})
    try:
        if anonymous:
            receipt, code = services.receipt_issue(
                activity=activity,
                actor=request.user,
                feedback_items=form.cleaned_data["items"],
                requested=form.cleaned_data["requested"],
            )
        else:
            receipt, code = services.receipt_issue(
                activity=activity, actor=request.user, enterprise=form.cleaned_data["enterprise"]
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("receipts:activity_receipts", activity.pk)
    _remember_code(request, receipt, code)
    messages.success(request, _("Receipt issued: print it or show it now."))
    return redirect("receipts:receipt_detail", receipt.pk)


def public_link(request, path: str) -> str:
    """The address the enterprise opens: the site's own (OUTREACH_SITE_URL) if set."""
    site = settings.OUTREACH_SITE_URL.rstrip("/")
    return f"{site}{path}" if site else request.build_absolute_uri(path)


@login_required
@require_GET
def receipt_detail(request, pk: int):
    """The receipt to print (A5 or A4) or to show on a phone: the opinions, the branch's
    contact, the code, its short link and a QR code of the link drawn here as SVG."""
    receipt = _receipt_in_scope(request, pk)
    code = None
    if not receipt.is_revoked:
        code = request.session.get(SESSION_KEY, {}).get(str(receipt.pk))
    link = public_link(request, reverse("track:receipt", args=[code])) if code else ""
    paper = request.GET.get("paper")
    context = {
        "receipt": receipt,
        "activity": receipt.activity,
        "items": selectors.public_items(receipt),
        "phone": selectors.contact_phone(receipt),
        "code": codes.grouped(code) if code else "",
        "link": link,
        "lookup_url": public_link(request, reverse("track:lookup")),
        "qr_svg": (
            segno.make(link, error="m").svg_inline(scale=4, omitsize=True, svgclass="receipt-qr")
            if link
            else ""
        ),
        "paper": paper if paper in PAPERS else PAPERS[0],
        "can_issue": _can_issue(request.user, receipt.activity),
    }
    return render(request, "receipts/receipt_detail.html", context)


def _acted_on(request, pk: int) -> Receipt:
    receipt = _receipt_in_scope(request, pk)
    if not rules.works_in_branch(request.user, receipt.activity.branch_id):
        raise PermissionDenied
    return receipt


@login_required
@require_POST
@once_per_submission
def receipt_reissue(request, pk: int):
    """A new code for the same opinions; the old code stops working."""
    receipt = _acted_on(request, pk)
    try:
        new, code = services.receipt_reissue(receipt=receipt, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("receipts:activity_receipts", receipt.activity_id)
    _remember_code(request, new, code)
    messages.success(request, _("Receipt reissued: the old code no longer opens anything."))
    return redirect("receipts:receipt_detail", new.pk)


@login_required
@require_POST
@once_per_submission
def receipt_revoke(request, pk: int):
    receipt = _acted_on(request, pk)
    try:
        services.receipt_revoke(receipt=receipt, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Receipt revoked: its code no longer opens anything."))
    return redirect("receipts:activity_receipts", receipt.activity_id)
