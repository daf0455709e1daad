"""``manage.py generate_scale_data`` loads a small, internally consistent province.

The generator writes with PostgreSQL COPY and refuses SQLite, so the loading tests run on
PostgreSQL only (CI sets ``DATABASE_URL``). They are transactional: COPY, TRUNCATE and the
trigger switches must really commit, and the command's own transactions must be real ones.
"""

from __future__ import annotations

import importlib
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from bench.generate import COPIES_MISMATCH_SQL, SCALE_1, SUMMARY_MISMATCH_SQL
from issues.models import (
    BranchIssueCount,
    Escalation,
    Issue,
    IssueEvent,
    ProvincialDecision,
    Reply,
)
from outreach.models import UNREPLIED, Activity, Campaign, Enterprise, FeedbackItem
from outreach.validators import validate_uscc
from reports.metrics import campaign_report
from reports.selection import Selection
from tests.reference import put_back_role_groups

pytestmark = pytest.mark.django_db(transaction=True)

SCALE = 0.002
State = Issue.State
on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the generator loads with PostgreSQL COPY; SQLite is refused (set DATABASE_URL)",
)


def seed_reference_data():
    """The rows data migrations made (role groups, categories, equipment classes)."""
    from django.apps import apps

    reference = importlib.import_module("outreach.migrations.0002_reference_data")
    put_back_role_groups()
    reference.seed(apps, None)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """A transactional test starts from whatever the previous one flushed: put them back."""
    seed_reference_data()


@pytest.fixture(scope="module", autouse=True)
def _leave_reference_data_behind(django_db_blocker):
    """Django empties every table after a transactional test; the tests that run after this
    module (inside rolled-back transactions) expect the migrations' rows, so put them back."""
    yield
    with django_db_blocker.unblock():
        seed_reference_data()


def generate(tmp_path, **options):
    call_command(
        "generate_scale_data",
        scale=SCALE,
        seed=1,
        out_dir=str(tmp_path),
        stdout=io.StringIO(),
        **options,
    )
    return json.loads((tmp_path / "dataset.json").read_text())


@pytest.mark.skipif("connection.vendor == 'postgresql'", reason="checks the refusal on SQLite")
def test_refuses_sqlite_clearly(tmp_path):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        generate(tmp_path)


