"""Writes of notifications: create them at most once each, email them once, mark them read.

``deliver`` is the one writer: it takes drafts (who, what, which issue, and the key that
makes the notification unique), inserts only those whose key is new, and emails the new
ones. ``notify`` is its short form for one event with several recipients.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)

#: Emails go out in Chinese: the people who receive them work in Chinese.
EMAIL_LANGUAGE = "zh-hans"


@dataclass(frozen=True)
class Draft:
    """A notification to create unless one with the same key already exists."""

    recipient_id: int
    kind: str
    issue_id: int
    key_suffix: str
    actor_id: int | None = None
    deadline: date | None = None

    @property
    def dedupe_key(self) -> str:
        return dedupe_key(self.kind, self.issue_id, self.recipient_id, self.key_suffix)


def dedupe_key(kind: str, issue_id: int, recipient_id: int, suffix: object) -> str:
    """``kind:issue:recipient:suffix``; the suffix names the event or the deadline."""
    return f"{kind}:{issue_id}:{recipient_id}:{suffix}"


def notify(
    *,
    recipients: Iterable,
    kind: str,
    issue,
    key_suffix: object,
    actor=None,
    deadline: date | None = None,
) -> list[Notification]:
    """Tell each recipient about one event on ``issue``; never the same key twice."""
    return deliver(
        Draft(
            recipient_id=recipient.pk,
            kind=kind,
            issue_id=issue.pk,
            key_suffix=str(key_suffix),
            actor_id=actor.pk if actor is not None else None,
            deadline=deadline,
        )
        for recipient in recipients
    )


def deliver(drafts: Iterable[Draft], *, email: bool = True) -> list[Notification]:
    """Create the drafts whose key is new and email them; returns the new notifications.

    A few queries however many drafts: the existing keys, one insert, one read back, then
    the emails. Two runs at the same moment cannot both create a key (the database's
    unique constraint) nor both email it (``email_pending`` locks the rows it sends).
    """
    by_key: dict[str, Draft] = {}
    for draft in drafts:
        by_key.setdefault(draft.dedupe_key, draft)
    if not by_key:
        return []
    existing = set(
        Notification.objects.filter(dedupe_key__in=list(by_key)).values_list(
            "dedupe_key", flat=True
        )
    )
    new_keys = [key for key in by_key if key not in existing]
    if not new_keys:
        return []
    now = timezone.now()
    rows = [
        Notification(
            recipient_id=by_key[key].recipient_id,
            kind=by_key[key].kind,
            issue_id=by_key[key].issue_id,
            actor_id=by_key[key].actor_id,
            deadline=by_key[key].deadline,
            created_at=now,
            dedupe_key=key,
        )
        for key in new_keys
    ]
    # A key another run inserted meanwhile is skipped, and not read back as ours (its
    # created_at differs): only the rows this call made count as created.
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    created = list(Notification.objects.filter(dedupe_key__in=new_keys, created_at=now))
    if email and created:
        ids = [notification.pk for notification in created]
        # By a worker, once the notifications are committed: a slow mail server never
        # slows the page that caused them.
        transaction.on_commit(lambda: _email_later(ids))
    return created


def _email_later(ids: list[int]) -> None:
    from .tasks import email_notifications

    email_notifications.delay(ids)


def email_pending(*, ids: Iterable[int] | None = None, since: datetime | None = None) -> int:
    """Email notifications not emailed yet (those ``ids``, or those created ``since``).

    Skips people without an address and deactivated accounts. A failed email is logged and
    left for the next run of ``send_reminders``. Returns how many were sent.
    """
    pending = Notification.objects.filter(
        emailed_at__isnull=True, recipient__is_active=True
    ).exclude(recipient__email="")
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    if since is not None:
        pending = pending.filter(created_at__gte=since)
    sent: list[int] = []
    with transaction.atomic():
        # Locked, and rows another run holds are skipped: each email leaves once.
        rows = list(
            pending.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "issue__branch")
            .order_by("pk")
        )
        if not rows:
            return 0
        connection = mail.get_connection()
        for notification in rows:
            try:
                _send(notification, connection)
            except Exception:
                logger.exception("Could not email notification %s", notification.pk)
            else:
                sent.append(notification.pk)
        Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
    return len(sent)


def _send(notification: Notification, connection) -> None:
    with translation.override(EMAIL_LANGUAGE):
        subject, body = email_text(notification)
    mail.send_mail(
        subject,
        body,
        None,
        [notification.recipient.email],
        connection=connection,
        fail_silently=False,
    )


def email_text(notification: Notification) -> tuple[str, str]:
    """Subject and body of the email, in the active language."""
    issue = notification.issue
    subject = _("{kind}: {title}").format(kind=notification.get_kind_display(), title=issue.title)
    lines = [
        notification.message,
        "",
        _("Issue: {title}").format(title=issue.title),
        _("Branch: {branch}").format(branch=issue.branch),
    ]
    if notification.deadline:
        lines.append(
            _("Deadline: {deadline}").format(deadline=formats.date_format(notification.deadline))
        )
    link = issue_link(issue.pk)
    if link:
        lines.append(_("Open it: {link}").format(link=link))
    lines += ["", _("Sent by the outreach feedback tracker; you also find it under the bell.")]
    return " ".join(subject.split()), "\n".join(lines)


def issue_path(issue_id: int) -> str | None:
    """The issue page's path, or None while the issue pages do not exist."""
    try:
        return reverse("issues:issue_detail", args=[issue_id])
    except NoReverseMatch:
        return None


def issue_link(issue_id: int) -> str | None:
    """The issue page's address for an email: absolute when ``OUTREACH_SITE_URL`` is set."""
    path = issue_path(issue_id)
    if path is None:
        return None
    return settings.OUTREACH_SITE_URL.rstrip("/") + path


def mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: those ``ids`` (others' are ignored), or all."""
    unread = Notification.objects.for_user(user).unread()
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
