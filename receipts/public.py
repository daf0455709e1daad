"""The enterprise's pages, open without a login: type a code at ``/r/``, read a receipt at
``/r/<code>/``, rate an answer there (a POST to ``/r/<code>/rate/<n>/``, n the opinion's
place on the receipt, with the signed token of the opinion and answer the page showed).

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
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.core import is_ratelimited

from core.submissions import once_per_submission

from . import codes, ratings, selectors, services
from .forms import RatingForm
from .models import EnterpriseRating

LOOKUP_GROUP = "receipts.lookup"
#: The tag of the message that tells the receipt's page it was just made by the box.
RECEIVED_TAG = "box-received"
#: The salt of a rating form's token (``rating_token``).
RATING_SALT = "receipts.public.rating"
#: The token's field in the rating form.
RATING_FIELD = "answer"


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
    # The page the box sends its sender to, right after leaving the opinion, is not an
    # opening by the enterprise: the box's receipts would all count as opened.
    if not just_received(request):
        services.receipt_opened(receipt=receipt)
    return _render_receipt(request, receipt, code)


def just_received(request) -> bool:
    """This page follows the box's submission: it carries the box's "received" message
    (read here, it is still shown once by the page)."""
    return any(RECEIVED_TAG in m.tags.split() for m in messages.get_messages(request))


def rating_token(item, answer) -> str:
    """What the rating form of ``item`` carries: a signature of (opinion, answer) that
    names neither (no database id on the page); the POST checks it against the opinion at
    its place and its newest answer."""
    return signing.Signer(salt=RATING_SALT).signature(f"{item.pk}:{answer.pk}")


def token_matches(item, posted: str) -> bool:
    answer = ratings.answer_to_rate(item)
    return answer is not None and constant_time_compare(rating_token(item, answer), posted)


def _too_many_page(request):
    return render(request, "receipts/public_too_many.html", status=429)


def _render_receipt(
    request, receipt, code: str, *, bound=None, bound_number=None, notice="", status=200
):
    """The receipt's page: each answered opinion with a rating form for its newest answer
    and the holder's own newest rating of it; ``bound`` is a posted form that failed, for
    the opinion at ``bound_number``; ``notice`` an error said above the opinions."""
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
            item.rating_token = rating_token(item, newest)
    return render(
        request,
        "receipts/public_receipt.html",
        {
            "receipt": receipt,
            "items": items,
            "phone": selectors.contact_phone(receipt),
            "levels": EnterpriseRating.Level,
            "received_tag": RECEIVED_TAG,
            "token_field": RATING_FIELD,
            "notice": notice,
        },
        status=status,
    )


@public_page
@require_POST
@once_per_submission
def rate(request, code: str, number: int):
    """The enterprise rates the newest answer to the opinion at ``number`` (its place on
    the receipt, 1-based: no database id is public) when it is still the opinion and the
    answer the page showed (the form's token): an opinion withdrawn or a new answer since
    shows the page again, nothing recorded. The code is checked again on every post, and
    counts against the same per-address limit as a lookup."""
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
    if not token_matches(item, request.POST.get(RATING_FIELD, "")):
        notice = _(
            "The answers changed since you opened the page: nothing was recorded. Read them "
            "again and rate again."
        )
        return _render_receipt(request, receipt, code, notice=notice, status=409)
    form = RatingForm(request.POST, auto_id=f"id_rate{number}_%s")
    status = 200
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
                if any(e.code == "too_many_ratings" for e in error.error_list):
                    status = 429
        else:
            messages.success(request, _("Thank you: your rating was recorded."))
            return redirect(reverse("track:receipt", args=[code]) + f"#opinion-{number}")
    return _render_receipt(request, receipt, code, bound=form, bound_number=number, status=status)
