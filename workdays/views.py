"""The calendar page (everyone with a role reads it) and the office's edits of it."""

from __future__ import annotations

import re
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.submissions import once_per_submission

from . import rules, selectors, services
from .forms import CalendarDayForm, YearForm
from .models import CalendarDay


def _year(value) -> int | None:
    """The year a request names (ASCII digits in the page's range), or None."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}", value):
        return None
    year = int(value)
    return year if selectors.FIRST_YEAR <= year <= selectors.LAST_YEAR else None


def calendar_url(year: int) -> str:
    return f"{reverse('workdays:calendar')}?year={year}"


def _page(request, year: int, *, form: CalendarDayForm | None = None):
    can_edit = rules.can_edit_calendar(request.user)
    if can_edit and form is None:
        form = CalendarDayForm(initial={"day": date(year, 1, 1)})
    return render(
        request,
        "workdays/calendar.html",
        {
            "overview": selectors.year_overview(request.user, year),
            "year": year,
            "previous_year": year - 1 if year > selectors.FIRST_YEAR else None,
            "next_year": year + 1 if year < selectors.LAST_YEAR else None,
            "this_year": timezone.localdate().year,
            "can_edit": can_edit,
            "form": form if can_edit else None,
        },
    )


def _require_reader(user) -> None:
    if not rules.can_read_calendar(user):
        raise PermissionDenied


def _require_editor(user) -> None:
    if not rules.can_edit_calendar(user):
        raise PermissionDenied


@login_required
@require_safe
def calendar(request):
    """One year of the calendar: the office's days, the package's, and whether the year
    is known (otherwise counted Monday to Friday)."""
    _require_reader(request.user)
    raw = request.GET.get("year")
    year = timezone.localdate().year if raw in (None, "") else _year(raw)
    if year is None:
        raise Http404(_("No such year in the calendar."))
    return _page(request, year)


@login_required
@require_POST
@once_per_submission
def day_create(request):
    """The office adds a holiday or make-up working day; a wrong form comes back."""
    _require_editor(request.user)
    form = CalendarDayForm(request.POST)
    if form.is_valid():
        try:
            entry = services.calendar_day_add(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("{day} ({name}) added to the calendar.").format(
                    day=entry.day.isoformat(), name=entry.name
                ),
            )
            return redirect(calendar_url(entry.day.year))
    year = _year(request.GET.get("year")) or timezone.localdate().year
    return _page(request, year, form=form)


@login_required
@require_POST
@once_per_submission
def day_delete(request, pk: int):
    """The office deletes one of its days (the page asks to confirm first)."""
    _require_editor(request.user)
    entry = get_object_or_404(CalendarDay.objects.visible_to(request.user), pk=pk)
    services.calendar_day_delete(actor=request.user, entry=entry)
    messages.success(
        request,
        _("{day} ({name}) deleted from the calendar.").format(
            day=entry.day.isoformat(), name=entry.name
        ),
    )
    return redirect(calendar_url(entry.day.year))


def _year_action(request, service, done: str):
    _require_editor(request.user)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("No such year in the calendar."))
        return _page(request, timezone.localdate().year)
    year = form.cleaned_data["year"]
    service(actor=request.user, year=year)
    messages.success(request, done.format(year=year))
    return redirect(calendar_url(year))


@login_required
@require_POST
@once_per_submission
def year_mark(request):
    """The office has entered a year's whole schedule: the year is known from now on."""
    return _year_action(
        request,
        services.scheduled_year_mark,
        _("{year} is marked as entered: its deadlines follow the calendar."),
    )


@login_required
@require_POST
@once_per_submission
def year_unmark(request):
    """The office takes back "entered": the year is counted Monday to Friday again (with
    the office's days) unless the package knows it."""
    return _year_action(
        request,
        services.scheduled_year_unmark,
        _("{year} is no longer marked as entered."),
    )
