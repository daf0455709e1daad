"""The bulletin's page, in the interface's language (its Word file is a job:
``reports.jobs``). The province's document: the office, the leaders and the system's
administrators read it; a branch reads its own row and rank on the assessment's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from branches import rules

from ..assessment.forms import PeriodForm
from ..assessment.periods import default_period
from .data import load_bulletin_data
from .languages import build_bulletin, language_of


@require_safe
@login_required
def bulletin(request):
    user = request.user
    if not rules.can_read_bulletin(user):
        raise PermissionDenied
    today = timezone.localdate()
    form = PeriodForm(request.GET, today=today, default=default_period(today))
    if not form.is_valid():
        return render(request, "reports/bulletin.html", {"form": form}, status=400)
    period = form.chosen_period()
    data = load_bulletin_data(user, period, today=today)
    language = language_of(get_language())
    context = {
        "form": form,
        "period": period,
        "bulletin": build_bulletin(data, language),
        "assessed": data.assessment.scheme is not None,
        "download_query": urlencode({"period": period.key, "lang": language}),
        "assessment_url": f"{reverse('reports:assessment')}?{urlencode({'period': period.key})}",
    }
    return render(request, "reports/bulletin.html", context)
