"""An opinion's branch is its activity's branch, kept by the database.

``FeedbackItem.branch`` is a copy of ``Activity.branch`` (the feedback list filters a million
rows by branch on one index). Two triggers keep it exact whatever writes (a service, the
admin, a queryset ``update()``, a script):

- moving an activity to another branch moves its opinions with it (the copy follows);
- writing an opinion whose branch is not its activity's is refused (nobody writes the copy
  but the rule above; the admin sets it from the activity before saving).

Opinions that drifted before this migration (an activity moved in the admin) are moved to
their activity's branch. One that sits in an issue of its old branch cannot be moved without
splitting the issue: the migration stops and names them, to be repaired by hand (move the
activity back, or take the opinion out of the issue) before migrating again.
"""

from django.db import migrations

REFUSED = "an opinion''s branch is its activity''s branch"

ACTIVITY_BRANCH = "(SELECT a.branch_id FROM outreach_activity a WHERE a.id = NEW.activity_id)"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION outreach_activity_branch_to_feedback() RETURNS trigger AS $$
BEGIN
    UPDATE outreach_feedbackitem SET branch_id = NEW.branch_id
    WHERE activity_id = NEW.id AND branch_id <> NEW.branch_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER outreach_activity_branch_to_feedback AFTER UPDATE OF branch_id ON outreach_activity
    FOR EACH ROW WHEN (NEW.branch_id IS DISTINCT FROM OLD.branch_id)
    EXECUTE FUNCTION outreach_activity_branch_to_feedback();

CREATE OR REPLACE FUNCTION outreach_feedbackitem_branch_is_activitys() RETURNS trigger AS $$
BEGIN
    IF NEW.branch_id IS DISTINCT FROM {ACTIVITY_BRANCH} THEN
        RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER outreach_feedbackitem_branch_is_activitys
    BEFORE INSERT OR UPDATE OF branch_id, activity_id ON outreach_feedbackitem
    FOR EACH ROW EXECUTE FUNCTION outreach_feedbackitem_branch_is_activitys();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS outreach_activity_branch_to_feedback ON outreach_activity;
DROP FUNCTION IF EXISTS outreach_activity_branch_to_feedback();
DROP TRIGGER IF EXISTS outreach_feedbackitem_branch_is_activitys ON outreach_feedbackitem;
DROP FUNCTION IF EXISTS outreach_feedbackitem_branch_is_activitys();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER outreach_activity_branch_to_feedback AFTER UPDATE OF branch_id
    ON outreach_activity WHEN NEW.branch_id IS NOT OLD.branch_id
    BEGIN
        UPDATE outreach_feedbackitem SET branch_id = NEW.branch_id
        WHERE activity_id = NEW.id AND branch_id <> NEW.branch_id;
    END;""",
    *(
        f"""CREATE TRIGGER outreach_feedbackitem_branch_is_activitys_{when}
        BEFORE {event} ON outreach_feedbackitem
        WHEN NEW.branch_id IS NOT {ACTIVITY_BRANCH}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END;"""
        for when, event in (
            ("insert", "INSERT"),
            ("update", "UPDATE OF branch_id, activity_id"),
        )
    ),
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS outreach_activity_branch_to_feedback;",
    "DROP TRIGGER IF EXISTS outreach_feedbackitem_branch_is_activitys_insert;",
    "DROP TRIGGER IF EXISTS outreach_feedbackitem_branch_is_activitys_update;",
]

DRIFTED = """
    FROM outreach_feedbackitem f JOIN outreach_activity a ON a.id = f.activity_id
    WHERE f.branch_id <> a.branch_id
"""
STUCK_IN_AN_ISSUE = f"""
    SELECT f.id, f.issue_id {DRIFTED}
    AND EXISTS (SELECT 1 FROM issues_issue i WHERE i.id = f.issue_id AND i.branch_id <> a.branch_id)
    ORDER BY f.id
"""
BACKFILL = """
UPDATE outreach_feedbackitem SET branch_id = (
    SELECT a.branch_id FROM outreach_activity a WHERE a.id = outreach_feedbackitem.activity_id
)
WHERE branch_id <> (
    SELECT a.branch_id FROM outreach_activity a WHERE a.id = outreach_feedbackitem.activity_id
)
"""


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(STUCK_IN_AN_ISSUE)
        stuck = cursor.fetchall()
    if stuck:
        listed = ", ".join(f"opinion #{item} (issue #{issue})" for item, issue in stuck[:50])
        raise RuntimeError(
            f"{len(stuck)} opinions are in an issue of another branch than their activity's: "
            f"{listed}. Move each activity back to its issue's branch, or take the opinion "
            "out of the issue, then migrate again."
        )
    schema_editor.execute(BACKFILL)
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
    dependencies = [
        ("issues", "0009_opinions_only_in_counted_issues"),
        ("outreach", "0011_feedback_closed_as_unreachable"),
    ]

    operations = [migrations.RunPython(forward, backward)]
