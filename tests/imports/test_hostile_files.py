"""Import files that claim or hold far more than they look are refused before openpyxl
reads them, in the upload page, the preview and ``manage.py import_outreach`` alike.

A 6.5 kB file declaring a huge sheet once kept a request busy for up to 73 seconds. Each
file here is refused by the streaming checks (``core.workbooks``) while
``openpyxl.load_workbook`` is replaced by a function that fails the test: no timing, the
refusal simply cannot have come from reading the workbook. ``scripts/time_hostile_files.py``
prints how long each takes.
"""

import io
import re
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from imports import reading
from imports.models import ImportBatch
from tests import crafted
from tests.imports.conftest import example_rows, preview_of, upload, xlsx

pytestmark = pytest.mark.django_db

HOSTILE = {
    "huge sheet": crafted.huge_sheet,
    "giant dimension": crafted.giant_dimension,
    "cell in the last row": crafted.last_row,
    "1,048,576 empty rows": crafted.many_empty_rows,
    "200,000 styles": crafted.many_styles,
    "5,000,000 shared strings": crafted.shared_strings,
    "enormous cell": crafted.enormous_cell,
    "1 GB zip bomb": crafted.zip_bomb,
    "lying zip sizes": lambda: crafted.zip_bomb(unpacked=64 << 20, declared=50_000),
}


@pytest.fixture(scope="module")
def hostile_files() -> dict[str, bytes]:
    return {name: build() for name, build in HOSTILE.items()}


@pytest.fixture
def openpyxl_never_reads(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("openpyxl was asked to read a file the checks should refuse")

    monkeypatch.setattr(reading, "load_workbook", fail)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_the_preview_refuses_each_before_openpyxl_reads_it(
    name, hostile_files, openpyxl_never_reads, staff_a, branch_a, counties_a, campaign
):
    with translation.override("en"):
        preview = preview_of(hostile_files[name], actor=staff_a, branch=branch_a, campaign=campaign)
    assert not preview.is_valid
    assert len(preview.problems) == 1
    assert preview.problems[0].message
    assert preview.sheets == {}


def test_the_upload_page_refuses_one_in_the_users_language(
    client, hostile_files, openpyxl_never_reads, staff_a, counties_a, campaign
):
    client.force_login(staff_a)
    content = hostile_files["giant dimension"]
    # The site speaks Chinese unless asked otherwise.
    response = client.post(
        reverse("imports:upload"), {"campaign": campaign.pk, "file": upload(content)}
    )
    assert response.status_code == 200
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "A sheet of the workbook reaches row {row}; at most {limit} rows are read. "
            "Delete the empty rows below the data, or split the file."
        ).format(row="1,048,576", limit="50,000")
    assert expected in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("name", ["huge sheet", "1 GB zip bomb", "200,000 styles"])
def test_the_command_refuses_each_before_openpyxl_reads_it(
    name, hostile_files, openpyxl_never_reads, tmp_path, lead_a, counties_a, campaign
):
    path = tmp_path / "ledger.xlsx"
    path.write_bytes(hostile_files[name])
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_outreach",
            str(path),
            "--branch=quanzhou",
            "--campaign=second-batch",
            "--user=lead_a",
            stderr=err,
        )
    assert err.getvalue().strip()
    assert not ImportBatch.objects.exists()


def test_a_sheet_claiming_fewer_rows_than_it_holds_loses_none(staff_a, branch_a, campaign):
    # openpyxl stops at the rows a <dimension> claims unless told to ignore it.
    content = xlsx(example_rows())
    sheet = zipfile.ZipFile(io.BytesIO(content)).read(crafted.SHEET)
    sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:B2"/>', sheet)
    shrunk = crafted.repack(content, {crafted.SHEET: sheet})
    full = reading.read_workbook(io.BytesIO(content)).sheets["activities"]
    claimed = reading.read_workbook(io.BytesIO(shrunk)).sheets["activities"]
    assert len(full.rows) == 4
    assert [row.values for row in claimed.rows] == [row.values for row in full.rows]
