"""Open issues suggested at intake: what the endpoint suggests and to whom, and what is
recorded when the form beside it is saved (attached to one, or none chosen)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core import signing
from django.core.management import call_command
from django.urls import reverse

from issues.models import Issue, IssueEvent, IssueSuggestion
from issues.suggestions import CANDIDATES, MAX_SHOWN, read_token
from outreach.models import FeedbackCategory, FeedbackItem
from tests.factories import (
    CampaignFactory,
    EnterpriseFactory,
    FeedbackItemFactory,
    IssueFactory,
)

pytestmark = pytest.mark.django_db

URL = reverse("issues:issue_suggestions")
State = Issue.State
Outcome = IssueSuggestion.Outcome

REPORT_TITLE = "电梯定期检验报告出具慢"
REPORT_TEXT = "企业反映电梯定期检验后报告要等二十多天才能拿到，影响使用标志更新。"
TYPED = "我们小区的电梯检验完快一个月了，报告还没拿到，物业一直在催"


@pytest.fixture
def efficiency(db):
    return FeedbackCategory.objects.get(name="服务效率")


def report_issue(branch, campaign, category, **fields):
    return IssueFactory(
        branch=branch,
        campaign=campaign,
        category=category,
        title=REPORT_TITLE,
        description=REPORT_TEXT,
        **fields,
    )


@pytest.fixture
def issues(world, efficiency):
    """The same problem as an open issue of A, of B, an answered one and one of another
    campaign of A, and an unrelated open issue of A in the same category."""
    a, b, campaign = world.a.branch, world.b.branch, world.campaign
    return {
        "a": report_issue(a, campaign, efficiency),
        "b": report_issue(b, campaign, efficiency),
        "answered": report_issue(a, campaign, efficiency, state=State.ANSWERED),
        "old_campaign": report_issue(a, CampaignFactory(), efficiency),
        "other": IssueFactory(
            branch=a,
            campaign=campaign,
            category=efficiency,
            title="服务大厅停车难",
            description="来办事的企业车辆找不到停车位。",
        ),
    }


def suggested(response) -> list[int]:
    return [
        int(pk)
        for pk in re.findall(r'data-testid="suggestion" data-issue="(\d+)"', _body(response))
    ]


def token_of(response) -> str:
    return re.search(r'data-token="([^"]*)"', _body(response)).group(1)


def _body(response) -> str:
    return response.content.decode()


def ask(client, **params):
    return client.get(URL, params)


# --- what is suggested, and to whom -------------------------------------------------------


def test_staff_typing_an_opinion_sees_the_open_issue_of_the_same_problem(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    response = ask(client, activity=world.a.activity.pk, text=TYPED, category=efficiency.pk)
    assert response.status_code == 200
    assert suggested(response) == [issues["a"].pk]
    body = _body(response)
    assert REPORT_TITLE in body and "相似" in body and "文本相似度" in body
    assert read_token(staff_a, token_of(response), "opinion")[0].issue_id == issues["a"].pk


def test_how_alike_is_said_in_words_with_the_score_beside(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    params = {"activity": world.a.activity.pk, "category": efficiency.pk}
    close = _body(ask(client, text=f"{REPORT_TITLE}，{REPORT_TEXT}", **params))
    assert re.search(r'data-testid="closeness">很相似<', close)
    somewhat = _body(ask(client, text=TYPED, **params))
    assert re.search(r'title="文本相似度：\d+%" data-testid="closeness">有些相似<', somewhat)


def test_another_branchs_issues_are_never_suggested(client, world, staff_b, issues, efficiency):
    client.force_login(staff_b)
    response = ask(client, activity=world.b.activity.pk, text=TYPED, category=efficiency.pk)
    assert suggested(response) == [issues["b"].pk]


def test_answered_and_other_campaigns_issues_are_not_suggested(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    shown = suggested(ask(client, activity=world.a.activity.pk, text=TYPED))
    assert issues["answered"].pk not in shown
    assert issues["old_campaign"].pk not in shown
    assert issues["other"].pk not in shown  # same category, another problem


def test_nothing_is_suggested_before_a_few_characters_are_typed(client, world, staff_a, issues):
    client.force_login(staff_a)
    response = ask(client, activity=world.a.activity.pk, text="电梯")
    assert response.status_code == 200
    assert suggested(response) == [] and 'data-token="' not in _body(response)


def test_the_same_enterprises_issue_comes_first(client, world, staff_a, issues, efficiency):
    """An issue gathering an opinion of the enterprise is a candidate whatever its
    category, and is shown before the category's."""
    enterprise = world.a.enterprise
    fees = FeedbackCategory.objects.get(name="收费")
    theirs = report_issue(world.a.branch, world.campaign, fees)
    FeedbackItemFactory(activity=world.a.activity, enterprise=enterprise, issue=theirs)
    client.force_login(staff_a)
    response = ask(
        client,
        activity=world.a.activity.pk,
        text=TYPED,
        category=efficiency.pk,
        enterprise=enterprise.pk,
    )
    assert suggested(response) == [theirs.pk, issues["a"].pk]
    assert _body(response).count('data-testid="same-enterprise"') == 1


