"""The office sets a scheme: its components, weights and minimum for ranking, from a month
on. A month that has ended keeps the scheme it had (docs/metrics.md, "The assessment")."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import rules

from ..models import AssessmentScheme
from .periods import month_start


def may_start_on(month: date, today: date, *, earliest: date | None) -> bool:
    """Whether a scheme may be set from ``month``: the current month or a later one, or a
    month that has ended when no scheme covered it yet (``earliest`` is the first scheme's
    month, None when there is none): its months had no ranking to change."""
    if month >= month_start(today):
        return True
    return earliest is None or month < earliest


def assessment_scheme_set(
    *,
    user,
    starts_on: date,
    weights: dict[str, int],
    min_denominator: int,
    today: date | None = None,
) -> AssessmentScheme:
    """Set the scheme in force from ``starts_on`` (the first of a month): a new one, or the
    one starting then, changed while its month has not ended. Weights of 0 are components
    left out."""
    if not rules.can_set_assessment_weights(user):
        raise PermissionDenied
    today = today or timezone.localdate()
    if starts_on.day != 1:
        raise ValidationError(_("A scheme starts on the first of a month."), code="not_a_month")
    chosen = {key: weight for key, weight in weights.items() if weight}
    with transaction.atomic():
        # Locks the schemes (a handful) so two offices cannot both start the same month.
        existing = list(AssessmentScheme.objects.select_for_update().order_by("starts_on"))
        scheme = next((s for s in existing if s.starts_on == starts_on), None)
        earliest = existing[0].starts_on if existing else None
        if scheme is not None and starts_on < month_start(today):
            raise ValidationError(
                _("That month has ended: it keeps the scheme it was assessed with."),
                code="month_ended",
            )
        if scheme is None and not may_start_on(starts_on, today, earliest=earliest):
            raise ValidationError(
                _("That month has ended and a scheme was in force then: it keeps it."),
                code="month_ended",
            )
        scheme = scheme or AssessmentScheme(starts_on=starts_on)
        scheme.weights = chosen
        scheme.min_denominator = min_denominator
        scheme.set_by = user
        scheme.set_at = timezone.now()
        scheme.full_clean()
        try:
            with transaction.atomic():
                scheme.save()
        except IntegrityError as error:
            raise ValidationError(
                _("Another scheme was set for that month meanwhile; try again."),
                code="conflict",
            ) from error
    return scheme
