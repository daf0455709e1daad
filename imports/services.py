"""Preview and import of an outreach spreadsheet (the format is in ``imports.sheets``).

``batch_preview`` reads a file and works out, without writing anything, what importing
it would create, what already exists and would be reused, and every error. ``batch_create``
keeps the file of an error-free preview; ``batch_import`` reads it again, validates it
again and writes every row through the outreach services in one transaction: all of it
or nothing.

Natural keys make a second import of the same file create nothing: an enterprise is the
same USCC or the same name in the same county; an activity is the same branch, campaign,
kind, date and title; a feedback item is the same activity, enterprise and content.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from branches.models import Branch, County
from outreach import services as outreach_services
from outreach.models import (
    Activity,
    Campaign,
    Enterprise,
    EquipmentClass,
    FeedbackCategory,
    FeedbackItem,
)
from outreach.services import (
    KIND_FIELDS,
    KINDS_NEEDING_ENTERPRISES,
    default_activity_title,
    enterprise_name_key,
)
from outreach.validators import USCC_ALPHABET, normalize_uscc, validate_uscc

from . import reading
from .cells import CellError, cell_date, cell_int, cell_text, split_list
from .models import ImportBatch
from .reading import Problem, SheetRows, SpreadsheetRejected
from .sheets import fold, kind_labels, nature_labels

# Large ``IN (...)`` lists are sent in chunks: SQLite allows 32,766 parameters a query.
CHUNK = 2_000
_USCC_SHAPE = re.compile(f"[{USCC_ALPHABET}]{{18}}")


class ImportFailed(Exception):
    """The import was refused or rolled back; ``problems`` says why, row by row."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


# --- the plan of an import -----------------------------------------------------------


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


# --- preview -------------------------------------------------------------------------


def file_sha256(stream: IO[bytes]) -> str:
    stream.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def batch_preview(
    *, actor, branch: Branch, campaign: Campaign, name: str, size: int, stream: IO[bytes]
) -> Preview:
    """Read and validate a file for ``branch`` and ``campaign``; write nothing.

    Its database reads are a fixed handful of queries whatever the number of rows.
    """
    outreach_services.ensure_can_log(actor, branch)
    preview = Preview()
    try:
        reading.check_file(name, size, stream)
        preview.sha256 = file_sha256(stream)
        read = reading.read_workbook(stream)
    except SpreadsheetRejected as rejection:
        preview.problems.append(Problem("", None, "", rejection.message))
        return preview
    preview.sheets = read.sheets
    if read.problems:
        # The sheets do not have the template's shape: say what is wrong with it first,
        # rather than an error on every row that follows from it.
        preview.problems = read.problems
        return preview
    if not any(sheet.rows for sheet in read.sheets.values()):
        preview.problems.append(
            Problem("", None, "", _("The file has no rows of data: fill in the template first."))
        )
        return preview
    _Planner(preview, branch=branch, campaign=campaign).plan()
    preview.imported_before = (
        ImportBatch.objects.filter(
            branch=branch,
            campaign=campaign,
            sha256=preview.sha256,
            status=ImportBatch.Status.IMPORTED,
        )
        .order_by("-imported_at")
        .first()
    )
    return preview


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _options(names) -> str:
    return "、".join(str(name) for name in names)


