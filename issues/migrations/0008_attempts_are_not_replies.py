"""A reply recorded as "not reachable" (联系不上) is an attempt, not an answer.

Three database rules change with it, on SQLite and PostgreSQL alike:

* The reply summary (0005): ``FeedbackItem.last_replied_on`` becomes the date of the latest
  reply that reached the enterprise, so an opinion with attempts only stays unreplied.
  Every opinion with replies is recomputed.
* The "answered" guard (0004): an issue is answered only when each linked opinion (not
  withdrawn) has a reply that reached the enterprise, or was closed as unreachable.
* Closing an opinion as unreachable (``unreachable_at``) needs "not reachable" attempts on
  at least two different days; ``issues.services.feedback_close_unreachable`` says so first
  with a clear message, the trigger is the backstop for any other write.

On SQLite a trigger lives with its table: a later migration that remakes
``outreach_feedbackitem`` (adding a constraint, altering a field) drops the last one, and
tests/issues/test_promise_in_database.py fails until it is created again.
"""

import importlib

from django.db import migrations

previous_summary = importlib.import_module("issues.migrations.0005_reply_keeps_feedback_summary")
previous_guard = importlib.import_module("issues.migrations.0004_answered_needs_replies")

RECORDED = "('satisfied', 'basically_satisfied', 'unsatisfied')"
ATTEMPT = "'not_reachable'"


# --- the reply summary ------------------------------------------------------------------


def refresh_sql(item_id: str) -> str:
    return f"""
    UPDATE outreach_feedbackitem SET
        last_replied_on = (
            SELECT MAX(r.replied_on) FROM issues_reply r
            WHERE r.feedback_item_id = {item_id} AND r.satisfaction <> {ATTEMPT}
        ),
        satisfaction = COALESCE((
            SELECT r.satisfaction FROM issues_reply r
            WHERE r.feedback_item_id = {item_id} AND r.satisfaction IN {RECORDED}
            ORDER BY r.replied_on DESC, r.id DESC LIMIT 1
        ), '')
    WHERE id = {item_id}
    """


SUMMARY_POSTGRES = f"""
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
"""
SUMMARY_SQLITE = [
    *previous_summary.SQLITE_BACKWARD,
    f"""CREATE TRIGGER issues_reply_refresh_feedback_insert AFTER INSERT ON issues_reply
    BEGIN {refresh_sql("NEW.feedback_item_id")}; END;""",
    f"""CREATE TRIGGER issues_reply_refresh_feedback_update AFTER UPDATE ON issues_reply
    BEGIN {refresh_sql("OLD.feedback_item_id")}; {refresh_sql("NEW.feedback_item_id")}; END;""",
    f"""CREATE TRIGGER issues_reply_refresh_feedback_delete AFTER DELETE ON issues_reply
    BEGIN {refresh_sql("OLD.feedback_item_id")}; END;""",
]
# Every opinion that has replies, recomputed with the new rule.
RECOMPUTE = refresh_sql("outreach_feedbackitem.id").replace(
    "WHERE id = outreach_feedbackitem.id",
    "WHERE EXISTS (SELECT 1 FROM issues_reply r WHERE r.feedback_item_id = outreach_feedbackitem.id)",
)


# --- the "answered" guard -----------------------------------------------------------------

