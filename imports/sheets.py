"""The import file's format: its three sheets and their columns, and how their names are read.

One definition serves every job: ``imports.reading`` finds the sheets and columns of an
uploaded file by these names, ``imports.template`` writes the template from them, and the
planner reads each row's values by the column keys. docs/import-format.md describes it for
people; change both together (and regenerate the example file, see ``imports.template``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy

from outreach.models import Activity, FeedbackItem
from outreach.services import LOGGED_KINDS

#: The most rows of data one sheet may hold (the header row not counted).
MAX_ROWS = 10_000


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its key, the Chinese header of the template, and the other
    headers accepted when reading (English ones, the key itself)."""

    key: str
    header: str
    aliases: tuple[str, ...]
    help: str
    required: bool = False
    width: int = 16
    text_format: bool = False

    @property
    def template_header(self) -> str:
        return f"{self.header}*" if self.required else self.header


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: its key, the Chinese title of the template, the other names accepted
    when reading, and its columns in the template's order."""

    key: str
    title: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)


ENTERPRISES = SheetSpec(
    key="enterprises",
    title="企业",
    aliases=("enterprises", "enterprise"),
    columns=(
        Column(
            "name",
            "企业名称",
            ("enterprise name", "name"),
            gettext_lazy("The enterprise's full registered name."),
            required=True,
            width=36,
        ),
        Column(
            "uscc",
            "统一社会信用代码",
            ("uscc", "unified social credit code", "credit code"),
            gettext_lazy("18 characters; leave empty if unknown."),
            width=24,
            text_format=True,
        ),
        Column(
            "county",
            "县（市、区）",
            ("county", "district"),
            gettext_lazy("A county, city or district served by your branch, as named in the app."),
            required=True,
            width=14,
        ),
        Column("address", "地址", ("address",), gettext_lazy("Street address."), width=30),
        Column(
            "equipment_classes",
            "设备种类",
            ("equipment classes", "equipment"),
            gettext_lazy(
                "Classes of special equipment, separated by 、 or a comma, e.g. 锅炉、电梯."
            ),
            width=22,
        ),
        Column(
            "contact_name",
            "联系人",
            ("contact person", "contact name"),
            gettext_lazy("Name of the contact person."),
            width=12,
        ),
        Column(
            "contact_phone",
            "联系电话",
            ("contact phone", "phone"),
            gettext_lazy("Phone number of the contact person."),
            width=16,
            text_format=True,
        ),
    ),
)

ACTIVITIES = SheetSpec(
    key="activities",
    title="活动",
    aliases=("activities", "activity"),
    columns=(
        Column(
            "ref",
            "活动编号",
            ("activity ref", "activity no", "activity no.", "ref"),
            gettext_lazy(
                "Any short code, unique in this sheet (A1, A2...): the 意见建议 sheet refers to it."
            ),
            required=True,
            width=10,
            text_format=True,
        ),
        Column(
            "kind",
            "活动类型",
            ("activity type", "kind", "type"),
            gettext_lazy(
                "One of 走访调研, 企业座谈会, 内部座谈会, 征求意见表, 热线或网络渠道, 上门服务."
            ),
            required=True,
            width=16,
        ),
        Column(
            "occurred_on",
            "日期",
            ("date",),
            gettext_lazy("An Excel date, or text such as 2026-11-25 or 2026/11/25."),
            required=True,
            width=12,
        ),
        Column(
            "title",
            "标题",
            ("title",),
            gettext_lazy("Leave empty to name it after the kind and the enterprises."),
            width=30,
        ),
        Column(
            "place", "地点", ("place", "location"), gettext_lazy("Where it took place."), width=20
        ),
        Column(
            "enterprises",
            "参与企业",
            ("enterprises", "enterprises met"),
            gettext_lazy(
                "Enterprises met, by name or unified social credit code, separated by 、 or ;. "
                "Each must be in the 企业 sheet or already registered with your branch."
            ),
            width=36,
        ),
        Column(
            "attendee_count",
            "参会人数",
            ("attendees", "attendee count"),
            gettext_lazy("Forums only: how many people attended."),
            width=10,
        ),
        Column(
            "forms_sent",
            "发放表数",
            ("forms sent",),
            gettext_lazy("Survey forms only: how many forms were sent (required for a survey)."),
            width=10,
        ),
        Column(
            "forms_returned",
            "回收表数",
            ("forms returned",),
            gettext_lazy("Survey forms only: how many came back."),
            width=10,
        ),
        Column(
            "minutes", "纪要", ("minutes", "notes"), gettext_lazy("Minutes or notes."), width=40
        ),
    ),
)

FEEDBACK = SheetSpec(
    key="feedback",
    title="意见建议",
    aliases=("feedback", "feedback items", "opinions"),
    columns=(
        Column(
            "ref",
            "活动编号",
            ("activity ref", "activity no", "activity no.", "ref"),
            gettext_lazy("The 活动编号 of the activity in the 活动 sheet where this was heard."),
            required=True,
            width=10,
            text_format=True,
        ),
        Column(
            "enterprise",
            "企业",
            ("enterprise",),
            gettext_lazy(
                "Name or unified social credit code of the enterprise; leave empty for an "
                "anonymous (back-to-back) opinion."
            ),
            width=30,
        ),
        Column(
            "category",
            "类别",
            ("category",),
            gettext_lazy("An opinion category as named in the app, e.g. 服务效率."),
            required=True,
            width=16,
        ),
        Column(
            "kind",
            "性质",
            ("kind", "nature"),
            gettext_lazy("问题, 建议 or 表扬."),
            required=True,
            width=8,
        ),
        Column(
            "content",
            "内容",
            ("content", "text"),
            gettext_lazy("What the enterprise said."),
            required=True,
            width=50,
        ),
        Column(
            "contact",
            "联系方式",
            ("contact",),
            gettext_lazy("How to reach whoever said it."),
            width=20,
        ),
        Column(
            "received_on",
            "收集日期",
            ("received on", "date received", "date"),
            gettext_lazy("Leave empty for the activity's date."),
            width=12,
        ),
    ),
)

SHEETS = (ENTERPRISES, ACTIVITIES, FEEDBACK)


def fold(text: str) -> str:
    """A header or sheet name as compared: full-width folded, lower case, no spaces or *."""
    text = unicodedata.normalize("NFKC", str(text or "")).lower()
    return re.sub(r"[\s*]+", "", text)


def lookup(items, names) -> dict:
    """``items`` by each of their folded ``names(item)``, to find one by what a file calls it."""
    return {fold(alias): item for item in items for alias in names(item)}


#: The sheets by every name a file may give them.
SHEET_BY_NAME = lookup(SHEETS, lambda s: (s.title, s.key, *s.aliases))


def kind_labels() -> dict[str, str]:
    """Activity kinds by their Chinese label, as the template's dropdown offers them: the
    kinds staff log (not the online opinion box's, which only the box makes)."""
    with translation.override("zh-hans"):
        return {
            str(label): value for value, label in Activity.Kind.choices if value in LOGGED_KINDS
        }


def nature_labels() -> dict[str, str]:
    """Feedback kinds (问题/建议/表扬) by their Chinese label."""
    with translation.override("zh-hans"):
        return {str(label): value for value, label in FeedbackItem.Kind.choices}
