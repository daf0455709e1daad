"""The online opinion box (意见箱): anyone may leave an opinion for a branch, with no
account, and takes away a receipt with its code at once.

An opinion left in the box is an ordinary opinion of the branch's standing online-box
activity for the current campaign (made by the first opinion left), waiting for a
disposition in the branch's "my work" like any other. Who the sender says they are is
kept beside it (``BoxOpinion``), marked as stated, not verified: the opinion is never
filed under a registered enterprise on the sender's word (see ``box_submit``).

The form carries its receipt's code from the start, signed, so the same form sent twice
finds the receipt it made instead of leaving a second opinion (``box_ticket``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from branches.models import Branch
from outreach.models import Activity, Campaign, FeedbackCategory, FeedbackItem
from outreach.validators import normalize_uscc

from . import codes
from .models import BoxOpinion, Receipt
from .services import _create

TICKET_SALT = "receipts.box.ticket"
#: How long a box form stays good to send (then it is shown again with a new ticket).
TICKET_MAX_AGE = 6 * 60 * 60
CONTENT_MAX_LENGTH = 2000


def box_ticket() -> str:
    """A new form's ticket: a fresh receipt code, signed so that only codes this server
    handed out are accepted (never stored until the form is sent)."""
    return signing.dumps(codes.new_code(), salt=TICKET_SALT)


def ticket_code(ticket: str) -> str | None:
    """The code a ticket carries, or None when it is forged, garbled or too old."""
    try:
        code = signing.loads(ticket or "", salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
    except signing.BadSignature:
        return None
    return codes.normalize(code) if isinstance(code, str) else None


def box_campaign(today=None) -> Campaign | None:
    """The campaign the box collects for: the newest one under way (started, not ended);
    between campaigns the box is closed."""
    today = today or timezone.localdate()
    return (
        Campaign.objects.filter(starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .order_by("-starts_on", "-id")
        .first()
    )


def box_branches():
    """The branches an opinion can be left for (not the provincial office)."""
    return Branch.objects.filter(kind=Branch.Kind.CITY).order_by("sort_order", "id")


def standing_activity(*, branch: Branch, campaign: Campaign, day=None) -> Activity:
    """The branch's online-box activity of ``campaign`` for ``day`` (today), made by the
    day's first opinion. One a day, not one a campaign: the figures date an opinion by its
    activity, so a box opinion falls in the week and month it was left in. Two first
    opinions at once both end up on one activity (the database allows only one)."""
    day = day or timezone.localdate()
    existing = Activity.objects.active().filter(
        kind=Activity.Kind.ONLINE_BOX, branch=branch, campaign=campaign, occurred_on=day
    )
    activity = existing.first()
    if activity is not None:
        return activity
    with translation.override(translation.get_supported_language_variant("zh-hans")):
        title = _("Online opinion box · {branch} · {day}").format(
            branch=branch.name, day=formats.date_format(day, "SHORT_DATE_FORMAT")
        )
    try:
        with transaction.atomic():
            return Activity.objects.create(
                kind=Activity.Kind.ONLINE_BOX,
                branch=branch,
                campaign=campaign,
                title=title,
                occurred_on=day,
            )
    except IntegrityError:
        return existing.get()


def _branch_box_is_full(branch: Branch) -> bool:
    """A ceiling per branch and hour besides the limit per address: many addresses (a
    botnet, one IPv6 network) cannot fill a branch's "my work" without end."""
    since = timezone.now() - timedelta(hours=1)
    ceiling = settings.RECEIPT_BOX_PER_BRANCH_PER_HOUR
    recent = BoxOpinion.objects.filter(
        feedback_item__branch=branch, submitted_at__gte=since
    ).values("pk")[:ceiling]
    return recent.count() >= ceiling


def existing_receipt(code: str) -> Receipt | None:
    """The box receipt a ticket's code already made (a form sent twice)."""
    from .selectors import receipt_for_code

    return receipt_for_code(code)


@transaction.atomic
def box_submit(
    *,
    code: str,
    branch: Branch,
    category: FeedbackCategory,
    content: str,
    anonymous: bool,
    stated_name: str = "",
    stated_uscc: str = "",
    contact: str = "",
    kind: str = FeedbackItem.Kind.PROBLEM,
) -> Receipt:
    """Leave one opinion in ``branch``'s box; returns its receipt, which ``code`` opens.

    The form checked every field (``forms.BoxForm``); this checks what the database
    must never hold: a branch that takes no opinions, no campaign, empty content.
    """
    campaign = box_campaign()
    if campaign is None:
        raise ValidationError(_("The opinion box is closed: no campaign has started."))
    if branch.is_province:
        raise ValidationError({"branch": _("Choose a branch.")})
    content = (content or "").strip()
    if not content or len(content) > CONTENT_MAX_LENGTH:
        raise ValidationError({"content": _("Write your opinion (at most 2,000 characters).")})
    if _branch_box_is_full(branch):
        raise ValidationError(
            _(
                "This branch's opinion box has received too many opinions in the last hour. "
                "Please try again later, or call the branch."
            )
        )
    if anonymous:
        stated_name, stated_uscc = "", ""
    stated_uscc = normalize_uscc(stated_uscc)
    today = timezone.localdate()
    activity = standing_activity(branch=branch, campaign=campaign, day=today)
    # Never the registered enterprise of the stated credit code, even when there is one:
    # credit codes are public, so anyone could speak (and read answers) in its name. Staff
    # see the stated name and code, and the registered enterprise that has the code.
    item = FeedbackItem(
        activity=activity,
        branch_id=activity.branch_id,
        enterprise=None,
        category=category,
        kind=kind,
        content=content,
        contact=(contact or "").strip(),
        received_on=today,
    )
    item.save()
    BoxOpinion.objects.create(
        feedback_item=item,
        anonymous=anonymous,
        stated_name=(stated_name or "").strip(),
        stated_uscc=stated_uscc,
    )
    receipt, _code = _create(
        activity=activity,
        enterprise=None,
        items=[item],
        requested=True,
        actor=None,
        code=code,
    )
    return receipt
