"""``{% submission_key %}``: the one-time key a form sends so it is acted on only once.

Put it inside every ``<form method="post">`` whose view is wrapped in
``core.submissions.once_per_submission``; each use draws a new key. ``{% kept_form %}``
marks a form whose typed text is kept in the browser until it is saved.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from core.submissions import FIELD, new_key

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())


@register.simple_tag(takes_context=True)
def kept_form(context, *forms, name: str = "") -> str:
    """The attributes that make a ``<form>`` keep what is typed in this browser until it is
    saved, and send it so a dropped connection is said (``static/js/kept_forms.js``):
    ``<form method="post" {% kept_form form formset %}>``. The copy belongs to the user and
    the page; a form drawn from a submission (with its errors) is marked bound, and is then
    the newest copy. ``name`` tells apart several such forms on one page."""
    request = context["request"]
    attributes = {
        "data-keep": f"{request.user.pk}:{request.get_full_path()}" + (f"#{name}" if name else ""),
        "data-keep-restored": _("What you typed on this device at %(time)s is back in the form."),
        "data-keep-discard": _("Discard it"),
        "data-keep-offline": _(
            "Not saved: the connection failed. What you typed is kept on this device; "
            "press Save again when you have a signal."
        ),
    }
    html = format_html_join(" ", '{}="{}"', attributes.items())
    if any(getattr(form, "is_bound", False) for form in forms):
        html = format_html("{} data-keep-bound", html)
    return html
