"""Who may act on an issue, besides its state transitions (see transitions.role_may)."""

from branches import rules as branch_rules
from branches.scoping import membership_of


def works_in_branch(user, branch_id: int) -> bool:
    """Staff and lead of that branch: they link, close, merge, reply, report rectification."""
    membership = membership_of(user)
    return (
        user.is_authenticated
        and user.is_active
        and branch_rules.is_branch_member(user)
        and membership.branch_id == branch_id
    )


def works_on(user, issue) -> bool:
    return works_in_branch(user, issue.branch_id)


def can_open_issues(user) -> bool:
    return branch_rules.is_branch_member(user)


def can_write_instruction(user) -> bool:
    """Institute leaders write instructions (批示) on any issue."""
    return user.is_authenticated and user.is_active and branch_rules.is_institute_leader(user)


def can_acknowledge(user, issue) -> bool:
    """The issue's branch acknowledges a leader's instruction."""
    return works_on(user, issue)


def can_record_meetings(user) -> bool:
    """The provincial office records provincial meetings and their decisions."""
    return user.is_authenticated and user.is_active and branch_rules.is_provincial_office(user)
