"""The office's own calendar entries: what the packaged calendar does not know yet.

``chinesecalendar`` knows the State Council's holiday schedule up to the year it was
published; the next year's schedule is announced each November, and local closures are
never in it. The provincial office enters both here; ``workdays.calendar`` reads them first.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.scoping import scope_of


class CalendarQuerySet(models.QuerySet):
    """The calendar is the whole province's: everyone with a role reads it."""

    def visible_to(self, user):
        return self.none() if scope_of(user).is_empty else self


class CalendarDay(models.Model):
    """One day the office declares a holiday (closed) or a working day (调休 make-up day)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday (no work)")
        WORKDAY = "workday", _("Working day (make-up day)")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("For example 春节, 国庆节 or a local closure.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = CalendarQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "workday"]), name="calendar_day_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.name}"


class ScheduledYear(models.Model):
    """The office has entered a year's whole holiday schedule, so the year is known even
    where the packaged calendar stops."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = CalendarQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("year with a complete schedule")
        verbose_name_plural = _("years with a complete schedule")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
