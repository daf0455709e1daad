"""``{% submission_key %}``: the one-time key a form sends so it is acted on only once.

Put it inside every ``<form method="post">`` whose view is wrapped in
``core.submissions.once_per_submission``; each use draws a new key.
"""

from django import template
from django.utils.html import format_html

from core.submissions import FIELD, new_key

register = template.Library()


@register.simple_tag
def submission_key() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_key())
