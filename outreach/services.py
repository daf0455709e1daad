"""Writes to outreach records: activities, feedback items, withdrawals, attachments.

Every function takes the acting user, checks that they may act in the branch, validates,
and writes inside a transaction. Views and the spreadsheet import both call these. The
enterprise registry's writes (register, edit, merge) are in ``registry.py``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches import rules
from branches.models import Branch
from core import files

from . import extensions, registry, signals
from .models import (
    Activity,
    ActivityAttachment,
    Campaign,
    Enterprise,
    FeedbackCategory,
    FeedbackItem,
)
from .validators import (
    activity_date_problem,
    received_date_problem,
)


def ensure_can_log(actor, branch: Branch) -> None:
    """Only staff and leads of ``branch`` (or a system administrator) write its outreach."""
    if not rules.can_log_outreach_in(actor, branch):
        raise PermissionDenied(_("You may only record outreach for your own branch."))


# --- activities -----------------------------------------------------------------------

#: The fields each kind of activity records, beyond date, place, staff and minutes.
KIND_FIELDS = {
    Activity.Kind.VISIT: {"enterprises"},
    Activity.Kind.ENTERPRISE_FORUM: {"enterprises", "attendee_count"},
    Activity.Kind.INTERNAL_FORUM: {"attendee_count"},
    Activity.Kind.SURVEY: {"enterprises", "forms_sent", "forms_returned"},
    Activity.Kind.HOTLINE: {"enterprises"},
    Activity.Kind.ONSITE_SERVICE: {"enterprises"},
}
#: The kinds staff log (by hand or from a spreadsheet): all but the online opinion box's
#: standing activity, which only the box makes (receipts.box).
LOGGED_KINDS = tuple(KIND_FIELDS)
#: Kinds that need at least one enterprise.
KINDS_NEEDING_ENTERPRISES = {Activity.Kind.VISIT, Activity.Kind.ONSITE_SERVICE}


def default_activity_title(kind: str, occurred_on: date, enterprises: list[Enterprise]) -> str:
    label = Activity.Kind(kind).label
    if not enterprises:
        return f"{label} {occurred_on:%Y-%m-%d}"
    if len(enterprises) == 1:
        return f"{label}：{enterprises[0].name}"
    return _("{kind}: {name} and others, {total} enterprises").format(
        kind=label, name=enterprises[0].name, total=len(enterprises)
    )


def _activity_fields(
    *,
    campaign,
    occurred_on,
    kind,
    enterprises,
    attendee_count,
    forms_sent,
    forms_returned,
    already_linked=frozenset(),
):
    kind = Activity.Kind(kind)
    if kind not in KIND_FIELDS:
        raise ValidationError(
            _("An activity of the online opinion box is made by the box alone, not by hand.")
        )
    wanted = KIND_FIELDS[kind]
    errors = {}
    date_problem = activity_date_problem(occurred_on, campaign)
    if date_problem:
        errors["occurred_on"] = date_problem
    enterprises = list(enterprises) if "enterprises" in wanted else []
    if kind in KINDS_NEEDING_ENTERPRISES and not enterprises:
        errors["enterprises"] = _("Choose at least one enterprise.")
    # Any branch may meet any enterprise of the province's registry; only a withdrawn
    # (or merged) record cannot be newly linked.
    withdrawn = [e.name for e in enterprises if e.is_withdrawn and e.pk not in already_linked]
    if withdrawn:
        errors["enterprises"] = _(
            "These enterprises were withdrawn and can no longer be chosen: {names}"
        ).format(names="、".join(withdrawn))
    if "forms_sent" in wanted:
        if forms_sent is None:
            errors["forms_sent"] = _("Enter how many forms were sent.")
        elif forms_returned is not None and forms_returned > forms_sent:
            errors["forms_returned"] = _("More forms returned than were sent.")
    if errors:
        raise ValidationError(errors)
    return enterprises, {
        "attendee_count": attendee_count if "attendee_count" in wanted else None,
        "forms_sent": forms_sent if "forms_sent" in wanted else None,
        "forms_returned": forms_returned if "forms_returned" in wanted else None,
    }


@transaction.atomic
def activity_create(
    *,
    actor,
    branch: Branch,
    campaign: Campaign,
    kind: str,
    occurred_on: date,
    title: str = "",
    place: str = "",
    enterprises: Iterable[Enterprise] = (),
    staff: Iterable = (),
    attendee_count: int | None = None,
    forms_sent: int | None = None,
    forms_returned: int | None = None,
    minutes: str = "",
) -> Activity:
    """Log an activity of ``branch``; the title is made up from the kind when left empty."""
    ensure_can_log(actor, branch)
    enterprises, numbers = _activity_fields(
        campaign=campaign,
        occurred_on=occurred_on,
        kind=kind,
        enterprises=enterprises,
        attendee_count=attendee_count,
        forms_sent=forms_sent,
        forms_returned=forms_returned,
    )
    activity = Activity.objects.create(
        campaign=campaign,
        branch=branch,
        kind=kind,
        title=(title or "").strip() or default_activity_title(kind, occurred_on, enterprises),
        occurred_on=occurred_on,
        place=(place or "").strip(),
        minutes=minutes or "",
        created_by=actor,
        **numbers,
    )
    activity.enterprises.set(enterprises)
    activity.staff.set(staff)
    return activity


def activity_move_check(activity: Activity, *, branch: Branch, campaign: Campaign) -> None:
    """Refuse moving an activity to another branch or campaign while its opinions are in
    issues: an issue keeps the branch and campaign of its opinions (the database refuses it
    too, issues/migrations/0010). Without issues, its opinions follow it."""
    moves_branch = branch.pk != activity.branch_id
    moves_campaign = campaign.pk != activity.campaign_id
    if not (moves_branch or moves_campaign):
        return
    if not activity.feedback_items.filter(issue__isnull=False).exists():
        return
    errors = {}
    if moves_branch:
        errors["branch"] = _(
            "Opinions of this activity are already in issues of its branch: "
            "the branch can no longer change."
        )
    if moves_campaign:
        errors["campaign"] = _(
            "Opinions of this activity are already in issues of its campaign: "
            "the campaign can no longer change."
        )
    raise ValidationError(errors)


@transaction.atomic
def activity_update(
    *,
    actor,
    activity: Activity,
    campaign: Campaign,
    occurred_on: date,
    title: str = "",
    place: str = "",
    enterprises: Iterable[Enterprise] = (),
    staff: Iterable = (),
    attendee_count: int | None = None,
    forms_sent: int | None = None,
    forms_returned: int | None = None,
    minutes: str = "",
    seen_updated_at=None,
) -> Activity:
    """Edit an activity. ``seen_updated_at``, the ``updated_at`` the form was drawn from,
    refuses an edit made on a stale form (someone saved the activity meanwhile) instead of
    writing over their change."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    ensure_can_log(actor, activity.branch)
    _refuse_if_withdrawn(activity)
    if seen_updated_at is not None and activity.updated_at != seen_updated_at:
        raise ValidationError(
            _(
                "Someone changed this activity after you opened it, so your edit was not "
                "saved: check it as it stands now and make your edit again."
            ),
            code="stale",
        )
    activity_move_check(activity, branch=activity.branch, campaign=campaign)
    enterprises, numbers = _activity_fields(
        campaign=campaign,
        occurred_on=occurred_on,
        kind=activity.kind,
        enterprises=enterprises,
        attendee_count=attendee_count,
        forms_sent=forms_sent,
        forms_returned=forms_returned,
        already_linked=set(activity.enterprises.values_list("pk", flat=True)),
    )
    activity.campaign = campaign
    activity.occurred_on = occurred_on
    activity.title = (title or "").strip() or default_activity_title(
        activity.kind, occurred_on, enterprises
    )
    activity.place = (place or "").strip()
    activity.minutes = minutes or ""
    for field, value in numbers.items():
        setattr(activity, field, value)
    staff = list(staff)
    # The links have no column of the history row: what this edit added and removed is
    # kept on it (``Activity.history``'s ``links_changed``), with who made it.
    activity._history_links = _links_changed(activity, enterprises=enterprises, staff=staff)
    activity._history_user = actor
    activity.save()
    activity.enterprises.set(enterprises)
    activity.staff.set(staff)
    return activity


