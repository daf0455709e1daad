"""Helpers for the import tests: workbooks written in memory, the example's counties."""

from __future__ import annotations

import copy
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core import files
from imports import services
from imports.template import build_template, example_workbook, workbook_bytes
from imports.template import example_rows as _example_rows
from tests.factories import CampaignFactory, CountyFactory


def xlsx(rows: dict | None = None, **kwargs) -> bytes:
    """An import workbook made with the template writer, holding ``rows``."""
    return workbook_bytes(build_template(rows=rows or {}, **kwargs))


def example_rows() -> dict:
    """A fresh copy of the example file's rows, to change in a test."""
    return copy.deepcopy(_example_rows())


def upload(content: bytes, name: str = "import.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=files.XLSX)


def preview_of(content: bytes, *, actor, branch, campaign, name="import.xlsx"):
    return services.batch_preview(
        actor=actor,
        branch=branch,
        campaign=campaign,
        name=name,
        size=len(content),
        stream=io.BytesIO(content),
    )


def problem_tuples(problems) -> list[tuple]:
    """(sheet, row, column) of each problem, for assertions that ignore the wording."""
    return [(p.sheet, p.row, p.column) for p in problems]


@pytest.fixture
def counties_a(branch_a):
    """The example file's counties, served by branch A."""
    return [
        CountyFactory(branch=branch_a, code="350503", name="丰泽区"),
        CountyFactory(branch=branch_a, code="350582", name="晋江市"),
    ]


@pytest.fixture
def campaign(db):
    return CampaignFactory(code="second-batch")


@pytest.fixture
def example_bytes() -> bytes:
    return workbook_bytes(example_workbook())


@pytest.fixture
def batch_of(counties_a, campaign):
    """A kept, error-free preview of ``content`` uploaded by ``actor``."""

    def make(actor, content: bytes, name: str = "import.xlsx"):
        from branches.scoping import membership_of

        branch = membership_of(actor).branch
        preview = preview_of(content, actor=actor, branch=branch, campaign=campaign, name=name)
        assert preview.problems == []
        return services.batch_create(
            actor=actor,
            branch=branch,
            campaign=campaign,
            upload=upload(content, name),
            preview=preview,
        )

    return make


def example_batch(actor, branch):
    """The example file kept for ``actor`` of ``branch``, previewed and waiting for the
    confirmation (its counties and campaign made here): for tests outside this folder."""
    CountyFactory(branch=branch, code="350503", name="丰泽区")
    CountyFactory(branch=branch, code="350582", name="晋江市")
    campaign = CampaignFactory(code="second-batch")
    content = xlsx(example_rows())
    preview = preview_of(content, actor=actor, branch=branch, campaign=campaign)
    assert preview.problems == []
    return services.batch_create(
        actor=actor, branch=branch, campaign=campaign, upload=upload(content), preview=preview
    )


def big_example_batch(actor, branch):
    """The example file kept as a big one (checked and imported by jobs), already checked
    and waiting for the confirmation: for tests outside this folder."""
    CountyFactory(branch=branch, code="350503", name="丰泽区")
    CountyFactory(branch=branch, code="350582", name="晋江市")
    campaign = CampaignFactory(code="second-batch")
    content = xlsx(example_rows())
    batch = services.batch_keep(
        actor=actor, branch=branch, campaign=campaign, upload=upload(content), rows=13
    )
    assert services.batch_check(actor=actor, batch=batch).problems == []
    batch.refresh_from_db()
    assert batch.may_import
    return batch
