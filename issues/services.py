"""Writes around issues that are not state transitions: opening issues from feedback,
linking, closing and merging, replies, rectification reports, instructions, meetings.

State changes go through ``issues.transitions.apply_transition`` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from branches import rules as branch_rules
from core import files
from outreach.models import UNREPLIED, FeedbackCategory, FeedbackItem

from . import rules, signals
from .clock import Clock
from .models import (
    Instruction,
    Issue,
    IssueEvent,
    IssueEvidence,
    ProvincialMeeting,
    Reply,
    ReplyDraft,
)

State = Issue.State


def _lock_items(actor, items: Iterable[FeedbackItem]) -> list[FeedbackItem]:
    """The items, re-read under lock and within the actor's scope, or a 404-like refusal."""
    pks = sorted({item.pk for item in items})
    if not pks:
        raise ValidationError(_("Choose at least one opinion."), code="no_items")
    locked = list(
        FeedbackItem.objects.select_for_update()
        .visible_to(actor)
        .filter(pk__in=pks)
        .select_related("activity")
        .order_by("pk")
    )
    if len(locked) != len(pks):
        raise PermissionDenied(_("Some of these opinions are outside your scope."))
    return locked


def _refuse_unless_undisposed(items: Sequence[FeedbackItem]) -> None:
    taken = [item for item in items if item.issue_id or item.closed_at or item.withdrawn_at]
    if taken:
        raise ValidationError(
            _("Already linked, closed or withdrawn (refresh the list): {ids}").format(
                ids="、".join(f"#{item.pk}" for item in taken)
            ),
            code="already_disposed",
        )


def _event(issue, kind, actor, note="") -> IssueEvent:
    return IssueEvent.objects.create(issue=issue, kind=kind, actor=actor, note=note)


@transaction.atomic
def issue_create(
    *,
    actor,
    feedback_items: Iterable[FeedbackItem],
    title: str,
    category: FeedbackCategory,
    description: str = "",
    severity: str = Issue.Severity.NORMAL,
) -> Issue:
    """Open a new issue distilled from opinions of one branch and one campaign."""
    items = _lock_items(actor, feedback_items)
    branch_id = items[0].branch_id
    if not all(branch_rules.works_in_branch(actor, item.branch_id) for item in items):
        raise PermissionDenied(_("Only the branch's staff open its issues."))
    if {item.branch_id for item in items} != {branch_id}:
        raise ValidationError(_("An issue gathers opinions of one branch."), code="mixed_branches")
    campaigns = {item.activity.campaign_id for item in items}
    if len(campaigns) != 1:
        raise ValidationError(
            _("An issue gathers opinions of one campaign."), code="mixed_campaigns"
        )
    _refuse_unless_undisposed(items)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the issue a title.")})
    issue = Issue(
        branch_id=branch_id,
        campaign_id=campaigns.pop(),
        title=title,
        description=(description or "").strip(),
        category=category,
        severity=severity,
        created_by=actor,
    )
    # Opened by the branch itself: signed for by its creator at once, the clock running.
    Clock().signed_at_once(issue, actor)
    issue.save()
    FeedbackItem.objects.filter(pk__in=[item.pk for item in items]).update(
        issue=issue, updated_at=timezone.now()
    )
    _event(issue, IssueEvent.Kind.CREATED, actor, _link_note(items))
    return issue


def _link_note(items) -> str:
    return _("Opinions: {ids}").format(ids="、".join(f"#{item.pk}" for item in items))


