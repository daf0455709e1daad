"""The online opinion box's public pages (意见箱): the form at ``/r/box/`` and its
challenge's pictures at ``/r/captcha/``.

A POST has been counted per address and measured by ``middleware.BoxGuardMiddleware``
before Django read it; here the CSRF check has run. A form whose ticket already made a
receipt goes to that receipt (the same form sent twice leaves one opinion); otherwise the
fields and the challenge are checked, the opinion is left (``box.box_submit``) and the
sender is sent to their receipt's page, where the code is shown once more to keep.
"""

from __future__ import annotations

from functools import wraps

from captcha import views as captcha_views
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from . import box
from .box_forms import BoxForm
from .public import RECEIVED_TAG, client_key, public_page

CAPTCHA_GROUP = "receipts.box.captcha"


def captchas_limited(request) -> bool:
    return is_ratelimited(
        request,
        group=CAPTCHA_GROUP,
        key=client_key,
        rate=f"{settings.RECEIPT_BOX_CAPTCHAS_PER_MINUTE}/m",
        increment=True,
    )


def _limited_captcha(view):
    """A challenge's picture (or a new challenge) costs drawing: limited per address."""

    @public_page
    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if captchas_limited(request):
            return HttpResponse(status=429)
        return view(request, *args, **kwargs)

    return wrapped


captcha_image = _limited_captcha(captcha_views.captcha_image)
captcha_refresh = _limited_captcha(captcha_views.captcha_refresh)


def _page(request, form, status=200):
    return render(request, "receipts/box_form.html", {"form": form}, status=status)


def _same_origin_referrer(view):
    """The box's address holds no code, and its form is posted: a browser told to send no
    referrer sends its POST with ``Origin: null``, which the CSRF check refuses. Within
    the site the referrer goes; to other sites still none."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


@_same_origin_referrer
@public_page
@require_http_methods(["GET", "POST"])
def box_page(request):
    """The form; a POST leaves the opinion and goes to its receipt."""
    if box.box_campaign() is None:
        return render(request, "receipts/box_closed.html")
    if request.method != "POST":
        if captchas_limited(request):
            return render(request, "receipts/public_too_many.html", {"box": True}, status=429)
        return _page(request, BoxForm(initial={"ticket": box.box_ticket()}))
    code = box.ticket_code(request.POST.get("ticket", ""))
    if code is not None and box.existing_receipt(code) is not None:
        return _received(request, code)
    if code is None:
        # Forged, garbled or hours old: nothing is left; the form comes back, filled, with
        # a fresh ticket and challenge.
        data = request.POST.copy()
        data["ticket"] = box.box_ticket()
        form = BoxForm(data)
        form.is_valid()
        form.add_error(None, _("This form is too old or damaged. Check it and send it again."))
        return _page(request, form, status=400)
    form = BoxForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        box.box_submit(
            code=code,
            branch=data["branch"],
            category=data["category"],
            content=data["content"],
            anonymous=data["anonymous"],
            stated_name=data["enterprise_name"],
            stated_uscc=data["credit_code"],
            contact=data["contact"],
            kind=data["kind"],
        )
    except ValidationError as error:
        for field, errors in error.update_error_dict({}).items():
            form.add_error(field if field in form.fields else None, errors)
        return _page(request, form, status=400)
    except IntegrityError:
        # The same form sent twice at the same moment: the other one made the receipt.
        if box.existing_receipt(code) is None:
            raise
    return _received(request, code)


def _received(request, code: str):
    messages.success(
        request,
        _(
            "Your opinion was received. Keep the code below: it is the only way to follow "
            "your opinion and read the branch's answer."
        ),
        extra_tags=RECEIVED_TAG,
    )
    return redirect("track:receipt", code)
