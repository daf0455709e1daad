"""The public POSTs' front door: a POST to the online opinion box is counted per client
address and measured, and a rating's POST (``/r/<code>/rate/<n>/``) is measured, before
anything reads its form (the CSRF check and the input guard would parse it first), so a
flood costs a cache increment and a header read, not a parse, and nothing of it reaches
the view."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django_ratelimit.core import is_ratelimited

from .public import client_key, public_page

SUBMISSION_GROUP = "receipts.box.submit"
#: The rating's route (``track:rate``), as the resolver names it.
RATE_ROUTE = "track:rate"


def submissions_limited(request) -> bool:
    return is_ratelimited(
        request,
        group=SUBMISSION_GROUP,
        key=client_key,
        rate=f"{settings.RECEIPT_BOX_SUBMISSIONS_PER_HOUR}/h",
        increment=True,
    )


def body_too_large(request, limit: int | None = None) -> bool:
    """The body announced is over ``limit`` bytes (the box's by default); a length that
    is not a number counts as too large."""
    if limit is None:
        limit = settings.RECEIPT_BOX_MAX_BODY
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return length > limit


def is_rating_post(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name == RATE_ROUTE


@public_page
def too_many(request):
    return render(request, "receipts/public_too_many.html", {"box": True}, status=429)


@public_page
def too_large(request):
    return render(request, "receipts/box_too_large.html", status=413)


@public_page
def rating_too_large(request):
    return render(request, "receipts/rating_too_large.html", status=413)


class BoxGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self._path = None

    def __call__(self, request):
        if request.method == "POST":
            if self._path is None:
                self._path = reverse("track:box")
            if request.path_info == self._path:
                if submissions_limited(request):
                    return too_many(request)
                if body_too_large(request):
                    return too_large(request)
            elif is_rating_post(request) and body_too_large(
                request, settings.RECEIPT_RATING_MAX_BODY
            ):
                return rating_too_large(request)
        return self.get_response(request)
