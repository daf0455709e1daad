"""``manage.py import_outreach FILE --branch CODE --campaign CODE --user USERNAME``.

The provincial office's way to import a branch's paper ledgers: the same checks and the
same all-or-nothing import as the upload page. Prints the counts, or every error with
its sheet, row and column and exits with status 1.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from branches import rules
from branches.models import Branch
from imports import services
from outreach.models import Campaign


class Command(BaseCommand):
    help = (
        "Import enterprises, activities and feedback items of one branch from an .xlsx file "
        "made from the import template (see docs/import-format.md). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx file")
        parser.add_argument("--branch", required=True, help="code of the city branch")
        parser.add_argument("--campaign", required=True, help="code of the campaign")
        parser.add_argument(
            "--user",
            required=True,
            help="the branch staff member or lead the records are entered for",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and print the counts only"
        )

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        branch = self._get(Branch, "code", options["branch"], "branch")
        campaign = self._get(Campaign, "code", options["campaign"], "campaign")
        user = self._get(get_user_model(), "username", options["user"], "user")
        if not rules.can_log_outreach_in(user, branch):
            raise CommandError(
                f"{user.username} may not record outreach for {branch.code}: name an account "
                "of that branch's staff or lead (the records are entered in their name)."
            )
        with path.open("rb") as stream:
            preview = services.batch_preview(
                actor=user,
                branch=branch,
                campaign=campaign,
                name=path.name,
                size=path.stat().st_size,
                stream=stream,
            )
            if not preview.is_valid:
                self._fail(preview.problems)
            if options["dry_run"]:
                self._counts(preview.counts(), "Dry run, nothing imported.")
                return
            upload = File(stream, name=path.name)
            batch = services.batch_create(
                actor=user, branch=branch, campaign=campaign, upload=upload, preview=preview
            )
        try:
            preview = services.batch_import(actor=user, batch=batch)
        except services.ImportFailed as failure:
            self._fail(failure.problems)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self._counts(preview.counts(), f"Imported (batch {batch.pk}).")

    def _get(self, model, field, value, label):
        try:
            return model.objects.get(**{field: value})
        except model.DoesNotExist:
            raise CommandError(f"No {label} with {field} “{value}”.") from None

    def _counts(self, counts, title):
        self.stdout.write(self.style.SUCCESS(title))
        for name in ("enterprises", "activities", "feedback"):
            self.stdout.write(
                f"  {name:<12} {counts[f'{name}_created']:>6} new"
                f" {counts[f'{name}_reused']:>6} already there"
            )

    def _fail(self, problems):
        for problem in problems:
            where = ", ".join(
                part
                for part in (
                    problem.sheet,
                    f"row {problem.row}" if problem.row else "",
                    problem.column,
                )
                if part
            )
            self.stderr.write(f"{where}: {problem.message}" if where else problem.message)
        raise CommandError(f"{len(problems)} error(s): nothing was imported.", returncode=1)
