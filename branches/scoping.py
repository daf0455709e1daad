"""Who sees which branch's rows: the one place that turns a user into a scope.

Every branch-owned model's QuerySet inherits ``BranchScopedQuerySet`` and so has
``visible_to(user)``; every list, page, export and count starts from it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Scope:
    """What a user may see: every branch, one branch, or nothing."""

    all_branches: bool
    branch_id: int | None = None

    @property
    def is_empty(self) -> bool:
        return not self.all_branches and self.branch_id is None


NOTHING = Scope(all_branches=False)
EVERYTHING = Scope(all_branches=True)


def scope_of(user) -> Scope:
    """The scope of ``user``, read from their membership (cached on the user object)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    cached = getattr(user, "_outreach_scope", None)
    if cached is not None:
        return cached
    membership = membership_of(user)
    if user.is_superuser or (membership is not None and membership.is_provincial):
        scope = EVERYTHING
    elif membership is not None:
        scope = Scope(all_branches=False, branch_id=membership.branch_id)
    else:
        scope = NOTHING
    user._outreach_scope = scope
    return scope


def membership_of(user):
    """The user's membership with its branch, or None; one query per request at most."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_outreach_membership"):
        from .models import Membership

        user._outreach_membership = (
            Membership.objects.select_related("branch").filter(user_id=user.pk).first()
        )
    return user._outreach_membership


def province_reader():
    """A reader who sees every branch, for figures counted across the province and then
    shown only in part (a branch's rank among all the branches: the assessment). Never
    saved, never logged in, never the author of anything; its scope is set here, so
    reading as it asks the database nothing about it."""
    from django.contrib.auth import get_user_model

    reader = get_user_model()(username="", is_active=True, is_superuser=True)
    reader._outreach_scope = EVERYTHING
    reader._outreach_membership = None
    return reader


def forget_cached_scope(user) -> None:
    """Drop what this module cached on ``user`` (after their membership changed)."""
    for attribute in ("_outreach_scope", "_outreach_membership"):
        user.__dict__.pop(attribute, None)


class BranchScopedQuerySet(models.QuerySet):
    """A QuerySet of rows owned by a branch, reached through ``branch_path``."""

    #: The lookup path from this model to its owning Branch.
    branch_path = "branch"

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.all_branches:
            return self
        if scope.branch_id is None:
            return self.none()
        return self.filter(**{self.branch_path: scope.branch_id})
