"""``manage.py generate_scale_data --scale 0.01``: fill PostgreSQL for benchmarks (bench/)."""

from django.core.management.base import BaseCommand, CommandError

from bench.generate import BENCH_PASSWORD, OUT_DIR, RefusedError, generate
from summaries.recount import differences


class Command(BaseCommand):
    help = (
        "Fill PostgreSQL with generated, internally consistent outreach data: scale 1 is one "
        "province over ten years (50,000 enterprises, 100,000 activities, 1,000,000 opinions, "
        "250,000 issues). Empties the domain tables first (only with --yes if they hold data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=0.01, help="1 = one province, ten years")
        parser.add_argument("--seed", type=int, default=1, help="the same seed gives the same data")
        parser.add_argument("--out-dir", default=str(OUT_DIR), help="where dataset.json is written")
        parser.add_argument(
            "--yes", action="store_true", help="empty the domain tables even if they hold data"
        )

    def handle(self, *args, scale, seed, yes, out_dir, **options):
        try:
            data = generate(scale, seed, replace=yes, log=self.stdout.write, out_dir=out_dir)
        except (RefusedError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write("")
        self.stdout.write(f"{'table':<40} {'rows':>10} {'seconds':>8}")
        for table, rows in data["rows"].items():
            self.stdout.write(f"{table:<40} {rows:>10,} {data['seconds'][table]:>8.2f}")
        self.stdout.write("")
        for key, value in data["timings"].items():
            self.stdout.write(f"  {key:<10} {value:>8.1f} s")
        self.stdout.write(f"  issue states: {data['issue_states']}")
        for key in (
            "counted_issues",
            "merged_issues",
            "withdrawn_issues",
            "reopened_issues",
            "overdue_issues",
        ):
            self.stdout.write(f"  {key.replace('_', ' ')}: {data[key]:,}")
        self.stdout.write("")
        self.stdout.write(
            f"Long-timeline issue: #{data['long_timeline_issue_id']} "
            f"({data['long_timeline_events']} events)"
        )
        self.stdout.write(
            f"Newest campaign: #{data['newest_campaign_id']}; branch quanzhou: #{data['branch_id']}"
        )
        self.stdout.write(f"Logins (password {BENCH_PASSWORD}): leader, quanzhou_staff, office")
        self.stdout.write(f"Written to {out_dir}/dataset.json")
        if data["reply_summary_mismatches"]:
            raise CommandError(
                f"{data['reply_summary_mismatches']} opinions have a reply summary that differs "
                "from their replies."
            )
        if data["copy_mismatches"]:
            raise CommandError(
                f"{data['copy_mismatches']} opinions differ from their activity or their issue "
                "in branch or campaign."
            )
        if data["branch_issue_count_mismatches"]:
            raise CommandError(
                f"{data['branch_issue_count_mismatches']} branches keep an issue count that "
                "differs from their issues."
            )
        summary_differences = differences(limit=3)
        if summary_differences:
            raise CommandError(
                "The dashboard's summary rows differ from a recount: "
                + "; ".join(summary_differences)
            )
        self.stdout.write(self.style.SUCCESS("Reply summaries match the replies (0 differences)."))
        self.stdout.write(
            self.style.SUCCESS("Opinions match their activities and issues (0 differences).")
        )
        self.stdout.write(
            self.style.SUCCESS("The dashboard's summary rows equal a recount (0 differences).")
        )
