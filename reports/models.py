"""The assessment's schemes: the weights the provincial office sets, kept per period."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .assessment.components import COMPONENTS


class AssessmentScheme(models.Model):
    """The weights of the branches' assessment (考核) from one month on, set by the
    provincial office: each component chosen (``assessment.components``) with its weight,
    and the smallest denominator a component is scored on.

    A period is assessed with the scheme in force in its last month: the latest starting
    then or before. Schemes are set from the current month on, or for months that no
    scheme covered yet; a month that has ended keeps its scheme for good
    (``assessment.services.assessment_scheme_set``), so a past ranking never changes
    when the weights change later.
    """

    starts_on = models.DateField(_("in force from"), unique=True)
    #: component key -> weight (a positive whole number); components not chosen are absent
    weights = models.JSONField(_("weights"), default=dict)
    min_denominator = models.PositiveIntegerField(
        _("minimum for ranking"),
        help_text=_("A component is scored only when its denominator is at least this many cases."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_denominator__gte=1), name="assessment_scheme_minimum_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m}"

    def clean(self):
        if self.starts_on and self.starts_on.day != 1:
            raise ValidationError({"starts_on": _("A scheme starts on the first of a month.")})
        weights = self.weights or {}
        if not isinstance(weights, dict) or not weights:
            raise ValidationError({"weights": _("Choose at least one component.")})
        for key, weight in weights.items():
            if key not in COMPONENTS:
                raise ValidationError({"weights": _("Unknown component: %(key)s") % {"key": key}})
            if not isinstance(weight, int) or isinstance(weight, bool) or weight < 1:
                raise ValidationError({"weights": _("A weight is a whole number from 1.")})

    def chosen(self) -> list[tuple]:
        """(component, weight) of the chosen components, in the components' order."""
        weights = self.weights or {}
        return [
            (component, weights[key]) for key, component in COMPONENTS.items() if key in weights
        ]

    @property
    def total_weight(self) -> int:
        return sum(weight for _component, weight in self.chosen())