@on_postgresql
def test_loads_a_consistent_province(tmp_path):
    data = generate(tmp_path)

    # Counts in proportion to the scale.
    def near(actual, at_scale_1, tolerance):
        wanted = at_scale_1 * SCALE
        assert abs(actual - wanted) <= tolerance * wanted, (actual, wanted)

    assert Enterprise.objects.count() == round(SCALE_1["enterprises"] * SCALE)
    assert Activity.objects.count() == round(SCALE_1["activities"] * SCALE)
    near(FeedbackItem.objects.count(), SCALE_1["feedback_items"], 0.1)
    near(Issue.objects.counted().count(), SCALE_1["issues"], 0.15)
    assert data["rows"]["outreach_feedbackitem"] == FeedbackItem.objects.count()

    # Opinions belong to their activity's branch; a named one to an enterprise met there.
    assert not FeedbackItem.objects.exclude(branch=F("activity__branch")).exists()
    named = FeedbackItem.objects.filter(enterprise__isnull=False)
    met = Activity.enterprises.through.objects.filter(
        activity=OuterRef("activity"), enterprise=OuterRef("enterprise")
    )
    assert not named.filter(~Exists(met)).exists()
    assert not named.exclude(enterprise__branch=F("branch")).exists()
    anonymous = FeedbackItem.objects.filter(enterprise__isnull=True).count()
    assert 0 < anonymous < 0.15 * FeedbackItem.objects.count()
    for enterprise in Enterprise.objects.exclude(uscc="")[:50]:
        validate_uscc(enterprise.uscc)

    # Dispositions: linked or closed, never both (the database's constraint), and undisposed
    # ones only in the last two campaigns.
    newest = data["newest_campaign_id"]
    undisposed = FeedbackItem.objects.undisposed()
    assert undisposed.exists()
    assert not undisposed.filter(activity__campaign__lt=newest - 1).exists()

    # Every counted issue gathers opinions of its own branch and campaign.
    counted = Issue.objects.counted()
    assert not counted.annotate(n=Count("feedback_items")).filter(n=0).exists()
    linked = FeedbackItem.objects.filter(issue__isnull=False)
    assert not linked.exclude(issue__branch=F("branch")).exists()
    assert not linked.exclude(issue__campaign=F("activity__campaign")).exists()

    # Every state, and every kind of history.
    assert set(counted.values_list("state", flat=True)) == set(State.values)
    assert Escalation.objects.exists() and ProvincialDecision.objects.exists()
    merged = Issue.objects.filter(merged_into__isnull=False)
    assert merged.exists()
    assert not merged.exclude(merged_into__branch=F("branch")).exists()
    assert not merged.exclude(merged_into__campaign=F("campaign")).exists()
    assert not merged.filter(merged_at__isnull=True).exists()
    assert Issue.objects.filter(withdrawn_at__isnull=False).exclude(withdrawn_reason="").exists()
    assert counted.filter(reopen_count__gt=0).exists()
    assert counted.filter(immediate_fix=True).exists()
    assert counted.overdue().exists()
    assert (
        counted.filter(state=State.ESCALATED)
        .filter(Exists(Escalation.objects.filter(issue=OuterRef("pk"), decision__isnull=True)))
        .count()
        == counted.filter(state=State.ESCALATED).count()
    )

    # States agree with their fields.
    assert not counted.filter(
        state__in=[State.RECTIFIED, State.ANSWERED], rectified_at=None
    ).exists()
    assert not counted.filter(state=State.ANSWERED, answered_at=None).exists()
    assert not counted.exclude(state=State.ANSWERED).exclude(answered_at=None).exists()
    assert not counted.filter(state=State.RECTIFYING, deadline=None).exists()

    # 件件有反馈: an answered issue's active opinions all have a reply that reached them.
    assert not FeedbackItem.objects.active().filter(UNREPLIED, issue__state=State.ANSWERED).exists()
    # No opinion is left on a withdrawn or merged issue (the triggers were off while loading).
    assert not FeedbackItem.objects.filter(
        Q(issue__withdrawn_at__isnull=False) | Q(issue__merged_into__isnull=False)
    ).exists()
    # Reopened issues went back because a reply said "unsatisfied".
    for issue in counted.filter(reopen_count__gt=0)[:20]:
        assert Reply.objects.filter(
            feedback_item__issue=issue, satisfaction=Reply.Satisfaction.UNSATISFIED
        ).exists()
        assert issue.events.filter(
            kind=IssueEvent.Kind.TRANSITION, from_state=State.ANSWERED, to_state=State.RECTIFYING
        ).exists()

    # The reply summary kept on each opinion equals what its replies say.
    with connection.cursor() as cursor:
        cursor.execute(SUMMARY_MISMATCH_SQL)
        assert cursor.fetchone()[0] == 0
    assert data["reply_summary_mismatches"] == 0
    # So are the opinions' copies of their activity's branch and their issue's branch and
    # campaign...
    with connection.cursor() as cursor:
        cursor.execute(COPIES_MISMATCH_SQL)
        assert cursor.fetchone()[0] == 0
    assert data["copy_mismatches"] == 0
    # ...and the branches' issue counts, recounted after the load with the triggers off.
    assert data["branch_issue_count_mismatches"] == 0
    assert BranchIssueCount.objects.aggregate(n=Sum("counted"))["n"] == data["counted_issues"]
    # ...and the triggers that keep them are back on.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN"
            " ('issues_reply'::regclass, 'outreach_feedbackitem'::regclass)"
        )
        triggers = dict(cursor.fetchall())
    assert "issues_reply_refresh_feedback" in triggers
    assert "outreach_feedbackitem_branch_is_activitys" in triggers
    assert set(triggers.values()) == {"O"}
    assert FeedbackItem.objects.replied().count() > 0.8 * FeedbackItem.objects.count()

    # The timeline: every issue starts with "created"; one has a long one.
    assert not Issue.objects.filter(
        ~Exists(IssueEvent.objects.filter(issue=OuterRef("pk"), kind=IssueEvent.Kind.CREATED))
    ).exists()
    long_issue = data["long_timeline_issue_id"]
    assert IssueEvent.objects.filter(issue=long_issue).count() >= 100
    assert Issue.objects.get(pk=long_issue).merged_into_id is None

    # Sequences were reset: the next row the app makes gets a fresh id.
    assert Issue.objects.order_by("-pk").first().pk == Issue.objects.count()


