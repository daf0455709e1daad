"""The bounds on what reading a workbook can cost (``core.workbooks.check_workbook``).

Each hostile workbook is refused with its own code before any spreadsheet library reads it;
workbooks people make pass. Small limits keep the files small where a test only needs to
pass a bound; ``tests/imports/test_hostile_files.py`` sends the full-size ones through the
import.
"""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.workbooks import WorkbookLimits, check_workbook
from tests import crafted, samples

LIMITS = WorkbookLimits()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def refusal(content: bytes, limits: WorkbookLimits = LIMITS) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_workbook(io.BytesIO(content), limits)
    return caught.value


def with_sheet_rows(rows: bytes) -> bytes:
    package = crafted.template()
    return crafted.repack(package, {crafted.SHEET: crafted.rows_into(package, rows)})


@pytest.mark.parametrize(
    "content",
    [samples.xlsx(), crafted.template()],
    ids=["openpyxl workbook", "import template"],
)
def test_workbooks_people_make_pass(content):
    stream = io.BytesIO(content)
    check_workbook(stream, LIMITS)
    assert stream.tell() == 0


def test_the_example_import_file_passes():
    from django.conf import settings

    path = settings.BASE_DIR / "docs" / "examples" / "outreach-import-example.xlsx"
    check_workbook(io.BytesIO(path.read_bytes()), LIMITS)


# --- rows, cells and the dimension a sheet claims ---------------------------------------


def test_a_sheet_claiming_all_of_excels_rows_is_refused_on_its_claim():
    error = refusal(crafted.giant_dimension())
    assert error.code == "too_many_rows"
    assert "1,048,576" in error.messages[0]


def test_a_claimed_area_beyond_the_cells_bound_is_refused():
    content = crafted.giant_dimension()
    assert refusal(content, WorkbookLimits(rows=2_000_000)).code == "too_many_cells"


def test_a_row_beyond_the_row_bound_is_refused():
    assert refusal(crafted.last_row()).code == "too_many_rows"


def test_a_million_empty_rows_declared_by_their_number_are_refused_at_the_first_too_many():
    error = refusal(crafted.many_empty_rows(count=60_000))
    assert error.code == "too_many_rows"
    assert "50,001" in error.messages[0]


def test_each_row_counts_its_cells_up_to_its_last_one_as_a_reader_fills_them():
    # One cell in column XFD makes openpyxl build 16,384 cells for the row.
    row = b'<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>'
    content = with_sheet_rows(row)
    check_workbook(io.BytesIO(content), WorkbookLimits(cells=20_000))
    assert refusal(content, WorkbookLimits(cells=16_000)).code == "too_many_cells"


@pytest.mark.parametrize(
    "rows",
    [
        b'<row r="9"/><row r="8"/>',
        b'<row r="9"><c r="C9"><v>1</v></c><c r="B9"><v>2</v></c></row>',
        b'<row r="9"><c r="ZZZ9"><v>1</v></c></row>',
    ],
    ids=["rows", "cells", "beyond column XFD"],
)
def test_rows_or_cells_out_of_order_are_refused_as_openpyxl_would_drop_them(rows):
    assert refusal(with_sheet_rows(rows)).code == "damaged"


# --- styles, shared strings, text --------------------------------------------------------


def test_a_workbook_with_200000_styles_is_refused():
    error = refusal(crafted.many_styles())
    assert error.code == "too_many_styles"


def test_styles_claimed_beyond_the_bound_are_refused_on_the_claim():
    package = crafted.template()
    styles = zipfile.ZipFile(io.BytesIO(package)).read("xl/styles.xml")
    styles = styles.replace(b'<fonts count="', b'<fonts count="900000', 1)
    assert refusal(crafted.repack(package, {"xl/styles.xml": styles})).code == "too_many_styles"


def test_a_shared_strings_table_claiming_five_million_entries_is_refused_on_the_claim():
    error = refusal(crafted.shared_strings(declared=5_000_000, held=1))
    assert error.code == "too_many_strings"
    assert "5,000,000" in error.messages[0]


