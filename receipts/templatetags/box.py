"""The online opinion box in templates: the "received" block on the sender's receipt page,
and who a box opinion's sender said they were, on the staff's pages (which belong to apps
that may not import this one)."""

from __future__ import annotations

import segno
from django import template
from django.contrib import messages
from django.urls import reverse

from outreach.models import Activity, Enterprise, FeedbackItem

from .. import codes
from ..box_views import RECEIVED_TAG
from ..models import BoxOpinion
from ..views import public_link

register = template.Library()


@register.inclusion_tag("receipts/partials/box_received.html", takes_context=True)
def box_received(context):
    """The code, its link and QR, when this page was reached right after leaving an
    opinion in the box (a message the box left for this visitor alone)."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return {"received": False}
    received = [m for m in messages.get_messages(request) if RECEIVED_TAG in m.tags.split()]
    code = codes.normalize(request.resolver_match.kwargs.get("code", ""))
    if not received or code is None:
        return {"received": False}
    link = public_link(request, reverse("track:receipt", args=[code]))
    return {
        "received": True,
        "message": received[-1].message,
        "code": codes.grouped(code),
        "link": link,
        "qr_svg": segno.make(link, error="m").svg_inline(
            scale=4, omitsize=True, svgclass="receipt-qr"
        ),
    }


def _from_box(item: FeedbackItem) -> bool | None:
    """Whether ``item`` came from the box, or None when its activity is not loaded."""
    if not FeedbackItem.activity.is_cached(item):
        return None
    return item.activity.kind == Activity.Kind.ONLINE_BOX


@register.simple_tag
def box_senders(items) -> dict[int, BoxOpinion]:
    """What the senders of the box opinions among ``items`` stated, by opinion id: one
    query for a list, none when the list's activities are loaded and none is the box."""
    items = list(items)
    wanted = [item.pk for item in items if _from_box(item) is not False]
    if not wanted:
        return {}
    return {
        opinion.feedback_item_id: opinion
        for opinion in BoxOpinion.objects.filter(feedback_item_id__in=wanted)
    }


@register.filter
def sender_of(senders: dict, item) -> BoxOpinion | None:
    """``senders|sender_of:item``: what ``item``'s sender stated (from ``box_senders``)."""
    return senders.get(item.pk) if senders else None


#: Where ``box_sender`` keeps its answer on the opinion, for the page's next ask.
_KEPT = "_box_sender_kept"


@register.simple_tag
def box_sender(item) -> BoxOpinion | None:
    """What the sender of ``item`` stated, when it came from the box (read once a page)."""
    if not hasattr(item, _KEPT):
        setattr(item, _KEPT, box_senders([item]).get(item.pk))
    return getattr(item, _KEPT)


@register.simple_tag
def registered_with_code(sender: BoxOpinion | None):
    """The registered enterprise (in use) that has the credit code the sender stated, for
    staff to check the sender against: the opinion itself is never filed under it."""
    if sender is None or not sender.stated_uscc:
        return None
    return (
        Enterprise.objects.active()
        .filter(uscc=sender.stated_uscc, merged_into__isnull=True)
        .only("pk", "name")
        .first()
    )
