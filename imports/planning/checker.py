"""Reading the cells of one sheet's rows into values, each problem recorded at its cell."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from ..cells import CellError, cell_date, cell_int, cell_text
from ..reading import Problem, Row, SheetRows
from ..sheets import fold


def join_names(names) -> str:
    """Names listed in a message, as Chinese lists them (安泰、恒达)."""
    return "、".join(str(name) for name in names)


class SheetChecker:
    """The cells of one sheet read into values. A value that cannot be used is a problem
    located at its sheet, row and column header; the whole file's problems share one list,
    so they come out in the order the sheets and rows are planned."""

    def __init__(self, sheet: SheetRows, problems: list[Problem]):
        self.sheet = sheet
        self.problems = problems

    @property
    def rows(self) -> list[Row]:
        return self.sheet.rows

    def error(self, row: Row, key: str, message: str) -> None:
        self.error_at(row.number, key, message)

    def error_at(self, row: int, key: str, message: str) -> None:
        header = self.sheet.header(key) if key else ""
        self.problems.append(Problem(self.sheet.name, row, header, message))

    def text(self, row: Row, key: str, max_length: int | None = None, *, required=False) -> str:
        value = cell_text(row[key])
        if required and not value:
            self.error(row, key, _("This cell is required."))
        elif max_length and len(value) > max_length:
            self.error(
                row,
                key,
                _("At most {limit} characters; this has {count}.").format(
                    limit=max_length, count=len(value)
                ),
            )
            return value[:max_length]
        return value

    def number(self, row: Row, key: str) -> int | None:
        try:
            return cell_int(row[key])
        except CellError as error:
            self.error(row, key, error.message)
            return None

    def day(self, row: Row, key: str, *, required=False) -> date | None:
        try:
            value = cell_date(row[key])
        except CellError as error:
            self.error(row, key, error.message)
            return None
        if value is None and required:
            self.error(row, key, _("This cell is required."))
        return value

    def choice(self, row: Row, key: str, table: dict[str, str], labels: list[str]) -> str:
        """The stored value of a required cell naming one of ``table`` (by folded name)."""
        text = self.text(row, key, required=True)
        if not text:
            return ""
        value = table.get(fold(text))
        if value is None:
            self.error(
                row,
                key,
                _("“{value}” is not one of: {options}.").format(
                    value=text, options=join_names(labels)
                ),
            )
            return ""
        return value
