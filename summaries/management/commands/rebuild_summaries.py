from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from summaries import services
from summaries.recount import differences


class Command(BaseCommand):
    help = "Count the dashboard's summary rows again from the raw rows, then check them."

    def handle(self, *args, **options):
        services.rebuild()
        found = differences()
        if found:
            self.stderr.write("\n".join(found))
            raise SystemExit(1)
        self.stdout.write(_("The summaries were rebuilt and equal a recount."))
