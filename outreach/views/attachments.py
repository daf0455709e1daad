"""Activity attachments: upload to an activity, and download through a scope check.

Files are never reachable by a media URL: the download view finds the row through
``ActivityAttachment.objects.visible_to(user)`` (404 outside scope) and streams the file
as an attachment the browser will not render.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from branches import rules
from core.files import clean_filename, private_file_response
from core.submissions import once_per_submission

from .. import services
from ..models import Activity, ActivityAttachment

#: Files accepted in one upload (several pages of a sign-in sheet, photographed).
MAX_FILES_PER_UPLOAD = 10


@login_required
@require_POST
@once_per_submission
def attachment_add(request, activity_pk: int):
    """Attach the posted files (field ``file``, one or more) to the activity."""
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("branch"), pk=activity_pk
    )
    if not rules.can_log_outreach_in(request.user, activity.branch):
        raise PermissionDenied
    back = redirect("outreach:activity_detail", pk=activity.pk)

    uploads = request.FILES.getlist("file")
    if not uploads:
        messages.error(request, _("Choose a file to upload."))
        return back
    if len(uploads) > MAX_FILES_PER_UPLOAD:
        messages.error(
            request,
            _("Upload at most {count} files at a time.").format(count=MAX_FILES_PER_UPLOAD),
        )
        return back

    added = 0
    for upload in uploads:
        try:
            services.attachment_add(actor=request.user, activity=activity, uploaded_file=upload)
        except ValidationError as error:
            messages.error(
                request,
                _("{name} was not uploaded: {reason}").format(
                    name=clean_filename(upload.name), reason=" ".join(error.messages)
                ),
            )
        else:
            added += 1
    if added:
        messages.success(
            request,
            ngettext("%(count)d file attached.", "%(count)d files attached.", added)
            % {"count": added},
        )
    return back


@login_required
@require_safe
def attachment_download(request, pk: int):
    """The file itself, for anyone who may see its activity (withdrawn or not)."""
    attachment = get_object_or_404(ActivityAttachment.objects.visible_to(request.user), pk=pk)
    return private_file_response(
        attachment.file, filename=attachment.original_name, content_type=attachment.content_type
    )
