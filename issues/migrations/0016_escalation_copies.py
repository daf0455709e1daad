"""An issue's escalation figures are columns of the issue, kept by the database.

``Issue.ever_escalated``, ``ever_decided`` and ``decision_awaited`` say what its escalations
and their decisions say (``escalated_condition``, ``decided_condition``,
``awaiting_decision_condition``), so the dashboard's summary rows count them with the issue
(summaries/). Every write to an escalation or a decision refreshes its issue; a write to the
issue that names the columns (``save()`` of an object read before an escalation) gets the
computed values back, as the opinion's reply summary does (0011).
"""

from django.db import migrations, models


def escalated(issue: str) -> str:
    return f"EXISTS (SELECT 1 FROM issues_escalation e WHERE e.issue_id = {issue})"


def decided(issue: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM issues_provincialdecision d JOIN issues_escalation e "
        f"ON e.id = d.escalation_id WHERE e.issue_id = {issue})"
    )


def awaited(issue: str) -> str:
    latest = (
        f"(SELECT e2.id FROM issues_escalation e2 WHERE e2.issue_id = {issue} "
        "ORDER BY e2.requested_at DESC, e2.id DESC LIMIT 1)"
    )
    return (
        f"EXISTS (SELECT 1 FROM issues_escalation e WHERE e.issue_id = {issue} AND e.id = {latest} "
        "AND NOT EXISTS (SELECT 1 FROM issues_provincialdecision d WHERE d.escalation_id = e.id))"
    )


COLUMNS = {"ever_escalated": escalated, "ever_decided": decided, "decision_awaited": awaited}


def refresh(issue: str, differs: str | None) -> str:
    """Write the issue's copies. On PostgreSQL always (``differs`` None): the update takes
    the issue's row lock and its BEFORE trigger recomputes from a fresh snapshot, so two
    concurrent writes to its escalations cannot leave a stale copy. On SQLite (one writer)
    only when they differ."""
    values = ", ".join(f"{column} = {compute(issue)}" for column, compute in COLUMNS.items())
    if differs is None:
        return f"UPDATE issues_issue SET {values} WHERE id = {issue}"
    changed = " OR ".join(f"{column} {differs} {compute(issue)}" for column, compute in COLUMNS.items())
    return f"UPDATE issues_issue SET {values} WHERE id = {issue} AND ({changed})"


def of_decision(row: str) -> str:
    return f"(SELECT issue_id FROM issues_escalation WHERE id = {row}.escalation_id)"


PG = None
POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION issues_escalation_to_issue() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {refresh("OLD.issue_id", PG)}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN {refresh("NEW.issue_id", PG)}; END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_escalation_to_issue AFTER INSERT OR UPDATE OR DELETE ON issues_escalation
    FOR EACH ROW EXECUTE FUNCTION issues_escalation_to_issue();

CREATE OR REPLACE FUNCTION issues_decision_to_issue() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN {refresh(of_decision("OLD"), PG)}; END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN {refresh(of_decision("NEW"), PG)}; END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_decision_to_issue AFTER INSERT OR UPDATE OR DELETE ON issues_provincialdecision
    FOR EACH ROW EXECUTE FUNCTION issues_decision_to_issue();

CREATE OR REPLACE FUNCTION issues_issue_escalation_copies() RETURNS trigger AS $$
BEGIN
    NEW.ever_escalated := {escalated("NEW.id")};
    NEW.ever_decided := {decided("NEW.id")};
    NEW.decision_awaited := {awaited("NEW.id")};
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_issue_escalation_copies
    BEFORE INSERT OR UPDATE OF ever_escalated, ever_decided, decision_awaited ON issues_issue
    FOR EACH ROW EXECUTE FUNCTION issues_issue_escalation_copies();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS issues_escalation_to_issue ON issues_escalation;
