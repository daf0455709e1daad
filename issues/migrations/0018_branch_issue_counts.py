"""Each branch's count of counted issues, kept by triggers on every write to issues.

A counted issue is neither withdrawn nor merged (``IssueQuerySet.counted``). The triggers
take one from the row's old branch when the old row counted and add one to the new row's
branch when the new row counts, in the writing transaction, so the totals are exact at
every moment whatever writes the issue: the services, the admin, bulk writes, raw SQL.
An update touching neither the branch nor whether the row counts changes nothing (the
``WHEN`` of the trigger), so transitions take no lock on the counts. TRUNCATE empties them.
"""

import django.db.models.deletion
from django.db import migrations, models

COUNTED_OLD = "OLD.withdrawn_at IS NULL AND OLD.merged_into_id IS NULL"
COUNTED_NEW = "NEW.withdrawn_at IS NULL AND NEW.merged_into_id IS NULL"
TAKE_OLD = (
    "UPDATE issues_branchissuecount SET counted = counted - 1 WHERE branch_id = OLD.branch_id"
)
ADD_NEW = (
    "INSERT INTO issues_branchissuecount (branch_id, counted) VALUES (NEW.branch_id, 1) "
    "ON CONFLICT (branch_id) DO UPDATE SET counted = issues_branchissuecount.counted + 1"
)
CHANGED = (
    "OLD.branch_id IS DISTINCT FROM NEW.branch_id"
    " OR (OLD.withdrawn_at IS NULL) <> (NEW.withdrawn_at IS NULL)"
    " OR (OLD.merged_into_id IS NULL) <> (NEW.merged_into_id IS NULL)"
)
RECOUNT = """
INSERT INTO issues_branchissuecount (branch_id, counted)
SELECT branch_id, COUNT(*) FROM issues_issue
WHERE withdrawn_at IS NULL AND merged_into_id IS NULL
GROUP BY branch_id
"""

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION issues_issue_keep_counts() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND {COUNTED_OLD} THEN
        {TAKE_OLD};
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND {COUNTED_NEW} THEN
        {ADD_NEW};
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_issue_keep_counts AFTER INSERT OR DELETE ON issues_issue
    FOR EACH ROW EXECUTE FUNCTION issues_issue_keep_counts();
CREATE TRIGGER issues_issue_keep_counts_update
    AFTER UPDATE OF branch_id, withdrawn_at, merged_into_id ON issues_issue
    FOR EACH ROW WHEN ({CHANGED}) EXECUTE FUNCTION issues_issue_keep_counts();
CREATE OR REPLACE FUNCTION issues_issue_clear_counts() RETURNS trigger AS $$
BEGIN
    DELETE FROM issues_branchissuecount;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_issue_clear_counts AFTER TRUNCATE ON issues_issue
    FOR EACH STATEMENT EXECUTE FUNCTION issues_issue_clear_counts();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS issues_issue_keep_counts ON issues_issue;
DROP TRIGGER IF EXISTS issues_issue_keep_counts_update ON issues_issue;
DROP TRIGGER IF EXISTS issues_issue_clear_counts ON issues_issue;
DROP FUNCTION IF EXISTS issues_issue_keep_counts();
DROP FUNCTION IF EXISTS issues_issue_clear_counts();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER issues_issue_count_insert AFTER INSERT ON issues_issue
    WHEN {COUNTED_NEW} BEGIN {ADD_NEW}; END;""",
    f"""CREATE TRIGGER issues_issue_count_update
    AFTER UPDATE OF branch_id, withdrawn_at, merged_into_id ON issues_issue WHEN {CHANGED}
    BEGIN
        UPDATE issues_branchissuecount SET counted = counted - 1
        WHERE branch_id = OLD.branch_id AND {COUNTED_OLD};
        INSERT INTO issues_branchissuecount (branch_id, counted)
        SELECT NEW.branch_id, 1 WHERE {COUNTED_NEW}
        ON CONFLICT (branch_id) DO UPDATE SET counted = counted + 1;
    END;""",
    f"""CREATE TRIGGER issues_issue_count_delete AFTER DELETE ON issues_issue
    WHEN {COUNTED_OLD} BEGIN {TAKE_OLD}; END;""",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS issues_issue_count_{when};" for when in ("insert", "update", "delete")
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    schema_editor.execute(RECOUNT)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0004_replies_need_approval"),
        ("issues", "0017_dashboard_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="BranchIssueCount",
            fields=[
                (
                    "branch",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="branches.branch",
                        verbose_name="branch",
                    ),
                ),
                ("counted", models.IntegerField(default=0, verbose_name="counted issues")),
            ],
            options={
                "verbose_name": "issue count of a branch",
                "verbose_name_plural": "issue counts of the branches",
            },
        ),
        migrations.RunPython(forward, backward),
    ]
