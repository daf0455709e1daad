"""An opinion's reply summary is right whatever writes the opinion itself.

``FeedbackItem.last_replied_on`` and ``FeedbackItem.satisfaction`` follow its replies
(issues/migrations/0005 and 0008 refresh them on every write to a reply). A write to the opinion
that names these columns (a queryset ``update()``, or ``save()`` of an object read before
a reply was recorded) would still store a stale or invented value; these triggers put the
value computed from the replies back, so the summary cannot drift. Writes that do not name
the columns (closing, linking, withdrawing) do not fire them.
"""

from django.db import migrations

RECORDED = "('satisfied', 'basically_satisfied', 'unsatisfied')"
ATTEMPT = "'not_reachable'"


def latest_day(item_id: str) -> str:
    # As the reply-side trigger (0008): a "not reachable" attempt is not a reply.
    return (
        "(SELECT MAX(r.replied_on) FROM issues_reply r"
        f" WHERE r.feedback_item_id = {item_id} AND r.satisfaction <> {ATTEMPT})"
    )


def latest_satisfaction(item_id: str) -> str:
    return f"""COALESCE((
        SELECT r.satisfaction FROM issues_reply r
        WHERE r.feedback_item_id = {item_id} AND r.satisfaction IN {RECORDED}
        ORDER BY r.replied_on DESC, r.id DESC LIMIT 1
    ), '')"""


POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION outreach_feedbackitem_reply_summary() RETURNS trigger AS $$
BEGIN
    NEW.last_replied_on := {latest_day("NEW.id")};
    NEW.satisfaction := {latest_satisfaction("NEW.id")};
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER outreach_feedbackitem_reply_summary
    BEFORE INSERT OR UPDATE OF last_replied_on, satisfaction ON outreach_feedbackitem
    FOR EACH ROW EXECUTE FUNCTION outreach_feedbackitem_reply_summary();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS outreach_feedbackitem_reply_summary ON outreach_feedbackitem;
DROP FUNCTION IF EXISTS outreach_feedbackitem_reply_summary();
"""
# SQLite cannot change NEW: an AFTER trigger writes the computed values back when the
# row disagrees with them (its own UPDATE then agrees, so it does not repeat).
SQLITE_REFRESH = f"""
    UPDATE outreach_feedbackitem SET
        last_replied_on = {latest_day("NEW.id")},
        satisfaction = {latest_satisfaction("NEW.id")}
    WHERE id = NEW.id
"""
SQLITE_DISAGREES = f"""
    NEW.last_replied_on IS NOT {latest_day("NEW.id")}
    OR NEW.satisfaction IS NOT {latest_satisfaction("NEW.id")}
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER outreach_feedbackitem_reply_summary_{when} AFTER {event}
    ON outreach_feedbackitem WHEN {SQLITE_DISAGREES}
    BEGIN {SQLITE_REFRESH}; END;"""
    for when, event in (
        ("insert", "INSERT"),
        ("update", "UPDATE OF last_replied_on, satisfaction"),
    )
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS outreach_feedbackitem_reply_summary_{when};"
    for when in ("insert", "update")
]


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
    dependencies = [("issues", "0010_issue_matches_its_opinions")]

    operations = [migrations.RunPython(forward, backward)]
