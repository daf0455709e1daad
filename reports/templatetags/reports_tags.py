"""Template helpers for the dashboard: a figure or link by its key."""

from django import template

register = template.Library()


@register.filter
def lookup(mapping, key):
    """``mapping[key]``: a figure from Figures, or a link or label from a dict."""
    return mapping[key]
