"""Every submission exactly once: a double tap, a retry on a poor network, or the same
request sent twice at the same moment does its work once, and every copy gets its result.

How: each form that creates records carries a one-time key drawn when the page is drawn
(``{% submission_key %}`` in the template, or ``submission_key_input()`` in a crispy
helper that draws its own ``<form>``). The view is wrapped in ``@once_per_submission``,
which, inside one transaction, first inserts a ``SubmissionReceipt`` whose primary key is
a fingerprint of that key, the user, the address and the posted content, then runs the
view. The database decides the race: a copy sent at the same moment waits on the primary
key until the first commits, then fails to insert and is sent where the first went, with
the messages the first showed; a copy sent later fails at once, the same way.

- Only a redirect is a result (post/redirect/get): a view that answers anything else (a
  form with errors, a refusal page, an exception) has its transaction rolled back, the
  receipt with it, so the form can be corrected and sent again with the same key.
- The content is in the fingerprint so that a page brought back from the browser's
  history with its old key, then changed and sent, is a new submission, not a repeat.
- A POST without a key (a page drawn before keys existed, or a hand-made request) is
  refused with a 400 and nothing is saved, as Django refuses a POST without its CSRF
  token: accepting it would let exactly those requests be done twice. No client of this
  app posts without a page (the only API reads).
- Receipts are kept ``KEPT_FOR``; ``manage.py clear_submission_receipts`` removes older
  ones (daily from cron).
"""

from __future__ import annotations

import functools
import hashlib
import uuid
from datetime import timedelta

from crispy_forms.layout import Hidden
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import SubmissionReceipt

#: The form field that carries the one-time key.
FIELD = "submission_key"
#: How long a submission is remembered; a repeat after that is a new submission.
KEPT_FOR = timedelta(days=30)
#: Posted fields left out of the fingerprint: the CSRF token is not part of what is said.
IGNORED_FIELDS = frozenset({FIELD, "csrfmiddlewaretoken"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def new_key() -> str:
    return str(uuid.uuid4())


def submission_key_input() -> Hidden:
    """The key as a crispy input, for a helper that draws its own ``<form>`` tag."""
    return Hidden(FIELD, new_key())


def once_per_submission(view):
    """Do a POST once per one-time key and content; see the module's docstring.

    Wrap a function view inside ``@login_required``, or a class-based view's ``post``
    (``@method_decorator(once_per_submission, name="post")``) so its ``dispatch`` checks
    access first. Other methods pass through untouched.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST" or not request.user.is_authenticated:
            # Only a person's submissions are kept; the view sends anyone else to log in.
            return view(request, *args, **kwargs)
        key = posted_key(request)
        if key is None:
            return _refuse(
                request,
                _(
                    "This form came without its one-time key, so a repeat of it could not "
                    "be recognised."
                ),
            )
        fingerprint = submission_fingerprint(request, key)
        with transaction.atomic():
            if not _claim(request, key, fingerprint):
                return _repeat(request, fingerprint)
            shown_before = len(_queued_messages(request))
            response = view(request, *args, **kwargs)
            if response.status_code in REDIRECTS and response.has_header("Location"):
                SubmissionReceipt.objects.filter(pk=fingerprint).update(
                    result_url=response["Location"],
                    messages=_messages_since(request, shown_before),
                )
            else:
                # Not a result: nothing of this attempt is kept, the receipt included.
                transaction.set_rollback(True)
            return response

    wrapper.once_per_submission = True
    return wrapper


def posted_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def submission_fingerprint(request, key: uuid.UUID) -> str:
    """SHA-256 of the key, the user, the address and every posted field and file."""
    digest = hashlib.sha256()

    def feed(*parts) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else str(part).encode()
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)

    feed(key.hex, request.user.pk, request.get_full_path())
    for name in sorted(request.POST):
        if name not in IGNORED_FIELDS:
            feed(name, *request.POST.getlist(name))
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            feed(name, upload.name, upload.size)
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _claim(request, key: uuid.UUID, fingerprint: str) -> bool:
    """Insert the receipt; False when the same submission got there first.

    A concurrent first attempt holds the key until it commits (then this one fails) or
    rolls back (then this one succeeds and does the work itself).
    """
    try:
        with transaction.atomic():
            SubmissionReceipt.objects.create(
                fingerprint=fingerprint, key=key, user=request.user, path=request.get_full_path()
            )
    except IntegrityError:
        return False
    return True


def _repeat(request, fingerprint: str):
    """Send a repeat where the first went, with what the first one said."""
    receipt = SubmissionReceipt.objects.filter(pk=fingerprint).first()
    if receipt is None or not receipt.result_url:  # removed meanwhile by the clean-up
        return _refuse(request, _("This form was sent before and can no longer be matched."))
    for shown in receipt.messages:
        messages.add_message(
            request,
            shown["level"],
            shown["message"],
            extra_tags=shown.get("extra_tags", ""),
            fail_silently=True,
        )
    messages.info(
        request,
        _("This form was sent more than once; it was acted on only once."),
        fail_silently=True,
    )
    return redirect(receipt.result_url)


def _refuse(request, reason: str):
    """A 400 page: nothing was saved, and why; the way back to the page to draw it again."""
    back = request.headers.get("Referer", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(
        request, "core/submission_refused.html", {"reason": reason, "back_url": back}, status=400
    )


def _queued_messages(request) -> list:
    # The messages added during this request, not yet stored (Django's BaseStorage).
    return getattr(getattr(request, "_messages", None), "_queued_messages", [])


def _messages_since(request, count: int) -> list[dict]:
    return [
        {"level": shown.level, "message": str(shown.message), "extra_tags": shown.extra_tags or ""}
        for shown in _queued_messages(request)[count:]
    ]


def clear_submission_receipts(older_than: timedelta = KEPT_FOR) -> int:
    """Forget the submissions older than ``older_than``; returns how many."""
    from django.utils import timezone

    deleted, _ = SubmissionReceipt.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