class _Planner:
    """Turns the rows of the three sheets into plans, collecting every problem."""

    def __init__(self, preview: Preview, *, branch: Branch, campaign: Campaign):
        self.preview = preview
        self.branch = branch
        self.campaign = campaign
        self.problems = preview.problems

    # -- helpers --

    def error(self, sheet: SheetRows, row: int | None, key: str, message: str) -> None:
        self.problems.append(Problem(sheet.name, row, sheet.header(key) if key else "", message))

    def text(self, sheet, row, key, max_length=None, *, required=False) -> str:
        value = cell_text(row[key])
        if required and not value:
            self.error(sheet, row.number, key, _("This cell is required."))
        elif max_length and len(value) > max_length:
            self.error(
                sheet,
                row.number,
                key,
                _("At most {limit} characters; this has {count}.").format(
                    limit=max_length, count=len(value)
                ),
            )
            return value[:max_length]
        return value

    def number(self, sheet, row, key) -> int | None:
        try:
            return cell_int(row[key])
        except CellError as error:
            self.error(sheet, row.number, key, error.message)
            return None

    def day(self, sheet, row, key, *, required=False) -> date | None:
        try:
            value = cell_date(row[key])
        except CellError as error:
            self.error(sheet, row.number, key, error.message)
            return None
        if value is None and required:
            self.error(sheet, row.number, key, _("This cell is required."))
        return value

    @staticmethod
    def by_folded_names(objects, *attributes) -> dict:
        table = {}
        for obj in objects:
            for attribute in attributes:
                name = getattr(obj, attribute, "")
                if name:
                    table.setdefault(fold(name), obj)
        return table

    # -- the whole file --

    def plan(self) -> None:
        sheets = self.preview.sheets
        self.enterprise_sheet = sheets["enterprises"]
        self.activity_sheet = sheets["activities"]
        self.feedback_sheet = sheets["feedback"]
        self.load_reference_data()
        self.load_enterprises()
        self.plan_enterprises()
        self.plan_activities()
        self.plan_feedback()

    def load_reference_data(self) -> None:
        counties = list(County.objects.filter(branch=self.branch).order_by("code"))
        self.county_names = [county.name for county in counties]
        self.counties = self.by_folded_names(counties, "name", "name_en", "code")
        classes = list(EquipmentClass.objects.all())
        self.class_names = [c.name for c in classes]
        self.classes = self.by_folded_names(classes, "name", "name_en", "code")
        categories = list(FeedbackCategory.objects.all())
        self.category_names = [c.name for c in categories if c.is_active]
        self.categories = self.by_folded_names(categories, "name", "name_en")
        kinds = {**kind_labels(), **{v: v for v in Activity.Kind.values}}
        with translation.override("en"):
            kinds.update({str(label): value for value, label in Activity.Kind.choices})
        self.kinds = {fold(label): value for label, value in kinds.items()}
        natures = {**nature_labels(), **{v: v for v in FeedbackItem.Kind.values}}
        with translation.override("en"):
            natures.update({str(label): value for value, label in FeedbackItem.Kind.choices})
        self.natures = {fold(label): value for label, value in natures.items()}

    def reference_tokens(self) -> list[str]:
        tokens = [
            token for row in self.activity_sheet.rows for token in split_list(row["enterprises"])
        ]
        tokens += [cell_text(row["enterprise"]) for row in self.feedback_sheet.rows]
        return [token for token in tokens if token]

    def load_enterprises(self) -> None:
        """Every registered enterprise the file may mean, in a few queries: by USCC in
        any branch (the code is unique province-wide), by name in this branch's counties."""
        tokens = self.reference_tokens()
        names = [cell_text(row["name"]) for row in self.enterprise_sheet.rows]
        codes = {normalize_uscc(cell_text(r["uscc"])) for r in self.enterprise_sheet.rows}
        codes |= {normalize_uscc(token) for token in tokens}
        codes = sorted(code for code in codes if _USCC_SHAPE.fullmatch(code))
        keys = sorted({enterprise_name_key(name) for name in [*names, *tokens]} - {""})
        self.db_by_uscc: dict[str, Enterprise] = {}
        for chunk in _chunks(codes):
            for enterprise in Enterprise.objects.filter(uscc__in=chunk):
                self.db_by_uscc[enterprise.uscc] = enterprise
        self.db_by_county_name: dict[tuple, Enterprise] = {}
        self.db_by_name: dict[str, list[Enterprise]] = defaultdict(list)
        mine = Q(branch=self.branch) | Q(county__branch=self.branch)
        for chunk in _chunks(keys):
            rows = Enterprise.objects.active().filter(mine, name_key__in=chunk).order_by("id")
            for enterprise in rows:
                key = (enterprise.county_id, enterprise.name_key)
                self.db_by_county_name.setdefault(key, enterprise)
                if enterprise.branch_id == self.branch.pk:
                    self.db_by_name[enterprise.name_key].append(enterprise)
        self.reference_plans: dict[int, EnterprisePlan] = {}

    # -- 企业 --

    def plan_enterprises(self) -> None:
        sheet = self.enterprise_sheet
        self.file_by_uscc: dict[str, EnterprisePlan] = {}
        self.file_by_name: dict[str, list[EnterprisePlan]] = defaultdict(list)
        seen_county_name: dict[tuple, int] = {}
        for row in sheet.rows:
            count = len(self.problems)
            name = " ".join(self.text(sheet, row, "name", 200, required=True).split())
            plan = EnterprisePlan(name=name, row=row.number)
            plan.uscc = self.uscc(sheet, row)
            plan.county = self.county(sheet, row)
            plan.address = self.text(sheet, row, "address", 255)
            plan.contact_name = self.text(sheet, row, "contact_name", 50)
            plan.contact_phone = self.text(sheet, row, "contact_phone", 30)
            plan.equipment_classes = self.equipment(sheet, row)
            key = enterprise_name_key(name)
            duplicate = False
            if plan.uscc:
                if plan.uscc in self.file_by_uscc:
                    duplicate = True
                    self.error(
                        sheet,
                        row.number,
                        "uscc",
                        _("The same code is on row {row}.").format(
                            row=self.file_by_uscc[plan.uscc].row
                        ),
                    )
                self.file_by_uscc.setdefault(plan.uscc, plan)
            if name and plan.county is not None:
                county_key = (plan.county.pk, key)
                if county_key in seen_county_name:
                    duplicate = True
                    self.error(
                        sheet,
                        row.number,
                        "name",
                        _("The same enterprise name in the same county is on row {row}.").format(
                            row=seen_county_name[county_key]
                        ),
                    )
                seen_county_name.setdefault(county_key, row.number)
            if name and not duplicate:
                # Only the first of duplicate rows is what other sheets refer to.
                self.file_by_name[key].append(plan)
            if len(self.problems) == count:
                self.match_registered(sheet, row, plan, key)
            self.preview.enterprises.append(plan)
        for plan in self.preview.enterprises:
            if plan.existing is not None:
                self.reference_plans.setdefault(plan.existing.pk, plan)

    def uscc(self, sheet, row) -> str:
        code = normalize_uscc(cell_text(row["uscc"]))
        if not code:
            return ""
        try:
            validate_uscc(code)
        except ValidationError as error:
            for message in error.messages:
                self.error(sheet, row.number, "uscc", message)
        return code

    def county(self, sheet, row) -> County | None:
        text = self.text(sheet, row, "county", required=True)
        if not text:
            return None
        county = self.counties.get(fold(text))
        if county is None:
            if self.county_names:
                message = _("“{name}” is not a county of your branch. Use one of: {options}.")
            else:
                message = _("“{name}” is not a county of your branch, which has none set up yet.")
            self.error(
                sheet,
                row.number,
                "county",
                message.format(name=text, options=_options(self.county_names)),
            )
        return county

    def equipment(self, sheet, row) -> list[EquipmentClass]:
        found = []
        for name in split_list(row["equipment_classes"]):
            equipment_class = self.classes.get(fold(name))
            if equipment_class is None:
                self.error(
                    sheet,
                    row.number,
                    "equipment_classes",
                    _("“{name}” is not a class of special equipment. Use: {options}.").format(
                        name=name, options=_options(self.class_names)
                    ),
                )
            elif equipment_class not in found:
                found.append(equipment_class)
        return found

    def match_registered(self, sheet, row, plan: EnterprisePlan, key: str) -> None:
        """Reuse the registered enterprise this row describes; refuse one of another branch."""
        if plan.uscc and plan.uscc in self.db_by_uscc:
            enterprise = self.db_by_uscc[plan.uscc]
            if enterprise.branch_id != self.branch.pk:
                self.error(
                    sheet,
                    row.number,
                    "uscc",
                    _(
                        "An enterprise with this code is registered with another branch; "
                        "it cannot be imported into yours."
                    ),
                )
            elif enterprise.is_withdrawn:
                self.error(
                    sheet,
                    row.number,
                    "uscc",
                    _("The enterprise with this code was withdrawn; it cannot be imported again."),
                )
            else:
                plan.existing = enterprise
            return
        enterprise = self.db_by_county_name.get((plan.county.pk, key))
        if enterprise is None:
            return
        if enterprise.branch_id != self.branch.pk:
            self.error(
                sheet,
                row.number,
                "name",
                _("An enterprise of this name in this county is registered with another branch."),
            )
        elif plan.uscc and enterprise.uscc and enterprise.uscc != plan.uscc:
            self.error(
                sheet,
                row.number,
                "uscc",
                _(
                    "“{name}” in this county is registered with another code ({code}): "
                    "correct the code, or the name if it is another enterprise."
                ).format(name=enterprise.name, code=enterprise.uscc),
            )
        else:
            plan.existing = enterprise

    def resolve(self, sheet, row, key: str, token: str) -> EnterprisePlan | None:
        """The enterprise a cell of the 活动 or 意见建议 sheet names, by code or by name:
        a row of the 企业 sheet first, then an enterprise registered with this branch."""
        code = normalize_uscc(token)
        if _USCC_SHAPE.fullmatch(code):
            if code in self.file_by_uscc:
                return self.file_by_uscc[code]
            enterprise = self.db_by_uscc.get(code)
            if enterprise is None:
                message = _(
                    "No enterprise with the code {code} in the 企业 sheet or in your branch."
                ).format(code=code)
            elif enterprise.branch_id != self.branch.pk:
                message = _(
                    "The enterprise with the code {code} belongs to another branch: only "
                    "your branch's enterprises can be referred to."
                ).format(code=code)
            elif enterprise.is_withdrawn:
                message = _("The enterprise with the code {code} was withdrawn.").format(code=code)
            else:
                return self.reference_plan(enterprise)
            self.error(sheet, row.number, key, message)
            return None
        name_key = enterprise_name_key(token)
        in_file = self.file_by_name.get(name_key, [])
        # A registered enterprise that a row of the 企业 sheet describes (same county and
        # name) is that row, not a second candidate.
        described = {plan.county.pk for plan in in_file if plan.county is not None}
        reused = {plan.existing.pk for plan in in_file if plan.existing is not None}
        registered = [
            enterprise
            for enterprise in self.db_by_name.get(name_key, [])
            if enterprise.county_id not in described and enterprise.pk not in reused
        ]
        candidates = len(in_file) + len(registered)
        if candidates == 1:
            return in_file[0] if in_file else self.reference_plan(registered[0])
        if candidates > 1:
            message = _(
                "More than one enterprise is named “{name}”: write its unified social credit "
                "code instead."
            )
        else:
            message = _(
                "No enterprise named “{name}” in the 企业 sheet or in your branch: add it to "
                "the 企业 sheet."
            )
        self.error(sheet, row.number, key, message.format(name=token))
        return None

    def reference_plan(self, enterprise: Enterprise) -> EnterprisePlan:
        if enterprise.pk not in self.reference_plans:
            self.reference_plans[enterprise.pk] = EnterprisePlan(
                name=enterprise.name, uscc=enterprise.uscc, existing=enterprise
            )
        return self.reference_plans[enterprise.pk]

    # -- 活动 --

    def plan_activities(self) -> None:
        sheet = self.activity_sheet
        self.activities_by_ref: dict[str, ActivityPlan] = {}
        seen_keys: dict[tuple, int] = {}
        for row in sheet.rows:
            count = len(self.problems)
            ref = self.text(sheet, row, "ref", required=True)
            plan = ActivityPlan(row=row.number, ref=ref)
            if ref in self.activities_by_ref:
                self.error(
                    sheet,
                    row.number,
                    "ref",
                    _("The same 活动编号 is on row {row}.").format(
                        row=self.activities_by_ref[ref].row
                    ),
                )
            elif ref:
                self.activities_by_ref[ref] = plan
            plan.kind = self.kind(sheet, row, "kind", self.kinds, list(kind_labels()))
            plan.occurred_on = self.day(sheet, row, "occurred_on", required=True)
            title = self.text(sheet, row, "title", 200)
            plan.place = self.text(sheet, row, "place", 200)
            plan.minutes = self.text(sheet, row, "minutes")
            for token in split_list(row["enterprises"]):
                target = self.resolve(sheet, row, "enterprises", token)
                if target is not None and target not in plan.enterprises:
                    plan.enterprises.append(target)
            plan.attendee_count = self.number(sheet, row, "attendee_count")
            plan.forms_sent = self.number(sheet, row, "forms_sent")
            plan.forms_returned = self.number(sheet, row, "forms_returned")
            if plan.kind:
                self.check_kind_fields(sheet, row, plan)
            if plan.kind and plan.occurred_on:
                plan.title = title or self.default_title(plan)
            self.preview.activities.append(plan)
            if len(self.problems) > count:
                continue
            key = (plan.kind, plan.occurred_on, plan.title)
            if key in seen_keys:
                self.error(
                    sheet,
                    row.number,
                    "title",
                    _("Row {row} has the same kind, date and title: give one a title.").format(
                        row=seen_keys[key]
                    ),
                )
            seen_keys.setdefault(key, row.number)
        self.match_logged_activities()

    def kind(self, sheet, row, key, table, labels) -> str:
        text = self.text(sheet, row, key, required=True)
        if not text:
            return ""
        value = table.get(fold(text))
        if value is None:
            self.error(
                sheet,
                row.number,
                key,
                _("“{value}” is not one of: {options}.").format(
                    value=text, options=_options(labels)
                ),
            )
            return ""
        return value

    def check_kind_fields(self, sheet, row, plan: ActivityPlan) -> None:
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
                self.error(
                    sheet,
                    row.number,
                    key,
                    _("A “{kind}” does not record this: leave the cell empty.").format(kind=label),
                )
        if (
            plan.kind in KINDS_NEEDING_ENTERPRISES
            and not plan.enterprises
            and not cell_text(row["enterprises"])
        ):
            self.error(
                sheet,
                row.number,
                "enterprises",
                _("A “{kind}” needs at least one enterprise.").format(kind=label),
            )
        if "forms_sent" in wanted:
            if plan.forms_sent is None and not cell_text(row["forms_sent"]):
                self.error(sheet, row.number, "forms_sent", _("Enter how many forms were sent."))
            elif (
                plan.forms_sent is not None
                and plan.forms_returned is not None
                and plan.forms_returned > plan.forms_sent
            ):
                self.error(
                    sheet, row.number, "forms_returned", _("More forms returned than were sent.")
                )

    def default_title(self, plan: ActivityPlan) -> str:
        # Always in the site's language, so the same row gets the same title (its natural
        # key) whichever language the person importing it uses.
        with translation.override(settings.LANGUAGE_CODE):
            title = default_activity_title(plan.kind, plan.occurred_on, plan.enterprises)
        return title[:200]

    def match_logged_activities(self) -> None:
        plans = [p for p in self.preview.activities if p.kind and p.occurred_on and p.title]
        dates = sorted({plan.occurred_on for plan in plans})
        logged: dict[tuple, Activity] = {}
        for chunk in _chunks(dates):
            activities = (
                Activity.objects.active()
                .filter(branch=self.branch, campaign=self.campaign, occurred_on__in=chunk)
                .order_by("id")
            )
            for activity in activities:
                logged.setdefault((activity.kind, activity.occurred_on, activity.title), activity)
        for plan in plans:
            plan.existing = logged.get((plan.kind, plan.occurred_on, plan.title))

    # -- 意见建议 --

    def plan_feedback(self) -> None:
        sheet = self.feedback_sheet
        seen: dict[tuple, int] = {}
        natures = list(nature_labels())
        for row in sheet.rows:
            count = len(self.problems)
            ref = self.text(sheet, row, "ref", required=True)
            activity = self.activities_by_ref.get(ref)
            if ref and activity is None:
                self.error(
                    sheet,
                    row.number,
                    "ref",
                    _("No row of the 活动 sheet has the 活动编号 “{ref}”.").format(ref=ref),
                )
            token = cell_text(row["enterprise"])
            enterprise = self.resolve(sheet, row, "enterprise", token) if token else None
            category = self.category(sheet, row)
            kind = self.kind(sheet, row, "kind", self.natures, natures)
            content = self.text(sheet, row, "content", required=True)
            contact = self.text(sheet, row, "contact", 100)
            received_on = self.day(sheet, row, "received_on")
            if len(self.problems) > count:
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
                self.error(
                    sheet,
                    row.number,
                    "content",
                    _(
                        "Row {row} has the same activity, enterprise and content: it would be "
                        "imported once."
                    ).format(row=seen[key]),
                )
                continue
            seen[key] = row.number
            self.preview.feedback.append(plan)
        self.match_recorded_feedback()

    def category(self, sheet, row) -> FeedbackCategory | None:
        text = self.text(sheet, row, "category", required=True)
        if not text:
            return None
        category = self.categories.get(fold(text))
        if category is None or not category.is_active:
            self.error(
                sheet,
                row.number,
                "category",
                _("“{value}” is not a feedback category in use. Use one of: {options}.").format(
                    value=text, options=_options(self.category_names)
                ),
            )
            return None
        return category

    def match_recorded_feedback(self) -> None:
        activity_ids = sorted(
            {plan.activity.existing.pk for plan in self.preview.feedback if plan.activity.existing}
        )
        recorded = set()
        for chunk in _chunks(activity_ids):
            recorded.update(
                FeedbackItem.objects.active()
                .filter(activity_id__in=chunk)
                .values_list("activity_id", "enterprise_id", "content")
            )
        for plan in self.preview.feedback:
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


