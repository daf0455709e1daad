"""``manage.py send_reminders [--today YYYY-MM-DD]``: the deadline reminders, safe hourly.

Creates the "deadline approaching" and "overdue" notifications due today and emails them.
Each reminder is keyed by issue, person and deadline, so running the command again (every
hour, or twice at once) sends nothing twice; a changed deadline gets its own reminders.
Emails that failed in the last two days are tried again.
"""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.services import deliver, email_pending
from notifications.triggers import deadline_reminders

#: How far back an email that could not be sent is tried again.
RETRY_EMAILS_FOR = timedelta(days=2)


class Command(BaseCommand):
    help = (
        "Send the deadline reminders (approaching within 3 days, overdue) as notifications "
        "and emails. Never sends the same reminder twice: schedule it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="the date to remind for, YYYY-MM-DD (default: today in TIME_ZONE)",
        )

    def handle(self, *args, **options):
        today = self._date(options["today"]) if options["today"] else timezone.localdate()
        created = deliver(deadline_reminders(today), email=False)
        # The new reminders, and any email that failed lately, in one pass.
        emailed = email_pending(since=timezone.now() - RETRY_EMAILS_FOR)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders for {today:%Y-%m-%d}: {len(created)} created, {emailed} emailed."
            )
        )

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-03-31, got “{value}”.") from None