def _links_changed(activity: Activity, **wanted) -> dict | None:
    """{"enterprises": {"added": [ids], "removed": [ids]}, ...} for the links ``wanted``
    changes (ids sorted); None when it changes none."""
    changes = {}
    for name, records in wanted.items():
        before = set(getattr(activity, name).values_list("pk", flat=True))
        after = {record.pk for record in records}
        if before != after:
            changes[name] = {"added": sorted(after - before), "removed": sorted(before - after)}
    return changes or None


# --- feedback -------------------------------------------------------------------------


@transaction.atomic
def feedback_create(
    *,
    actor,
    activity: Activity,
    category: FeedbackCategory,
    content: str,
    kind: str = FeedbackItem.Kind.PROBLEM,
    enterprise: Enterprise | None = None,
    contact: str = "",
    received_on: date | None = None,
) -> FeedbackItem:
    """Record one opinion heard at ``activity``; no enterprise means anonymous."""
    opinion = NewOpinion(activity, category, content, kind, enterprise, contact, received_on)
    return feedback_create_many(actor=actor, opinions=[opinion])[0]


@dataclass(frozen=True)
class NewOpinion:
    activity: Activity
    category: FeedbackCategory
    content: str
    kind: str = FeedbackItem.Kind.PROBLEM
    enterprise: Enterprise | None = None
    contact: str = ""
    received_on: date | None = None


