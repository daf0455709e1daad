"""``manage.py suggestion_precision [--since YYYY-MM-DD]``: how often the open issues
suggested at intake were the right one, from what users chose (issues/suggestions.py).

Each issue shown beside a saved form is a row: attached (the user put the opinion in it) or
not chosen. Precision is the share attached; a list (the issues shown for one opinion) is
useful when one of its issues was attached. The text similarity's own figures, on the
labelled pairs, come from ``scripts/similarity_quality.py`` (docs/similarity.md).
"""

from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from issues.suggestions import measured_precision

#: The intake forms, as this report names them.
WHILE = {"opinion": "while recording an opinion", "issue": "while opening an issue"}


def _line(label: str, figures, what: str = "") -> str:
    precision = "—" if figures.precision is None else f"{figures.precision:.3f}"
    return f"{label}{figures.shown} {what}shown, {figures.attached} attached: precision {precision}"


class Command(BaseCommand):
    help = "Print the measured precision of the open issues suggested at intake."

    def add_arguments(self, parser):
        parser.add_argument("--since", help="count choices from this date, YYYY-MM-DD")

    def handle(self, *args, **options):
        since = self._since(options["since"]) if options["since"] else None
        figures = measured_precision(since)
        overall = figures["overall"]
        if not overall.shown:
            self.stdout.write("No suggestion recorded yet: nothing to measure.")
            return
        first, last = (timezone.localtime(figures[key]) for key in ("first", "last"))
        self.stdout.write(f"Suggestions at intake, chosen from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
        self.stdout.write(_line("", overall, "suggestions "))
        for rank, by_rank in figures["by_rank"].items():
            label = "first place" if rank == 1 else f"place {rank}"
            self.stdout.write(_line(f"  {label}: ", by_rank))
        for intake, by_intake in figures["by_intake"].items():
            self.stdout.write(_line(f"  {WHILE[intake]}: ", by_intake))
        lists = figures["lists"]
        self.stdout.write(
            f"{lists.shown} lists shown, {lists.attached} with an issue attached "
            f"({lists.precision:.3f})"
        )

    @staticmethod
    def _since(value: str) -> datetime:
        try:
            day = datetime.fromisoformat(value).date()
        except ValueError:
            raise CommandError(f"--since must be a date like 2026-03-31, got “{value}”.") from None
        return timezone.make_aware(datetime.combine(day, time.min))
