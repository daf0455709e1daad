"""What a person typed is not lost to an ended session or a dropped connection.

The browser keeps the fields of a form marked ``data-keep`` while they are typed
(``static/js/kept_forms.js``), and sends the form with ``fetch`` and the header
``X-Kept-Form``, so a failed network is reported on the page and the form can be sent again
(``core.submissions`` does a repeat once). This middleware answers such a request's
redirect with JSON, ``{"redirect": url, "saved": bool}``: the script forgets its copy only
when the form was acted on, and not when it was sent to the login page.

A POST that arrives after the session ended (from the script or a plain form) is sent to the
login page with a message saying nothing was saved, and ``next`` pointing back to the page
the form was on, where the browser's copy is put back after signing in.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import JsonResponse, QueryDict
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

HEADER = "X-Kept-Form"


class KeptFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method != "POST" or not response.has_header("Location"):
            return response
        if response.status_code not in (301, 302, 303, 307, 308):
            return response
        location = response["Location"]
        to_login = not request.user.is_authenticated and _sent_to_login(request, location)
        if to_login:
            location = _login_back_to_form(request, location)
            messages.warning(
                request,
                _(
                    "Your session had ended, so nothing was saved. Sign in again: what you "
                    "typed on this device is put back in the form."
                ),
                fail_silently=True,
            )
            response["Location"] = location
        if request.headers.get(HEADER):
            return JsonResponse({"redirect": location, "saved": not to_login})
        return response


def _sent_to_login(request, location: str) -> bool:
    """Whether the view refused the POST for want of a login: redirect_to_login() names
    the refused address as ``next`` (a language switch on the login page goes there too,
    with another ``next``)."""
    parts = urlsplit(location)
    if parts.path != urlsplit(resolve_url(settings.LOGIN_URL)).path:
        return False
    return QueryDict(parts.query).get(REDIRECT_FIELD_NAME) == request.get_full_path()


def _login_back_to_form(request, location: str) -> str:
    """The login address with ``next`` set to the page the form was on (its Referer, when
    it is one of this site's), since the address it was posted to may take no GET."""
    referer = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return location
    parts = urlsplit(referer)
    back = parts.path + (f"?{parts.query}" if parts.query else "")
    query = QueryDict(mutable=True)
    query[REDIRECT_FIELD_NAME] = back
    return f"{urlsplit(location).path}?{query.urlencode(safe='/')}"  # as redirect_to_login
