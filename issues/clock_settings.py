"""The office's settings of the clock: the time limits (办理时限), the list of return
reasons (退单理由), and which branches' replies need a lead's approval.

Writes only, each checking the office's role itself (the views check it too), in a
transaction, raising ``ValidationError`` on bad input with nothing changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches.models import Branch

from . import rules
from .models import ReturnReason, TimeLimit

#: The range the office may set a limit to, in working days (the database holds it too).
LIMIT_RANGE = (1, 365)


def _refuse_unless_office(actor) -> None:
    if not rules.can_edit_clock_settings(actor):
        raise PermissionDenied(_("Only the provincial office changes the clock's settings."))


@transaction.atomic
def time_limits_update(*, actor, values: Mapping[str, int]) -> list[TimeLimit]:
    """Set the limits named in ``values`` (step → working days); those that change are
    saved with their author, each change kept in the limit's history. Returns the changed."""
    _refuse_unless_office(actor)
    low, high = LIMIT_RANGE
    errors = {}
    for step, days in values.items():
        if step not in TimeLimit.Step.values:
            errors[step] = _("Unknown time limit.")
        elif not isinstance(days, int) or not low <= days <= high:
            errors[step] = _("A time limit is between {low} and {high} working days.").format(
                low=low, high=high
            )
    if errors:
        raise ValidationError(errors)
    current = {
        limit.step: limit
        for limit in TimeLimit.objects.select_for_update().filter(step__in=list(values))
    }
    changed = []
    for step, days in values.items():
        limit = current.get(step) or TimeLimit(step=step)
        if limit.pk and limit.working_days == days:
            continue
        limit.working_days = days
        limit.updated_by = actor
        limit.save()
        changed.append(limit)
    return changed


def _reason_fields(name: str, name_en: str, *, exclude_pk: int | None = None) -> tuple[str, str]:
    name, name_en = (name or "").strip(), (name_en or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the reason a name.")})
    taken = ReturnReason.objects.filter(name=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("A reason with this name is already in the list.")})
    return name, name_en


@transaction.atomic
def return_reason_create(
    *, actor, name: str, name_en: str = "", sort_order: int = 0
) -> ReturnReason:
    """Add a reason the branches may give when they return an issue."""
    _refuse_unless_office(actor)
    name, name_en = _reason_fields(name, name_en)
    return ReturnReason.objects.create(name=name, name_en=name_en, sort_order=sort_order)


@transaction.atomic
def return_reason_update(
    *,
    actor,
    reason: ReturnReason,
    name: str,
    name_en: str = "",
    sort_order: int = 0,
    is_active: bool = True,
) -> ReturnReason:
    """Rename a reason, reorder it, or take it out of use (a reason is never deleted: the
    returns that gave it keep it; one out of use is no longer offered)."""
    _refuse_unless_office(actor)
    reason = ReturnReason.objects.select_for_update().get(pk=reason.pk)
    reason.name, reason.name_en = _reason_fields(name, name_en, exclude_pk=reason.pk)
    reason.sort_order = sort_order
    reason.is_active = is_active
    reason.save()
    return reason


@transaction.atomic
def branch_approval_set(*, actor, branches: Iterable[Branch]) -> list[Branch]:
    """The city branches whose replies need a lead's approval are exactly ``branches``;
    each that changes is saved (its history keeps who changed it). Returns the changed.

    Drafts already waiting keep waiting when a branch is switched off: they are approved
    or sent back as before, and only new replies are recorded at once.
    """
    _refuse_unless_office(actor)
    wanted = {branch.pk for branch in branches}
    cities = list(Branch.objects.select_for_update().filter(kind=Branch.Kind.CITY))
    if not wanted <= {branch.pk for branch in cities}:
        raise ValidationError(
            {"branches": _("Only city branches record replies.")}, code="not_a_city"
        )
    changed = []
    for branch in cities:
        needs = branch.pk in wanted
        if branch.replies_need_approval != needs:
            branch.replies_need_approval = needs
            branch._change_reason = _("Reply approval set by the provincial office")
            branch.save(update_fields=["replies_need_approval"])
            changed.append(branch)
    return changed
