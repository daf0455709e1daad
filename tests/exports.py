"""Exports are jobs: ask for one as the list's button does, and read the file it made.

Without a broker (the tests) the job runs in-process when the request that asked for it
commits, so the job's page already shows it done.
"""

from __future__ import annotations

import io
import zipfile

from django.test import TestCase
from django.urls import reverse
from django.utils.http import urlencode

from core.excel import SheetWriter, new_workbook
from jobs.models import Job


def ask(client, kind: str, params: dict | None = None):
    """POST the list's export button; returns the job it made (the newest of the user)."""
    query = urlencode(params or {}, doseq=True)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("jobs:job_start", args=[kind]), {"query": query})
    assert response.status_code == 302, response.status_code
    return Job.objects.get(pk=response["Location"].rstrip("/").split("/")[-1])


def export(client, kind: str, params: dict | None = None):
    """The download response of a finished export job with these filters."""
    job = ask(client, kind, params)
    assert job.state == Job.State.DONE, (job.state, job.message)
    return client.get(reverse("jobs:job_download", args=[job.pk]))


def sheet_parts(rows, *, headers, row_path: bool, widths=()) -> dict[str, bytes]:
    """The sheet's XML and the styles of a workbook of ``rows``, written whole row at a time
    (``row_path``, as every export is) or through XlsxWriter's own per-cell calls."""
    output = io.BytesIO()
    workbook = new_workbook(output)
    sheet = SheetWriter(workbook, "sheet")
    sheet.widths(widths)
    sheet.header(headers)
    if not row_path:
        sheet._row_path = False
    assert sheet.extend(rows)
    assert sheet._row_path is row_path  # the rows could go the way asked
    workbook.close()
    with zipfile.ZipFile(output) as written:
        return {name: written.read(name) for name in ("xl/worksheets/sheet1.xml", "xl/styles.xml")}
