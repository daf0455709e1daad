"""Import pages: download the template, upload and check a file, see what it would do,
confirm it. Branch staff and leads only, into their own branch; the provincial office
imports on a branch's behalf with ``manage.py import_outreach``.

A file of more rows than ``IMPORT_INLINE_MAX_ROWS`` is checked and imported by jobs: the
upload only checks the file itself and counts its rows, and the batch's page follows the
jobs (``BatchStatusView``, polled by htmx) and shows what they found."""

import io

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView, View

from branches.mixins import OutreachWriterMixin
from branches.models import County
from branches.scoping import membership_of
from core import files
from core.submissions import once_per_submission
from outreach.models import FeedbackCategory

from . import reading, selectors, services
from .forms import ConfirmForm, UploadForm
from .models import COUNT_FIELDS, ImportBatch
from .template import build_template, workbook_bytes

#: How many rows of each sheet the preview lists (the counts always cover them all).
PREVIEW_ROWS = 100

COUNT_ROWS = (
    ("enterprises", gettext_lazy("Enterprises")),
    ("activities", gettext_lazy("Activities")),
    ("feedback", gettext_lazy("Opinions")),
)


def count_rows(counts: dict[str, int]) -> list[dict]:
    """The counts as table rows: what is new and what already exists, per sheet."""
    return [
        {
            "key": key,
            "label": label,
            "created": counts.get(f"{key}_created", 0),
            "reused": counts.get(f"{key}_reused", 0),
        }
        for key, label in COUNT_ROWS
    ]


def _user_branch(user):
    # OutreachWriterMixin has let only branch staff and leads in: they have a branch.
    return membership_of(user).branch


@method_decorator(once_per_submission, name="post")
class UploadView(OutreachWriterMixin, FormView):
    """Upload a file: errors are listed here; a clean file goes on to its preview page."""

    template_name = "imports/upload.html"
    form_class = UploadForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.setdefault(
            "recent_batches",
            ImportBatch.objects.visible_to(user).uploaded_by(user).select_related("campaign")[:10],
        )
        return super().get_context_data(branch=_user_branch(user), **kwargs)

    def form_valid(self, form):
        user = self.request.user
        branch = _user_branch(user)
        upload = form.cleaned_data["file"]
        campaign = form.cleaned_data["campaign"]
        rows = reading.count_rows(upload)
        if rows > settings.IMPORT_INLINE_MAX_ROWS:
            batch = services.batch_keep(
                actor=user, branch=branch, campaign=campaign, upload=upload, rows=rows
            )
            services.batch_check_start(actor=user, batch=batch)
            return redirect(batch)
        preview = services.batch_preview(
            actor=user,
            branch=branch,
            campaign=campaign,
            name=upload.name,
            size=upload.size,
            stream=upload,
        )
        if not preview.is_valid:
            return self.render_to_response(
                self.get_context_data(form=form, preview=preview, upload_name=upload.name)
            )
        batch = services.batch_create(
            actor=user, branch=branch, campaign=campaign, upload=upload, preview=preview
        )
        return redirect(batch)


@method_decorator(once_per_submission, name="post")
class BatchView(OutreachWriterMixin, TemplateView):
    """A kept file: its preview and the button that imports it, or what it imported.

    Only its uploader reaches it (anyone else gets a 404), and only while they are in
    the branch it was uploaded for.
    """

    template_name = "imports/batch.html"

    def get_batch(self) -> ImportBatch:
        user = self.request.user
        batches = ImportBatch.objects.visible_to(user).uploaded_by(user)
        return get_object_or_404(batches.select_related("campaign", "branch"), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        batch = self.get_batch()
        if batch.by_jobs:
            return self.render_big(batch)
        preview = None
        if not batch.is_imported:
            preview = services.batch_preview_again(actor=request.user, batch=batch)
        return self.render_batch(batch, preview)

    def post(self, request, *args, **kwargs):
        batch = self.get_batch()
        if batch.by_jobs:
            return self.post_big(batch)
        if batch.is_imported:
            messages.info(request, _("This file was already imported."))
            return redirect(batch)
        try:
            preview = services.batch_import(actor=request.user, batch=batch)
        except services.ImportFailed as failure:
            return self.render_batch(batch, None, problems=failure.problems)
        counts = preview.counts()
        messages.success(
            request,
            _(
                "Imported: {enterprises} enterprises, {activities} activities and "
                "{feedback} opinions created."
            ).format(
                enterprises=counts["enterprises_created"],
                activities=counts["activities_created"],
                feedback=counts["feedback_created"],
            ),
        )
        return redirect(batch)

    def render_batch(self, batch, preview, problems=None):
        if preview is not None:
            problems = preview.problems
            counts = preview.counts()
        else:
            counts = {field: getattr(batch, field) for field in COUNT_FIELDS}
        context = self.get_context_data(
            batch=batch,
            preview=preview,
            problems=problems or [],
            count_rows=count_rows(counts),
            preview_rows=PREVIEW_ROWS,
            confirm_form=ConfirmForm() if preview is not None and preview.is_valid else None,
        )
        return self.render_to_response(context)

    # --- a big file: its jobs -------------------------------------------------------

    def post_big(self, batch):
        """Start the import (the confirmation), or the check again after a failed one."""
        try:
            if "check" in self.request.POST:
                services.batch_check_start(actor=self.request.user, batch=batch)
            else:
                services.batch_import_start(actor=self.request.user, batch=batch)
        except ValidationError as error:
            messages.info(self.request, " ".join(error.messages))
        return redirect(batch)

    def render_big(self, batch):
        job = selectors.batch_job(batch)
        working = job is not None and not job.is_finished
        context = self.get_context_data(
            batch=batch,
            job=job,
            working=working,
            preview=None,
            problems=batch.kept_problems(),
            problem_count=batch.problem_count,
            count_rows=count_rows({field: getattr(batch, field) for field in COUNT_FIELDS}),
            preview_rows=PREVIEW_ROWS,
            confirm_form=ConfirmForm() if batch.may_import and not working else None,
            check_again=(
                not working
                and not batch.is_imported
                and job is not None
                and job.kind == "import_check"
                and job.state == job.State.FAILED
            ),
        )
        return self.render_to_response(context)


class BatchStatusView(OutreachWriterMixin, View):
    """What a big file's job has done, polled by its page while the job works; once the job
    is finished, the page reloads itself to show the outcome (htmx's ``HX-Refresh``)."""

    def get(self, request, *args, **kwargs):
        batches = ImportBatch.objects.visible_to(request.user).uploaded_by(request.user)
        batch = get_object_or_404(batches, pk=self.kwargs["pk"])
        job = selectors.batch_job(batch)
        response = render(request, "imports/partials/batch_job.html", {"batch": batch, "job": job})
        if job is None or job.is_finished:
            response["HX-Refresh"] = "true"
        return response


class TemplateDownloadView(OutreachWriterMixin, View):
    """The empty template, with the user's branch's counties in its county dropdown."""

    def get(self, request, *args, **kwargs):
        branch = _user_branch(request.user)
        counties = County.objects.filter(branch=branch).order_by("code")
        categories = FeedbackCategory.objects.filter(is_active=True)
        workbook = build_template(
            counties=[county.name for county in counties],
            categories=[category.name for category in categories],
        )
        return FileResponse(
            io.BytesIO(workbook_bytes(workbook)),
            as_attachment=True,
            filename="outreach-import-template.xlsx",
            content_type=files.XLSX,
        )
