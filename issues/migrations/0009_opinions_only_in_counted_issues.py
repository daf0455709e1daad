"""An opinion is linked only to an issue that counts (not withdrawn, not merged).

A withdrawn or merged issue leaves every figure, so an opinion linked to it would count as
disposed while no counted issue holds it: it would fall out of the promise meter. The
services move opinions first (a merge moves them to the survivor, a withdrawal returns them
to "no disposition"); these triggers refuse any other write that would leave one behind,
on SQLite and PostgreSQL alike:

* an opinion cannot be linked to a withdrawn or merged issue;
* an issue cannot be withdrawn or merged while opinions are linked to it.

Opinions already left on withdrawn or merged issues (the admin could withdraw an issue) go
back to "no disposition" first, with a line on the issue's timeline.

On SQLite a trigger lives with its table: a later migration that remakes
``outreach_feedbackitem`` or ``issues_issue`` drops it, and
tests/issues/test_promise_in_database.py fails until it is created again.
"""

from django.db import migrations
from django.utils import timezone

LINK_MESSAGE = "an opinion cannot be linked to a withdrawn or merged issue"
LINK_CONDITION = """
    NEW.issue_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM issues_issue i
        WHERE i.id = NEW.issue_id
          AND (i.withdrawn_at IS NOT NULL OR i.merged_into_id IS NOT NULL)
    )
"""
ISSUE_MESSAGE = "a withdrawn or merged issue keeps no opinions: move or unlink them first"
ISSUE_CONDITION = """
    (NEW.withdrawn_at IS NOT NULL OR NEW.merged_into_id IS NOT NULL) AND EXISTS (
        SELECT 1 FROM outreach_feedbackitem item WHERE item.issue_id = NEW.id
    )
"""

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION outreach_feedbackitem_counted_issue() RETURNS trigger AS $$
BEGIN
    IF {LINK_CONDITION} THEN
        RAISE EXCEPTION '{LINK_MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER outreach_feedbackitem_counted_issue
    BEFORE INSERT OR UPDATE OF issue_id ON outreach_feedbackitem
    FOR EACH ROW EXECUTE FUNCTION outreach_feedbackitem_counted_issue();

CREATE OR REPLACE FUNCTION issues_issue_uncounted_keeps_no_opinions() RETURNS trigger AS $$
BEGIN
    IF {ISSUE_CONDITION} THEN
        RAISE EXCEPTION '{ISSUE_MESSAGE}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER issues_issue_uncounted_keeps_no_opinions
    BEFORE UPDATE OF withdrawn_at, merged_into_id ON issues_issue
    FOR EACH ROW EXECUTE FUNCTION issues_issue_uncounted_keeps_no_opinions();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS outreach_feedbackitem_counted_issue ON outreach_feedbackitem;
DROP FUNCTION IF EXISTS outreach_feedbackitem_counted_issue();
DROP TRIGGER IF EXISTS issues_issue_uncounted_keeps_no_opinions ON issues_issue;
DROP FUNCTION IF EXISTS issues_issue_uncounted_keeps_no_opinions();
"""
SQLITE_FORWARD = [
    f"""CREATE TRIGGER outreach_feedbackitem_counted_issue_insert
    BEFORE INSERT ON outreach_feedbackitem WHEN {LINK_CONDITION}
    BEGIN SELECT RAISE(ABORT, '{LINK_MESSAGE}'); END;""",
    f"""CREATE TRIGGER outreach_feedbackitem_counted_issue_update
    BEFORE UPDATE OF issue_id ON outreach_feedbackitem WHEN {LINK_CONDITION}
    BEGIN SELECT RAISE(ABORT, '{LINK_MESSAGE}'); END;""",
    f"""CREATE TRIGGER issues_issue_uncounted_keeps_no_opinions
    BEFORE UPDATE OF withdrawn_at, merged_into_id ON issues_issue WHEN {ISSUE_CONDITION}
    BEGIN SELECT RAISE(ABORT, '{ISSUE_MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS outreach_feedbackitem_counted_issue_insert;",
    "DROP TRIGGER IF EXISTS outreach_feedbackitem_counted_issue_update;",
    "DROP TRIGGER IF EXISTS issues_issue_uncounted_keeps_no_opinions;",
]


def return_left_opinions(apps, schema_editor):
    """Opinions of withdrawn or merged issues go back to "no disposition", noted on the
    issue's timeline (a merge moved its opinions already; a withdrawal in the admin did not).
    """
    Issue = apps.get_model("issues", "Issue")
    IssueEvent = apps.get_model("issues", "IssueEvent")
    FeedbackItem = apps.get_model("outreach", "FeedbackItem")
    uncounted = Issue.objects.filter(withdrawn_at__isnull=False) | Issue.objects.filter(
        merged_into__isnull=False
    )
    now = timezone.now()
    for issue in uncounted.filter(feedback_items__isnull=False).distinct():
        ids = sorted(FeedbackItem.objects.filter(issue=issue).values_list("pk", flat=True))
        FeedbackItem.objects.filter(pk__in=ids).update(issue=None, updated_at=now)
        IssueEvent.objects.create(
            issue=issue,
            kind="comment",
            note="意见退回“未处置”（问题已撤回或合并）：" + "、".join(f"#{pk}" for pk in ids),
            created_at=now,
        )


def forward(apps, schema_editor):
    return_left_opinions(apps, schema_editor)
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
        ("issues", "0008_attempts_are_not_replies"),
    ]

    operations = [migrations.RunPython(forward, backward)]
