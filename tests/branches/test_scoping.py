"""Who sees which rows (``visible_to``), who holds which role (services), who may do what (rules).

Scoping is checked with exact sets of primary keys over a world holding one row of every
branch-owned model in branch A and one in branch B, so a leak and a hole both fail.
"""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from branches import rules
from branches.models import Liaison, Membership
from branches.scoping import scope_of
from branches.services import liaison_set, membership_set
from imports.models import ImportBatch
from issues.models import (
    BranchIssueCount,
    DeadlineExtension,
    Escalation,
    Instruction,
    Issue,
    IssueEvent,
    IssueEvidence,
    IssueReturn,
    ProvincialDecision,
    ProvincialMeeting,
    Reply,
    ReplyDraft,
    SupervisionNotice,
)
from outreach.models import (
    Activity,
    ActivityAttachment,
    Campaign,
    Enterprise,
    FeedbackItem,
)
from receipts.models import EnterpriseRating, Receipt
from tests.factories import (
    CampaignFactory,
    EscalationFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ProvincialMeetingFactory,
    UserFactory,
)
from tests.receipts.rows import enterprise_rating
from workdays.models import CalendarDay, ScheduledYear

pytestmark = pytest.mark.django_db

Role = Membership.Role

#: Every branch-owned model with ``visible_to``, and its attribute in ``world.a``/``world.b``.
#: (Campaigns and the enterprise registry are province-wide: checked below.)
BRANCH_SCOPED = {
    Activity: "activity",
    ActivityAttachment: "attachment",
    FeedbackItem: "feedback",
    Issue: "issue",
    IssueEvidence: "evidence",
    Escalation: "escalation",
    ProvincialMeeting: "meeting",
    ProvincialDecision: "decision",
    Reply: "reply",
    Instruction: "instruction",
    IssueEvent: "event",
    ImportBatch: "import_batch",
    IssueReturn: "issue_return",
    DeadlineExtension: "extension",
    SupervisionNotice: "supervision_notice",
    ReplyDraft: "reply_draft",
    Receipt: "receipt",
    EnterpriseRating: "rating",
    BranchIssueCount: "issue_count",
}


@pytest.fixture
def world(world):
    """The shared world, with the enterprise's rating of each branch's answer and each
    branch's issue count."""
    enterprise_rating(world.a)
    enterprise_rating(world.b)
    # Written by the database for each branch's counted issue (issues/migrations/0018).
    for side in (world.a, world.b):
        side.issue_count = BranchIssueCount.objects.get(branch=side.branch)
    return world


BRANCH_MEMBERS = ["staff_a", "lead_a", "staff_b", "lead_b"]
SEE_EVERY_BRANCH = ["office", "leader", "admin_user"]
SEE_NOTHING = ["no_role_user", "inactive_user", "anonymous"]


def visible(user) -> dict[str, set[int]]:
    """The primary keys ``user`` sees, per model label."""
    return {
        model._meta.label: set(model.objects.visible_to(user).values_list("pk", flat=True))
        for model in BRANCH_SCOPED
    }


def rows_of(world, *sides: str) -> dict[str, set[int]]:
    """The primary keys of the world's rows in the given branches, per model label."""
    return {
        model._meta.label: {getattr(getattr(world, side), attr).pk for side in sides}
        for model, attr in BRANCH_SCOPED.items()
    }


# --- visible_to ---------------------------------------------------------------------


#: The dashboard's summary rows: many per branch (one per key), each of one branch.
SUMMARIES = list(apps.get_app_config("summaries").get_models())


def test_every_model_with_visible_to_is_checked_here():
    scoped = {model for model in apps.get_models() if hasattr(model._default_manager, "visible_to")}
    # The working-day calendar is the province's, read by every role (tests/workdays).
    assert scoped == {
        *BRANCH_SCOPED,
        *SUMMARIES,
        Campaign,
        Enterprise,
        CalendarDay,
        ScheduledYear,
    }


