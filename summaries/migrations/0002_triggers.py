"""The triggers that write the summaries' delta rows with every change, and the first
count of what is already there (``summaries/sql.py`` holds both, for both databases)."""

from django.db import migrations


def forward(apps, schema_editor):
    from summaries import sql

    vendor = schema_editor.connection.vendor
    for statement in sql.install(vendor):
        schema_editor.execute(statement)
    for statement in sql.rebuild(vendor):
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    from summaries import sql

    for statement in sql.uninstall(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0001_summary_tables"),
        ("outreach", "0016_online_box_activity"),
        ("issues", "0016_escalation_copies"),
    ]

    operations = [migrations.RunPython(forward, backward)]
