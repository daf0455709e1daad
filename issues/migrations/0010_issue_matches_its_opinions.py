"""An issue's branch and campaign are those of its opinions, and the database refuses
any write that would make them differ.

``Issue.branch`` and ``Issue.campaign`` are copied from the opinions the issue was opened
from (``issues.services.issue_create``); an issue gathers opinions of one branch and one
campaign, so the copy cannot follow a change on one side without splitting the issue.
Instead every path that would break it is refused, whoever writes:

- an opinion linked to (or moved into) an issue of another branch or campaign;
- an issue whose branch or campaign is changed away from its opinions';
- an activity moved to another campaign while its opinions are in issues of the old one
  (moving it to another branch moves its opinions, outreach/migrations/0011, which this
  refuses in the same way while they are in an issue).

Services and the admin check first and explain; this is the backstop. Issues that already
break the rule stop the migration, named, to be repaired by hand first.
"""

from django.db import migrations

REFUSED = "an issue and its opinions share one branch and one campaign"

# For a new or changed opinion (NEW is an outreach_feedbackitem row).
OPINION_MISMATCH = """
    NEW.issue_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM issues_issue i WHERE i.id = NEW.issue_id AND (
            i.branch_id <> NEW.branch_id OR i.campaign_id <> (
                SELECT a.campaign_id FROM outreach_activity a WHERE a.id = NEW.activity_id
            )
        )
    )
"""
# For a changed issue (NEW is an issues_issue row).
ISSUE_MISMATCH = """
    EXISTS (
        SELECT 1 FROM outreach_feedbackitem f JOIN outreach_activity a ON a.id = f.activity_id
        WHERE f.issue_id = NEW.id AND (f.branch_id <> NEW.branch_id OR a.campaign_id <> NEW.campaign_id)
    )
"""
# For an activity moved to another campaign (NEW is an outreach_activity row).
ACTIVITY_MISMATCH = """
    EXISTS (
        SELECT 1 FROM outreach_feedbackitem f JOIN issues_issue i ON i.id = f.issue_id
        WHERE f.activity_id = NEW.id AND i.campaign_id <> NEW.campaign_id
    )
"""
CHECKS = {
    # name: (table, PostgreSQL events, SQLite events, condition)
    "issues_opinion_matches_issue": (
        "outreach_feedbackitem",
        "INSERT OR UPDATE OF issue_id, branch_id, activity_id",
        ("INSERT", "UPDATE OF issue_id, branch_id, activity_id"),
        OPINION_MISMATCH,
    ),
    "issues_issue_matches_opinions": (
        "issues_issue",
        "UPDATE OF branch_id, campaign_id",
        ("UPDATE OF branch_id, campaign_id",),
        ISSUE_MISMATCH,
    ),
    "issues_activity_campaign_matches_issues": (
        "outreach_activity",
        "UPDATE OF campaign_id",
        ("UPDATE OF campaign_id",),
        ACTIVITY_MISMATCH,
    ),
}


def postgres_forward(name, table, events, condition) -> str:
    return f"""
    CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
    BEGIN
        IF {condition} THEN
            RAISE EXCEPTION '{REFUSED}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER {name} BEFORE {events} ON {table}
        FOR EACH ROW EXECUTE FUNCTION {name}();
    """


def sqlite_forward(name, table, events, condition) -> list[str]:
    return [
        f"""CREATE TRIGGER {name}_{index} BEFORE {event} ON {table} WHEN {condition}
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END;"""
        for index, event in enumerate(events)
    ]


EXISTING_MISMATCHES = """
    SELECT DISTINCT i.id FROM issues_issue i
    JOIN outreach_feedbackitem f ON f.issue_id = i.id
    JOIN outreach_activity a ON a.id = f.activity_id
    WHERE f.branch_id <> i.branch_id OR a.campaign_id <> i.campaign_id
    ORDER BY i.id
"""


def forward(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(EXISTING_MISMATCHES)
        mismatched = [row[0] for row in cursor.fetchall()]
    if mismatched:
        raise RuntimeError(
            f"{len(mismatched)} issues hold opinions of another branch or campaign than their "
            f"own: #{', #'.join(map(str, mismatched[:50]))}. Take those opinions out of the "
            "issue (or move their activity back), then migrate again."
        )
    vendor = schema_editor.connection.vendor
    for name, (table, pg_events, sqlite_events, condition) in CHECKS.items():
        if vendor == "postgresql":
            schema_editor.execute(postgres_forward(name, table, pg_events, condition))
        elif vendor == "sqlite":
            for statement in sqlite_forward(name, table, sqlite_events, condition):
                schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for name, (table, _pg, sqlite_events, _condition) in CHECKS.items():
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();")
        elif vendor == "sqlite":
            for index in range(len(sqlite_events)):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{index};")


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0009_opinions_only_in_counted_issues"),
        ("outreach", "0012_feedback_branch_follows_activity"),
    ]

    operations = [migrations.RunPython(forward, backward)]
