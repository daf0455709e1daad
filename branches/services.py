"""Writes to the organisation: a user's membership and a leader's liaisons."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Branch, Liaison, Membership
from .scoping import forget_cached_scope, membership_of


@transaction.atomic
def membership_set(*, user, branch: Branch, role: str, job_title: str = "") -> Membership:
    """Place ``user`` in ``branch`` with ``role`` and keep their role group in step.

    Provincial roles belong to the provincial institute, branch roles to a city branch.
    """
    role = Membership.Role(role)
    provincial = role in Membership.PROVINCIAL_ROLES
    if provincial and not branch.is_province:
        raise ValidationError(
            _("The provincial office and institute leaders belong to the provincial institute."),
            code="provincial_role_in_city_branch",
        )
    if not provincial and branch.is_province:
        raise ValidationError(
            _("Branch staff and branch leads belong to a city branch."),
            code="branch_role_in_province",
        )
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"branch": branch, "role": role, "job_title": job_title}
    )
    role_groups = Group.objects.filter(name__in=Membership.GROUP_NAMES.values())
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=Membership.GROUP_NAMES[role]))
    # The provincial office manages users in the Django admin.
    if role == Membership.Role.OFFICE and not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    forget_cached_scope(user)
    return membership


def liaison_set(*, leader, branches) -> None:
    """Make ``branches`` exactly the liaison branches of ``leader`` (an institute leader)."""
    membership = membership_of(leader)
    if membership is None or membership.role != Membership.Role.LEADER:
        raise ValidationError(
            _("Only institute leaders have liaison branches."), code="liaison_not_leader"
        )
    wanted = {branch.pk for branch in branches}
    with transaction.atomic():
        Liaison.objects.filter(leader=leader).exclude(branch__in=wanted).delete()
        for branch_id in wanted:
            Liaison.objects.get_or_create(leader=leader, branch_id=branch_id)
