"""Who may act on an issue, besides its state transitions (see transitions.role_may)."""

from branches import rules as branch_rules


def works_on(user, issue) -> bool:
    """Staff and lead of the issue's branch: they link, close, merge, reply, report
    rectification."""
    return branch_rules.works_in_branch(user, issue.branch_id)


def can_withdraw(user, issue) -> bool:
    """The lead of the issue's branch withdraws it; its opinions go back to no disposition."""
    return branch_rules.leads_branch(user, issue.branch_id)


def can_reply(user, item) -> bool:
    """Staff and lead of the opinion's branch record replies to it (from any screen)."""
    return branch_rules.works_in_branch(user, item.branch_id)


def can_close_unreachable(user, item) -> bool:
    """The lead of the opinion's branch closes it as unreachable (after two attempts)."""
    return branch_rules.leads_branch(user, item.branch_id)


def can_write_instruction(user) -> bool:
    """Institute leaders write instructions (批示) on any issue."""
    return user.is_authenticated and user.is_active and branch_rules.is_institute_leader(user)


def can_acknowledge(user, issue) -> bool:
    """The issue's branch acknowledges a leader's instruction."""
    return works_on(user, issue)


def can_record_meetings(user) -> bool:
    """The provincial office records provincial meetings and their decisions."""
    return user.is_authenticated and user.is_active and branch_rules.is_provincial_office(user)