@transaction.atomic
def feedback_link(*, actor, issue: Issue, feedback_items: Iterable[FeedbackItem]) -> Issue:
    """Attach more opinions to an existing, still open issue of the same branch."""
    issue = Issue.objects.select_for_update().visible_to(actor).get(pk=issue.pk)
    if not rules.works_on(actor, issue):
        raise PermissionDenied(_("Only the branch's staff work on its issues."))
    if issue.state == State.ANSWERED or issue.merged_into_id or issue.withdrawn_at:
        raise ValidationError(
            _("Opinions can only join an issue that is still being worked on."), code="issue_closed"
        )
    items = _lock_items(actor, feedback_items)
    if any(item.branch_id != issue.branch_id for item in items):
        raise ValidationError(_("An issue gathers opinions of its own branch."))
    # The campaign's figures count an issue in the campaign of its opinions.
    if (
        FeedbackItem.objects.filter(pk__in=[item.pk for item in items])
        .exclude(activity__campaign=issue.campaign_id)
        .exists()
    ):
        raise ValidationError(
            _("An issue gathers opinions of one campaign."), code="mixed_campaigns"
        )
    _refuse_unless_undisposed(items)
    FeedbackItem.objects.filter(pk__in=[item.pk for item in items]).update(
        issue=issue, updated_at=timezone.now()
    )
    _event(issue, IssueEvent.Kind.FEEDBACK_LINKED, actor, _link_note(items))
    return issue


