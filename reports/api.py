"""``GET /api/stats/``: the headline figures as JSON, for other systems and scripts.

Same selection, scope and definitions as the dashboard; session login (a browser or a
script holding a session cookie). Invalid parameters are a 400 naming each field. A long
range is read from the replica when there is one that has replayed everything the
primary had when the request began (``core.replica``).
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import timedelta
from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from branches.scoping import scope_of
from core.replica import from_replica

from .metrics import (
    ACTIVITY_KEYS,
    ASSESSMENT_KEYS,
    CLOCK_KEYS,
    CLOCK_RATES,
    FEEDBACK_KEYS,
    ISSUE_KEYS,
    KIND_KEYS,
    VOICE_KEYS,
    Figures,
    campaign_report,
)
from .selection import SelectionForm

#: The API's figure keys, in order (docs/metrics.md defines each): what was done and heard
#: (the opinions by kind), what was found and fixed, then the promise and the replies,
#: then the clock, then the enterprise's own word, then the assessment's own figures.
HEARD_KEYS = ("feedback_items", *KIND_KEYS)
API_KEYS = (
    *ACTIVITY_KEYS,
    *HEARD_KEYS,
    *ISSUE_KEYS,
    *(key for key in FEEDBACK_KEYS if key not in HEARD_KEYS),
    *CLOCK_KEYS,
    *VOICE_KEYS,
    *ASSESSMENT_KEYS,
)


def figures_json(figures: Figures) -> dict:
    data = {key: figures[key] for key in API_KEYS}
    data["reply_rate"] = _rounded(figures.reply_rate.value)
    data["satisfaction_rate"] = _rounded(figures.satisfaction_rate.value)
    data["enterprise_satisfaction_rate"] = _rounded(figures.enterprise_satisfaction_rate.value)
    for key in CLOCK_RATES:
        data[key] = _rounded(getattr(figures, key).value)
    data["reopen_rate"] = _rounded(figures.reopen_rate.value)
    data["issues_by_state"] = figures.states
    return data


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


#: A range longer than this (or no range: all campaigns, all time) is read from the
#: replica when there is one (core/replica.py).
LONG_RANGE = timedelta(days=366)


def is_long_range(selection) -> bool:
    """Many months of figures: all time, or dates further apart than ``LONG_RANGE``
    (one campaign is not long: its figures are a campaign's)."""
    if selection.campaign is not None:
        return False
    if selection.date_from is None or selection.date_to is None:
        return True
    return selection.date_to - selection.date_from > LONG_RANGE


def login_required_json(view):
    """A 401 with a JSON message instead of a redirect to the login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"error": _("Log in first.")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


@require_safe
@login_required_json
def stats(request):
    if scope_of(request.user).is_empty:
        return JsonResponse({"error": _("Your account has no role yet.")}, status=404)
    form = SelectionForm(request.GET, user=request.user)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    selection = form.selection()
    reading = from_replica() if is_long_range(selection) else nullcontext()
    with reading:
        report = campaign_report(request.user, selection, form.branches)
    return JsonResponse(
        {
            "selection": {
                "campaign": selection.campaign.pk if selection.campaign else None,
                "date_from": selection.date_from,
                "date_to": selection.date_to,
                "branch": selection.branch.pk if selection.branch else None,
            },
            **figures_json(report.total),
            "branches": [
                {"branch": row.branch.name, "branch_id": row.branch.pk, **figures_json(row.figures)}
                for row in report.branches
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