@pytest.mark.parametrize("model", SUMMARIES, ids=lambda model: model.__name__)
def test_a_branch_sees_only_its_own_summary_rows(personas, world, model):
    everything = set(model.objects.values_list("branch_id", flat=True))
    assert everything == {world.a.branch.pk, world.b.branch.pk}
    for persona, side in (("staff_a", "a"), ("lead_b", "b")):
        seen = set(model.objects.visible_to(personas[persona]).values_list("branch_id", flat=True))
        assert seen == {getattr(world, side).branch.pk}
    assert set(
        model.objects.visible_to(personas["leader"]).values_list("branch_id", flat=True)
    ) == (everything)
    assert not model.objects.visible_to(personas["no_role_user"]).exists()


def test_world_holds_exactly_one_row_per_branch_of_every_scoped_model(world):
    everything = {
        model._meta.label: set(model.objects.values_list("pk", flat=True))
        for model in BRANCH_SCOPED
    }
    assert everything == rows_of(world, "a", "b")
    assert all(len(pks) == 2 for pks in everything.values())


@pytest.mark.parametrize(
    ("persona", "side"), [("staff_a", "a"), ("lead_a", "a"), ("staff_b", "b"), ("lead_b", "b")]
)
def test_branch_member_sees_only_own_branch_rows(personas, world, persona, side):
    assert visible(personas[persona]) == rows_of(world, side)


@pytest.mark.parametrize("persona", SEE_EVERY_BRANCH)
def test_provincial_roles_and_admin_see_every_branch_rows(personas, world, persona):
    assert visible(personas[persona]) == rows_of(world, "a", "b")


@pytest.mark.parametrize("persona", SEE_NOTHING)
def test_user_without_scope_sees_no_rows(personas, world, persona):
    assert visible(personas[persona]) == rows_of(world)


@pytest.mark.parametrize("persona", BRANCH_MEMBERS + SEE_EVERY_BRANCH)
def test_every_member_of_the_institute_sees_every_campaign(personas, persona):
    campaigns = CampaignFactory.create_batch(2)
    visible_pks = set(Campaign.objects.visible_to(personas[persona]).values_list("pk", flat=True))
    assert visible_pks == {campaign.pk for campaign in campaigns}


@pytest.mark.parametrize("persona", SEE_NOTHING)
def test_user_without_scope_sees_no_campaign(personas, persona):
    CampaignFactory()
    assert not Campaign.objects.visible_to(personas[persona]).exists()


@pytest.mark.parametrize("persona", BRANCH_MEMBERS + SEE_EVERY_BRANCH)
def test_every_member_of_the_institute_sees_every_enterprise(personas, world, persona):
    """One registry for the province: what a branch heard there stays scoped (above)."""
    visible_pks = set(Enterprise.objects.visible_to(personas[persona]).values_list("pk", flat=True))
    assert visible_pks == {world.a.enterprise.pk, world.b.enterprise.pk}


@pytest.mark.parametrize("persona", SEE_NOTHING)
def test_user_without_scope_sees_no_enterprise(personas, world, persona):
    assert not Enterprise.objects.visible_to(personas[persona]).exists()


def test_meeting_deciding_issues_of_two_branches_is_visible_to_both_once(
    staff_a, staff_b, branch_a, branch_b
):
    meeting = ProvincialMeetingFactory()
    decisions_a = [
        ProvincialDecisionFactory(meeting=meeting, escalation__issue__branch=branch_a)
        for _ in range(2)
    ]
    decision_b = ProvincialDecisionFactory(meeting=meeting, escalation__issue__branch=branch_b)

    # Listed once, although two of its decisions are A's (the query is distinct).
    assert list(ProvincialMeeting.objects.visible_to(staff_a)) == [meeting]
    assert list(ProvincialMeeting.objects.visible_to(staff_b)) == [meeting]
    # The meeting is shared; its decisions are not.
    assert set(ProvincialDecision.objects.visible_to(staff_a)) == set(decisions_a)
    assert set(ProvincialDecision.objects.visible_to(staff_b)) == {decision_b}


def test_meeting_without_decisions_is_visible_only_to_provincial_roles(personas):
    meeting = ProvincialMeetingFactory(recorded_by=personas["office"])
    seen_by = {
        name
        for name, user in personas.items()
        if ProvincialMeeting.objects.visible_to(user).filter(pk=meeting.pk).exists()
    }
    assert seen_by == set(SEE_EVERY_BRANCH)