def test_a_shared_strings_table_holding_too_many_entries_is_refused():
    content = crafted.shared_strings(declared=0, held=2_001)
    check_workbook(io.BytesIO(content), WorkbookLimits(shared_strings=2_001))
    assert refusal(content, WorkbookLimits(shared_strings=2_000)).code == "too_many_strings"


def test_a_cell_longer_than_excel_allows_is_refused():
    assert refusal(crafted.enormous_cell(characters=40_000)).code == "cell_too_long"
    check_workbook(io.BytesIO(crafted.enormous_cell(characters=32_000)), LIMITS)


def test_a_cell_of_many_rich_text_pieces_counts_them_all():
    piece = b"<r><t>" + b"x" * 1_000 + b"</t></r>"
    row = b'<row r="3"><c r="A3" t="inlineStr"><is>' + piece * 40 + b"</is></c></row>"
    assert refusal(with_sheet_rows(row)).code == "cell_too_long"


def test_texts_outside_cells_do_not_add_up_to_a_cell():
    # Data validations, conditional formats and headers after the data each have their text.
    validations = b"".join(
        b"<dataValidation><formula1>" + b"x" * 1_000 + b"</formula1></dataValidation>"
        for _ in range(50)
    )
    package = crafted.template()
    head, tail = crafted.rows_into(package, b"").split(b"</sheetData>")
    sheet = head + b"</sheetData><dataValidations>" + validations + b"</dataValidations>" + tail
    check_workbook(io.BytesIO(crafted.repack(package, {crafted.SHEET: sheet})), LIMITS)


def test_more_xml_elements_than_the_bound_are_refused():
    assert refusal(crafted.template(), WorkbookLimits(elements=50)).code == "too_complex"


# --- parts under other names ---------------------------------------------------------------


def test_a_sheet_stored_under_another_name_is_counted_all_the_same():
    # openpyxl finds sheets through the workbook's relationships, whatever their names.
    package = crafted.many_empty_rows(count=60_000)
    source = zipfile.ZipFile(io.BytesIO(package))
    rels = source.read("xl/_rels/workbook.xml.rels").replace(b"sheet2.xml", b"sheet2.dat")
    renamed = io.BytesIO()
    with zipfile.ZipFile(renamed, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = rels if info.filename == "xl/_rels/workbook.xml.rels" else source.read(info)
            target.writestr(info.filename.replace("sheet2.xml", "sheet2.dat"), data)
    assert "xl/worksheets/sheet2.dat" in zipfile.ZipFile(renamed).namelist()
    assert refusal(renamed.getvalue()).code == "too_many_rows"


def test_legacy_vml_drawings_that_are_not_well_formed_xml_pass():
    # Excel writes VML with HTML-like tags (<br>) for comment shapes; openpyxl does not
    # read them, and they are only counted as far as they parse.
    vml = b'<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape><br></v:shape></xml>'
    content = crafted.repack(crafted.template(), {"xl/drawings/commentsDrawing1.vml": vml})
    check_workbook(io.BytesIO(content), LIMITS)


def test_pictures_are_not_read_as_xml():
    content = crafted.repack(crafted.template(), {"xl/media/image1.png": samples.PNG})
    check_workbook(io.BytesIO(content), LIMITS)


# --- damaged and hostile XML ---------------------------------------------------------------


def test_a_dtd_is_refused_so_no_entity_is_ever_expanded():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
        b"<workbook>&lol2;</workbook>"
    )
    assert refusal(crafted.repack(crafted.template(), {"xl/workbook.xml": laughs})).code == (
        "damaged"
    )


def test_a_part_that_is_not_well_formed_is_refused():
    content = crafted.repack(crafted.template(), {"xl/workbook.xml": b"<workbook><sheets>"})
    assert refusal(content).code == "damaged"


def test_a_part_unpacking_beyond_the_size_it_declares_is_refused_after_that_size():
    # Its headers say 50 kB; zipfile stops there and finds the checksum wrong.
    content = crafted.zip_bomb(unpacked=64 << 20, declared=50_000)
    assert refusal(content).code == "damaged"


def test_messages_are_translated():
    with translation.override("zh-hans"):
        chinese = refusal(crafted.giant_dimension()).messages[0]
    assert chinese != refusal(crafted.giant_dimension()).messages[0]
    assert "1,048,576" in chinese
