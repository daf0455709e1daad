"""What the file's names mean in the database, and which of its rows are already there.

Each lookup is a fixed handful of queries whatever the number of rows: large ``IN (...)``
lists are sent in chunks. Natural keys make a second import of the same file create
nothing: an enterprise is the same USCC, or the same name in the same county, anywhere in
the province's registry (any branch may pick any enterprise); an activity is
the same branch, campaign, kind, date and title; a feedback item is the same activity,
enterprise and content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from django.utils import translation

from branches.models import Branch, County
from outreach.models import (
    Activity,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from outreach.names import enterprise_name_key
from outreach.validators import USCC_ALPHABET, normalize_uscc

from ..cells import cell_text, split_list
from ..plans import ActivityPlan, FeedbackPlan
from ..reading import SheetRows
from ..sheets import fold, kind_labels, nature_labels

# Large ``IN (...)`` lists are sent in chunks: SQLite allows 32,766 parameters a query.
CHUNK = 2_000
#: What a cell must look like to be read as a USCC rather than a name.
USCC_SHAPE = re.compile(f"[{USCC_ALPHABET}]{{18}}")


def chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def by_folded_names(objects, *attributes) -> dict:
    """``objects`` by each of their folded ``attributes`` (the first one wins a clash)."""
    table = {}
    for obj in objects:
        for attribute in attributes:
            name = getattr(obj, attribute, "")
            if name:
                table.setdefault(fold(name), obj)
    return table


def _choices_by_name(choices, chinese: dict[str, str]) -> dict[str, str]:
    """Stored values by folded Chinese label, stored value and English label, of the
    choices ``chinese`` offers."""
    offered = set(chinese.values())
    names = {**chinese, **{value: value for value in choices.values if value in offered}}
    with translation.override("en"):
        names.update({str(label): value for value, label in choices.choices if value in offered})
    return {fold(label): value for label, value in names.items()}


@dataclass
class Vocabulary:
    """The names a file may use for reference data, by folded name: the province's counties
    (the branch's first), equipment classes, feedback categories, activity kinds and
    feedback natures. The ``*_names`` and ``*_labels`` lists are what error messages offer
    instead (the branch's own counties)."""

    counties: dict[str, County]
    county_names: list[str]
    classes: dict[str, EquipmentClass]
    class_names: list[str]
    categories: dict[str, FeedbackCategory]
    category_names: list[str]
    kinds: dict[str, str]
    kind_labels: list[str]
    natures: dict[str, str]
    nature_labels: list[str]

    @classmethod
    def load(cls, branch: Branch) -> Vocabulary:
        # Any county of the province (where a company is), the branch's own winning a
        # clash of names; the branch's are the ones messages offer.
        counties = sorted(County.objects.all(), key=lambda c: (c.branch_id != branch.pk, c.code))
        own_counties = [county for county in counties if county.branch_id == branch.pk]
        classes = list(EquipmentClass.objects.all())
        categories = list(FeedbackCategory.objects.all())
        kinds, natures = kind_labels(), nature_labels()
        return cls(
            counties=by_folded_names(counties, "name", "name_en", "code"),
            county_names=[county.name for county in own_counties],
            classes=by_folded_names(classes, "name", "name_en", "code"),
            class_names=[c.name for c in classes],
            categories=by_folded_names(categories, "name", "name_en"),
            category_names=[c.name for c in categories if c.is_active],
            kinds=_choices_by_name(Activity.Kind, kinds),
            kind_labels=list(kinds),
            natures=_choices_by_name(FeedbackItem.Kind, natures),
            nature_labels=list(natures),
        )


@dataclass
class RegisteredEnterprises:
    """Every registered enterprise the file may mean, anywhere in the province's registry:
    by USCC (a merged record's code leads to the record it was merged into), and by name,
    the branch's own (registered with it or in its counties) before the others."""

    by_uscc: dict[str, Enterprise]
    #: (county id, name key) -> the first active enterprise of that county and name.
    by_county_name: dict[tuple, Enterprise]
    #: name key -> the active enterprises of the branch (registered with it or in its counties).
    by_name: dict[str, list[Enterprise]]
    #: name key -> every active enterprise of the province with that name.
    by_name_anywhere: dict[str, list[Enterprise]]

    @classmethod
    def load(cls, branch: Branch, sheets: dict[str, SheetRows]) -> RegisteredEnterprises:
        enterprise_rows = sheets["enterprises"].rows
        tokens = _reference_tokens(sheets)
        names = [cell_text(row["name"]) for row in enterprise_rows]
        codes = {normalize_uscc(cell_text(row["uscc"])) for row in enterprise_rows}
        codes |= {normalize_uscc(token) for token in tokens}
        codes = sorted(code for code in codes if USCC_SHAPE.fullmatch(code))
        keys = sorted({enterprise_name_key(name) for name in [*names, *tokens]} - {""})
        registered = cls(
            by_uscc={},
            by_county_name={},
            by_name=defaultdict(list),
            by_name_anywhere=defaultdict(list),
        )
        for chunk in chunks(codes):
            for enterprise in Enterprise.objects.filter(uscc__in=chunk).select_related(
                "merged_into"
            ):
                registered.by_uscc[enterprise.uscc] = enterprise
        for chunk in chunks(keys):
            rows = (
                Enterprise.objects.active()
                .filter(name_key__in=chunk)
                .select_related("county")
                .order_by("id")
            )
            for enterprise in rows:
                key = (enterprise.county_id, enterprise.name_key)
                registered.by_county_name.setdefault(key, enterprise)
                registered.by_name_anywhere[enterprise.name_key].append(enterprise)
                county = enterprise.county
                if enterprise.branch_id == branch.pk or (
                    county is not None and county.branch_id == branch.pk
                ):
                    registered.by_name[enterprise.name_key].append(enterprise)
        return registered


def _reference_tokens(sheets: dict[str, SheetRows]) -> list[str]:
    """The enterprises the 活动 and 意见建议 sheets name, as written."""
    tokens = [
        token for row in sheets["activities"].rows for token in split_list(row["enterprises"])
    ]
    tokens += [cell_text(row["enterprise"]) for row in sheets["feedback"].rows]
    return [token for token in tokens if token]


def match_logged_activities(
    plans: list[ActivityPlan], *, branch: Branch, campaign: Campaign
) -> None:
    """Set ``existing`` on each plan the branch has already logged in the campaign."""
    plans = [p for p in plans if p.kind and p.occurred_on and p.title]
    dates = sorted({plan.occurred_on for plan in plans})
    logged: dict[tuple, Activity] = {}
    for chunk in chunks(dates):
        activities = (
            Activity.objects.active()
            .filter(branch=branch, campaign=campaign, occurred_on__in=chunk)
            .order_by("id")
        )
        for activity in activities:
            logged.setdefault((activity.kind, activity.occurred_on, activity.title), activity)
    for plan in plans:
        plan.existing = logged.get((plan.kind, plan.occurred_on, plan.title))


def match_recorded_feedback(plans: list[FeedbackPlan]) -> None:
    """Set ``exists`` on each plan already recorded on its (already logged) activity."""
    activity_ids = sorted({plan.activity.existing.pk for plan in plans if plan.activity.existing})
    recorded = set()
    for chunk in chunks(activity_ids):
        recorded.update(
            FeedbackItem.objects.active()
            .filter(activity_id__in=chunk)
            .values_list("activity_id", "enterprise_id", "content")
        )
    for plan in plans:
        activity = plan.activity.existing
        if activity is None:
            continue
        if plan.enterprise is None:
            enterprise_id = None
        elif plan.enterprise.existing is not None:
            enterprise_id = plan.enterprise.existing.pk
        else:
            continue  # a new enterprise has said nothing yet
        plan.exists = (activity.pk, enterprise_id, plan.content) in recorded