@transaction.atomic
def feedback_create_many(*, actor, opinions: Sequence[NewOpinion]) -> list[FeedbackItem]:
    """Record several opinions, checked one by one and written together (with their
    history rows) in a few statements: an import of 10,000 is one bulk insert, not
    20,000 single ones.

    When any is not valid nothing is written: the ``ValidationError`` raised is the first
    opinion's, and its ``by_opinion`` maps the position of every invalid one to its error.
    """
    items, invalid = [], {}
    for index, opinion in enumerate(opinions):
        try:
            items.append(_new_feedback_item(actor, opinion))
        except ValidationError as error:
            invalid[index] = error
    if invalid:
        first = next(iter(invalid.values()))
        first.by_opinion = invalid
        raise first
    return bulk_create_with_history(items, FeedbackItem, batch_size=1000, default_user=actor)


def opinions_announce(*, actor, opinions: Sequence[tuple[FeedbackItem, dict]]) -> list[str]:
    """Tell the apps above that opinions were recorded from an entry form, inside its
    transaction (``signals.opinions_recorded``); the messages their receivers return."""
    if not opinions:
        return []
    answers = signals.opinions_recorded.send(sender=FeedbackItem, actor=actor, opinions=opinions)
    return [note for _receiver, notes in answers for note in notes or ()]


def _new_feedback_item(actor, opinion: NewOpinion) -> FeedbackItem:
    activity, enterprise = opinion.activity, opinion.enterprise
    ensure_can_log(actor, activity.branch)
    _refuse_if_withdrawn(activity)
    content = (opinion.content or "").strip()
    errors = {}
    if not content:
        errors["content"] = _("Write down what the enterprise said.")
    # Any enterprise of the province's registry, as long as its record is in use.
    if enterprise is not None and enterprise.is_withdrawn:
        errors["enterprise"] = _("This enterprise was withdrawn and can no longer be chosen.")
    if opinion.received_on is not None:
        date_problem = received_date_problem(opinion.received_on, activity.occurred_on)
        if date_problem:
            errors["received_on"] = date_problem
    if errors:
        raise ValidationError(errors)
    return FeedbackItem(
        activity=activity,
        branch_id=activity.branch_id,
        enterprise=enterprise,
        category=opinion.category,
        kind=opinion.kind,
        content=content,
        contact=(opinion.contact or "").strip(),
        received_on=opinion.received_on or activity.occurred_on,
        created_by=actor,
    )


# --- correcting an opinion ------------------------------------------------------------

#: What the branch may correct of an opinion (``feedback_update``); the rest (activity,
#: date heard, disposition, replies) belongs to the workflow.
FEEDBACK_EDITABLE = ("enterprise", "category", "kind", "content", "contact")


def feedback_kept_fields(item: FeedbackItem) -> dict[str, str]:
    """The correctable fields of ``item`` that can no longer change, each with why.

    - The online box's opinions keep the sender's words, name and contact: the branch
      classifies them (category, kind), it does not rewrite them.
    - Once the enterprise was answered, its words stay what was answered.
    - The enterprise stays once a reply, an attempt or a reply awaiting approval was
      recorded for it, or a live receipt given to it lists the opinion (the apps above
      say so through ``extensions.ENTERPRISE_KEPT``).
    """
    if item.activity.kind == Activity.Kind.ONLINE_BOX:
        reason = _(
            "An opinion from the online box keeps the sender's own words, name and contact: "
            "only its category and kind can be corrected."
        )
        return dict.fromkeys(("enterprise", "content", "contact"), reason)
    kept = {}
    if item.is_answered:
        kept["content"] = _(
            "The enterprise has been answered on these words: they can no longer change."
        )
    reason = extensions.why_enterprise_kept(item)
    if reason:
        kept["enterprise"] = reason
    return kept


