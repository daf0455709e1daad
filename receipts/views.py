"""The staff's receipt pages: the activity's receipts, one receipt to print or show on a
phone, and the POSTs that issue, reissue and revoke; the enterprises' ratings of their
answers and the lead's follow-up of them (the reopen form posts to the issue's own
transition view).

A code is shown only to the person who issued it, from their session: the database keeps
its digest alone (``receipts.codes``). Printing it again later means reissuing.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_filters.views import FilterView

from branches import rules
from branches.mixins import ScopedFilterMixin
from core.chips import filter_chips
from core.submissions import once_per_submission
from issues.forms import ReopenForm
from issues.models import Issue
from issues.transitions import available_transitions
from outreach.models import Activity

from . import codes, ratings, selectors, services
from .filters import ReceiptFilter
from .forms import AnonymousReceiptForm, EnterpriseReceiptForm, FollowUpForm
from .models import EnterpriseRating, Receipt

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


# --- the enterprise's ratings: the branch's follow-up ------------------------------------


def _rating_in_scope(request, pk: int) -> EnterpriseRating:
    return get_object_or_404(selectors.rating_for_page(request.user), pk=pk)


@login_required
@require_GET
def rating_list(request):
    """The enterprises' ratings in the user's scope: by default those awaiting follow-up
    (unsatisfied or "not solved", newest word on the opinion, not yet followed up)."""
    show = request.GET.get("show") or selectors.RatingFilter.AWAITING
    if show not in selectors.RatingFilter.values:
        show = selectors.RatingFilter.AWAITING
    page = Paginator(selectors.ratings_for_list(request.user, show), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "receipts/rating_list.html",
        {
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "ratings": page.object_list,
            "show": show,
            "filters": selectors.RatingFilter.choices,
            "shows_branch": not rules.is_branch_member(request.user),
        },
    )


def _render_rating_page(request, rating: EnterpriseRating, *, follow_up_form=None, status=200):
    item = rating.feedback_item
    issue = item.issue if item.issue_id and item.issue.withdrawn_at is None else None
    may_follow_up = ratings.may_follow_up(request.user, rating) and rating.awaits_follow_up
    reopen_form = None
    if (
        may_follow_up
        and issue is not None
        and issue.state == Issue.State.ANSWERED
        and any(t.name == "reopen" for t in available_transitions(request.user, issue))
    ):
        reopen_form = ReopenForm(issue=issue, user=request.user)
        # The button alone on this page: solid, not crispy's primary under an outline.
        reopen_form.helper.inputs[-1].field_classes = "btn btn-danger"
    context = {
        "rating": rating,
        "item": item,
        "issue": issue,
        "history": selectors.rating_history(rating),
        "may_follow_up": may_follow_up,
        "reopen_form": reopen_form,
        "follow_up_form": (follow_up_form or FollowUpForm()) if may_follow_up else None,
        "follow_up_open": follow_up_form is not None,
    }
    return render(request, "receipts/rating_detail.html", context, status=status)


@login_required
@require_GET
def rating_detail(request, pk: int):
    """One rating: the opinion, the answer rated, what the enterprise said; for the
    branch's lead, the reopen transition (an answered issue) or a note of what was done."""
    return _render_rating_page(request, _rating_in_scope(request, pk))


@login_required
@require_POST
@once_per_submission
def rating_follow_up(request, pk: int):
    rating = _rating_in_scope(request, pk)
    if not ratings.may_follow_up(request.user, rating):
        raise PermissionDenied
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was saved: check the highlighted fields."))
        return _render_rating_page(request, rating, follow_up_form=form)
    try:
        ratings.rating_follow_up(actor=request.user, rating=rating, note=form.cleaned_data["note"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Follow-up recorded."))
    return redirect("receipts:rating_detail", rating.pk)


class ReceiptListView(LoginRequiredMixin, ScopedFilterMixin, FilterView):
    """The live receipts of activities in scope (not withdrawn), by campaign, period,
    branch and whether the enterprise opened them: the dashboard's receipt figures' list."""

    paginate_by = 25
    filterset_class = ReceiptFilter
    template_name = "receipts/receipt_list.html"

    def get_queryset(self):
        return selectors.counted_receipts(self.request.user).select_related(
            "activity__branch", "enterprise"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            shows_branch=self.filterset.shows_branch,
            active_filters=filter_chips(self.request, self.filterset),
        )
        return context
