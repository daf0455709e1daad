"""Role predicates: the one place that says what each role may do.

Views, services and templates all ask these, so a button is shown exactly when the
action behind it is allowed.
"""

from __future__ import annotations

from .models import Membership
from .scoping import membership_of, scope_of

Role = Membership.Role


def role_of(user) -> str | None:
    """The user's role; none for a deactivated account, whatever its membership says."""
    if not user.is_active:
        return None
    membership = membership_of(user)
    return membership.role if membership else None


def is_branch_member(user) -> bool:
    """Staff or lead of a city branch: works inside one branch."""
    return role_of(user) in {Role.STAFF, Role.LEAD}


def is_provincial_office(user) -> bool:
    return role_of(user) == Role.OFFICE


def is_institute_leader(user) -> bool:
    return role_of(user) == Role.LEADER


def can_manage_users(user) -> bool:
    """The provincial office and system administrators manage accounts."""
    return bool(user.is_authenticated and (user.is_superuser or is_provincial_office(user)))


def can_log_outreach(user) -> bool:
    """Branch staff and leads log activities, enterprises and feedback for their branch."""
    return is_branch_member(user)


def can_dispose_feedback(user) -> bool:
    """Branch staff and leads dispose of their branch's opinions: open an issue from them,
    attach them to one, or close them with a reason."""
    return is_branch_member(user)


def works_in_branch(user, branch_id: int | None) -> bool:
    """Staff or lead of that branch, with an active account: the people who record its
    outreach, dispose of its opinions and work on its issues."""
    if not user.is_authenticated or not user.is_active or branch_id is None:
        return False
    membership = membership_of(user)
    return is_branch_member(user) and membership.branch_id == branch_id


def leads_branch(user, branch_id: int | None) -> bool:
    """The lead of that branch, with an active account: besides what its staff do, closes
    its opinions as unreachable and withdraws its issues."""
    return works_in_branch(user, branch_id) and role_of(user) == Role.LEAD


def can_log_outreach_in(user, branch) -> bool:
    """Write outreach records of ``branch``: its own staff and lead, nobody else.

    The provincial office and leaders read every branch but never change its records; an
    import run by the office on the server names the branch user it is made for.
    """
    return not branch.is_province and works_in_branch(user, branch.pk)


def can_edit_enterprise(user, home_branch) -> bool:
    """Change or withdraw the shared record of an enterprise (name, code, county, address,
    contacts, equipment): the staff and lead of its home branch, who registered it, and the
    provincial office, which keeps the province's registry. Any branch may pick it; what
    each branch records about it stays its own."""
    return is_provincial_office(user) or can_log_outreach_in(user, home_branch)


def can_merge_enterprises(user) -> bool:
    """Merge two records of one company: the provincial office, whose registry it is."""
    return is_provincial_office(user)


def can_set_assessment_weights(user) -> bool:
    """Choose the assessment's components, weights and minimum for ranking (考核方案): the
    provincial office, for the current month on (``reports.assessment.services``)."""
    return is_provincial_office(user)


def can_read_bulletin(user) -> bool:
    """The assessment's bulletin (通报) names and ranks every branch: those who see every
    branch read it (the office, the leaders, the system's administrators)."""
    return bool(user.is_authenticated and scope_of(user).all_branches)


def can_read_themes(user) -> bool:
    """The recurring problems (每月一题) bring together the issues of every branch: those
    who see every branch read them."""
    return bool(user.is_authenticated and scope_of(user).all_branches)


def can_decide_themes(user) -> bool:
    """Adopt a recurring problem as a provincial problem, dismiss it, merge it, search for
    them again: the provincial office."""
    return is_provincial_office(user)