# --- keeping the file, and importing it ----------------------------------------------


def batch_create(
    *, actor, branch: Branch, campaign: Campaign, upload, preview: Preview
) -> ImportBatch:
    """Keep the file of an error-free preview for the uploader to confirm."""
    outreach_services.ensure_can_log(actor, branch)
    if not preview.is_valid:
        raise ValidationError(_("Only a file without errors can be imported."))
    batch = ImportBatch(
        uploaded_by=actor,
        branch=branch,
        campaign=campaign,
        original_name=(getattr(upload, "name", "") or "import.xlsx")[-255:],
        sha256=preview.sha256,
        size=upload.size,
    )
    batch.set_counts(preview.counts())
    upload.seek(0)
    batch.file.save(batch.original_name, File(upload), save=False)
    batch.save()
    return batch


def batch_preview_again(*, actor, batch: ImportBatch) -> Preview:
    """Validate a kept file again, as it stands against today's data."""
    try:
        stream = batch.file.open("rb")
    except (FileNotFoundError, ValueError):
        preview = Preview()
        preview.problems.append(
            Problem("", None, "", _("The uploaded file is no longer available; upload it again."))
        )
        return preview
    with stream:
        preview = batch_preview(
            actor=actor,
            branch=batch.branch,
            campaign=batch.campaign,
            name=batch.original_name,
            size=batch.size,
            stream=stream,
        )
    if preview.sha256 and preview.sha256 != batch.sha256:
        preview.problems.append(
            Problem("", None, "", _("The kept file has changed since it was uploaded."))
        )
    return preview


