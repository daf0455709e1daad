"""The online opinion box (意见箱): anyone may leave an opinion for a branch, with no
account, and takes away a receipt with its code at once.

An opinion left in the box is an ordinary opinion of the branch's standing online-box
activity for the current campaign (made by the first opinion left), waiting for a
disposition in the branch's "my work" like any other. Who the sender says they are is
kept beside it (``BoxOpinion``), marked as stated, not verified; when the credit code is
one of a registered enterprise the opinion is that enterprise's.

The form carries its receipt's code from the start, signed, so the same form sent twice
finds the receipt it made instead of leaving a second opinion (``box_ticket``).
"""

from __future__ import annotations

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Branch
from outreach.models import Activity, Campaign, Enterprise, FeedbackCategory, FeedbackItem
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
    """The campaign the box collects for: the newest one that has started."""
    today = today or timezone.localdate()
    return Campaign.objects.filter(starts_on__lte=today).order_by("-starts_on", "-id").first()


def box_branches():
    """The branches an opinion can be left for (not the provincial office)."""
    return Branch.objects.filter(kind=Branch.Kind.CITY).order_by("sort_order", "id")


def standing_activity(*, branch: Branch, campaign: Campaign) -> Activity:
    """The branch's online-box activity of ``campaign``, made on first use. Two first
    opinions at once both end up on one activity (the database allows only one)."""
    existing = Activity.objects.active().filter(
        kind=Activity.Kind.ONLINE_BOX, branch=branch, campaign=campaign
    )
    activity = existing.first()
    if activity is not None:
        return activity
    with translation.override(translation.get_supported_language_variant("zh-hans")):
        title = _("Online opinion box · {branch}").format(branch=branch.name)
    try:
        with transaction.atomic():
            return Activity.objects.create(
                kind=Activity.Kind.ONLINE_BOX,
                branch=branch,
                campaign=campaign,
                title=title,
                occurred_on=max(campaign.starts_on, timezone.localdate()),
            )
    except IntegrityError:
        return existing.get()


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
    if anonymous:
        stated_name, stated_uscc = "", ""
    stated_uscc = normalize_uscc(stated_uscc)
    enterprise = None
    if stated_uscc:
        enterprise = (
            Enterprise.objects.active().filter(uscc=stated_uscc, merged_into__isnull=True).first()
        )
    activity = standing_activity(branch=branch, campaign=campaign)
    today = timezone.localdate()
    item = FeedbackItem(
        activity=activity,
        branch_id=activity.branch_id,
        enterprise=enterprise,
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