@transaction.atomic
def feedback_close(*, actor, feedback_items: Iterable[FeedbackItem], reason: str) -> int:
    """Close opinions that need no issue (praise, advice noted) with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why these opinions need no issue.")})
    items = _lock_items(actor, feedback_items)
    if not all(branch_rules.works_in_branch(actor, item.branch_id) for item in items):
        raise PermissionDenied(_("Only the branch's staff close its opinions."))
    _refuse_unless_undisposed(items)
    now = timezone.now()
    return FeedbackItem.objects.filter(pk__in=[item.pk for item in items]).update(
        closed_at=now, closed_by=actor, closed_reason=reason, updated_at=now
    )


@transaction.atomic
def issue_merge(*, actor, issue: Issue, into: Issue, note: str = "") -> Issue:
    """Merge a duplicate into the surviving issue: its opinions move, nothing is deleted."""
    if issue.pk == into.pk:
        raise ValidationError(_("An issue cannot be merged into itself."))
    locked = {
        i.pk: i
        for i in Issue.objects.select_for_update()
        .visible_to(actor)
        .filter(pk__in=[issue.pk, into.pk])
    }
    if len(locked) != 2:
        raise PermissionDenied(_("This issue is outside your scope."))
    duplicate, survivor = locked[issue.pk], locked[into.pk]
    if not rules.works_on(actor, duplicate) or survivor.branch_id != duplicate.branch_id:
        raise PermissionDenied(_("Only issues of your own branch can be merged."))
    if duplicate.pk == survivor.pk:
        raise ValidationError(_("An issue cannot be merged into itself."))
    for candidate in (duplicate, survivor):
        if candidate.merged_into_id or candidate.withdrawn_at:
            raise ValidationError(_("A merged or withdrawn issue cannot be merged again."))
    if survivor.state == State.ANSWERED:
        raise ValidationError(_("Merge into an issue that is still being worked on."))
    if survivor.campaign_id != duplicate.campaign_id:
        raise ValidationError(
            _("An issue gathers opinions of one campaign."), code="mixed_campaigns"
        )
    moved = list(duplicate.feedback_items.values_list("pk", flat=True))
    FeedbackItem.objects.filter(pk__in=moved).update(issue=survivor, updated_at=timezone.now())
    duplicate.merged_into = survivor
    duplicate.merged_at = timezone.now()
    duplicate.save(update_fields=["merged_into", "merged_at", "updated_at"])
    text = note or _("Merged into #{pk} {title}").format(pk=survivor.pk, title=survivor.title)
    _event(duplicate, IssueEvent.Kind.MERGED, actor, text)
    _event(
        survivor,
        IssueEvent.Kind.FEEDBACK_LINKED,
        actor,
        _("Took over #{pk} {title} and its opinions").format(
            pk=duplicate.pk, title=duplicate.title
        ),
    )
    return survivor


@transaction.atomic
def rectification_report(*, actor, issue: Issue, rectification: str) -> Issue:
    """Staff record what was done; the branch lead then verifies (a transition)."""
    issue = Issue.objects.select_for_update().visible_to(actor).get(pk=issue.pk)
    if not rules.works_on(actor, issue):
        raise PermissionDenied(_("Only the branch's staff work on its issues."))
    if issue.state != State.RECTIFYING:
        raise ValidationError(_("Rectification is reported while the issue is being rectified."))
    rectification = (rectification or "").strip()
    if not rectification:
        raise ValidationError({"rectification": _("Describe what was done.")})
    issue.rectification = rectification
    issue.save(update_fields=["rectification", "updated_at"])
    _event(
        issue,
        IssueEvent.Kind.COMMENT,
        actor,
        _("Rectification reported: {text}").format(text=rectification),
    )
    return issue


@transaction.atomic
def evidence_add(*, actor, issue: Issue, uploaded_file) -> IssueEvidence:
    """Keep a photo, scan or document showing what was done, while the issue is being
    rectified. The file is checked against the upload allowlist
    (``core.files.inspect_upload``); nothing is stored when it is refused."""
    issue = Issue.objects.visible_to(actor).get(pk=issue.pk)
    if not rules.works_on(actor, issue):
        raise PermissionDenied(_("Only the branch's staff work on its issues."))
    if issue.state != State.RECTIFYING or issue.merged_into_id or issue.withdrawn_at:
        raise ValidationError(
            _("Evidence is added while the issue is being rectified."), code="not_rectifying"
        )
    if uploaded_file is None:
        raise ValidationError(_("Choose a file to upload."), code="required")
    content_type = files.inspect_upload(uploaded_file, max_bytes=files.upload_limit_bytes())
    evidence = IssueEvidence.objects.create(
        issue=issue,
        file=uploaded_file,
        original_name=files.clean_filename(uploaded_file.name),
        content_type=content_type,
        size=uploaded_file.size,
        uploaded_by=actor,
    )
    _event(
        issue,
        IssueEvent.Kind.COMMENT,
        actor,
        _("Evidence added: {name}").format(name=evidence.original_name),
    )
    return evidence


def _reply_fields(channel, content, replied_on, satisfaction):
    content = (content or "").strip()
    errors = {}
    if channel not in Reply.Channel.values:
        errors["channel"] = _("Choose how the enterprise was answered.")
    if not content:
        errors["content"] = _("Write down what was answered.")
    if satisfaction and satisfaction not in Reply.Satisfaction.values:
        errors["satisfaction"] = _("Choose a satisfaction level.")
    if replied_on and replied_on > timezone.localdate():
        errors["replied_on"] = _("A reply cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    return content


def satisfaction_is_attempt(satisfaction: str) -> bool:
    """A "not reachable" attempt never waits for approval, where the office asks for it:
    it is no answer to the enterprise (nothing is said to anyone, no figure counts it as a
    reply), only the record that someone tried, whose days let the lead close the opinion
    as unreachable. So it is recorded at once, as before."""
    return satisfaction == Reply.Satisfaction.NOT_REACHABLE


def _reply_create(*, item: FeedbackItem, author, approver=None, actor=None, **fields) -> Reply:
    """The reply itself (by ``author``), its timeline event, the signal after commit."""
    reply = Reply.objects.create(
        feedback_item=item,
        replied_by=author,
        approved_by=approver,
        approved_at=timezone.now() if approver else None,
        **fields,
    )
    if item.issue_id:
        if approver:
            note = _("Reply to opinion #{pk} by {author}, approved: {content}").format(
                pk=item.pk, author=_person(author), content=reply.content
            )
            kind = IssueEvent.Kind.REPLY_APPROVED
        else:
            note = _("Reply to opinion #{pk}: {content}").format(pk=item.pk, content=reply.content)
            kind = IssueEvent.Kind.REPLY
        if reply.satisfaction:
            note += f" ({reply.get_satisfaction_display()})"
        _event(Issue(pk=item.issue_id), kind, actor or author, note)
    transaction.on_commit(lambda: signals.reply_recorded.send(sender=Reply, reply=reply))
    return reply


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def reply_record(
    *,
    actor,
    feedback_item: FeedbackItem,
    channel: str,
    content: str,
    replied_on: date | None = None,
    satisfaction: str = "",
) -> Reply | ReplyDraft:
    """Record the answer given to the enterprise behind one opinion.

    Where the office asks the branch for a lead's approval, the answer becomes a draft
    waiting for it (``ReplyDraft``) instead: it counts as a reply only once approved.
    """
    item = _lock_items(actor, [feedback_item])[0]
    if not branch_rules.works_in_branch(actor, item.branch_id):
        raise PermissionDenied(_("Only the branch's staff record its replies."))
    if item.withdrawn_at:
        raise ValidationError(_("This opinion was withdrawn."))
    content = _reply_fields(channel, content, replied_on, satisfaction)
    fields = {
        "channel": channel,
        "content": content,
        "replied_on": replied_on or timezone.localdate(),
        "satisfaction": satisfaction or "",
    }
    if not satisfaction_is_attempt(satisfaction) and item.branch.replies_need_approval:
        _refuse_if_draft_pending(item)
        draft = ReplyDraft.objects.create(feedback_item=item, drafted_by=actor, **fields)
        if item.issue_id:
            note = _("Reply to opinion #{pk} drafted, waiting for approval: {content}").format(
                pk=item.pk, content=content
            )
            _event(Issue(pk=item.issue_id), IssueEvent.Kind.REPLY_DRAFTED, actor, note)
        return draft
    return _reply_create(item=item, author=actor, **fields)


def _refuse_if_draft_pending(item: FeedbackItem, *, besides: ReplyDraft | None = None) -> None:
    """An answer to ``item`` already waits for approval: a second draft, both approved,
    would answer the enterprise twice."""
    pending = ReplyDraft.objects.pending().filter(feedback_item=item)
    if besides is not None:
        pending = pending.exclude(pk=besides.pk)
    if pending.exists():
        raise ValidationError(
            _(
                "A reply to opinion #{pk} already waits for approval. Nothing was recorded: "
                "the lead approves it or sends it back first."
            ).format(pk=item.pk),
            code="draft_pending",
        )


@transaction.atomic
def reply_record_for_issue(
    *,
    actor,
    issue: Issue,
    channel: str,
    content: str,
    replied_on: date | None = None,
    satisfaction: str = "",
    only_unreplied: bool = True,
) -> list[Reply | ReplyDraft]:
    """One answer sent to every enterprise behind an issue: a reply on each opinion."""
    issue = Issue.objects.visible_to(actor).get(pk=issue.pk)
    items = issue.feedback_items.active()
    if only_unreplied:  # no answer yet: attempts ("not reachable") are not answers
        items = items.filter(UNREPLIED)
    items = list(items)
    if only_unreplied and items:
        # Nor an answer waiting for the lead's approval (sent once, not twice).
        drafted = set(
            ReplyDraft.objects.pending()
            .filter(feedback_item__in=items)
            .values_list("feedback_item_id", flat=True)
        )
        items = [item for item in items if item.pk not in drafted]
        if not items:
            raise ValidationError(
                _("Every opinion of this issue has a reply or one waiting for approval.")
            )
    if not items:
        raise ValidationError(_("Every opinion of this issue already has a reply."))
    return [
        reply_record(
            actor=actor,
            feedback_item=item,
            channel=channel,
            content=content,
            replied_on=replied_on,
            satisfaction=satisfaction,
        )
        for item in items
    ]


def refuse_unless_one_enterprise(items: Sequence[FeedbackItem]) -> None:
    """One reply answers one enterprise: opinions of several, or an anonymous opinion
    among others (each is answered on its own), are refused with a message saying so."""
    if len(items) > 1 and any(item.enterprise_id is None for item in items):
        raise ValidationError(
            _(
                "Anonymous opinions are answered one at a time: tick only opinions of one "
                "enterprise, or reply to an anonymous opinion on its own page."
            ),
            code="anonymous_together",
        )
    if len({item.enterprise_id for item in items}) > 1:
        raise ValidationError(
            _(
                "One reply goes to one enterprise, and these opinions come from several. "
                "Tick opinions of a single enterprise."
            ),
            code="mixed_enterprises",
        )


@transaction.atomic
def feedback_reply(
    *,
    actor,
    feedback_items: Iterable[FeedbackItem],
    channel: str,
    content: str,
    replied_on: date | None = None,
    satisfaction: str = "",
    seen_reply_id: int | None = None,
) -> list[Reply | ReplyDraft]:
    """One answer given to one enterprise about one or several of its opinions: a reply on
    each (from the opinion page, or ticked on a list), whatever their disposition.

    ``seen_reply_id`` is the newest reply to these opinions the user's page showed (0 for
    none): a reply recorded since (by someone else, or by a second click) refuses this one.
    """
    items = _lock_items(actor, feedback_items)
    if not all(rules.can_reply(actor, item) for item in items):
        raise PermissionDenied(_("Only the branch's staff record its replies."))
    if any(item.withdrawn_at for item in items):
        raise ValidationError(_("This opinion was withdrawn."), code="withdrawn")
    refuse_unless_one_enterprise(items)
    if (
        seen_reply_id is not None
        and Reply.objects.filter(
            feedback_item__in=[item.pk for item in items], pk__gt=seen_reply_id
        ).exists()
    ):
        raise ValidationError(
            _(
                "A reply was recorded for these opinions after your page was drawn (another "
                "person, or a second click). Nothing was recorded; look at them again."
            ),
            code="stale",
        )
    return [
        reply_record(
            actor=actor,
            feedback_item=item,
            channel=channel,
            content=content,
            replied_on=replied_on,
            satisfaction=satisfaction,
        )
        for item in items
    ]


# --- replies waiting for approval (four eyes) ----------------------------------------------


def _lock_draft(actor, draft: ReplyDraft) -> ReplyDraft:
    """The draft re-read under lock, within the actor's scope (else a 404-like refusal)."""
    locked = (
        ReplyDraft.objects.select_for_update(of=("self",))
        .visible_to(actor)
        .select_related("feedback_item", "drafted_by")
        .filter(pk=draft.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This reply is outside your scope."))
    return locked


def _refuse_unless_pending(draft: ReplyDraft) -> None:
    if draft.status != ReplyDraft.Status.PENDING:
        raise ValidationError(
            _(
                "This reply no longer waits for approval (it was approved or sent back "
                "meanwhile). Nothing was changed."
            ),
            code="stale",
        )


@transaction.atomic
def reply_draft_approve(*, actor, draft: ReplyDraft) -> Reply:
    """A lead of the branch other than its author approves a draft: the reply is recorded
    as its author's, with its approver, and counts from now on."""
    draft = _lock_draft(actor, draft)
    if not rules.can_review_draft(actor, draft):
        raise PermissionDenied(_("Only a lead of the branch other than its author approves it."))
    _refuse_unless_pending(draft)
    item = _lock_items(actor, [draft.feedback_item])[0]
    if item.withdrawn_at:
        raise ValidationError(_("This opinion was withdrawn."), code="withdrawn")
    reply = _reply_create(
        item=item,
        author=draft.drafted_by,
        approver=actor,
        actor=actor,
        channel=draft.channel,
        content=draft.content,
        replied_on=draft.replied_on,
        satisfaction=draft.satisfaction,
    )
    draft.status = ReplyDraft.Status.APPROVED
    draft.reviewed_by = actor
    draft.reviewed_at = reply.approved_at
    draft.reply = reply
    draft.save(update_fields=["status", "reviewed_by", "reviewed_at", "reply"])
    return reply


@transaction.atomic
def reply_draft_send_back(*, actor, draft: ReplyDraft, comment: str) -> ReplyDraft:
    """A lead of the branch other than its author sends a draft back, saying why."""
    draft = _lock_draft(actor, draft)
    if not rules.can_review_draft(actor, draft):
        raise PermissionDenied(_("Only a lead of the branch other than its author sends it back."))
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what the author should change.")})
    _refuse_unless_pending(draft)
    draft.status = ReplyDraft.Status.SENT_BACK
    draft.reviewed_by = actor
    draft.reviewed_at = timezone.now()
    draft.review_comment = comment
    draft._change_reason = comment
    draft.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment"])
    item = draft.feedback_item
    if item.issue_id:
        note = _("Reply to opinion #{pk} sent back: {comment}").format(pk=item.pk, comment=comment)
        _event(Issue(pk=item.issue_id), IssueEvent.Kind.REPLY_SENT_BACK, actor, note)
    return draft


@transaction.atomic
def reply_draft_resubmit(
    *,
    actor,
    draft: ReplyDraft,
    channel: str,
    content: str,
    replied_on: date | None = None,
    satisfaction: str = "",
) -> ReplyDraft:
    """The author edits a draft sent back and submits it again: it waits for approval
    again (the lead's comment stays in the draft's history)."""
    draft = _lock_draft(actor, draft)
    if not rules.can_resubmit_draft(actor, draft):
        raise PermissionDenied(_("Only the author of a reply sent back submits it again."))
    if draft.status != ReplyDraft.Status.SENT_BACK:
        raise ValidationError(
            _("This reply was not sent back (or was submitted again meanwhile)."), code="stale"
        )
    if draft.feedback_item.withdrawn_at:
        raise ValidationError(_("This opinion was withdrawn."), code="withdrawn")
    _lock_items(actor, [draft.feedback_item])
    _refuse_if_draft_pending(draft.feedback_item, besides=draft)
    if satisfaction_is_attempt(satisfaction):
        raise ValidationError(
            {"satisfaction": _("An attempt is recorded as a reply of its own, not a draft.")}
        )
    draft.content = _reply_fields(channel, content, replied_on, satisfaction)
    draft.channel = channel
    draft.replied_on = replied_on or timezone.localdate()
    draft.satisfaction = satisfaction or ""
    draft.status = ReplyDraft.Status.PENDING
    draft.reviewed_by = None
    draft.reviewed_at = None
    draft.review_comment = ""
    draft.save()
    item = draft.feedback_item
    if item.issue_id:
        note = _("Reply to opinion #{pk} submitted again for approval: {content}").format(
            pk=item.pk, content=draft.content
        )
        _event(Issue(pk=item.issue_id), IssueEvent.Kind.REPLY_DRAFTED, actor, note)
    return draft


#: Attempts ("not reachable") on this many different days let the lead close an opinion.
UNREACHABLE_AFTER_DAYS = 2


def attempt_days(item: FeedbackItem) -> int:
    """On how many different days a "not reachable" attempt was recorded for ``item``."""
    attempts = Reply.objects.filter(
        feedback_item=item, satisfaction=Reply.Satisfaction.NOT_REACHABLE
    )
    return attempts.values("replied_on").distinct().count()


@transaction.atomic
def feedback_close_unreachable(*, actor, feedback_item: FeedbackItem, reason: str) -> FeedbackItem:
    """The branch lead closes an opinion whose enterprise could not be reached, after
    attempts on at least two different days: it then counts as answered (``REPLIED``)."""
    item = _lock_items(actor, [feedback_item])[0]
    if not rules.can_close_unreachable(actor, item):
        raise PermissionDenied(_("Only the branch lead closes an opinion as unreachable."))
    if item.withdrawn_at:
        raise ValidationError(_("This opinion was withdrawn."), code="withdrawn")
    if item.unreachable_at:
        raise ValidationError(_("This opinion was already closed as unreachable."), code="stale")
    if item.last_replied_on:
        raise ValidationError(
            _("This opinion already has a reply that reached the enterprise."), code="answered"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the enterprise cannot be reached.")})
    days = attempt_days(item)
    if days < UNREACHABLE_AFTER_DAYS:
        raise ValidationError(
            _(
                "An opinion is closed as unreachable only after “not reachable” attempts on "
                "at least two different days; this one has attempts on {days}."
            ).format(days=days),
            code="too_few_attempts",
        )
    item.unreachable_at = timezone.now()
    item.unreachable_by = actor
    item.unreachable_reason = reason
    item._change_reason = reason
    item.save(
        update_fields=["unreachable_at", "unreachable_by", "unreachable_reason", "updated_at"]
    )
    if item.issue_id:
        note = _("Opinion #{pk} closed as unreachable: {reason}").format(pk=item.pk, reason=reason)
        _event(Issue(pk=item.issue_id), IssueEvent.Kind.COMMENT, actor, note)
    return item


@transaction.atomic
def issue_withdraw(*, actor, issue: Issue, reason: str) -> Issue:
    """The branch lead withdraws an issue opened by mistake. It leaves every figure, and
    its opinions go back to "no disposition" so that the branch decides them again: an
    opinion never counts as disposed by an issue that no longer counts."""
    issue = Issue.objects.select_for_update().visible_to(actor).filter(pk=issue.pk).first()
    if issue is None:
        raise PermissionDenied(_("This issue is outside your scope."))
    if not rules.can_withdraw(actor, issue):
        raise PermissionDenied(_("Only the branch lead withdraws its issues."))
    if issue.withdrawn_at or issue.merged_into_id:
        raise ValidationError(_("This issue was already withdrawn or merged."), code="stale")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this issue is withdrawn.")})
    items = list(FeedbackItem.objects.select_for_update().filter(issue=issue).order_by("pk"))
    note = reason
    if items:
        note = _("{reason} Opinions back to “no disposition”: {ids}").format(
            reason=reason, ids="、".join(f"#{item.pk}" for item in items)
        )
        now = timezone.now()
        for item in items:
            item.issue, item.updated_at = None, now
        bulk_update_with_history(
            items,
            FeedbackItem,
            ["issue", "updated_at"],
            default_user=actor,
            default_change_reason=note,
        )
    issue.withdrawn_at = timezone.now()
    issue.withdrawn_by = actor
    issue.withdrawn_reason = reason
    issue._change_reason = reason
    issue.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
    _event(issue, IssueEvent.Kind.WITHDRAWN, actor, note)
    return issue


@transaction.atomic
def instruction_write(*, actor, issue: Issue, content: str) -> Instruction:
    """An institute leader's written instruction (批示) on an issue."""
    if not rules.can_write_instruction(actor):
        raise PermissionDenied(_("Only institute leaders write instructions."))
    issue = Issue.objects.visible_to(actor).get(pk=issue.pk)
    content = (content or "").strip()
    if not content:
        raise ValidationError({"content": _("Write the instruction.")})
    instruction = Instruction.objects.create(issue=issue, author=actor, content=content)
    _event(issue, IssueEvent.Kind.INSTRUCTION, actor, content)
    transaction.on_commit(
        lambda: signals.instruction_written.send(sender=Instruction, instruction=instruction)
    )
    return instruction


@transaction.atomic
def instruction_acknowledge(*, actor, instruction: Instruction, note: str = "") -> Instruction:
    instruction = (
        Instruction.objects.select_for_update()
        .visible_to(actor)
        .select_related("issue")
        .get(pk=instruction.pk)
    )
    if not rules.can_acknowledge(actor, instruction.issue):
        raise PermissionDenied(_("Only the issue's branch acknowledges an instruction."))
    if instruction.acknowledged_at:
        raise ValidationError(_("This instruction was already acknowledged."), code="stale")
    instruction.acknowledged_by = actor
    instruction.acknowledged_at = timezone.now()
    instruction.save(update_fields=["acknowledged_by", "acknowledged_at"])
    _event(instruction.issue, IssueEvent.Kind.ACKNOWLEDGED, actor, note)
    return instruction


@transaction.atomic
def meeting_record(
    *, actor, title: str, held_on: date, attendees: str = "", minutes: str = ""
) -> ProvincialMeeting:
    """The provincial office records a meeting (院长办公会); decisions follow per issue."""
    if not rules.can_record_meetings(actor):
        raise PermissionDenied(_("Only the provincial office records provincial meetings."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the meeting a title.")})
    return ProvincialMeeting.objects.create(
        title=title, held_on=held_on, attendees=attendees, minutes=minutes, recorded_by=actor
    )
