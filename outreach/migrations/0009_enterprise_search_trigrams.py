"""Trigram indexes for the enterprise search box (PostgreSQL only).

The search is ``icontains`` on name, credit code and contact (``UPPER(col) LIKE
UPPER('%…%')``), which no B-tree can serve: on 50,000 enterprises it scanned them all.
A GIN index of trigrams over ``UPPER(col)`` answers it for three characters or more
(pg_trgm makes trigrams of Chinese text too under a UTF-8 ctype). pg_trgm is a trusted
extension: the database owner may create it. SQLite, for development and the demo, keeps
scanning.
"""

from django.db import migrations

COLUMNS = ("name", "uscc", "contact_name", "contact_phone")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS enterprise_{column}_trgm ON outreach_enterprise "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS enterprise_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("outreach", "0008_list_indexes")]

    operations = [migrations.RunPython(forward, backward)]
