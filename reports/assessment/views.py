"""The assessment's pages: the table of a period (every branch for the province, a
branch's own row and rank for its users), and the office's scheme."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from branches import rules
from branches.scoping import scope_of
from core.submissions import once_per_submission

from ..models import AssessmentScheme
from . import selectors, services
from .forms import PeriodForm, SchemeForm
from .periods import add_months, default_period, month_start


def _period_url(name: str, period) -> str:
    return f"{reverse(name)}?{urlencode({'period': period.key})}"


@require_safe
@login_required
def assessment(request):
    """A period's table: each component's rate with its numerator and denominator (each a
    link to its records), the score, the rank and the change from the previous period."""
    user = request.user
    scope = scope_of(user)
    if scope.is_empty:
        raise Http404
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today, default=default_period(today))
    if not form.is_valid():
        return render(request, "reports/assessment.html", {"form": form}, status=400)
    period = form.chosen_period()
    result = selectors.assess(user, period)
    shows_all = scope.all_branches
    own_row = None if shows_all else result.row_of(scope.branch_id)
    rows = result.rows if shows_all else [row for row in result.rows if row is own_row]
    following = period.next()
    context = {
        "form": form,
        "period": period,
        # A branch's users get their own row only: the others' never reach the template.
        "assessment": result if shows_all else None,
        "previous_period": result.previous_period,
        "scheme": result.scheme,
        "rows": rows,
        "own_row": own_row,
        "shows_all": shows_all,
        "ranked_count": len(result.ranked) if shows_all else None,
        "previous_url": _period_url("reports:assessment", period.previous()),
        "next_url": (
            _period_url("reports:assessment", following) if following.start <= today else ""
        ),
        "has_ended": period.has_ended(today),
        "can_set_weights": rules.can_set_assessment_weights(user),
        "bulletin_url": _period_url("reports:bulletin", period) if shows_all else "",
    }
    return render(request, "reports/assessment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@once_per_submission
def assessment_scheme_edit(request):
    """The office's scheme: components, weights and the minimum for ranking, from a month
    on; every scheme set so far below it, the months each governs."""
    user = request.user
    if not rules.can_set_assessment_weights(user):
        raise PermissionDenied
    today = timezone.localdate()
    schemes = list(AssessmentScheme.objects.select_related("set_by").order_by("-starts_on"))
    earliest = schemes[-1].starts_on if schemes else None
    current = next((s for s in schemes if s.starts_on <= month_start(today)), None)
    latest = schemes[0] if schemes else None
    form = SchemeForm(
        request.POST or None, today=today, earliest=earliest, initial_scheme=latest or current
    )
    if request.method == "POST" and form.is_valid():
        try:
            scheme = services.assessment_scheme_set(
                user=user,
                starts_on=form.cleaned_data["starts_on"],
                weights=form.weights(),
                min_denominator=form.cleaned_data["min_denominator"],
                today=today,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Scheme saved: in force from %(month)s.")
                % {"month": f"{scheme.starts_on:%Y-%m}"},
            )
            return redirect("reports:assessment_scheme_edit")
    context = {
        "form": form,
        "schemes": _scheme_spans(schemes, month_start(today)),
        "current": current,
    }
    return render(request, "reports/assessment_scheme.html", context)


def _scheme_spans(schemes: list[AssessmentScheme], this_month) -> list[dict]:
    """Each scheme (newest first) with the last month it governs (None: on) and whether
    it may still change (it starts in the current month or later)."""
    spans = []
    following = None
    for scheme in schemes:
        spans.append(
            {
                "scheme": scheme,
                "until": add_months(following.starts_on, -1) if following else None,
                "open": scheme.starts_on >= this_month,
            }
        )
        following = scheme
    return spans
