"""Planning the 意见建议 sheet: each row a new opinion, or one already recorded."""

from __future__ import annotations

from django.utils.translation import gettext as _

from outreach.models import FeedbackCategory
from outreach.validators import received_date_problem

from ..cells import cell_text
from ..plans import ActivityPlan, FeedbackPlan
from ..reading import Row
from ..sheets import fold
from .checker import SheetChecker, join_names
from .enterprises import EnterpriseDirectory
from .matching import Vocabulary, match_recorded_feedback


class FeedbackSheet:
    """Plans the rows of the 意见建议 sheet, each heard at an activity of the 活动 sheet
    (``activities_by_ref``) from an enterprise, or anonymously."""

    def __init__(
        self,
        check: SheetChecker,
        *,
        vocabulary: Vocabulary,
        directory: EnterpriseDirectory,
        activities_by_ref: dict[str, ActivityPlan],
    ):
        self.check = check
        self.vocabulary = vocabulary
        self.directory = directory
        self.activities_by_ref = activities_by_ref

    def plan(self) -> list[FeedbackPlan]:
        check = self.check
        plans: list[FeedbackPlan] = []
        seen: dict[tuple, int] = {}
        for row in check.rows:
            count = len(check.problems)
            ref = check.text(row, "ref", required=True)
            activity = self.activities_by_ref.get(ref)
            if ref and activity is None:
                check.error(
                    row,
                    "ref",
                    _("No row of the 活动 sheet has the 活动编号 “{ref}”.").format(ref=ref),
                )
            token = cell_text(row["enterprise"])
            enterprise = self.directory.resolve(check, row, "enterprise", token) if token else None
            category = self.category(row)
            kind = check.choice(row, "kind", self.vocabulary.natures, self.vocabulary.nature_labels)
            content = check.text(row, "content", required=True)
            contact = check.text(row, "contact", 100)
            received_on = check.day(row, "received_on")
            if len(check.problems) > count:
                continue
            plan = FeedbackPlan(
                row=row.number,
                activity=activity,
                enterprise=enterprise,
                category=category,
                kind=kind,
                content=content,
                contact=contact,
                received_on=received_on or activity.occurred_on,
            )
            key = (id(activity), id(enterprise), content)
            if key in seen:
                check.error(
                    row,
                    "content",
                    _(
                        "Row {row} has the same activity, enterprise and content: it would be "
                        "imported once."
                    ).format(row=seen[key]),
                )
                continue
            seen[key] = row.number
            plans.append(plan)
        match_recorded_feedback(plans)
        for plan in plans:
            # The services' own rule on the date of a new opinion.
            if plan.is_new and plan.received_on and plan.activity.occurred_on:
                problem = received_date_problem(plan.received_on, plan.activity.occurred_on)
                if problem:
                    check.error_at(plan.row, "received_on", problem)
        return plans

    def category(self, row: Row) -> FeedbackCategory | None:
        text = self.check.text(row, "category", required=True)
        if not text:
            return None
        category = self.vocabulary.categories.get(fold(text))
        if category is None or not category.is_active:
            self.check.error(
                row,
                "category",
                _("“{value}” is not an opinion category in use. Use one of: {options}.").format(
                    value=text, options=join_names(self.vocabulary.category_names)
                ),
            )
            return None
        return category
