"""The enterprise's pages, open without a login: type a code at ``/r/``, read a receipt at
``/r/<code>/``.

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
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from . import codes, selectors, services

LOOKUP_GROUP = "receipts.lookup"


def public_page(view):
    """Headers of every public page: not stored, no referrer (the code is in the URL),
    not indexed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
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
        return render(request, "receipts/public_too_many.html", status=429)
    receipt = selectors.receipt_for_code(code)
    if receipt is None:
        return not_found(request)
    services.receipt_opened(receipt=receipt)
    return render(
        request,
        "receipts/public_receipt.html",
        {
            "receipt": receipt,
            "items": receipt.public_items,
            "phone": selectors.contact_phone(receipt),
        },
    )
