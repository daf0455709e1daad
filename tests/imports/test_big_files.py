"""A big file (more rows than IMPORT_INLINE_MAX_ROWS): the upload keeps it after checking
the file itself, a job checks its rows and keeps what it found on the batch, the batch's
page follows the job, and the confirmation imports it all or nothing by another job.

The threshold is set low here, so the example file (13 rows) counts as big.
"""

from __future__ import annotations

import io

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from imports import reading, services
from imports.models import ImportBatch
from imports.selectors import batch_job, batch_jobs
from jobs import services as job_services
from jobs.models import Job
from outreach.models import Activity, Enterprise, FeedbackCategory, FeedbackItem
from tests.imports.conftest import example_rows, upload, xlsx

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload")


def url(batch):
    return reverse("imports:confirm", kwargs={"pk": batch.pk})


def status_url(batch):
    return reverse("imports:batch_status", kwargs={"pk": batch.pk})


def counts():
    return (Enterprise.objects.count(), Activity.objects.count(), FeedbackItem.objects.count())


@pytest.fixture
def big(settings):
    settings.IMPORT_INLINE_MAX_ROWS = 5


def send(client, campaign, content, *, run=True, name="台账.xlsx"):
    """Upload; with ``run`` the check job runs when the request commits (no broker)."""
    with TestCase.captureOnCommitCallbacks(execute=run):
        response = client.post(UPLOAD, {"campaign": campaign.pk, "file": upload(content, name)})
    assert response.status_code == 302, response.status_code
    return ImportBatch.objects.get(pk=response.url.rstrip("/").split("/")[-1])


def confirm(client, batch, *, run=True):
    with TestCase.captureOnCommitCallbacks(execute=run):
        return client.post(url(batch))


def test_rows_are_counted_without_reading_the_workbook():
    content = xlsx(example_rows())
    read = reading.read_workbook(io.BytesIO(content))
    assert reading.count_rows(io.BytesIO(content)) == sum(
        len(sheet.rows) for sheet in read.sheets.values()
    )
    # A file that cannot be counted takes the safe path: a job.
    assert reading.count_rows(io.BytesIO(b"not a zip")) == reading.UNCOUNTABLE


def test_a_small_file_keeps_the_old_way(client, staff_a, counties_a, campaign):
    assert django_settings.IMPORT_INLINE_MAX_ROWS == 300
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    assert not batch.by_jobs and batch.is_checked
    assert not Job.objects.exists()
    body = client.get(url(batch)).content.decode()
    assert 'data-testid="preview-enterprises"' in body and "batch-job" not in body


def test_a_big_file_is_kept_unread_and_checked_by_a_job(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()), run=False)
    assert batch.by_jobs and batch.rows == 13 and not batch.is_checked
    job = batch_job(batch)
    assert (job.kind, job.state, job.user) == ("import_check", Job.State.QUEUED, staff_a)
    # The page follows the waiting job.
    body = client.get(url(batch)).content.decode()
    assert f'hx-get="{status_url(batch)}"' in body
    assert 'data-testid="being-checked"' in body
    assert 'data-testid="confirm-button"' not in body
    response = client.get(status_url(batch))
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert 'data-state="queued"' in response.content.decode()
    # A worker runs it: its progress counted every row; the page reloads to show the result.
    job = job_services.run(job.pk)
    assert job.state == Job.State.DONE, job.message
    assert job.total == 13 and job.done == 13
    assert not job.file and not job.downloadable
    assert client.get(status_url(batch))["HX-Refresh"] == "true"
    batch.refresh_from_db()
    assert batch.is_checked and batch.problem_count == 0 and batch.may_import
    assert (batch.enterprises_created, batch.activities_created, batch.feedback_created) == (
        3,
        4,
        6,
    )
    body = client.get(url(batch)).content.decode()
    assert "hx-get" not in body
    assert 'data-testid="count-feedback-created">6<' in body
    assert 'data-testid="confirm-button"' in body
    assert reverse("jobs:job_detail", args=[job.pk]) in body
    assert counts() == (0, 0, 0)


