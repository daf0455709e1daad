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


def can_review_draft(user, draft) -> bool:
    """A lead of the opinion's branch approves a reply drafted for approval, or sends it
    back; never its author (four eyes; the database refuses it too)."""
    return (
        branch_rules.leads_branch(user, draft.feedback_item.branch_id)
        and draft.drafted_by_id != user.pk
    )


def can_resubmit_draft(user, draft) -> bool:
    """The author of a draft sent back edits it and submits it again, while they still
    work in the opinion's branch."""
    return draft.drafted_by_id == user.pk and branch_rules.works_in_branch(
        user, draft.feedback_item.branch_id
    )


def can_read_clock_settings(user) -> bool:
    """The clock's settings (time limits, return reasons, which branches' replies need
    approval) are read by the province: the office, institute leaders, administrators.
    Branches see their effect (deadlines, the reasons offered) on their own pages."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or branch_rules.is_provincial_office(user)
            or branch_rules.is_institute_leader(user)
        )
    )


def can_edit_clock_settings(user) -> bool:
    """The provincial office alone changes the clock's settings."""
    return user.is_authenticated and user.is_active and branch_rules.is_provincial_office(user)