@transaction.atomic
def feedback_update(
    *,
    actor,
    feedback_item: FeedbackItem,
    seen_updated_at,
    enterprise: Enterprise | None,
    category: FeedbackCategory,
    kind: str,
    content: str,
    contact: str = "",
) -> list[str]:
    """Correct an opinion entered by mistake; returns the names of the fields changed
    (none: nothing written). The change is kept in the opinion's history with its author.

    ``seen_updated_at`` is the ``updated_at`` the form was drawn from: when the opinion
    changed since (another correction, a disposition, a withdrawal), nothing is written.
    """
    item = FeedbackItem.objects.select_for_update().get(pk=feedback_item.pk)
    ensure_can_log(actor, item.branch)
    _refuse_if_withdrawn(item)
    if item.updated_at != seen_updated_at:
        raise ValidationError(
            _(
                "Someone changed this opinion after you opened it, so your correction was "
                "not saved: check it as it stands now and make your correction again."
            ),
            code="stale",
        )
    wanted = {
        "enterprise": enterprise,
        "category": category,
        "kind": kind,
        "content": (content or "").strip(),
        "contact": (contact or "").strip(),
    }
    changed = [name for name in FEEDBACK_EDITABLE if _differs(item, name, wanted[name])]
    errors = {}
    kept = feedback_kept_fields(item) if changed else {}
    for name in changed:
        if name in kept:
            errors[name] = kept[name]
    if not wanted["content"]:
        errors["content"] = _("Write down what the enterprise said.")
    if kind not in FeedbackItem.Kind.values:
        errors["kind"] = _("Choose what kind of opinion this is.")
    if "category" in changed and not category.is_active:
        errors["category"] = _("This category is no longer in use: choose another.")
    if "enterprise" in changed and "enterprise" not in errors and enterprise is not None:
        met = item.activity.enterprises.active().filter(pk=enterprise.pk).exists()
        if not met:
            errors["enterprise"] = _(
                "Choose one of the enterprises met at this activity, or anonymous."
            )
    if errors:
        raise ValidationError(errors)
    if not changed:
        return []
    for name in changed:
        setattr(item, name, wanted[name])
    item._history_user = actor
    item.save(update_fields=[*changed, "updated_at"])
    return changed


def _differs(item: FeedbackItem, name: str, value) -> bool:
    if name in ("enterprise", "category"):
        return getattr(item, f"{name}_id") != (value.pk if value is not None else None)
    return getattr(item, name) != value


# --- withdrawal -----------------------------------------------------------------------


def _refuse_if_withdrawn(record) -> None:
    if record.withdrawn_at is not None:
        raise ValidationError(_("This record has been withdrawn and can no longer be changed."))


@transaction.atomic
def record_withdraw(*, actor, record, reason: str):
    """Withdraw an enterprise, activity or feedback item with a reason (never delete it)."""
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    if isinstance(record, Enterprise):
        registry.ensure_can_edit_enterprise(actor, record)
    else:
        ensure_can_log(actor, record.branch)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this record is withdrawn.")})
    if record.withdrawn_at is not None:
        raise ValidationError(_("This record was already withdrawn."))
    if isinstance(record, Activity) and record.feedback_items.active().exists():
        raise ValidationError(
            _("Withdraw this activity's opinions first: they still count in every figure.")
        )
    if (
        isinstance(record, Enterprise)
        and not rules.is_provincial_office(actor)
        and registry.met_by_other_branches(record)
    ):
        # Withdrawing would take it out of those branches' figures without their say.
        raise ValidationError(
            _(
                "Other branches have recorded activities or opinions with this enterprise: "
                "only the provincial office can withdraw it, or merge it into another record."
            )
        )
    if isinstance(record, FeedbackItem) and record.issue_id:
        raise ValidationError(
            _("This opinion is part of an issue; take it out of the issue before withdrawing it.")
        )
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = actor
    record.withdrawn_reason = reason
    # The history's reason column holds 100 characters; the full reason is on the row.
    record._change_reason = reason[:100]
    record._history_user = actor
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
    return record


# --- attachments ----------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor, activity: Activity, uploaded_file) -> ActivityAttachment:
    """Keep a photo or scan with ``activity``, after checking it against the upload
    allowlist (``core.files.inspect_upload``). Nothing is stored when it is refused;
    the file is stored under a random name, its original name kept for display."""
    ensure_can_log(actor, activity.branch)
    _refuse_if_withdrawn(activity)
    if uploaded_file is None:
        raise ValidationError(_("Choose a file to upload."), code="required")
    content_type = files.inspect_upload(uploaded_file, max_bytes=files.upload_limit_bytes())
    return ActivityAttachment.objects.create(
        activity=activity,
        file=uploaded_file,
        original_name=files.clean_filename(uploaded_file.name),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
