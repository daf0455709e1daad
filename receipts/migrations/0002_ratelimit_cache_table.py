"""The table django-ratelimit counts public lookups in (settings.CACHES["ratelimit"]): made
here so that `migrate` is all a deployment runs."""

from django.core.management import call_command
from django.db import migrations

TABLE = "receipts_ratelimit_cache"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("receipts", "0001_receipts")]

    operations = [migrations.RunPython(create_table, drop_table)]