def batch_import(*, actor, batch: ImportBatch) -> Preview:
    """Import a previewed batch: validate again and write every row, or nothing at all.

    Raises ``ImportFailed`` with the problems when the file no longer validates or a
    service refuses a row; the transaction is then rolled back whole.
    """
    if batch.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Only the person who uploaded a file can import it."))
    outreach_services.ensure_can_log(actor, batch.branch)
    try:
        with transaction.atomic():
            # One import per branch at a time, so two imports of the same file cannot
            # both find the rows missing and both create them.
            Branch.objects.select_for_update().filter(pk=batch.branch_id).first()
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.is_imported:
                raise ImportFailed([Problem("", None, "", _("This file was already imported."))])
            preview = batch_preview_again(actor=actor, batch=locked)
            if not preview.is_valid:
                raise ImportFailed(preview.problems)
            _write(preview, actor=actor, branch=locked.branch, campaign=locked.campaign)
            locked.status = ImportBatch.Status.IMPORTED
            locked.imported_at = timezone.now()
            locked.set_counts(preview.counts())
            locked.save()
    except IntegrityError:
        raise ImportFailed(
            [
                Problem(
                    "",
                    None,
                    "",
                    _(
                        "Someone changed the same records during the import; nothing was "
                        "imported. Try again."
                    ),
                )
            ]
        ) from None
    batch.refresh_from_db()
    return preview


