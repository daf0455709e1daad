"""The enterprise's pages, open without a login: type a code at ``/r/``, read a receipt at
``/r/<code>/``, rate an answer there (a POST to ``/r/<code>/rate/<n>/``, n the opinion's
place on the receipt).

They show one receipt's opinions and nothing else: no staff names, no internal notes, no
other enterprise, no link into the staff's pages. A malformed, wrong, revoked or expired
code get one and the same "not found" page; lookups are limited per client address
(``RECEIPT_LOOKUPS_PER_MINUTE``, counted in a cache shared by every worker), and the pages
are kept out of caches, referrers and search engines.
"""

from __future__ import annotations

import ipaddress
from functools import wraps

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from core.submissions import once_per_submission

from . import codes, ratings, selectors, services
from .forms import RatingForm
from .models import EnterpriseRating

LOOKUP_GROUP = "receipts.lookup"


def public_page(view):
    """Headers of every public page: not stored, not indexed, and no referrer to another
    site (the code is in the URL). Same-origin requests keep theirs: a browser posting a
    form from a "no-referrer" page sends ``Origin: null``, which Django's CSRF check
    refuses (and over HTTPS it also wants the Referer of a POST)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def client_key(group, request) -> str:
    """The client's address as the login lock-out reads it (behind a proxy too); an IPv6
    address counts by its /64, which one subscriber usually holds whole."""
    address = get_client_ip_address(request) or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def _too_many(request) -> bool:
    return is_ratelimited(
        request,
        group=LOOKUP_GROUP,
        key=client_key,
        rate=f"{settings.RECEIPT_LOOKUPS_PER_MINUTE}/m",
        increment=True,
    )


def not_found(request):
    return render(request, "receipts/public_not_found.html", status=404)


@public_page
@require_GET
def lookup(request):
    """The form to type a code; a typed code goes to its page."""
    if "code" not in request.GET:
        return render(request, "receipts/public_lookup.html")
    code = codes.normalize(request.GET["code"])
    if code is None:
        return not_found(request)
    return redirect("track:receipt", code)


@public_page
@require_GET
def receipt_page(request, code: str):
    if _too_many(request):
        return _too_many_page(request)
    receipt = selectors.receipt_for_code(code)
    if receipt is None:
        return not_found(request)
    services.receipt_opened(receipt=receipt)
    return _render_receipt(request, receipt, code)


def _too_many_page(request):
    return render(request, "receipts/public_too_many.html", status=429)


def _render_receipt(request, receipt, code: str, *, bound=None, bound_number=None, status=200):
    """The receipt's page: each answered opinion with a rating form for its newest answer
    and the holder's own newest rating of it; ``bound`` is a posted form that failed, for
    the opinion at ``bound_number``."""
    items = receipt.public_items
    mine = selectors.holder_ratings(receipt, items)
    for number, item in enumerate(items, start=1):
        item.number = number
        item.my_rating = mine.get(item.pk)
        item.rating_form = None
        newest = ratings.answer_to_rate(item)
        item.my_rating_is_old = bool(
            item.my_rating and newest and item.my_rating.reply_id != newest.pk
        )
        if newest is not None:
            item.rating_form = (
                bound if number == bound_number else RatingForm(auto_id=f"id_rate{number}_%s")
            )
            item.rate_url = reverse("track:rate", args=[code, number])
    return render(
        request,
        "receipts/public_receipt.html",
        {
            "receipt": receipt,
            "items": items,
            "phone": selectors.contact_phone(receipt),
            "levels": EnterpriseRating.Level,
        },
        status=status,
    )


@public_page
@require_POST
@once_per_submission
def rate(request, code: str, number: int):
    """The enterprise rates the newest answer to the opinion at ``number`` (its place on
    the receipt, 1-based: no database id is public). The code is checked again on every
    post, and counts against the same per-address limit as a lookup."""
    if _too_many(request):
        return _too_many_page(request)
    receipt = selectors.receipt_for_code(code)
    if receipt is None:
        return not_found(request)
    items = receipt.public_items
    if not 1 <= number <= len(items):
        return not_found(request)
    item = items[number - 1]
    if ratings.answer_to_rate(item) is None:
        return not_found(request)
    form = RatingForm(request.POST, auto_id=f"id_rate{number}_%s")
    if form.is_valid():
        try:
            ratings.rating_record(
                receipt=receipt,
                item=item,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                not_solved=form.cleaned_data["not_solved"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect(reverse("track:receipt", args=[code]) + f"#opinion-{number}")
    return _render_receipt(request, receipt, code, bound=form, bound_number=number)
