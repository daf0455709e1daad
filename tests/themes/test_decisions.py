"""The office's decisions on a recurring problem, through the services and the pages:
adopt, dismiss, merge, link; each refused when the problem was decided meanwhile, and
refused to anyone but the office."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import IssueFactory
from tests.submissions import keyed as with_key
from tests.themes.rows import proposed_theme
from themes import services
from themes.models import Theme, ThemeIssue

pytestmark = pytest.mark.django_db
State = Theme.State


def _adopt_data(theme, person, **changes):
    data = {
        "title": "检验报告出具慢（全省）",
        "owner": person.pk,
        "deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "decision": "省院统一报告审核时限",
        "issues": list(theme.members.values_list("issue_id", flat=True)),
    }
    data.update(changes)
    return data


def test_the_office_adopts_a_theme_with_the_issues_it_chooses(client, world, office, leader):
    theme = proposed_theme(world)
    first, second = theme.members.order_by("pk")
    client.force_login(office)
    url = reverse("themes:theme_adopt", args=[theme.pk])
    response = client.post(url, with_key(_adopt_data(theme, leader, issues=[first.issue_id])))
    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.state == State.ADOPTED
    assert (theme.owner, theme.decided_by) == (leader, office)
    assert theme.title == "检验报告出具慢（全省）"
    assert set(ThemeIssue.objects.filter(linked=True).values_list("pk", flat=True)) == {first.pk}
    page = client.get(reverse("themes:theme_detail", args=[theme.pk]))
    assert page.context["link_form"].fields["issues"].choices == [
        (second.issue_id, f"{second.issue.branch.display_short_name} · {second.issue.title}")
    ]
    client.post(
        reverse("themes:theme_link", args=[theme.pk]), with_key({"issues": [second.issue_id]})
    )
    assert ThemeIssue.objects.filter(theme=theme, linked=True).count() == 2


def test_a_second_decision_on_a_decided_theme_is_refused_and_said(client, world, office):
    theme = proposed_theme(world)
    client.force_login(office)
    client.post(reverse("themes:theme_dismiss", args=[theme.pk]), with_key({"reason": "个案问题"}))
    response = client.post(
        reverse("themes:theme_adopt", args=[theme.pk]),
        with_key(_adopt_data(theme, office)),
        follow=True,
    )
    theme.refresh_from_db()
    assert theme.state == State.DISMISSED and theme.decision == "个案问题"
    assert not ThemeIssue.objects.filter(linked=True).exists()
    assert "该共性问题已在此期间被处理" in response.content.decode()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "  "}, "title"),
        ({"decision": ""}, "decision"),
        ({"deadline": "2020-01-01"}, "deadline"),
        ({"deadline": "明天"}, "deadline"),
        ({"owner": 999999}, "owner"),
        ({"issues": [999999]}, "issues"),
        ({"issues": []}, "issues"),
    ],
)
def test_a_bad_adoption_is_shown_again_with_its_error_and_changes_nothing(
    client, world, office, changes, field
):
    theme = proposed_theme(world)
    client.force_login(office)
    response = client.post(
        reverse("themes:theme_adopt", args=[theme.pk]),
        with_key(_adopt_data(theme, office, **changes)),
    )
    assert response.status_code == 400
    assert field in response.context["adopt_form"].errors
    theme.refresh_from_db()
    assert theme.state == State.PROPOSED and theme.owner is None


def test_an_issue_of_another_theme_cannot_be_linked(world, office):
    theme, other = proposed_theme(world), proposed_theme(world)
    strange = other.members.first().issue_id
    with pytest.raises(ValidationError):
        services.adopt(
            office,
            theme.pk,
            title="x",
            owner=office,
            deadline=timezone.localdate(),
            decision="y",
            issue_ids=[strange],
        )
    assert not ThemeIssue.objects.filter(linked=True).exists()


def test_merging_moves_the_issues_and_leaves_a_pointer(client, world, office):
    theme, into = proposed_theme(world), proposed_theme(world)
    moved = set(theme.members.values_list("issue_id", flat=True))
    client.force_login(office)
    response = client.post(
        reverse("themes:theme_merge", args=[theme.pk]), with_key({"into": into.pk})
    )
    assert response.status_code == 302 and response.url == reverse(
        "themes:theme_detail", args=[into.pk]
    )
    theme.refresh_from_db()
    assert theme.state == State.MERGED and theme.merged_into == into
    assert moved <= set(into.members.values_list("issue_id", flat=True))
    assert into.members.count() == 4


def test_a_theme_is_not_merged_into_itself_or_a_dismissed_one(world, office):
    theme, dismissed = (
        proposed_theme(world),
        proposed_theme(world, state="dismissed", decision="个案"),
    )
    with pytest.raises(ValidationError):
        services.merge(office, theme.pk, into_id=theme.pk)
    with pytest.raises(ValidationError):
        services.merge(office, theme.pk, into_id=dismissed.pk)
    theme.refresh_from_db()
    assert theme.state == State.PROPOSED


@pytest.mark.parametrize("persona", ["leader", "staff_a", "lead_a"])
def test_only_the_office_decides_in_the_services_too(world, persona, request):
    user = request.getfixturevalue(persona)
    theme = proposed_theme(world)
    with pytest.raises(PermissionDenied):
        services.dismiss(user, theme.pk, reason="个案")
    with pytest.raises(PermissionDenied):
        services.adopt(
            user,
            theme.pk,
            title="x",
            owner=user,
            deadline=timezone.localdate(),
            decision="y",
            issue_ids=[],
        )
    theme.refresh_from_db()
    assert theme.state == State.PROPOSED


def test_the_leader_reads_the_evidence_without_the_forms(client, world, leader):
    theme = proposed_theme(world)
    client.force_login(leader)
    response = client.get(reverse("themes:theme_detail", args=[theme.pk]))
    assert response.status_code == 200
    assert "adopt_form" not in response.context
    assert len(response.context["evidence"].members) == 2
    assert {b.pk for b, _n in response.context["evidence"].branches} == {
        world.a.branch.pk,
        world.b.branch.pk,
    }


def test_the_list_counts_what_the_theme_page_shows(client, world, office):
    theme = proposed_theme(world)
    withdrawn = theme.members.first().issue
    type(withdrawn).objects.filter(pk=withdrawn.pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="重复"
    )
    client.force_login(office)
    listing = client.get(reverse("themes:theme_list"))
    row = next(t for t in listing.context["themes"] if t.pk == theme.pk)
    detail = client.get(reverse("themes:theme_detail", args=[theme.pk]))
    assert row.issue_count == len(detail.context["evidence"].members) == 1
    assert row.branch_count == len(detail.context["evidence"].branches) == 1


def test_an_unknown_state_in_the_address_is_said(client, world, office):
    proposed_theme(world)
    client.force_login(office)
    response = client.get(reverse("themes:theme_list"), {"state": "<script>"})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert len(response.context["themes"]) == 1


def test_a_linked_issues_page_names_its_provincial_problem(client, world, office, staff_a):
    theme = proposed_theme(world)
    ours = theme.members.get(issue__branch=world.a.branch)
    theirs = theme.members.get(issue__branch=world.b.branch)
    services.adopt(
        office,
        theme.pk,
        title="全省统一检验报告时限",
        owner=office,
        deadline=timezone.localdate() + timedelta(days=30),
        decision="统一整改",
        issue_ids=[ours.issue_id],
    )
    client.force_login(staff_a)
    page = client.get(reverse("issues:issue_detail", args=[ours.issue_id])).content.decode()
    assert "全省统一检验报告时限" in page and 'data-testid="issue-provincial-problem"' in page
    # A branch reads the name, not the theme's page (every branch's issues).
    assert reverse("themes:theme_detail", args=[theme.pk]) not in page
    client.force_login(office)
    other = client.get(reverse("issues:issue_detail", args=[theirs.issue_id])).content.decode()
    assert "issue-provincial-problem" not in other  # not linked
    linked = client.get(reverse("issues:issue_detail", args=[ours.issue_id])).content.decode()
    assert reverse("themes:theme_detail", args=[theme.pk]) in linked


def test_an_issue_merged_into_another_is_neither_counted_nor_offered(client, world, office):
    theme = proposed_theme(world)
    duplicate = theme.members.get(issue__branch=world.a.branch).issue
    survivor = IssueFactory(branch=world.a.branch, campaign=world.campaign)
    type(duplicate).objects.filter(pk=duplicate.pk).update(
        merged_into=survivor, merged_at=timezone.now()
    )
    client.force_login(office)
    row = next(t for t in client.get(reverse("themes:theme_list")).context["themes"])
    detail = client.get(reverse("themes:theme_detail", args=[theme.pk])).context
    assert row.issue_count == len(detail["evidence"].members) == 1
    offered = [value for value, _label in detail["adopt_form"].fields["issues"].choices]
    assert duplicate.pk not in offered


@pytest.mark.parametrize("persona", ["lead_a", "staff_a"])
def test_a_branch_member_cannot_own_a_provincial_problem(world, office, persona, request):
    theme = proposed_theme(world)
    with pytest.raises(ValidationError):
        services.adopt(
            office,
            theme.pk,
            title="x",
            owner=request.getfixturevalue(persona),
            deadline=timezone.localdate(),
            decision="y",
            issue_ids=list(theme.members.values_list("issue_id", flat=True)),
        )
    theme.refresh_from_db()
    assert theme.state == State.PROPOSED


def test_the_service_refuses_a_past_deadline_too(world, office):
    theme = proposed_theme(world)
    with pytest.raises(ValidationError):
        services.adopt(
            office,
            theme.pk,
            title="x",
            owner=office,
            deadline=timezone.localdate() - timedelta(days=1),
            decision="y",
            issue_ids=list(theme.members.values_list("issue_id", flat=True)),
        )
    assert not ThemeIssue.objects.filter(linked=True).exists()


def test_linking_to_a_theme_not_adopted_is_refused_as_such(world, office):
    theme = proposed_theme(world)
    with pytest.raises(ValidationError, match=r"已立项|adopted"):
        services.link(office, theme.pk, issue_ids=[theme.members.first().issue_id])


def test_a_dismissed_theme_is_not_in_the_periods_bulletin(world):
    from themes.selectors import themes_of_period

    month = timezone.localdate().replace(day=1)
    kept = proposed_theme(world, proposed_in=month)
    proposed_theme(world, proposed_in=month, state="dismissed", decision="个案")
    assert [row.theme for row in themes_of_period(month, timezone.localdate())] == [kept]
