"""Writes to the office's calendar: its own days (holidays and make-up working days) and
the years whose whole schedule it has entered.

Only the provincial office writes (``PermissionDenied`` for anyone else, whatever the view
checked). An entry may be deleted: django-simple-history keeps what it said and who
entered it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from . import rules
from .models import CalendarDay, ScheduledYear


def _require_office(actor) -> None:
    if not rules.can_edit_calendar(actor):
        raise PermissionDenied(_("Only the provincial office edits the working-day calendar."))


def duplicate_day_message(day: date) -> str:
    return _("{day} is already in the office's calendar: delete that entry first.").format(
        day=day.isoformat()
    )


@transaction.atomic
def calendar_day_add(*, actor, day: date, kind: str, name: str) -> CalendarDay:
    """The office declares ``day`` a holiday or a make-up working day."""
    _require_office(actor)
    name = (name or "").strip()
    if kind not in CalendarDay.Kind.values:
        raise ValidationError({"kind": _("Choose a holiday or a working day.")})
    if not name:
        raise ValidationError({"name": _("Name the day, for example 春节 or 国庆节.")})
    if CalendarDay.objects.filter(day=day).exists():
        raise ValidationError({"day": duplicate_day_message(day)})
    try:
        # A savepoint: two offices adding the same day at once meet the unique constraint.
        with transaction.atomic():
            return CalendarDay.objects.create(day=day, kind=kind, name=name, created_by=actor)
    except IntegrityError as error:
        raise ValidationError({"day": duplicate_day_message(day)}) from error


@transaction.atomic
def calendar_day_delete(*, actor, entry: CalendarDay) -> None:
    """The office takes back one of its days; the package (or Monday to Friday) applies again."""
    _require_office(actor)
    CalendarDay.objects.filter(pk=entry.pk).delete()


@transaction.atomic
def scheduled_year_mark(*, actor, year: int) -> ScheduledYear:
    """The office says it has entered ``year``'s whole schedule: the year is known."""
    _require_office(actor)
    scheduled, _created = ScheduledYear.objects.get_or_create(
        year=year, defaults={"entered_by": actor}
    )
    return scheduled


@transaction.atomic
def scheduled_year_unmark(*, actor, year: int) -> None:
    """The office takes it back: the year is counted as the package (or Monday to Friday)
    says, with the office's days still applied."""
    _require_office(actor)
    ScheduledYear.objects.filter(year=year).delete()
