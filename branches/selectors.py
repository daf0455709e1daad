"""Reads of the organisation."""

from django.db.models import BooleanField, Exists, OuterRef, Value

from .models import Branch, Liaison
from .scoping import scope_of


def visible_city_branches(user):
    """City branches in the user's scope, in the institute's order."""
    scope = scope_of(user)
    branches = Branch.objects.filter(kind=Branch.Kind.CITY)
    if scope.all_branches:
        return branches
    if scope.branch_id is None:
        return branches.none()
    return branches.filter(pk=scope.branch_id)


def table_branches(user) -> list[Branch]:
    """The city branches in scope, each marked ``is_liaison`` when the user is its liaison
    leader: the rows of every per-branch table of figures."""
    branches = visible_city_branches(user)
    if not user.is_authenticated:
        return list(branches.annotate(is_liaison=Value(False, output_field=BooleanField())))
    return list(
        branches.annotate(
            is_liaison=Exists(Liaison.objects.filter(leader=user, branch=OuterRef("pk")))
        )
    )


def liaison_branch_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(Liaison.objects.filter(leader=user).values_list("branch_id", flat=True))