DROP FUNCTION IF EXISTS issues_escalation_to_issue();
DROP TRIGGER IF EXISTS issues_decision_to_issue ON issues_provincialdecision;
DROP FUNCTION IF EXISTS issues_decision_to_issue();
DROP TRIGGER IF EXISTS issues_issue_escalation_copies ON issues_issue;
DROP FUNCTION IF EXISTS issues_issue_escalation_copies();
"""
SQ = "IS NOT"
SQLITE_DISAGREES = " OR ".join(f"NEW.{column} IS NOT {compute('NEW.id')}" for column, compute in COLUMNS.items())
SQLITE_FORWARD = [
    f"""CREATE TRIGGER issues_escalation_to_issue_insert AFTER INSERT ON issues_escalation
    BEGIN {refresh("NEW.issue_id", SQ)}; END;""",
    f"""CREATE TRIGGER issues_escalation_to_issue_update AFTER UPDATE ON issues_escalation
    BEGIN {refresh("OLD.issue_id", SQ)}; {refresh("NEW.issue_id", SQ)}; END;""",
    f"""CREATE TRIGGER issues_escalation_to_issue_delete AFTER DELETE ON issues_escalation
    BEGIN {refresh("OLD.issue_id", SQ)}; END;""",
    f"""CREATE TRIGGER issues_decision_to_issue_insert AFTER INSERT ON issues_provincialdecision
    BEGIN {refresh(of_decision("NEW"), SQ)}; END;""",
    f"""CREATE TRIGGER issues_decision_to_issue_update AFTER UPDATE ON issues_provincialdecision
    BEGIN {refresh(of_decision("OLD"), SQ)}; {refresh(of_decision("NEW"), SQ)}; END;""",
    f"""CREATE TRIGGER issues_decision_to_issue_delete AFTER DELETE ON issues_provincialdecision
    BEGIN {refresh(of_decision("OLD"), SQ)}; END;""",
    # SQLite cannot change NEW: the computed values are written back when they differ.
    *(
        f"""CREATE TRIGGER issues_issue_escalation_copies_{when} AFTER {event} ON issues_issue
        WHEN {SQLITE_DISAGREES} BEGIN {refresh("NEW.id", SQ)}; END;"""
        for when, event in (
            ("insert", "INSERT"),
            ("update", "UPDATE OF ever_escalated, ever_decided, decision_awaited"),
        )
    ),
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        *(f"issues_escalation_to_issue_{w}" for w in ("insert", "update", "delete")),
        *(f"issues_decision_to_issue_{w}" for w in ("insert", "update", "delete")),
        "issues_issue_escalation_copies_insert",
        "issues_issue_escalation_copies_update",
    )
]


NEW_COLUMNS = ("ever_escalated", "ever_decided", "decision_awaited")


def add_columns(apps, schema_editor):
    false = "false" if schema_editor.connection.vendor == "postgresql" else "0"
    for table in ("issues_issue", "issues_historicalissue"):
        for column in NEW_COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE {table} ADD COLUMN "{column}" boolean NOT NULL DEFAULT {false}'
            )


def remove_columns(apps, schema_editor):
    for table in ("issues_issue", "issues_historicalissue"):
        for column in NEW_COLUMNS:
            schema_editor.execute(f'ALTER TABLE {table} DROP COLUMN "{column}"')


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    # The issues escalated before.
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else SQ
    schema_editor.execute(
        refresh("issues_issue.id", differs).replace(
            "WHERE id = issues_issue.id AND",
            "WHERE EXISTS (SELECT 1 FROM issues_escalation x WHERE x.issue_id = issues_issue.id) AND",
        )
    )


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('issues', '0015_one_pending_reply_draft_per_opinion'),
    ]

    operations = [
        # On SQLite, Django would remake issues_issue for a NOT NULL column, dropping the
        # triggers that live on it (0004, 0009, 0010, 0014); ADD COLUMN keeps them.
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.AddField(
            model_name='historicalissue',
            name='decision_awaited',
            field=models.BooleanField(default=False, editable=False, verbose_name='waiting for a provincial decision'),
        ),
        migrations.AddField(
            model_name='historicalissue',
            name='ever_decided',
            field=models.BooleanField(default=False, editable=False, verbose_name='studied by the provincial meeting'),
        ),
        migrations.AddField(
            model_name='historicalissue',
            name='ever_escalated',
            field=models.BooleanField(default=False, editable=False, verbose_name='ever escalated'),
        ),
        migrations.AddField(
            model_name='issue',
            name='decision_awaited',
            field=models.BooleanField(default=False, editable=False, verbose_name='waiting for a provincial decision'),
        ),
        migrations.AddField(
            model_name='issue',
            name='ever_decided',
            field=models.BooleanField(default=False, editable=False, verbose_name='studied by the provincial meeting'),
        ),
        migrations.AddField(
            model_name='issue',
            name='ever_escalated',
            field=models.BooleanField(default=False, editable=False, verbose_name='ever escalated'),
        ),
            ],
            database_operations=[migrations.RunPython(add_columns, remove_columns)],
        ),
        migrations.RunPython(forward, backward),
    ]
