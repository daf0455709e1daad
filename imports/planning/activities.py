"""Planning the 活动 sheet: each row a new activity, or one the branch has already logged."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from branches.models import Branch
from outreach.models import Activity, Campaign
from outreach.services import KIND_FIELDS, KINDS_NEEDING_ENTERPRISES, default_activity_title
from outreach.validators import activity_date_problem

from ..cells import cell_text, split_list
from ..plans import ActivityPlan
from ..reading import Row
from .checker import SheetChecker
from .enterprises import EnterpriseDirectory
from .matching import Vocabulary, match_logged_activities


class ActivitySheet:
    """Plans the rows of the 活动 sheet; ``by_ref`` then finds a row by its 活动编号, for the
    意见建议 sheet."""

    def __init__(
        self,
        check: SheetChecker,
        *,
        branch: Branch,
        campaign: Campaign,
        vocabulary: Vocabulary,
        directory: EnterpriseDirectory,
    ):
        self.check = check
        self.branch = branch
        self.campaign = campaign
        self.vocabulary = vocabulary
        self.directory = directory
        self.by_ref: dict[str, ActivityPlan] = {}

    def plan(self) -> list[ActivityPlan]:
        check = self.check
        plans: list[ActivityPlan] = []
        seen_keys: dict[tuple, int] = {}
        for row in check.rows:
            count = len(check.problems)
            ref = check.text(row, "ref", required=True)
            plan = ActivityPlan(row=row.number, ref=ref)
            if ref in self.by_ref:
                check.error(
                    row,
                    "ref",
                    _("The same 活动编号 is on row {row}.").format(row=self.by_ref[ref].row),
                )
            elif ref:
                self.by_ref[ref] = plan
            plan.kind = check.choice(
                row, "kind", self.vocabulary.kinds, self.vocabulary.kind_labels
            )
            plan.occurred_on = check.day(row, "occurred_on", required=True)
            title = check.text(row, "title", 200)
            plan.place = check.text(row, "place", 200)
            plan.minutes = check.text(row, "minutes")
            for token in split_list(row["enterprises"]):
                target = self.directory.resolve(check, row, "enterprises", token)
                if target is not None and target not in plan.enterprises:
                    plan.enterprises.append(target)
            plan.attendee_count = check.number(row, "attendee_count")
            plan.forms_sent = check.number(row, "forms_sent")
            plan.forms_returned = check.number(row, "forms_returned")
            if plan.kind:
                self.check_kind_fields(row, plan)
            if plan.kind and plan.occurred_on:
                plan.title = title or self.default_title(plan)
            plans.append(plan)
            if len(check.problems) > count:
                continue
            key = (plan.kind, plan.occurred_on, plan.title)
            if key in seen_keys:
                check.error(
                    row,
                    "title",
                    _("Row {row} has the same kind, date and title: give one a title.").format(
                        row=seen_keys[key]
                    ),
                )
            seen_keys.setdefault(key, row.number)
        match_logged_activities(plans, branch=self.branch, campaign=self.campaign)
        for plan in plans:
            # The services' own rule on the date of a new activity (a reused one is not
            # written), so the preview refuses what the import would.
            if plan.is_new and plan.occurred_on:
                problem = activity_date_problem(plan.occurred_on, self.campaign)
                if problem:
                    check.error_at(plan.row, "occurred_on", problem)
        return plans

    def check_kind_fields(self, row: Row, plan: ActivityPlan) -> None:
        """The counts and enterprises a kind records, and only those (``KIND_FIELDS``)."""
        check = self.check
        wanted = KIND_FIELDS[plan.kind]
        label = Activity.Kind(plan.kind).label
        given = {
            "enterprises": row["enterprises"],
            "attendee_count": row["attendee_count"],
            "forms_sent": row["forms_sent"],
            "forms_returned": row["forms_returned"],
        }
        for key, value in given.items():
            if key not in wanted and cell_text(value) != "":
                check.error(
                    row,
                    key,
                    _("A “{kind}” does not record this: leave the cell empty.").format(kind=label),
                )
        if (
            plan.kind in KINDS_NEEDING_ENTERPRISES
            and not plan.enterprises
            and not cell_text(row["enterprises"])
        ):
            check.error(
                row,
                "enterprises",
                _("A “{kind}” needs at least one enterprise.").format(kind=label),
            )
        if "forms_sent" in wanted:
            if plan.forms_sent is None and not cell_text(row["forms_sent"]):
                check.error(row, "forms_sent", _("Enter how many forms were sent."))
            elif (
                plan.forms_sent is not None
                and plan.forms_returned is not None
                and plan.forms_returned > plan.forms_sent
            ):
                check.error(row, "forms_returned", _("More forms returned than were sent."))

    @staticmethod
    def default_title(plan: ActivityPlan) -> str:
        # Always in the site's language, so the same row gets the same title (its natural
        # key) whichever language the person importing it uses.
        with translation.override(settings.LANGUAGE_CODE):
            title = default_activity_title(plan.kind, plan.occurred_on, plan.enterprises)
        return title[:200]