GUARD_CONDITION = f"""
    NEW.state = 'answered' AND EXISTS (
        SELECT 1 FROM outreach_feedbackitem item
        WHERE item.issue_id = NEW.id
          AND item.withdrawn_at IS NULL
          AND item.unreachable_at IS NULL
          AND NOT EXISTS (
              SELECT 1 FROM issues_reply r
              WHERE r.feedback_item_id = item.id AND r.satisfaction <> {ATTEMPT}
          )
    )
"""
GUARD_MESSAGE = "an issue cannot be answered while a linked opinion has no reply"
GUARD_POSTGRES = f"""
CREATE OR REPLACE FUNCTION issues_issue_answered_needs_replies() RETURNS trigger AS $$
BEGIN
    IF {GUARD_CONDITION} THEN
        RAISE EXCEPTION '{GUARD_MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
GUARD_SQLITE = [
    previous_guard.SQLITE_BACKWARD,
    f"""CREATE TRIGGER issues_issue_answered_needs_replies BEFORE UPDATE OF state ON issues_issue
    WHEN {GUARD_CONDITION}
    BEGIN SELECT RAISE(ABORT, '{GUARD_MESSAGE}'); END;""",
]


# --- closing as unreachable ---------------------------------------------------------------


def too_few_attempt_days(item: str) -> str:
    return f"""(
        SELECT COUNT(DISTINCT r.replied_on) FROM issues_reply r
        WHERE r.feedback_item_id = {item}.id AND r.satisfaction = {ATTEMPT}
    ) < 2"""


UNREACHABLE_MESSAGE = "an opinion is closed as unreachable after attempts on two different days"
UNREACHABLE_POSTGRES = f"""
CREATE OR REPLACE FUNCTION outreach_feedbackitem_unreachable_needs_attempts() RETURNS trigger AS $$
BEGIN
    IF NEW.unreachable_at IS NOT NULL
       AND (TG_OP = 'INSERT' OR OLD.unreachable_at IS NULL)
       AND {too_few_attempt_days("NEW")} THEN
        RAISE EXCEPTION '{UNREACHABLE_MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER outreach_feedbackitem_unreachable_needs_attempts
    BEFORE INSERT OR UPDATE OF unreachable_at ON outreach_feedbackitem
    FOR EACH ROW EXECUTE FUNCTION outreach_feedbackitem_unreachable_needs_attempts();
"""
UNREACHABLE_POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS outreach_feedbackitem_unreachable_needs_attempts ON outreach_feedbackitem;
DROP FUNCTION IF EXISTS outreach_feedbackitem_unreachable_needs_attempts();
"""
UNREACHABLE_SQLITE = [
    f"""CREATE TRIGGER outreach_feedbackitem_unreachable_needs_attempts_insert
    BEFORE INSERT ON outreach_feedbackitem
    WHEN NEW.unreachable_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{UNREACHABLE_MESSAGE}'); END;""",
    f"""CREATE TRIGGER outreach_feedbackitem_unreachable_needs_attempts_update
    BEFORE UPDATE OF unreachable_at ON outreach_feedbackitem
    WHEN NEW.unreachable_at IS NOT NULL AND OLD.unreachable_at IS NULL
        AND {too_few_attempt_days("NEW")}
    BEGIN SELECT RAISE(ABORT, '{UNREACHABLE_MESSAGE}'); END;""",
]
UNREACHABLE_SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS outreach_feedbackitem_unreachable_needs_attempts_{when};"
    for when in ("insert", "update")
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for statement in (SUMMARY_POSTGRES, GUARD_POSTGRES, UNREACHABLE_POSTGRES):
            schema_editor.execute(statement)
    elif vendor == "sqlite":
        for statement in (*SUMMARY_SQLITE, *GUARD_SQLITE, *UNREACHABLE_SQLITE):
            schema_editor.execute(statement)
    schema_editor.execute(RECOMPUTE)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(UNREACHABLE_POSTGRES_BACKWARD)
        schema_editor.execute(
            previous_summary.POSTGRES_FORWARD.split("CREATE TRIGGER")[0]  # the old function
        )
        schema_editor.execute(
            previous_guard.POSTGRES_FORWARD.split("CREATE TRIGGER")[0]  # the old function
        )
    elif vendor == "sqlite":
        for statement in UNREACHABLE_SQLITE_BACKWARD:
            schema_editor.execute(statement)
        for statement in (*previous_summary.SQLITE_BACKWARD, *previous_summary.SQLITE_FORWARD):
            schema_editor.execute(statement)
        schema_editor.execute(previous_guard.SQLITE_BACKWARD)
        schema_editor.execute(previous_guard.SQLITE_FORWARD)
    schema_editor.execute(previous_summary.BACKFILL)


class Migration(migrations.Migration):
    dependencies = [
        ("issues", "0007_more_list_indexes"),
        ("outreach", "0011_feedback_closed_as_unreachable"),
    ]

    operations = [migrations.RunPython(forward, backward)]