@on_postgresql
def test_the_app_counts_what_was_loaded(tmp_path):
    data = generate(tmp_path)
    User = get_user_model()
    leader = User.objects.get(username="leader")
    staff = User.objects.get(username="quanzhou_staff")
    assert leader.check_password(data["password"]) and staff.check_password(data["password"])

    total = campaign_report(leader, Selection()).total
    items = FeedbackItem.objects.active()
    counted = Issue.objects.counted()
    assert total["feedback_items"] == items.count()
    assert total["undisposed_feedback"] == items.undisposed().count()
    assert total["replied_feedback"] == items.replied().count()
    assert total["issues_found"] == counted.count()
    assert total["answered"] == counted.filter(state=State.ANSWERED).count()
    fixes = counted.filter(immediate_fix=True)
    assert total["fixed_on_the_spot"] == fixes.filter(reopen_count=0).count()
    assert total["fixed_on_the_spot_reopened"] == fixes.filter(reopen_count__gt=0).count()
    assert total["overdue"] == counted.overdue().count()
    assert total["escalated"] == counted.filter(escalations__isnull=False).distinct().count()
    decided = counted.filter(escalations__decision__isnull=False).distinct()
    assert total["decided_by_province"] == decided.count()
    assert total["awaiting_decision"] == counted.filter(state=State.ESCALATED).count()
    assert total["enterprises_visited"] > 0
    assert total.satisfaction_rate.value > 0.8

    # A branch member sees only the branch; the branch rows add up to the province.
    branch_total = campaign_report(staff, Selection()).total
    assert branch_total["feedback_items"] == items.filter(branch=data["branch_id"]).count()
    assert 0 < branch_total["feedback_items"] < total["feedback_items"]
    campaign = Campaign.objects.get(pk=data["newest_campaign_id"])
    newest = campaign_report(leader, Selection(campaign=campaign))
    assert (
        sum(row.figures["issues_found"] for row in newest.branches)
        == counted.filter(campaign=data["newest_campaign_id"]).count()
    )


CHECKSUM_SQL = """
SELECT (SELECT md5(string_agg(concat_ws('|', id, state, deadline, merged_into_id, reopen_count,
                                        created_at), ',' ORDER BY id)) FROM issues_issue),
       (SELECT md5(string_agg(concat_ws('|', id, issue_id, closed_at, last_replied_on,
                                        satisfaction, content), ',' ORDER BY id))
        FROM outreach_feedbackitem)
"""


def checksum():
    with connection.cursor() as cursor:
        cursor.execute(CHECKSUM_SQL)
        return cursor.fetchone()


@on_postgresql
def test_reruns_need_yes_and_give_the_same_data(tmp_path):
    first = generate(tmp_path)
    first_sum = checksum()
    with pytest.raises(CommandError, match="--yes"):
        generate(tmp_path)
    second = generate(tmp_path, yes=True)
    assert first["rows"] == second["rows"]
    assert first["issue_states"] == second["issue_states"]
    assert first["long_timeline_issue_id"] == second["long_timeline_issue_id"]
    # The ids start again from 1 (RESTART IDENTITY): the same seed gives the same rows.
    assert checksum() == first_sum
