"""Writing the import template: the three sheets with their headers, help and dropdowns.

The upload page offers the empty template (its dropdowns filled with the branch's counties
and the feedback categories in use); the same writer makes the example file in docs/examples,
whose rows are here too, and the workbooks the tests and ``bench/`` import.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from outreach.validators import uscc_check_digit

from .sheets import MAX_ROWS, SHEETS, kind_labels, nature_labels

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="0B4F8A")
_REQUIRED_FILL = PatternFill("solid", fgColor="9A3412")


def _dropdown(worksheet, column_index: int, options: list[str], title: str) -> None:
    """A list validation on the column, when Excel can hold the list inline (255 chars)."""
    options = [option for option in options if option and "," not in option and '"' not in option]
    formula = '"{}"'.format(",".join(options))
    if not options or len(formula) > 257:
        return
    letter = get_column_letter(column_index)
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=_("Choose a value from the list."),
    )
    validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    worksheet.add_data_validation(validation)


def build_template(
    *, counties: list[str] = (), categories: list[str] = (), rows: dict | None = None
) -> Workbook:
    """The import workbook: the three sheets with headers, help comments and dropdowns.

    ``counties`` and ``categories`` fill the dropdowns of those columns; ``rows`` (sheet
    key -> list of rows, each a list of values in column order) fills in data.
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    dropdowns = {
        ("enterprises", "county"): list(counties),
        ("activities", "kind"): list(kind_labels()),
        ("feedback", "category"): list(categories),
        ("feedback", "kind"): list(nature_labels()),
    }
    for spec in SHEETS:
        worksheet = workbook.create_sheet(spec.title)
        for index, column in enumerate(spec.columns, start=1):
            cell = worksheet.cell(row=1, column=index, value=column.template_header)
            cell.font = _HEADER_FONT
            cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
            cell.alignment = Alignment(vertical="center")
            cell.comment = Comment(str(column.help), "outreach")
            dimension = worksheet.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.text_format:
                dimension.number_format = "@"
            options = dropdowns.get((spec.key, column.key))
            if options:
                _dropdown(worksheet, index, options, column.header)
        worksheet.freeze_panes = "A2"
        for values in (rows or {}).get(spec.key, []):
            worksheet.append(values)
            for index, value in enumerate(values, start=1):
                if isinstance(value, date):
                    worksheet.cell(row=worksheet.max_row, column=index).number_format = "yyyy-mm-dd"
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the example file ----------------------------------------------------------------

#: The example's counties: tests create them in the importing branch.
EXAMPLE_COUNTIES = ("丰泽区", "晋江市")
EXAMPLE_PATH = Path(settings.BASE_DIR) / "docs" / "examples" / "outreach-import-example.xlsx"
_ANTAI_USCC = "91350503611234567" + uscc_check_digit("91350503611234567")
_HENGDA_USCC = "91350582705678901" + uscc_check_digit("91350582705678901")


def example_rows() -> dict[str, list[list]]:
    """The rows of docs/examples/outreach-import-example.xlsx, one of each kind of line."""
    return {
        "enterprises": [
            [
                "泉州市丰泽区安泰锅炉有限公司",
                _ANTAI_USCC,
                "丰泽区",
                "泉州市丰泽区东海街道滨海路18号",
                "锅炉、压力容器",
                "张明",
                "13905950001",
            ],
            [
                "晋江市恒达电梯工程有限公司",
                _HENGDA_USCC,
                "晋江市",
                "晋江市青阳街道世纪大道66号",
                "电梯、起重机械",
                "李红",
                "0595-85671234",
            ],
            [
                "泉州华联食品有限公司",
                None,
                "丰泽区",
                "泉州市丰泽区华大街道",
                "压力容器",
                "陈伟",
                None,
            ],
        ],
        "activities": [
            [
                "A1",
                "走访调研",
                date(2026, 11, 3),
                None,
                "丰泽区、晋江市",
                "泉州市丰泽区安泰锅炉有限公司、晋江市恒达电梯工程有限公司",
                None,
                None,
                None,
                "走访两家企业，听取定检和报告出具方面的意见。",
            ],
            [
                "A2",
                "企业座谈会",
                "2026-11-10",
                "电梯使用单位座谈会",
                "泉州分院三楼会议室",
                _HENGDA_USCC,
                18,
                None,
                None,
                "18家电梯使用单位参加。",
            ],
            [
                "A3",
                "征求意见表",
                "2026/11/15",
                "第四季度征求意见表",
                None,
                "泉州华联食品有限公司",
                None,
                30,
                26,
                None,
            ],
            [
                "A4",
                "内部座谈会",
                date(2026, 11, 20),
                "检验人员作风建设座谈会",
                "分院会议室",
                None,
                12,
                None,
                None,
                None,
            ],
        ],
        "feedback": [
            [
                "A1",
                "泉州市丰泽区安泰锅炉有限公司",
                "服务效率",
                "问题",
                "锅炉定期检验报告出具时间偏长，希望缩短到10个工作日内。",
                "张明 13905950001",
                None,
            ],
            [
                "A1",
                "晋江市恒达电梯工程有限公司",
                "检验能力与范围",
                "建议",
                "希望增加电梯限速器现场校验服务。",
                None,
                None,
            ],
            [
                "A2",
                None,
                "收费",
                "问题",
                "部分检验项目收费标准不够公开，建议在办事大厅公示。",
                None,
                None,
            ],
            [
                "A2",
                _HENGDA_USCC,
                "服务态度",
                "表扬",
                "检验人员现场服务态度好，讲解耐心细致。",
                None,
                None,
            ],
            [
                "A3",
                "泉州华联食品有限公司",
                "作业人员培训",
                "建议",
                "希望分院定期组织压力容器操作人员培训。",
                "陈伟",
                date(2026, 11, 18),
            ],
            [
                "A4",
                None,
                "其他",
                "建议",
                "建议建立企业联系人微信群，及时推送检验计划。",
                None,
                None,
            ],
        ],
    }


def example_workbook() -> Workbook:
    """The example file, in Chinese whatever the active language."""
    with translation.override("zh-hans"):
        return build_template(
            counties=list(EXAMPLE_COUNTIES),
            categories=[
                "服务态度",
                "服务效率",
                "检验能力与范围",
                "作业人员培训",
                "收费",
                "廉政作风",
                "沟通渠道",
                "其他",
            ],
            rows=example_rows(),
        )


def save_example(path: Path | str = EXAMPLE_PATH) -> Path:
    """Write the example file; run it again after changing the format::

        .venv/bin/python manage.py shell -c \\
            "from imports.template import save_example; save_example()"
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = example_workbook()
    fixed = datetime(2026, 11, 25, 8, 0, 0)
    workbook.properties.creator = "outreach"
    workbook.properties.created = fixed
    workbook.properties.modified = fixed
    workbook.save(path)
    return path
