"""Writes to the organisation: a user's membership and a leader's liaisons."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Branch, Liaison, Membership
from .scoping import forget_cached_scope, membership_of


@transaction.atomic
def membership_set(
    *, user, branch: Branch, role: str, job_title: str = "", phone: str = ""
) -> Membership:
    """Place ``user`` in ``branch`` with ``role``.

    Provincial roles belong to the provincial institute, branch roles to a city branch.
    The database puts the user in their role's group and makes the provincial office admin
    staff (branches/migrations/0003), whatever writes the membership.
    """
    role = Membership.Role(role)
    Membership(user=user, branch=branch, role=role).clean()
    membership, _created = Membership.objects.update_or_create(
        user=user, defaults={"branch": branch, "role": role, "job_title": job_title, "phone": phone}
    )
    if role == Membership.Role.OFFICE:
        user.is_staff = True  # as the database made it: the office manages users in the admin
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
