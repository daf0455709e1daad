"""The office's decisions on a recurring problem: adopt it as a provincial problem,
dismiss it, merge it into another, link more of its issues.

Each checks the user's role again and locks the theme: a decision taken on a page that was
already decided elsewhere is refused, never applied twice.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import rules

from .finding import serialised
from .models import Theme, ThemeIssue

State = Theme.State


def _decided_meanwhile(theme: Theme) -> ValidationError:
    return ValidationError(
        _("This problem was decided meanwhile (%(state)s): nothing was changed.")
        % {"state": theme.get_state_display()}
    )


def _locked(theme_id: int, *, allowed: set[str]) -> Theme:
    theme = Theme.objects.select_for_update().get(pk=theme_id)
    if theme.state not in allowed:
        raise _decided_meanwhile(theme)
    return theme


def _check(user) -> None:
    if not rules.can_decide_themes(user):
        raise PermissionDenied


def _link(theme: Theme, issue_ids) -> int:
    """Link the theme's own issues among ``issue_ids``; the others are ignored."""
    return ThemeIssue.objects.filter(
        theme=theme, issue_id__in=list(issue_ids), linked=False
    ).update(linked=True)


def adopt(
    user,
    theme_id: int,
    *,
    title: str,
    owner,
    deadline: date,
    decision: str,
    issue_ids,
    at: datetime | None = None,
) -> Theme:
    """Make the theme a provincial problem: its owner answers for it by the deadline; the
    issues chosen are linked to it (at least one)."""
    _check(user)
    now = at or timezone.now()
    _check_owner_and_deadline(owner, deadline, timezone.localtime(now).date())
    with transaction.atomic():
        theme = _locked(theme_id, allowed={State.PROPOSED})
        if not _link(theme, issue_ids):
            raise ValidationError(_("Link at least one of its issues."))
        theme.title = title
        theme.owner = owner
        theme.deadline = deadline
        theme.decision = decision
        theme.decided_by = user
        theme.decided_at = now
        theme.state = State.ADOPTED
        theme.save()
    return theme


def _check_owner_and_deadline(owner, deadline: date, today: date) -> None:
    membership = getattr(owner, "membership", None)
    if not owner.is_active or membership is None or not membership.is_provincial:
        raise ValidationError(_("The owner is someone of the provincial office or a leader."))
    if deadline < today:
        raise ValidationError(_("The deadline cannot be in the past."))


def dismiss(user, theme_id: int, *, reason: str) -> Theme:
    """Not a provincial problem: the reason is kept; the grouping goes on adding the
    problem's new issues to it (so it is not proposed again)."""
    _check(user)
    with transaction.atomic():
        theme = _locked(theme_id, allowed={State.PROPOSED})
        theme.decision = reason
        theme.decided_by = user
        theme.decided_at = timezone.now()
        theme.state = State.DISMISSED
        theme.save()
    return theme


def merge(user, theme_id: int, *, into_id: int) -> Theme:
    """One problem found as two themes: this one's issues join ``into`` (not linked, when
    that is adopted: the office links those it takes on)."""
    _check(user)
    if theme_id == into_id:
        raise ValidationError(_("A recurring problem cannot be merged into itself."))
    with transaction.atomic():
        # Moving members: one writer of them at a time, with the searches.
        serialised()
        # Both rows locked, in one order, so two opposite merges cannot both pass.
        first, second = sorted([theme_id, into_id])
        locked = {
            theme.pk: theme
            for theme in Theme.objects.select_for_update()
            .filter(pk__in=[first, second])
            .order_by("pk")
        }
        theme, into = locked.get(theme_id), locked.get(into_id)
        if theme is None or into is None:
            raise Theme.DoesNotExist
        if theme.state != State.PROPOSED:
            raise _decided_meanwhile(theme)
        if into.state not in {State.PROPOSED, State.ADOPTED}:
            raise ValidationError(
                _("It can only be merged into a recurring problem that is proposed or adopted.")
            )
        ThemeIssue.objects.filter(theme=theme).update(theme=into, linked=False)
        theme.state = State.MERGED
        theme.merged_into = into
        theme.decided_by = user
        theme.decided_at = timezone.now()
        theme.save()
    return into


def link(user, theme_id: int, *, issue_ids) -> int:
    """Link more of an adopted theme's issues (those the grouping found since)."""
    _check(user)
    with transaction.atomic():
        theme = Theme.objects.select_for_update().get(pk=theme_id)
        if theme.state != State.ADOPTED:
            raise ValidationError(_("Issues are linked to an adopted provincial problem only."))
        return _link(theme, issue_ids)
