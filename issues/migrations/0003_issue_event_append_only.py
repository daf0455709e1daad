"""Make the issue timeline append-only in the database itself, not only in the code."""

from django.db import migrations

POSTGRES_FORWARD = """
CREATE OR REPLACE FUNCTION issues_issueevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'issue events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_issueevent_no_update BEFORE UPDATE OR DELETE ON issues_issueevent
    FOR EACH ROW EXECUTE FUNCTION issues_issueevent_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS issues_issueevent_no_update ON issues_issueevent;
DROP FUNCTION IF EXISTS issues_issueevent_append_only();
"""
# SQLite refuses updates only: Django empties its test tables with DELETE, whereas on
# PostgreSQL it uses TRUNCATE, which row triggers do not see.
SQLITE_FORWARD = [
    """CREATE TRIGGER issues_issueevent_no_update BEFORE UPDATE ON issues_issueevent
    BEGIN SELECT RAISE(ABORT, 'issue events are append-only'); END;""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS issues_issueevent_no_update;"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("issues", "0002_initial")]

    operations = [migrations.RunPython(forward, backward)]
