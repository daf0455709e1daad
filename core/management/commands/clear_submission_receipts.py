"""``manage.py clear_submission_receipts [--days N]``: forget old form submissions.

A receipt (``core.SubmissionReceipt``) lets a repeated form submission find the first
one's result; after ``core.submissions.KEPT_FOR`` (30 days) nobody repeats a form any
more, so its receipt can go. Safe to run at any time, daily from the scheduler (``core.tasks``).
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from core.submissions import KEPT_FOR, clear_submission_receipts


class Command(BaseCommand):
    help = "Delete the receipts of form submissions older than --days (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=KEPT_FOR.days)

    def handle(self, *args, **options):
        days = options["days"]
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = clear_submission_receipts(timedelta(days=days))
        self.stdout.write(
            self.style.SUCCESS(f"Submission receipts older than {days} days: {deleted} deleted.")
        )
