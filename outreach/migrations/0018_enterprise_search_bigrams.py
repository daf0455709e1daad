"""Bigram indexes for two-character searches of enterprises (PostgreSQL only).

A two-character term, the usual way to search a Chinese name (恒信), holds no whole
trigram, so the trigram indexes of 0009 cannot serve it and the search scanned all
50,000 enterprises. ``outreach_bigrams(text)`` gives a text's distinct two-character
substrings as an array; a GIN index over ``outreach_bigrams(UPPER(col))`` finds the rows
holding a term's bigram (``outreach.search``). pg_bigm is not available here.

Indexes over the expression, not a stored column beside the name kept by a trigger: the
index *is* that column, computed by PostgreSQL on every write whatever makes it (the ORM,
bulk_create, queryset.update, the admin, a merge, COPY, raw SQL), so it cannot be stale,
and the model, its history table and every SELECT stay as they were. The function must
be IMMUTABLE to be indexed; it only calls immutable built-ins. Each column searched by
the registry's box has its index: the search ORs the four, and one column left without
would make PostgreSQL scan the table again.
"""

from django.db import migrations

COLUMNS = ("name", "uscc", "contact_name", "contact_phone")

FUNCTION = """
CREATE OR REPLACE FUNCTION outreach_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT substr(value, i, 2)), '{}')
    FROM generate_series(1, char_length(value) - 1) AS i
$$
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for column in COLUMNS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS enterprise_{column}_bigrams ON outreach_enterprise "
            f"USING gin (outreach_bigrams(UPPER({column}::text)))"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS enterprise_{column}_bigrams")
    schema_editor.execute("DROP FUNCTION IF EXISTS outreach_bigrams(text)")


class Migration(migrations.Migration):
    dependencies = [("outreach", "0017_enterprise_enterprise_withdrawn")]

    operations = [migrations.RunPython(forward, backward)]