def test_the_job_page_leads_back_to_the_batch(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    body = client.get(reverse("jobs:job_detail", args=[batch_job(batch).pk])).content.decode()
    assert f'href="{url(batch)}"' in body
    assert 'data-testid="job-done"' in body and "job-download" not in body


def test_confirming_imports_everything_by_a_job(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    response = confirm(client, batch)
    assert response.status_code == 302 and response.url == url(batch)
    job = batch_job(batch)
    assert (job.kind, job.state) == ("import_run", Job.State.DONE), job.message
    batch.refresh_from_db()
    assert batch.is_imported
    assert counts() == (3, 4, 6)
    body = client.get(url(batch)).content.decode()
    assert 'data-testid="count-feedback-created">6<' in body
    assert 'data-testid="confirm-button"' not in body


def test_the_page_follows_the_import_while_it_waits(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    confirm(client, batch, run=False)
    body = client.get(url(batch)).content.decode()
    assert f'hx-get="{status_url(batch)}"' in body
    assert 'data-testid="confirm-button"' not in body
    job_services.run(batch_job(batch).pk)
    assert client.get(status_url(batch))["HX-Refresh"] == "true"
    assert counts() == (3, 4, 6)


def test_a_second_confirmation_imports_nothing_twice(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    # Two clicks before a worker takes the first: one job.
    confirm(client, batch, run=False)
    confirm(client, batch, run=False)
    assert batch_jobs(batch).filter(kind="import_run").count() == 1
    job_services.run(batch_job(batch).pk)
    assert counts() == (3, 4, 6)
    # Once imported, another confirmation asks for nothing and imports nothing.
    response = confirm(client, batch)
    assert response.status_code == 302
    assert batch_jobs(batch).filter(kind="import_run").count() == 1
    assert counts() == (3, 4, 6)


def test_an_import_job_run_twice_imports_once(staff_a, counties_a, campaign, big, client):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    confirm(client, batch)
    # The same import asked again past the page (the jobs' own start): refused, nothing new.
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = job_services.job_start(
            user=staff_a, kind="import_run", params={"batch": [str(batch.pk)]}
        )
    again.refresh_from_db()
    assert again.state == Job.State.FAILED and again.failure == Job.Failure.REFUSED
    assert counts() == (3, 4, 6)


def test_problems_in_a_big_file_are_reported_and_nothing_is_written(
    client, staff_a, counties_a, campaign, big
):
    rows = example_rows()
    rows["activities"][1][2] = "下周二"
    rows["feedback"][3][3] = "批评"
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(rows))
    batch.refresh_from_db()
    assert batch.problem_count == 2 and not batch.may_import
    assert [(p.sheet, p.row, p.column) for p in batch.kept_problems()] == [
        ("活动", 3, "日期*"),
        ("意见建议", 5, "性质*"),
    ]
    body = client.get(url(batch)).content.decode()
    assert body.count('data-testid="import-problem"') == 2
    assert 'data-testid="confirm-button"' not in body
    confirm(client, batch)
    assert not batch_jobs(batch).filter(kind="import_run").exists()
    assert counts() == (0, 0, 0)


def test_only_the_first_problems_are_kept_and_the_count_covers_them_all(
    client, staff_a, counties_a, campaign, big, monkeypatch
):
    monkeypatch.setattr(services, "KEPT_PROBLEMS", 1)
    rows = example_rows()
    rows["activities"][1][2] = "下周二"
    rows["feedback"][3][3] = "批评"
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(rows))
    batch.refresh_from_db()
    assert batch.problem_count == 2 and len(batch.problems) == 1
    body = client.get(url(batch)).content.decode()
    assert 'data-testid="problems-shown"' in body


def test_problems_are_in_the_uploaders_language(client, staff_a, counties_a, campaign, big):
    rows = example_rows()
    rows["activities"][1][2] = "下周二"
    client.force_login(staff_a)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    english = send(client, campaign, xlsx(rows))
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = send(client, campaign, xlsx(rows))
    [[*_, in_english]] = ImportBatch.objects.get(pk=english.pk).problems
    [[*_, in_chinese]] = ImportBatch.objects.get(pk=chinese.pk).problems
    assert in_english != in_chinese
    assert "is not a date" in in_english and "is not a date" not in in_chinese


def test_a_file_that_no_longer_validates_at_import_says_why_and_writes_nothing(
    client, staff_a, counties_a, campaign, big
):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    FeedbackCategory.objects.filter(name="服务态度").update(is_active=False)
    confirm(client, batch)
    job = batch_job(batch)
    assert job.state == Job.State.FAILED and job.failure == Job.Failure.REFUSED
    batch.refresh_from_db()
    assert not batch.is_imported and batch.problem_count == 1
    assert [(p.sheet, p.row, p.column) for p in batch.kept_problems()] == [("意见建议", 5, "类别*")]
    body = client.get(url(batch)).content.decode()
    assert 'data-testid="batch-job-failure"' in body
    assert 'data-testid="import-problem"' in body
    assert 'data-testid="confirm-button"' not in body
    assert counts() == (0, 0, 0)


def test_a_failed_check_can_be_asked_again_from_the_batch_page(
    client, staff_a, counties_a, campaign, big, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("disk gone")

    client.force_login(staff_a)
    monkeypatch.setattr(services, "batch_preview_again", broken)
    batch = send(client, campaign, xlsx(example_rows()))
    failed = batch_job(batch)
    assert failed.state == Job.State.FAILED and failed.failure == Job.Failure.ERROR
    body = client.get(url(batch)).content.decode()
    assert 'data-testid="batch-job-failure"' in body
    assert 'data-testid="check-again-button"' in body
    monkeypatch.undo()
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url(batch), {"check": ""})
    assert response.status_code == 302
    again = batch_job(batch)
    assert again.pk != failed.pk and again.state == Job.State.DONE
    batch.refresh_from_db()
    assert batch.may_import


@pytest.mark.parametrize("persona", ["staff_b", "lead_a"])
def test_another_user_gets_a_404(client, personas, staff_a, counties_a, campaign, big, persona):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    client.force_login(personas[persona])
    assert client.get(url(batch)).status_code == 404
    assert client.get(status_url(batch)).status_code == 404
    assert confirm(client, batch).status_code == 404
    assert not batch_jobs(batch).filter(kind="import_run").exists()
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_provincial_roles_are_refused(
    client, personas, staff_a, counties_a, campaign, big, persona
):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    client.force_login(personas[persona])
    assert client.get(status_url(batch)).status_code == 403
    assert confirm(client, batch).status_code == 403
    assert counts() == (0, 0, 0)


def test_the_services_refuse_anyone_but_the_uploader(
    client, staff_a, lead_a, counties_a, campaign, big
):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    for service in (services.batch_import_start, services.batch_check_start, services.batch_check):
        with pytest.raises(PermissionDenied):
            service(actor=lead_a, batch=batch)
    assert not batch_jobs(batch).filter(kind="import_run").exists()


def test_an_uploader_moved_away_has_the_job_refused(
    client, staff_a, branch_b, counties_a, campaign, big
):
    from branches.services import membership_set

    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    confirm(client, batch, run=False)
    membership_set(user=staff_a, branch=branch_b, role="staff")
    job = job_services.run(batch_job(batch).pk)
    assert job.state == Job.State.FAILED
    assert counts() == (0, 0, 0)


def test_a_big_file_is_kept_as_uploaded(client, staff_a, counties_a, campaign, big):
    content = xlsx(example_rows())
    client.force_login(staff_a)
    batch = send(client, campaign, content, run=False)
    assert batch.file.read() == content
    assert batch.sha256 == services.file_sha256(io.BytesIO(content))


def test_a_failed_import_job_says_why_and_can_be_confirmed_again(
    client, staff_a, counties_a, campaign, big, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    monkeypatch.setattr(services, "batch_import", broken)
    confirm(client, batch)
    failed = batch_job(batch)
    assert (failed.kind, failed.state, failed.failure) == (
        "import_run",
        Job.State.FAILED,
        Job.Failure.ERROR,
    )
    body = client.get(url(batch)).content.decode()
    assert 'data-testid="batch-job-failure"' in body
    assert 'data-testid="confirm-button"' in body
    monkeypatch.undo()
    confirm(client, batch)
    assert batch_job(batch).state == Job.State.DONE
    assert counts() == (3, 4, 6)


def test_the_jobs_own_button_cannot_ask_for_an_import(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    batch = send(client, campaign, xlsx(example_rows()))
    for kind in ("import_check", "import_run"):
        response = client.post(
            reverse("jobs:job_start", args=[kind]), {"query": f"batch={batch.pk}"}
        )
        assert response.status_code == 404
    assert batch_jobs(batch).count() == 1
    assert counts() == (0, 0, 0)


def test_recent_uploads_say_which_big_file_is_being_checked_or_has_errors(
    client, staff_a, counties_a, campaign, big
):
    rows = example_rows()
    rows["activities"][1][2] = "下周二"
    client.force_login(staff_a)
    send(client, campaign, xlsx(rows), name="有错.xlsx")
    send(client, campaign, xlsx(example_rows()), run=False, name="在查.xlsx")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    body = client.get(UPLOAD).content.decode()
    assert "Has errors" in body and "Being checked" in body


def test_a_running_check_shows_how_far_it_is(client, staff_a, counties_a, campaign, big):
    client.force_login(staff_a)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    batch = send(client, campaign, xlsx(example_rows()), run=False)
    Job.objects.filter(pk=batch_job(batch).pk).update(state=Job.State.RUNNING, done=5, total=13)
    response = client.get(status_url(batch))
    body = response.content.decode()
    assert "HX-Refresh" not in response
    assert 'data-state="running"' in body and "5 of 13 rows" in body
    assert 'value="38"' in body  # 5 / 13 of the bar
    assert f'hx-get="{status_url(batch)}"' in body


def test_rows_are_counted_wherever_the_sheets_are_kept():
    import io
    import zipfile

    from imports.reading import UNCOUNTABLE, count_rows

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        rows = "".join(f'<row r="{n}"><c/></row>' for n in range(1, 402))
        archive.writestr(
            "xl/hidden/elsewhere.xml", f"<worksheet><sheetData>{rows}</sheetData></worksheet>"
        )
        archive.writestr("xl/styles.xml", "<styleSheet/>")
    assert count_rows(buffer) == 400
    assert count_rows(io.BytesIO(b"not a zip at all")) == UNCOUNTABLE


def test_a_time_limit_while_reading_is_not_a_problem_of_the_file(monkeypatch):
    import io

    from celery.exceptions import SoftTimeLimitExceeded

    from imports import reading
    from tests.imports.conftest import example_rows, xlsx

    def out_of_time():
        raise SoftTimeLimitExceeded()

    with pytest.raises(SoftTimeLimitExceeded):
        reading.read_workbook(io.BytesIO(xlsx(example_rows())), on_row=out_of_time)
