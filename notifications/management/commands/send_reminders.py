"""``manage.py send_reminders [--today YYYY-MM-DD]``: chasing and supervision, safe hourly.

The scheduler runs the same work hourly (``notifications.tasks``); this command is for a
run by hand, or a cron line where no scheduler runs.

Takes every late or nearly late issue through the steps the office's time limits set, in
working days (``issues.supervision``): the reminder before the deadline, the branch lead on
the deadline day, the responsible person once overdue, the office and an automatic
supervision notice after ``supervise_after`` working days. Each step is keyed by issue,
step, person and deadline (the notice by the database's unique constraint), so running the
command again (every hour, or twice at once) does nothing twice; a new deadline starts the
steps again. Emails that failed in the last two days are tried again.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.tasks import remind


class Command(BaseCommand):
    help = (
        "Chase late issues in working days (reminder, branch lead, overdue, supervision "
        "notice) with notifications and emails. Never does a step twice: schedule it hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="the date to remind for, YYYY-MM-DD (default: today in TIME_ZONE)",
        )

    def handle(self, *args, **options):
        today = self._date(options["today"]) if options["today"] else timezone.localdate()
        created, emailed = remind(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Reminders for {today:%Y-%m-%d}: {created} created, {emailed} emailed."
            )
        )

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--today must be a date like 2026-03-31, got “{value}”.") from None