def test_withdrawn_rows_stay_in_scope_and_only_active_hides_them(staff_a, branch_a):
    withdrawn = IssueFactory(branch=branch_a, withdrawn=True)
    assert Issue.objects.visible_to(staff_a).filter(pk=withdrawn.pk).exists()
    assert not Issue.objects.visible_to(staff_a).active().filter(pk=withdrawn.pk).exists()


def test_escalation_follows_its_issue_branch_not_the_requester(lead_b, branch_a, staff_a):
    # Even if a B user somehow requested it, an escalation of A's issue is A's.
    escalation = EscalationFactory(issue__branch=branch_a, requested_by=lead_b)
    assert set(Escalation.objects.visible_to(staff_a)) == {escalation}
    assert not Escalation.objects.visible_to(lead_b).exists()


def test_scope_follows_a_move_to_another_branch(staff_a, branch_a, branch_b):
    issue_a = IssueFactory(branch=branch_a)
    issue_b = IssueFactory(branch=branch_b)
    assert set(Issue.objects.visible_to(staff_a)) == {issue_a}

    membership_set(user=staff_a, branch=branch_b, role=Role.STAFF)

    assert set(Issue.objects.visible_to(staff_a)) == {issue_b}


def test_scope_of_a_superuser_is_every_branch_even_with_a_branch_membership(admin_user, branch_a):
    membership_set(user=admin_user, branch=branch_a, role=Role.STAFF)
    admin_user.refresh_from_db()
    assert scope_of(admin_user).all_branches


# --- membership_set ---------------------------------------------------------------


def role_groups(user) -> set[str]:
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("role", "branch_fixture"),
    [
        (Role.STAFF, "branch_a"),
        (Role.LEAD, "branch_a"),
        (Role.OFFICE, "province"),
        (Role.LEADER, "province"),
    ],
)
def test_membership_set_puts_the_user_in_the_role_group(request, role, branch_fixture):
    user = UserFactory()
    branch = request.getfixturevalue(branch_fixture)

    membership = membership_set(user=user, branch=branch, role=role, job_title="科员")

    assert (membership.branch, membership.role, membership.job_title) == (branch, role, "科员")
    assert role_groups(user) == {Membership.GROUP_NAMES[role]}


def test_membership_set_moves_the_user_to_the_new_role_group_on_role_change(staff_a, branch_a):
    membership_set(user=staff_a, branch=branch_a, role=Role.LEAD)

    assert Membership.objects.get(user=staff_a).role == Role.LEAD
    assert role_groups(staff_a) == {"branch lead"}


def test_membership_set_moves_a_branch_member_to_the_province(staff_a, province):
    membership_set(user=staff_a, branch=province, role=Role.OFFICE)

    membership = Membership.objects.get(user=staff_a)
    assert (membership.branch, membership.role) == (province, Role.OFFICE)
    assert role_groups(staff_a) == {"provincial office"}


def test_membership_set_keeps_groups_that_are_not_role_groups(staff_a, branch_a):
    auditors = Group.objects.create(name="auditors")
    staff_a.groups.add(auditors)

    membership_set(user=staff_a, branch=branch_a, role=Role.LEAD)

    assert role_groups(staff_a) == {"auditors", "branch lead"}


@pytest.mark.parametrize("role", [Role.OFFICE, Role.LEADER])
def test_provincial_role_in_a_city_branch_is_refused(branch_a, role):
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        membership_set(user=user, branch=branch_a, role=role)
    assert excinfo.value.code == "provincial_role_in_city_branch"
    assert not Membership.objects.filter(user=user).exists()
    assert role_groups(user) == set()


@pytest.mark.parametrize("role", [Role.STAFF, Role.LEAD])
def test_branch_role_in_the_province_is_refused(province, role):
    user = UserFactory()
    with pytest.raises(ValidationError) as excinfo:
        membership_set(user=user, branch=province, role=role)
    assert excinfo.value.code == "branch_role_in_province"
    assert not Membership.objects.filter(user=user).exists()