def test_at_most_a_few_are_shown(client, world, staff_a, efficiency):
    for _ in range(MAX_SHOWN + 2):
        report_issue(world.a.branch, world.campaign, efficiency)
    client.force_login(staff_a)
    response = ask(client, activity=world.a.activity.pk, text=TYPED, category=efficiency.pk)
    assert len(suggested(response)) == MAX_SHOWN


def test_opinions_being_turned_into_an_issue_look_in_their_branch(
    client, world, staff_a, staff_b, issues, efficiency
):
    item = FeedbackItemFactory(activity=world.a.activity, content=TYPED, category=efficiency)
    client.force_login(staff_a)
    response = ask(client, intake="issue", items=[item.pk])
    assert suggested(response) == [issues["a"].pk]
    assert f'data-attach-suggestion="{issues["a"].pk}"' in _body(response)
    # Another branch's opinion is out of scope: a 404.
    client.force_login(staff_b)
    assert ask(client, intake="issue", items=[item.pk]).status_code == 404


def test_a_new_activitys_rows_look_in_the_users_branch_and_the_chosen_campaign(
    client, world, staff_a, staff_b, issues, efficiency
):
    client.force_login(staff_a)
    response = ask(client, campaign=world.campaign.pk, text=TYPED, category=efficiency.pk)
    assert suggested(response) == [issues["a"].pk]
    client.force_login(staff_b)
    response = ask(client, campaign=world.campaign.pk, text=TYPED, category=efficiency.pk)
    assert suggested(response) == [issues["b"].pk]


@pytest.mark.parametrize(
    "params",
    [
        {"activity": "abc"},
        {"activity": "99999999"},
        {"items": ["1", "x"]},
        {"items": ["99999999"]},
        {"campaign": "99999999"},
        {"intake": "nothing"},
    ],
)
def test_an_id_that_names_no_row_in_scope_is_a_404(client, world, staff_a, params):
    client.force_login(staff_a)
    assert ask(client, text=TYPED, **params).status_code == 404


def test_another_branchs_activity_is_a_404(client, world, staff_b, issues):
    client.force_login(staff_b)
    assert ask(client, activity=world.a.activity.pk, text=TYPED).status_code == 404


@pytest.mark.parametrize("persona", ["office", "leader", "admin_user", "no_role_user"])
def test_roles_that_record_no_opinion_are_refused(client, world, personas, persona):
    client.force_login(personas[persona])
    assert ask(client, activity=world.a.activity.pk, text=TYPED).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = ask(client, activity=world.a.activity.pk, text=TYPED)
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_post_is_refused(client, world, staff_a):
    client.force_login(staff_a)
    assert client.post(URL, {"text": TYPED}).status_code == 405


