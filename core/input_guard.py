"""Requests whose input the app cannot read or store get a 400 page in the user's language.

Two kinds, caught here once for every view (Django's admin included):

- a NUL character anywhere in the path, the query string or a form field. PostgreSQL refuses
  NUL in text, so a search for "a\\x00b" answered 500 wherever a view read the parameter
  itself. Django's form fields already refuse it, but views, filters and third-party pages
  that read ``request.GET`` directly did not; a middleware covers them all, including the ones
  written tomorrow, where a validator would cover only the fields that remember to use it. No
  honest input contains one (no keyboard types it), so the request is refused whole;
- a form Django cannot parse: a part header over Django's 1 kB limit (a file name of about
  a thousand characters), too many fields, or a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``.
  Django answers those with a bare English "Bad Request"; here the user learns what to change.

Nothing reaches a view, so nothing is saved. It sits after the authentication middleware so the
page can show the user's menu, and reads the form before CSRF's check does (which would read it
anyway).
"""

from __future__ import annotations

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext as _

NUL = "\x00"


def _has_nul(query) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query.lists())


class InputGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = self.refusal(request)
        if refusal is not None:
            return render(request, "400.html", {"message": refusal}, status=400)
        return self.get_response(request)

    def refusal(self, request) -> str | None:
        """Why the request cannot be read, or None."""
        if NUL in request.path_info or _has_nul(request.GET):
            return self.nul_message()
        if request.method != "POST":
            return None
        try:
            post = request.POST
        except MultiPartParserError as error:
            if "header size" in str(error):
                return _(
                    "The form could not be read: a file name is too long. Rename the file "
                    "to something shorter (under 200 characters) and upload it again. "
                    "Nothing was saved."
                )
            return _("The form could not be read. Nothing was saved; please try again.")
        except SuspiciousOperation:
            # Too many fields or files, or more data than the form may carry.
            request._mark_post_parse_error()
            return _(
                "The form was too large to be read. Send fewer or smaller files at a time. "
                "Nothing was saved."
            )
        except BadRequest:
            return _("The form could not be read. Nothing was saved; please try again.")
        # Django's parser already drops unprintable characters from uploaded files' names.
        if _has_nul(post):
            return self.nul_message()
        return None

    @staticmethod
    def nul_message() -> str:
        return _(
            "The request contained an invisible control character (NUL) that cannot be "
            "stored. Remove it (it usually comes with text pasted from another program) and "
            "try again. Nothing was saved."
        )
