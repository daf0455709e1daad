"""The jobs' pages: ask for one, watch it (htmx polls its progress), download its file,
ask again after a failure, and the list of one's recent jobs.

A job is the user's own: another user's job id is a 404, like an id that does not exist.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_POST

from core.submissions import once_per_submission

from . import services
from .models import Job, job_storage
from .registry import kind_of

#: How many of one's jobs the list shows.
RECENT = 20


def _own_job(request, pk) -> Job:
    return get_object_or_404(Job.objects.of(request.user), pk=pk)


@login_required
@require_POST
@once_per_submission
def job_start(request, kind: str):
    """Ask for a job; ``query`` is the list's query string (its filters)."""
    job_kind = kind_of(kind)
    if job_kind is None or not job_kind.started_by_button:
        raise Http404
    params = services.params_from_query(request.POST.get("query", ""))
    job = services.job_start(user=request.user, kind=kind, params=params)
    return redirect("jobs:job_detail", job.pk)


@login_required
@require_GET
def job_detail(request, pk):
    job = _own_job(request, pk)
    return render(request, "jobs/job_detail.html", {"job": job, "back_url": _back_url(job)})


@login_required
@require_GET
def job_status(request, pk):
    """The progress part of the job's page, polled by htmx until the job is finished."""
    job = _own_job(request, pk)
    return render(request, "jobs/partials/job_status.html", {"job": job})


@login_required
@require_GET
def job_download(request, pk):
    job = _own_job(request, pk)
    if not services.may_download(request.user, job):
        raise Http404
    try:
        handle = job_storage().open(job.file, "rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type or "application/octet-stream",
    )


@login_required
@require_POST
@once_per_submission
def job_restart(request, pk):
    job = _own_job(request, pk)
    if not job.restartable_here:
        # Finished, or work asked again from its own page (an import: its batch).
        return redirect(_back_url(job) or reverse("jobs:job_detail", args=[job.pk]))
    again = services.job_restart(user=request.user, job=job)
    return redirect("jobs:job_detail", again.pk)


@login_required
@require_GET
def job_list(request):
    jobs = Job.objects.of(request.user).order_by("-created_at")[:RECENT]
    return render(request, "jobs/job_list.html", {"jobs": jobs})


def _back_url(job: Job) -> str:
    kind = kind_of(job.kind)
    if kind is not None and kind.back_url is not None:
        return kind.back_url(job)
    if kind is None or not kind.back_url_name:
        return ""
    try:
        url = reverse(kind.back_url_name)
    except NoReverseMatch:
        return ""
    query = services.query_of(job).urlencode()
    return f"{url}?{query}" if query else url
