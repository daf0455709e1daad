"""Uploads and job files in an S3-compatible store (``DJANGO_STORAGE_S3_BUCKET``).

The store is a real S3 server speaking HTTP on this machine: moto's server mode, started
on a free port for the test session. The app's settings are the ones production builds
from the environment (``config.settings.s3_storage``), so what is tested here is what a
deployment on MinIO or the institute's own store runs.
"""

from __future__ import annotations

import runpy
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from imports.models import ImportBatch
from issues.models import Issue, IssueEvidence
from jobs import services as job_services
from jobs.models import Job, job_storage
from outreach.models import Enterprise
from tests.exports import ask
from tests.factories import CampaignFactory, CountyFactory, UserFactory
from tests.imports.conftest import example_rows, upload, xlsx
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
PNG_1x1 = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3 server on a free port of this machine, for the whole test session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new empty bucket, and the app's storages in it as the settings make them from the
    environment (with a deployment's prefix); yields the bucket's objects' keys."""
    name = f"outreach-{timezone.now():%H%M%S%f}"
    variables = {
        "DJANGO_STORAGE_S3_BUCKET": name,
        "DJANGO_STORAGE_S3_ENDPOINT_URL": s3_endpoint,
        "DJANGO_STORAGE_S3_REGION": "us-east-1",
        "DJANGO_STORAGE_S3_ACCESS_KEY": "test-access",
        "DJANGO_STORAGE_S3_SECRET_KEY": "test-secret",
        "DJANGO_STORAGE_S3_PREFIX": "/province/",
    }
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-access",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=name)
    configured = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": configured["default"],
        "jobs": configured["jobs"],
    }

    def keys() -> set[str]:
        listed = client.list_objects_v2(Bucket=name).get("Contents", [])
        return {item["Key"] for item in listed}

    keys.client = client
    keys.name = name
    return keys


def test_without_a_bucket_files_stay_in_media_root(monkeypatch, tmp_path):
    monkeypatch.delenv("DJANGO_STORAGE_S3_BUCKET", raising=False)
    monkeypatch.setenv("DJANGO_MEDIA_ROOT", str(tmp_path))
    configured = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]
    assert configured["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert configured["jobs"]["OPTIONS"]["location"] == tmp_path / "jobs"


def test_with_a_bucket_each_storage_has_its_own_private_prefix(monkeypatch):
    monkeypatch.setenv("DJANGO_STORAGE_S3_BUCKET", "outreach")
    monkeypatch.setenv("DJANGO_STORAGE_S3_PREFIX", "fujian")
    configured = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]
    default, jobs = configured["default"], configured["jobs"]
    assert default["BACKEND"] == jobs["BACKEND"] == "storages.backends.s3.S3Storage"
    assert (default["OPTIONS"]["location"], jobs["OPTIONS"]["location"]) == (
        "fujian/uploads",
        "fujian/jobs",
    )
    assert default["OPTIONS"]["default_acl"] == jobs["OPTIONS"]["default_acl"] == "private"
    assert default["OPTIONS"]["bucket_name"] == "outreach"


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DJANGO_STORAGE_S3_ADDRESSING_STYLE", "sideways"), ("DJANGO_STORAGE_S3_ACL", "public-read")],
)
def test_a_wrong_value_stops_the_app(monkeypatch, variable, value):
    monkeypatch.setenv("DJANGO_STORAGE_S3_BUCKET", "outreach")
    monkeypatch.setenv(variable, value)
    with pytest.raises(ImproperlyConfigured, match=variable):
        runpy.run_path(str(SETTINGS_FILE))


def test_the_acl_header_can_be_left_to_the_bucket(monkeypatch):
    monkeypatch.setenv("DJANGO_STORAGE_S3_BUCKET", "outreach")
    monkeypatch.setenv("DJANGO_STORAGE_S3_ACL", "")
    configured = runpy.run_path(str(SETTINGS_FILE))["STORAGES"]
    assert configured["default"]["OPTIONS"]["default_acl"] is None