# --- what it costs --------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 30])
def test_the_endpoint_costs_the_same_queries_at_any_size(
    client, world, staff_a, efficiency, rows, django_assert_num_queries
):
    enterprise = world.a.enterprise
    for n in range(rows):
        issue = report_issue(world.a.branch, world.campaign, efficiency)
        if n % 2:
            FeedbackItemFactory(activity=world.a.activity, enterprise=enterprise, issue=issue)
    client.force_login(staff_a)
    client.get(reverse("reports:home"))  # the first request after login settles the session
    params = {
        "activity": world.a.activity.pk,
        "text": TYPED,
        "category": efficiency.pk,
        "enterprise": enterprise.pk,
    }
    # Session, user, membership; the activity; the enterprise's open issues, the category's.
    with django_assert_num_queries(6):
        response = client.get(URL, params)
    assert len(suggested(response)) == min(rows, MAX_SHOWN)


def test_no_more_than_the_candidates_are_scored(world, staff_a, efficiency, monkeypatch):
    from issues import suggestions

    seen = []
    monkeypatch.setattr(suggestions, "CANDIDATES", 3)
    monkeypatch.setattr(suggestions, "rank", lambda text, docs, **kw: seen.extend(docs) or [])
    for _ in range(5):
        report_issue(world.a.branch, world.campaign, efficiency)
    suggestions.similar_open_issues(
        user=staff_a,
        branch_id=world.a.branch.pk,
        campaign_id=world.campaign.pk,
        text=TYPED,
        category_id=efficiency.pk,
    )
    assert len(seen) == 3 < CANDIDATES


# --- the choice, recorded when the opinion is saved ---------------------------------------


def entry_url(activity):
    return reverse("outreach:feedback_entry", kwargs={"activity_pk": activity.pk})


def entry_data(category, *rows):
    data = {
        "feedback-TOTAL_FORMS": str(len(rows)),
        "feedback-INITIAL_FORMS": "0",
        "feedback-MIN_NUM_FORMS": "0",
        "feedback-MAX_NUM_FORMS": "100",
    }
    for index, row in enumerate(rows):
        values = {"enterprise": "", "category": category.pk, "kind": "problem", "contact": ""}
        values.update(row)
        for name, value in values.items():
            data[f"feedback-{index}-{name}"] = value
    return data


def shown_for(client, activity, category, text=TYPED) -> str:
    response = ask(client, activity=activity.pk, text=text, category=category.pk)
    return token_of(response)


