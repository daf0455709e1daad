"""Who may read and who may edit the working-day calendar."""

from branches import rules as branch_rules
from branches.scoping import scope_of


def can_read_calendar(user) -> bool:
    """Everyone with a role (and system administrators): deadlines concern them all."""
    return not scope_of(user).is_empty


def can_edit_calendar(user) -> bool:
    """The provincial office enters next year's schedule and local closures."""
    return user.is_authenticated and user.is_active and branch_rules.is_provincial_office(user)
