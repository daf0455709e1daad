"""How fast each hostile import file is refused, and what openpyxl would have cost.

    .venv/bin/python scripts/time_hostile_files.py [--openpyxl]

Builds the crafted files of ``tests/crafted.py`` (a sheet claiming all of Excel's rows and
columns, a cell in the last row, a million empty rows, 200,000 styles, a shared-strings
table of five million entries, an enormous cell, a 1 GB zip bomb, a package lying about
its sizes), then times ``imports.reading.check_file`` (the checks the upload page, the
preview and ``import_outreach`` run) on each, and prints the message. With ``--openpyxl``
it also times reading each file with openpyxl as the import did before the checks, for at
most ``--budget`` seconds a file (in a child process that is stopped then).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()


def files() -> dict[str, bytes]:
    from tests import crafted

    return {
        "template (accepted)": crafted.template(),
        "A1:XFD1048576, last cell": crafted.huge_sheet(),
        "dimension A1:XFD1048576": crafted.giant_dimension(),
        "cell in row 1,048,576": crafted.last_row(),
        "1,048,576 empty rows": crafted.many_empty_rows(),
        "200,000 styles": crafted.many_styles(),
        "5,000,000 shared strings": crafted.shared_strings(),
        "600,000 shared strings held": crafted.shared_strings(declared=0, held=600_000),
        "cell of 1,000,000 chars": crafted.enormous_cell(),
        "1 GB zip bomb": crafted.zip_bomb(),
        "lying zip sizes": crafted.zip_bomb(unpacked=64 << 20, declared=50_000),
    }


def _read_with_openpyxl(content: bytes) -> None:
    """What the import did before the checks: read every row of every sheet, padded to the
    dimension each claims, up to 50,000 rows, looking at every value of a blank row."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
        for worksheet in workbook.worksheets:
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > 50_000:
                    break
                any(value is not None for value in row)
    except Exception:  # noqa: S110 - a file openpyxl gives up on is an answer too
        pass


def _time_openpyxl(content: bytes, budget: float) -> str:
    process = multiprocessing.get_context("fork").Process(
        target=_read_with_openpyxl, args=(content,)
    )
    started = time.perf_counter()
    process.start()
    process.join(budget)
    if process.is_alive():
        process.kill()
        process.join()
        return f">{budget:.0f} s"
    return f"{time.perf_counter() - started:.1f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--openpyxl", action="store_true", help="also time openpyxl alone")
    parser.add_argument("--budget", type=float, default=90, help="seconds per openpyxl read")
    options = parser.parse_args()
    setup_django()
    from django.utils import translation

    from imports import reading

    print(f"{'file':26} {'size':>10} {'refused in':>11}  message")
    for name, content in files().items():
        started = time.perf_counter()
        try:
            with translation.override("en"):
                reading.check_file("file.xlsx", len(content), io.BytesIO(content))
            verdict = "accepted"
        except reading.SpreadsheetRejected as rejection:
            verdict = rejection.message
        elapsed = time.perf_counter() - started
        line = f"{name:26} {len(content):>10,} {elapsed:>9.3f} s  {verdict[:70]}"
        if options.openpyxl:
            line += f"  (openpyxl: {_time_openpyxl(content, options.budget)})"
        print(line, flush=True)


if __name__ == "__main__":
    main()