def test_an_opinion_saved_with_a_suggestion_chosen_joins_that_issue(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    activity = world.a.activity
    token = shown_for(client, activity, efficiency)
    response = client.post(
        entry_url(activity),
        entry_data(
            efficiency,
            {"content": TYPED, "suggested": token, "attach_to": issues["a"].pk},
            {"content": "窗口人手太少，办个报检手续要等半天"},
        ),
    )
    assert response.status_code == 302
    item = FeedbackItem.objects.get(content=TYPED)
    assert item.issue == issues["a"]
    assert FeedbackItem.objects.get(content__startswith="窗口").issue is None
    assert IssueEvent.objects.filter(
        issue=issues["a"], kind=IssueEvent.Kind.FEEDBACK_LINKED, actor=staff_a
    ).exists()
    [record] = IssueSuggestion.objects.all()
    assert (record.issue, record.feedback_item, record.shown_to) == (issues["a"], item, staff_a)
    assert (record.intake, record.outcome, record.rank) == ("opinion", Outcome.ATTACHED, 1)
    assert record.same_category and not record.same_enterprise and 0.15 <= record.score <= 1
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert said == ["已记录 2 条意见。", f"1 条意见已并入未办结的问题：#{issues['a'].pk}。"]


def test_an_opinion_saved_without_choosing_records_the_suggestion_as_not_chosen(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    activity = world.a.activity
    token = shown_for(client, activity, efficiency)
    client.post(entry_url(activity), entry_data(efficiency, {"content": TYPED, "suggested": token}))
    item = FeedbackItem.objects.get(content=TYPED)
    assert item.issue is None
    assert list(IssueSuggestion.objects.values_list("issue", "feedback_item", "outcome")) == [
        (issues["a"].pk, item.pk, Outcome.IGNORED)
    ]


def test_a_token_not_given_to_this_user_records_and_attaches_nothing(
    client, world, staff_a, lead_a, issues, efficiency
):
    client.force_login(lead_a)
    leads = shown_for(client, world.a.activity, efficiency)
    altered = leads[:-2] + ("AA" if not leads.endswith("AA") else "BB")
    client.force_login(staff_a)
    for token in (leads, altered, signing.dumps({"u": staff_a.pk}, salt="another")):
        client.post(
            entry_url(world.a.activity),
            entry_data(
                efficiency,
                {
                    "content": f"{TYPED}{token[-4:]}",
                    "suggested": token,
                    "attach_to": issues["a"].pk,
                },
            ),
        )
    assert not IssueSuggestion.objects.exists()
    assert not FeedbackItem.objects.filter(content__startswith=TYPED, issue__isnull=False).exists()


def test_an_issue_not_among_those_shown_is_not_attached(client, world, staff_a, issues, efficiency):
    client.force_login(staff_a)
    token = shown_for(client, world.a.activity, efficiency)
    client.post(
        entry_url(world.a.activity),
        entry_data(
            efficiency, {"content": TYPED, "suggested": token, "attach_to": issues["other"].pk}
        ),
    )
    assert FeedbackItem.objects.get(content=TYPED).issue is None
    assert IssueSuggestion.objects.get().outcome == Outcome.IGNORED


def test_an_issue_answered_meanwhile_leaves_the_opinion_saved_and_says_so(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    token = shown_for(client, world.a.activity, efficiency)
    Issue.objects.filter(pk=issues["a"].pk).update(state=State.ANSWERED)
    response = client.post(
        entry_url(world.a.activity),
        entry_data(efficiency, {"content": TYPED, "suggested": token, "attach_to": issues["a"].pk}),
    )
    assert response.status_code == 302
    assert FeedbackItem.objects.get(content=TYPED).issue is None
    said = [str(message) for message in get_messages(response.wsgi_request)]
    assert f"未并入，该问题已不在办理中：#{issues['a'].pk}。意见已记录，等待处理。" in said


def test_hidden_suggestion_fields_alone_do_not_make_a_row(client, world, staff_a, efficiency):
    client.force_login(staff_a)
    response = client.post(
        entry_url(world.a.activity),
        entry_data(
            efficiency,
            {"content": "报告出具慢"},
            {"content": "", "category": "", "suggested": "x", "attach_to": "7"},
        ),
    )
    assert response.status_code == 302
    assert FeedbackItem.objects.filter(activity=world.a.activity, content="报告出具慢").exists()


def test_a_new_activitys_opinion_joins_the_suggested_issue(
    client, world, staff_a, issues, efficiency
):
    client.force_login(staff_a)
    response = ask(client, campaign=world.campaign.pk, text=TYPED, category=efficiency.pk)
    data = {
        "campaign": world.campaign.pk,
        "occurred_on": "2026-11-20",
        "enterprises": [world.a.enterprise.pk],
        "staff": [staff_a.pk],
        "place": "晋江市",
        "title": "",
        "minutes": "",
        "feedback-TOTAL_FORMS": 1,
        "feedback-INITIAL_FORMS": 0,
        "feedback-MIN_NUM_FORMS": 0,
        "feedback-MAX_NUM_FORMS": 100,
        "feedback-0-enterprise": world.a.enterprise.pk,
        "feedback-0-category": efficiency.pk,
        "feedback-0-kind": "problem",
        "feedback-0-content": TYPED,
        "feedback-0-contact": "",
        "feedback-0-suggested": token_of(response),
        "feedback-0-attach_to": issues["a"].pk,
    }
    assert client.post(reverse("outreach:activity_create", args=["visit"]), data).status_code == 302
    item = FeedbackItem.objects.get(content=TYPED)
    assert item.issue == issues["a"]
    assert IssueSuggestion.objects.get().outcome == Outcome.ATTACHED


# --- the choice on the dispose page ---------------------------------------------------


def dispose(client, items, action, token, **fields):
    data = {"items": [item.pk for item in items], "action": action, "suggested": token}
    data.update(fields)
    return client.post(reverse("issues:feedback_dispose"), data)


def test_attaching_to_a_suggested_issue_instead_of_opening_one_is_recorded(
    client, world, staff_a, issues, efficiency
):
    item = FeedbackItemFactory(activity=world.a.activity, content=TYPED, category=efficiency)
    client.force_login(staff_a)
    token = token_of(ask(client, intake="issue", items=[item.pk]))
    response = dispose(client, [item], "link", token, issue=issues["a"].pk)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.issue == issues["a"]
    record = IssueSuggestion.objects.get()
    assert (record.intake, record.outcome, record.feedback_item) == ("issue", "attached", item)


def test_opening_a_new_issue_records_the_suggestions_as_not_chosen(
    client, world, staff_a, issues, efficiency
):
    item = FeedbackItemFactory(activity=world.a.activity, content=TYPED, category=efficiency)
    client.force_login(staff_a)
    token = token_of(ask(client, intake="issue", items=[item.pk]))
    dispose(
        client,
        [item],
        "create",
        token,
        title="小区电梯报告没拿到",
        category=efficiency.pk,
        severity="normal",
        description="",
    )
    item.refresh_from_db()
    assert item.issue not in (None, issues["a"])
    assert IssueSuggestion.objects.get().outcome == Outcome.IGNORED


def test_the_dispose_page_offers_the_suggestions_and_the_form_to_attach(
    client, world, staff_a, efficiency
):
    item = FeedbackItemFactory(activity=world.a.activity, content=TYPED, category=efficiency)
    client.force_login(staff_a)
    body = client.post(reverse("issues:feedback_dispose"), {"items": [item.pk]}).content.decode()
    assert f"intake=issue&amp;items={item.pk}" in body
    assert 'id="suggestion-attach-form"' in body
    assert body.count("data-suggested-token") == 4  # each of the page's four forms
    assert "js/suggestions.js" in body


# --- the measured precision ---------------------------------------------------------------


def test_the_command_prints_the_measured_precision(world, issues, staff_a):
    from tests.factories import IssueSuggestionFactory

    item = FeedbackItemFactory(activity=world.a.activity)
    other = FeedbackItemFactory(activity=world.a.activity)
    IssueSuggestionFactory(issue=issues["a"], feedback_item=item, outcome="attached")
    IssueSuggestionFactory(issue=issues["other"], feedback_item=item, rank=2)
    IssueSuggestionFactory(issue=issues["a"], feedback_item=other, shown_to=staff_a)
    out = StringIO()
    call_command("suggestion_precision", stdout=out)
    text = out.getvalue()
    assert "3 suggestions shown, 1 attached: precision 0.333" in text
    assert "first place: 2 shown, 1 attached: precision 0.500" in text
    assert "2 lists shown, 1 with an issue attached (0.500)" in text


def test_the_command_says_when_nothing_was_recorded(db):
    out = StringIO()
    call_command("suggestion_precision", stdout=out)
    assert "No suggestion recorded yet" in out.getvalue()


def test_a_new_enterprise_opinion_is_not_given_anothers_issue(
    client, world, staff_a, issues, efficiency
):
    """An enterprise is a hint, not a filter: a new one's opinion still finds the category's."""
    client.force_login(staff_a)
    response = ask(
        client,
        activity=world.a.activity.pk,
        text=TYPED,
        category=efficiency.pk,
        enterprise=EnterpriseFactory(branch=world.a.branch).pk,
    )
    assert suggested(response) == [issues["a"].pk]
    assert 'data-testid="same-enterprise"' not in _body(response)