def test_refused_role_change_leaves_the_membership_as_it_was(staff_a, branch_a):
    with pytest.raises(ValidationError):
        membership_set(user=staff_a, branch=branch_a, role=Role.OFFICE)
    membership = Membership.objects.get(user=staff_a)
    assert (membership.branch, membership.role) == (branch_a, Role.STAFF)
    assert role_groups(staff_a) == {"branch staff"}


def test_provincial_office_becomes_django_staff(province):
    user = UserFactory(is_staff=False)
    membership_set(user=user, branch=province, role=Role.OFFICE)
    user.refresh_from_db()
    assert user.is_staff


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "leader"])
def test_other_roles_do_not_become_django_staff(personas, persona):
    user = personas[persona]
    user.refresh_from_db()
    assert not user.is_staff


# --- liaison_set ------------------------------------------------------------------


def liaison_branches(leader) -> set:
    return {liaison.branch for liaison in Liaison.objects.filter(leader=leader)}


def test_leader_persona_has_liaison_branch_a(leader, branch_a):
    assert liaison_branches(leader) == {branch_a}


def test_liaison_set_makes_the_branches_exactly_the_leaders_liaisons(leader, branch_a, branch_b):
    liaison_set(leader=leader, branches=[branch_a, branch_b])
    assert liaison_branches(leader) == {branch_a, branch_b}

    liaison_set(leader=leader, branches=[branch_b])
    assert liaison_branches(leader) == {branch_b}

    liaison_set(leader=leader, branches=[])
    assert liaison_branches(leader) == set()


@pytest.mark.parametrize("persona", ["staff_a", "lead_a", "office", "admin_user", "no_role_user"])
def test_only_institute_leaders_have_liaison_branches(personas, branch_a, persona):
    with pytest.raises(ValidationError) as excinfo:
        liaison_set(leader=personas[persona], branches=[branch_a])
    assert excinfo.value.code == "liaison_not_leader"
    assert not Liaison.objects.filter(leader=personas[persona]).exists()


# --- rules ------------------------------------------------------------------------

PREDICATES = [
    "is_branch_member",
    "is_provincial_office",
    "is_institute_leader",
    "can_manage_users",
    "can_log_outreach",
    "can_merge_enterprises",
]

#: The role each persona has and the predicates that hold for them (all others must not).
RULES_TABLE = {
    "staff_a": (Role.STAFF, {"is_branch_member", "can_log_outreach"}),
    "lead_a": (Role.LEAD, {"is_branch_member", "can_log_outreach"}),
    "staff_b": (Role.STAFF, {"is_branch_member", "can_log_outreach"}),
    "lead_b": (Role.LEAD, {"is_branch_member", "can_log_outreach"}),
    "office": (Role.OFFICE, {"is_provincial_office", "can_manage_users", "can_merge_enterprises"}),
    "leader": (Role.LEADER, {"is_institute_leader"}),
    "admin_user": (None, {"can_manage_users"}),
    "no_role_user": (None, set()),
    "anonymous": (None, set()),
}


@pytest.mark.parametrize("persona", RULES_TABLE)
def test_rules_grant_each_persona_exactly_its_roles_rights(personas, persona):
    user = personas[persona]
    expected_role, expected_true = RULES_TABLE[persona]

    holding = {name for name in PREDICATES if getattr(rules, name)(user)}

    assert rules.role_of(user) == expected_role
    assert holding == expected_true


def test_rules_grant_a_deactivated_member_nothing(inactive_user):
    # Scoping gives an inactive user nothing; the rules should agree with it.
    assert {name for name in PREDICATES if getattr(rules, name)(inactive_user)} == set()


#: Who keeps the shared record of branch A's enterprise: A's writers and the office.
KEEPS_A_ENTERPRISE = {"staff_a", "lead_a", "office"}


@pytest.mark.parametrize("persona", RULES_TABLE)
def test_the_home_branch_and_the_office_keep_an_enterprises_record(personas, branch_a, persona):
    expected = persona in KEEPS_A_ENTERPRISE
    assert rules.can_edit_enterprise(personas[persona], branch_a) is expected