def test_evidence_is_kept_in_the_bucket_and_served_only_within_scope(
    bucket, client, world, staff_a, staff_b
):
    issue = issue_in(world, Issue.State.RECTIFYING)
    client.force_login(staff_a)
    response = client.post(
        reverse("issues:rectification_report", args=[issue.pk]),
        {
            "rectification": "已更换报告模板",
            "evidence": [SimpleUploadedFile("签到表.png", PNG_1x1, content_type="image/png")],
        },
    )
    assert response.status_code == 302
    evidence = IssueEvidence.objects.get(issue=issue)
    key = f"province/uploads/{evidence.file.name}"
    assert evidence.file.name.startswith("evidence/")
    assert key in bucket()
    stored = bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"].read()
    assert stored == PNG_1x1
    # Private: the bucket grants nobody but its owner.
    grants = bucket.client.get_object_acl(Bucket=bucket.name, Key=key)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]

    url = reverse("issues:evidence_download", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    # Streamed by the app from the store, not a redirect to it.
    assert b"".join(response.streaming_content) == PNG_1x1
    assert response["Content-Disposition"].startswith("attachment")

    client.force_login(staff_b)
    assert client.get(url).status_code == 404


def test_a_missing_object_is_a_404(bucket, client, world, staff_a):
    evidence = world.a.evidence
    bucket.client.delete_object(Bucket=bucket.name, Key=f"province/uploads/{evidence.file.name}")
    client.force_login(staff_a)
    url = reverse("issues:evidence_download", args=[evidence.pk])
    assert client.get(url).status_code == 404


def test_a_job_file_is_written_to_and_downloaded_from_the_bucket(
    bucket, client, world, staff_a, lead_a
):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    assert job.state == Job.State.DONE, job.message
    key = f"province/jobs/{job.file}"
    assert key in bucket()
    stored = bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"].read()
    assert stored.startswith(b"PK\x03\x04") and len(stored) == job.size

    url = reverse("jobs:job_download", args=[job.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    client.force_login(lead_a)
    assert client.get(url).status_code == 404


def test_expired_jobs_remove_their_objects(bucket, client, world, staff_a):
    client.force_login(staff_a)
    job = ask(client, "issue_ledger")
    key = f"province/jobs/{job.file}"
    assert key in bucket()
    Job.objects.exclude(pk=job.pk).update(expires_at=None)

    assert job_services.remove_expired(now=timezone.now() + timedelta(hours=25)) == 1
    assert key not in bucket()
    job.refresh_from_db()
    assert (job.file, job.removed_at is not None) == ("", True)
    assert client.get(reverse("jobs:job_download", args=[job.pk])).status_code == 404


def test_deleting_a_user_removes_their_job_objects(bucket, django_capture_on_commit_callbacks):
    user = UserFactory()
    job = Job.objects.create(user=user, kind="issue_ledger", language="zh-hans", scope="none")
    job.file = job_storage().save(job.storage_name(), SimpleUploadedFile("x", b"PK\x03\x04"))
    job.save(update_fields=["file"])
    key = f"province/jobs/{job.file}"
    assert key in bucket()

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()
    assert key not in bucket()


def test_a_big_import_is_kept_in_the_bucket_and_read_back_by_its_jobs(
    bucket, client, settings, branch_a, staff_a
):
    settings.IMPORT_INLINE_MAX_ROWS = 5  # the example's 13 rows go through jobs
    CountyFactory(branch=branch_a, code="350503", name="丰泽区")
    CountyFactory(branch=branch_a, code="350582", name="晋江市")
    campaign = CampaignFactory(code="second-batch")
    content = xlsx(example_rows())
    client.force_login(staff_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            reverse("imports:upload"), {"campaign": campaign.pk, "file": upload(content)}
        )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.by_jobs
    key = f"province/uploads/{batch.file.name}"
    assert batch.file.name.startswith("imports/") and key in bucket()
    assert bucket.client.get_object(Bucket=bucket.name, Key=key)["Body"].read() == content
    # The check job read the kept file back from the bucket.
    batch.refresh_from_db()
    assert batch.is_checked and batch.problem_count == 0, batch.problems

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("imports:confirm", kwargs={"pk": batch.pk}))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    assert Enterprise.objects.count() == 3
