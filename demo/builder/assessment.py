"""The office's assessment scheme, in force from the campaign's first month: the demo's
months are assessed with it (``reports.assessment``)."""

from __future__ import annotations

from demo.data import content as C
from reports.models import AssessmentScheme

from .story import FIRST_DAY
from .writer import CAMPAIGN_CREATED


def write_scheme(office) -> AssessmentScheme:
    """The scheme set by the office when the campaign was created (once: a scheme already
    in force from that month is kept)."""
    starts_on = FIRST_DAY.replace(day=1)
    existing = AssessmentScheme.objects.filter(starts_on=starts_on).first()
    if existing is not None:
        return existing
    scheme = AssessmentScheme(
        starts_on=starts_on,
        weights=dict(C.ASSESSMENT_WEIGHTS),
        min_denominator=C.ASSESSMENT_MIN_DENOMINATOR,
        set_by=office,
        set_at=CAMPAIGN_CREATED,
    )
    scheme.full_clean()
    scheme.save()
    return scheme