# Service field -> column key, to place a service's error on the right cell.
_ENTERPRISE_FIELDS = {"name": "name", "uscc": "uscc", "county": "county"}
_ACTIVITY_FIELDS = {
    "enterprises": "enterprises",
    "attendee_count": "attendee_count",
    "forms_sent": "forms_sent",
    "forms_returned": "forms_returned",
}
_FEEDBACK_FIELDS = {"content": "content", "enterprise": "enterprise"}


def _problems_from(error: ValidationError, sheet: SheetRows, row: int, fields) -> list[Problem]:
    if not hasattr(error, "error_dict"):
        return [Problem(sheet.name, row, "", message) for message in error.messages]
    problems = []
    for name, errors in error.message_dict.items():
        key = fields.get(name)
        column = sheet.header(key) if key else ""
        problems.extend(Problem(sheet.name, row, column, message) for message in errors)
    return problems


def _write(preview: Preview, *, actor, branch: Branch, campaign: Campaign) -> None:
    """Create the new rows through the outreach services, in the caller's transaction."""
    sheets = preview.sheets
    problems: list[Problem] = []
    for plan in preview.enterprises:
        if not plan.is_new:
            continue
        try:
            plan.created = outreach_services.enterprise_create(
                actor=actor,
                branch=branch,
                name=plan.name,
                uscc=plan.uscc,
                county=plan.county,
                address=plan.address,
                equipment_classes=plan.equipment_classes,
                contact_name=plan.contact_name,
                contact_phone=plan.contact_phone,
            )
        except ValidationError as error:
            problems += _problems_from(error, sheets["enterprises"], plan.row, _ENTERPRISE_FIELDS)
    if problems:
        raise ImportFailed(problems)
    for plan in preview.activities:
        if not plan.is_new:
            continue
        try:
            plan.created = outreach_services.activity_create(
                actor=actor,
                branch=branch,
                campaign=campaign,
                kind=plan.kind,
                occurred_on=plan.occurred_on,
                title=plan.title,
                place=plan.place,
                enterprises=[target.instance for target in plan.enterprises],
                attendee_count=plan.attendee_count,
                forms_sent=plan.forms_sent,
                forms_returned=plan.forms_returned,
                minutes=plan.minutes,
            )
        except ValidationError as error:
            problems += _problems_from(error, sheets["activities"], plan.row, _ACTIVITY_FIELDS)
    if problems:
        raise ImportFailed(problems)
    new_feedback = [plan for plan in preview.feedback if plan.is_new]
    try:
        outreach_services.feedback_create_many(
            actor=actor,
            opinions=[
                outreach_services.NewOpinion(
                    activity=plan.activity.instance,
                    category=plan.category,
                    content=plan.content,
                    kind=plan.kind,
                    enterprise=plan.enterprise.instance if plan.enterprise else None,
                    contact=plan.contact,
                    received_on=plan.received_on,
                )
                for plan in new_feedback
            ],
        )
    except ValidationError as error:
        for index, invalid in error.by_opinion.items():
            row = new_feedback[index].row
            problems += _problems_from(invalid, sheets["feedback"], row, _FEEDBACK_FIELDS)
    if problems:
        raise ImportFailed(problems)
