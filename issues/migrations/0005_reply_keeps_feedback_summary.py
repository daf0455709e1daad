"""Every write to a reply refreshes its opinion's reply summary, in the database.

``FeedbackItem.last_replied_on`` (the latest reply's date) and ``FeedbackItem.satisfaction``
(the latest reply that recorded satisfied, basically satisfied or unsatisfied) let the
dashboard count replies and satisfaction in one pass over the opinions. A trigger keeps
them exact whatever writes the reply (the service, the admin, an import, a bulk load).
"""

from django.db import migrations

RECORDED = "('satisfied', 'basically_satisfied', 'unsatisfied')"


def refresh_sql(item_id: str) -> str:
    return f"""
    UPDATE outreach_feedbackitem SET
        last_replied_on = (
            SELECT MAX(r.replied_on) FROM issues_reply r WHERE r.feedback_item_id = {item_id}
        ),
        satisfaction = COALESCE((
            SELECT r.satisfaction FROM issues_reply r
            WHERE r.feedback_item_id = {item_id} AND r.satisfaction IN {RECORDED}
            ORDER BY r.replied_on DESC, r.id DESC LIMIT 1
        ), '')
    WHERE id = {item_id}
    """


POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION issues_reply_refresh_feedback() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {refresh_sql("OLD.feedback_item_id")};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        {refresh_sql("NEW.feedback_item_id")};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_reply_refresh_feedback AFTER INSERT OR UPDATE OR DELETE ON issues_reply
    FOR EACH ROW EXECUTE FUNCTION issues_reply_refresh_feedback();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS issues_reply_refresh_feedback ON issues_reply;
DROP FUNCTION IF EXISTS issues_reply_refresh_feedback();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER issues_reply_refresh_feedback_insert AFTER INSERT ON issues_reply
    BEGIN {refresh_sql("NEW.feedback_item_id")}; END;""",
    f"""CREATE TRIGGER issues_reply_refresh_feedback_update AFTER UPDATE ON issues_reply
    BEGIN {refresh_sql("OLD.feedback_item_id")}; {refresh_sql("NEW.feedback_item_id")}; END;""",
    f"""CREATE TRIGGER issues_reply_refresh_feedback_delete AFTER DELETE ON issues_reply
    BEGIN {refresh_sql("OLD.feedback_item_id")}; END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS issues_reply_refresh_feedback_{when};"
    for when in ("insert", "update", "delete")
]
# Opinions replied before the trigger existed.
BACKFILL = refresh_sql("outreach_feedbackitem.id").replace(
    "WHERE id = outreach_feedbackitem.id",
    "WHERE EXISTS (SELECT 1 FROM issues_reply r WHERE r.feedback_item_id = outreach_feedbackitem.id)",
)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    schema_editor.execute(BACKFILL)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0004_answered_needs_replies"),
        ("outreach", "0007_feedback_reply_summary"),
    ]

    operations = [migrations.RunPython(forward, backward)]
