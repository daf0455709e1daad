"""The database refuses an issue entering "answered" while a linked opinion has no reply.

issues/transitions.py checks this first and names the missing opinions; the trigger is the
backstop against any other write (a script, the shell, a future bug).
"""

from django.db import migrations

CONDITION = """
    NEW.state = 'answered' AND EXISTS (
        SELECT 1 FROM outreach_feedbackitem item
        WHERE item.issue_id = NEW.id
          AND item.withdrawn_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM issues_reply r WHERE r.feedback_item_id = item.id)
    )
"""

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION issues_issue_answered_needs_replies() RETURNS trigger AS $$
BEGIN
    IF {CONDITION} THEN
        RAISE EXCEPTION 'an issue cannot be answered while a linked opinion has no reply'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_issue_answered_needs_replies BEFORE UPDATE OF state ON issues_issue
    FOR EACH ROW EXECUTE FUNCTION issues_issue_answered_needs_replies();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS issues_issue_answered_needs_replies ON issues_issue;
DROP FUNCTION IF EXISTS issues_issue_answered_needs_replies();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER issues_issue_answered_needs_replies BEFORE UPDATE OF state ON issues_issue
WHEN {CONDITION}
BEGIN SELECT RAISE(ABORT, 'an issue cannot be answered while a linked opinion has no reply'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS issues_issue_answered_needs_replies;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0003_issue_event_append_only"),
        ("outreach", "0005_constraint_messages"),
    ]

    operations = [migrations.RunPython(forward, backward)]
