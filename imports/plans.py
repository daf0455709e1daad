"""What importing a file would do: a plan for each row, and the preview that holds them.

A plan is what a row will become: a new record (``is_new``), or one that already exists and
is reused. ``imports.planning`` makes the plans without writing anything; ``imports.services``
writes the new ones and sets ``created`` on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from branches.models import County
from outreach.models import Activity, Enterprise, EquipmentClass, FeedbackCategory, FeedbackItem

from .models import ImportBatch
from .reading import Problem, SheetRows


@dataclass(eq=False)
class EnterprisePlan:
    """An enterprise the file speaks of: a row of the 企业 sheet (``row`` set), or one
    already registered that an activity or opinion refers to (``row`` None)."""

    name: str
    row: int | None = None
    uscc: str = ""
    county: County | None = None
    address: str = ""
    equipment_classes: list[EquipmentClass] = field(default_factory=list)
    contact_name: str = ""
    contact_phone: str = ""
    existing: Enterprise | None = None
    created: Enterprise | None = None

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def instance(self) -> Enterprise | None:
        return self.existing or self.created


@dataclass(eq=False)
class ActivityPlan:
    """A row of the 活动 sheet: a new activity, or one already logged (``existing``)."""

    row: int
    ref: str
    kind: str = ""
    occurred_on: date | None = None
    title: str = ""
    place: str = ""
    enterprises: list[EnterprisePlan] = field(default_factory=list)
    attendee_count: int | None = None
    forms_sent: int | None = None
    forms_returned: int | None = None
    minutes: str = ""
    existing: Activity | None = None
    created: Activity | None = None

    @property
    def is_new(self) -> bool:
        return self.existing is None

    @property
    def instance(self) -> Activity | None:
        return self.existing or self.created

    @property
    def kind_label(self) -> str:
        return Activity.Kind(self.kind).label if self.kind else ""


@dataclass(eq=False)
class FeedbackPlan:
    """A row of the 意见建议 sheet: a new opinion, or one already recorded (``exists``)."""

    row: int
    activity: ActivityPlan
    enterprise: EnterprisePlan | None
    category: FeedbackCategory
    kind: str
    content: str
    contact: str = ""
    received_on: date | None = None
    exists: bool = False

    @property
    def is_new(self) -> bool:
        return not self.exists

    @property
    def kind_label(self) -> str:
        return FeedbackItem.Kind(self.kind).label


@dataclass
class Preview:
    """What importing a file would do: the rows of each sheet and every problem."""

    sha256: str = ""
    sheets: dict[str, SheetRows] = field(default_factory=dict)
    enterprises: list[EnterprisePlan] = field(default_factory=list)
    activities: list[ActivityPlan] = field(default_factory=list)
    feedback: list[FeedbackPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: The last import of the same file into the same branch and campaign, if any.
    imported_before: ImportBatch | None = None

    @property
    def is_valid(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        """The six counters of ``ImportBatch``: new and reused rows of each sheet."""
        counts = {}
        for name, plans in (
            ("enterprises", self.enterprises),
            ("activities", self.activities),
            ("feedback", self.feedback),
        ):
            new = sum(1 for plan in plans if plan.is_new)
            counts[f"{name}_created"] = new
            counts[f"{name}_reused"] = len(plans) - new
        return counts

    @property
    def creates_nothing(self) -> bool:
        counts = self.counts()
        return not any(counts[key] for key in counts if key.endswith("_created"))
