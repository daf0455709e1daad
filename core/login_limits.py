"""How many wrong passwords lock a login: django-axes' ``AXES_FAILURE_LIMIT``.

Two limits. ``LOGIN_FAILURES_PER_USERNAME`` wrong passwords for one username from one address
(someone guessing one account's password), and the larger ``LOGIN_FAILURES_PER_ADDRESS`` from
one address whatever the usernames (someone trying a password on many accounts: 25 usernames
with one wrong password each locked nothing while only the first limit existed). The second is
larger because a branch office reaches the app from one address: a few colleagues' typos must
not lock the whole office out.

django-axes counts the failures of each entry of ``AXES_LOCKOUT_PARAMETERS`` (the username at
the address, and the address) and compares the largest, always the address's, with one limit.
So the limit is the address's, unless this username has already failed its own number of times
at this address: then the username's limit applies, and the address's count is at least that.
"""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


def failure_limit(request, credentials=None) -> int:
    """The failures that lock this request's login (called by django-axes)."""
    per_username = settings.LOGIN_FAILURES_PER_USERNAME
    username_failures = (
        AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        ).aggregate(total=Sum("failures_since_start"))["total"]
        or 0
    )
    if username_failures >= per_username:
        return per_username
    return settings.LOGIN_FAILURES_PER_ADDRESS
