"""``manage.py import_outreach``: the office imports a branch's ledgers for its staff."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from imports.models import ImportBatch
from outreach.models import Activity, Enterprise, FeedbackItem
from tests.imports.conftest import example_rows, xlsx

pytestmark = pytest.mark.django_db


def counts():
    return (Enterprise.objects.count(), Activity.objects.count(), FeedbackItem.objects.count())


@pytest.fixture
def example_file(tmp_path):
    path = tmp_path / "泉州台账.xlsx"
    path.write_bytes(xlsx(example_rows()))
    return path


def run(path, *extra, branch="quanzhou", campaign="second-batch", user="lead_a"):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_outreach",
        str(path),
        "--branch",
        branch,
        "--campaign",
        campaign,
        "--user",
        user,
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_branchs_file_for_its_lead_and_shows_the_counts(
    lead_a, branch_a, counties_a, campaign, example_file
):
    out, _err = run(example_file)
    assert counts() == (3, 4, 6)
    assert "enterprises" in out and " 3 new" in out
    batch = ImportBatch.objects.get()
    assert (batch.uploaded_by, batch.branch, batch.status) == (lead_a, branch_a, "imported")
    assert batch.original_name == "泉州台账.xlsx"
    assert Enterprise.objects.filter(branch=branch_a, created_by=lead_a).count() == 3


def test_running_it_twice_creates_nothing_new(lead_a, counties_a, campaign, example_file):
    run(example_file)
    out, _err = run(example_file)
    assert counts() == (3, 4, 6)
    assert "0 new" in out


def test_a_dry_run_checks_and_counts_but_writes_nothing(lead_a, counties_a, campaign, example_file):
    out, _err = run(example_file, "--dry-run")
    assert "Dry run" in out
    assert " 6 new" in out
    assert counts() == (0, 0, 0)
    assert not ImportBatch.objects.exists()


def test_errors_are_printed_with_sheet_row_and_column_and_exit_1(
    lead_a, counties_a, campaign, tmp_path
):
    rows = example_rows()
    rows["activities"][0][2] = "2026-02-30"
    rows["feedback"][1][2] = "态度"
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx(rows))
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "import_outreach",
            str(path),
            "--branch=quanzhou",
            "--campaign=second-batch",
            "--user=lead_a",
            stderr=err,
        )
    assert failure.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("活动, row 2, 日期*: ")
    assert lines[1].startswith("意见建议, row 3, 类别*: ")
    assert counts() == (0, 0, 0)


def test_a_user_who_may_not_log_for_the_branch_is_refused(
    staff_b, leader, office, counties_a, campaign, example_file
):
    for username in ("staff_b", "leader", "office"):
        with pytest.raises(CommandError):
            run(example_file, user=username)
    assert counts() == (0, 0, 0)


def test_unknown_branch_campaign_user_or_file_is_a_clear_error(
    lead_a, branch_a, campaign, example_file, tmp_path
):
    with pytest.raises(CommandError, match="branch"):
        run(example_file, branch="nowhere")
    with pytest.raises(CommandError, match="campaign"):
        run(example_file, campaign="nope")
    with pytest.raises(CommandError, match="user"):
        run(example_file, user="nobody")
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.xlsx")
