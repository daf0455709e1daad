"""The briefing (简报): written from live figures, in Chinese and in English, with a .docx.

Most tests read the demo campaign of ``manage.py seed_demo`` (the seed report's campaign):
it is built once for the module inside a transaction rolled back at the end, so the other
test modules never see it. Each test runs in its own savepoint inside that transaction.
"""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO, StringIO

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branches.models import Branch, Membership
from issues.models import Escalation
from jobs.models import Job
from outreach.models import Campaign
from reports.briefing.data import load_briefing_data
from reports.briefing.languages import build_briefing
from reports.briefing.writer import EN, ZH
from reports.selection import Selection
from tests.exports import ask, export
from tests.factories import (
    ActivityFactory,
    CampaignFactory,
    EscalationFactory,
    FeedbackItemFactory,
    IssueFactory,
)

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = reverse("reports:briefing")
DOCX_START = reverse("jobs:job_start", args=["briefing_docx"])


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    """The demo campaign; its rows live until the module's transaction is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        # Without the online box's opinions: the figures are the report's alone.
        call_command("seed_demo", box=False, stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def campaign():
    return Campaign.objects.get(code="mass-line-2")


@pytest.fixture
def office():
    return get_user_model().objects.get(username="office")


@pytest.fixture
def quanzhou():
    return Branch.objects.get(code="quanzhou")


@pytest.fixture
def quanzhou_lead(quanzhou):
    return Membership.objects.get(branch=quanzhou, role=Membership.Role.LEAD).user


def briefings(user, campaign, **selection):
    data = load_briefing_data(user, Selection(campaign=campaign, **selection))
    return build_briefing(data, ZH), build_briefing(data, EN)


def page(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


# --- the figures of the report ----------------------------------------------------------


def test_chinese_summary_says_the_reports_figures(office, campaign):
    zh, _en = briefings(office, campaign)
    summary = zh.summary
    assert summary.startswith("第二批党的群众路线教育实践活动（")
    for phrase in (
        "7个分院深入走访调研企业233家",
        "召开企业座谈会19次",
        "召开内部座谈会52次",
        "听取各类意见建议510条",
        "查找各类具体问题116个",
        "坚持边查边改、立行立改，及时解决具体问题73项",
        "省院召开院长办公会，对各分院收集到的、需要在省院层面研究解决的37个具体问题进行研究和落实。",
    ):
        assert phrase in summary, phrase
    # The reply and satisfaction rates show what they are shares of.
    assert re.search(r"已答复意见(\d+)条，答复率[\d.]+%（\1/510）", summary)
    assert re.search(r"在记录满意度的\d+条答复中，企业表示满意或基本满意\d+条，满意率", summary)


def test_quanzhou_paragraph(office, campaign, quanzhou):
    zh, en = briefings(office, campaign)
    [paragraph] = [p for p in zh.branch_paragraphs if p.branch == quanzhou]
    text = paragraph.text
    assert text.startswith("泉州分院：走访企业32家，召开企业座谈会3次、内部座谈会8次，")
    assert "听取意见建议35条，主要集中在" in text
    assert "等方面；查找问题14个，立行立改9项，上报省院4个" in text
    [english] = [p for p in en.branch_paragraphs if p.branch == quanzhou]
    assert english.text.startswith(
        "Quanzhou Branch: visited 32 enterprises, held 3 enterprise forums and 8 internal "
        "forums, and heard 35 opinions and suggestions, mostly about "
    )
    assert (
        "It found 14 issues, fixed 9 on the spot, and escalated 4 to the provincial institute"
        in english.text
    )


def test_branch_paragraphs_follow_the_table(office, campaign):
    zh, en = briefings(office, campaign)
    names = [p.text.split("：")[0] for p in zh.branch_paragraphs]
    shorts = Branch.objects.filter(kind=Branch.Kind.CITY).values_list("short_name", flat=True)
    assert names == [f"{short}分院" for short in shorts]
    assert len(en.branch_paragraphs) == 7


def test_english_summary_says_the_same_facts(office, campaign):
    _zh, en = briefings(office, campaign)
    summary = en.summary
    for phrase in (
        "7 branches visited 233 enterprises, held 19 enterprise forums and 52 internal forums,",
        "and heard 510 opinions and suggestions.",
        "heard 510 opinions and suggestions",
        "They found 116 concrete issues",
        "solved 73 of them on the spot",
        "37 concrete issues that needed a decision at the provincial level",
    ):
        assert phrase in summary, phrase
    assert re.search(r"\d+ of the 510 opinions have been answered \(reply rate [\d.]+%\)", summary)


def test_escalated_list_has_every_issue_with_its_decision(office, campaign):
    zh, en = briefings(office, campaign)
    assert len(zh.escalated) == len(en.escalated) == 37
    for item in zh.escalated:
        assert item.decisions, item.title
        decision = item.decisions[0]
        assert decision.text and decision.meeting and "年" in decision.held_on
        assert decision.text in decision.line
    assert all(item.decisions for item in en.escalated)


def test_pending_escalation_says_awaiting(office, campaign, quanzhou):
    issue = IssueFactory(branch=quanzhou, campaign=campaign, title="待研究的问题")
    EscalationFactory(issue=issue, requested_by=office)
    zh, en = briefings(office, campaign)
    [item] = [i for i in zh.escalated if i.issue == issue]
    assert not item.decisions
    assert item.waiting and item.pending == "待省院研究"
    assert (
        "需要在省院层面研究解决的37个具体问题进行研究和落实；目前尚有1个上报问题待省院研究。"
        in zh.summary
    )
    assert (
        "studied 37 concrete issues that needed a decision at the provincial level; "
        "1 escalated issue still awaits a decision." in en.summary
    )


def test_an_issue_decided_then_escalated_again_is_waiting(office, campaign):
    """The meeting's sentence counts the problems it studied, and never says "all decided"
    while an issue it decided was sent up again and waits."""
    decided = Escalation.objects.filter(issue__campaign=campaign).first().issue
    EscalationFactory(issue=decided, requested_by=office)
    zh, en = briefings(office, campaign)
    assert "37个具体问题进行研究和落实；目前尚有1个上报问题待省院研究。" in zh.summary
    assert "均已作出决定" not in zh.summary
    assert "1 escalated issue still awaits a decision" in en.summary
    [item] = [i for i in zh.escalated if i.issue == decided]
    assert item.decisions and item.waiting
    # The others were decided once and wait for nothing.
    assert sum(item.waiting for item in zh.escalated) == 1


def test_escalated_not_yet_studied_all_wait(office):
    """Before any decision, the sentence says what was sent up and that it all waits."""
    campaign = CampaignFactory()
    quanzhou = Branch.objects.get(code="quanzhou")
    activity = ActivityFactory(branch=quanzhou, campaign=campaign)
    for _ in range(2):
        issue = IssueFactory(
            branch=quanzhou,
            campaign=campaign,
            feedback_items=[FeedbackItemFactory(activity=activity)],
        )
        EscalationFactory(issue=issue, requested_by=office)
    zh, en = briefings(office, campaign)
    assert "泉州分院上报省院研究解决的2个具体问题目前均待省院研究。" in zh.summary
    assert "院长办公会" not in zh.summary
    assert (
        "2 concrete issues escalated to the provincial institute all await a decision."
        in en.summary
    )


def test_period_opening_and_zero_values(office):
    """A period with nothing in it reads naturally, with no "0" figures."""
    from datetime import date

    zh, en = briefings(office, None, date_from=date(2001, 1, 1), date_to=date(2001, 1, 31))
    assert zh.summary == "2001年1月1日至2001年1月31日，暂无走访调研、座谈会和意见建议记录。"
    assert en.summary.startswith("From 1 January 2001 to 31 January 2001, no visits")
    assert "0" not in "".join(p.text for p in zh.branch_paragraphs)
    assert zh.escalated == []


# --- the page -----------------------------------------------------------------------


def test_page_shows_both_languages(client, office, campaign):
    response = page(client, office, campaign=campaign.pk)
    assert response.status_code == 200
    body = response.content.decode()
    assert "7个分院深入走访调研企业233家" in body
    assert "7 branches visited 233 enterprises" in body
    assert 'lang="zh-Hans"' in body and 'lang="en"' in body
    assert "lang=zh" in body and "lang=en" in body


def test_page_defaults_to_the_newest_campaign(client, office, campaign):
    # An older campaign is not the one under way.
    CampaignFactory(
        starts_on=campaign.starts_on - timedelta(days=400),
        ends_on=campaign.starts_on - timedelta(days=300),
    )
    response = page(client, office)
    assert response.status_code == 200
    assert response.context["selection"].campaign == campaign
    assert "7个分院深入走访调研企业233家" in response.content.decode()


def test_branch_user_sees_own_branch_only(client, quanzhou_lead, campaign, quanzhou):
    other_titles = list(
        campaign.issues.exclude(branch=quanzhou).values_list("title", flat=True)[:50]
    )
    response = page(client, quanzhou_lead, campaign=campaign.pk)
    assert response.status_code == 200
    zh = response.context["zh"]
    assert [p.branch for p in zh.branch_paragraphs] == [quanzhou]
    assert zh.summary.startswith("第二批党的群众路线教育实践活动（")
    assert "泉州分院深入走访调研企业32家" in zh.summary
    assert "需要在省院层面研究解决的4个具体问题" in zh.summary
    assert len(zh.escalated) == 4
    body = response.content.decode()
    assert "漳州分院" not in body
    for title in other_titles:
        assert title not in body, title


def test_branch_user_cannot_pick_another_branch(client, quanzhou_lead, campaign):
    other = Branch.objects.get(code="zhangzhou")
    response = page(client, quanzhou_lead, campaign=campaign.pk, branch=other.pk)
    # The branch field does not exist for a branch user: the parameter is ignored.
    assert [p.branch.code for p in response.context["zh"].branch_paragraphs] == ["quanzhou"]


def test_no_role_user_gets_404(client, no_role_user):
    client.force_login(no_role_user)
    assert client.get(URL).status_code == 404
    assert client.post(DOCX_START, {"query": ""}).status_code == 403


def test_anonymous_is_sent_to_log_in(client):
    for response in (client.get(URL), client.post(DOCX_START, {"query": ""})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_invalid_selection_is_a_400(client, office):
    response = page(client, office, date_from="2014-06-01", date_to="2014-05-01")
    assert response.status_code == 400
    assert response.context["form"].errors
    assert "zh" not in response.context
    client.force_login(office)
    for params in ({"date_from": "not a date"}, {"lang": "fr"}):
        job = ask(client, "briefing_docx", params)
        assert job.state == Job.State.FAILED and job.failure == Job.Failure.REFUSED
        assert job.message


def test_issue_title_is_escaped(client, office, campaign, quanzhou):
    issue = IssueFactory(branch=quanzhou, campaign=campaign, title="<script>alert(1)</script>")
    EscalationFactory(issue=issue, requested_by=office)
    body = page(client, office, campaign=campaign.pk).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


# --- the Word document ----------------------------------------------------------------


def download(client, user, **params):
    client.force_login(user)
    response = export(client, "briefing_docx", params)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return response, docx.Document(BytesIO(b"".join(response.streaming_content)))


def test_docx_in_chinese(client, office, campaign):
    response, document = download(client, office, campaign=campaign.pk, lang="zh")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert "%E7%AE%80%E6%8A%A5-" in disposition  # 简报-
    texts = [p.text for p in document.paragraphs]
    zh, _en = briefings(office, campaign)
    assert zh.summary in texts
    assert zh.title in texts
    for paragraph in zh.branch_paragraphs:
        assert paragraph.text in texts
    [table] = document.tables
    assert len(table.rows) == 1 + 37
    assert table.rows[0].cells[0].text == "序号"
    assert table.rows[1].cells[3].text  # the decision
    # East Asian text has a Chinese font named outright.
    rfonts = document.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")


def test_docx_in_english(client, office, campaign):
    response, document = download(client, office, campaign=campaign.pk, lang="en")
    assert "Briefing-" in response["Content-Disposition"]
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "7 branches visited 233 enterprises" in texts
    assert "深入走访调研企业233家" not in texts


def test_docx_for_a_branch_user(client, quanzhou_lead, campaign):
    _response, document = download(client, quanzhou_lead, campaign=campaign.pk)
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "泉州分院深入走访调研企业32家" in texts
    assert "漳州分院" not in texts
    assert len(document.tables[0].rows) == 1 + 4


def test_docx_for_all_campaigns_keeps_the_choice(client, office):
    """ "All campaigns" is an explicit empty campaign: the download link keeps it."""
    response = page(client, office, campaign="")
    assert response.context["selection"].campaign is None
    assert "campaign=&" in response.context["download_zh"]
    _response, document = download(client, office, campaign="", lang="zh")
    assert "活动开展以来" in "\n".join(p.text for p in document.paragraphs)


# --- cost -------------------------------------------------------------------------------


def grow(campaign, copies):
    for branch in Branch.objects.filter(kind=Branch.Kind.CITY):
        for _ in range(copies):
            activity = ActivityFactory(branch=branch, campaign=campaign)
            FeedbackItemFactory(activity=activity)
            issue = IssueFactory(branch=branch, campaign=campaign)
            EscalationFactory(issue=issue)


@pytest.mark.parametrize("url", [URL, "docx"])
@pytest.mark.parametrize("username", ["office", "quanzhou_lead"])
def test_queries_do_not_grow_with_the_data(
    client, campaign, url, username, django_assert_num_queries
):
    client.force_login(get_user_model().objects.get(username=username))
    params = {"campaign": campaign.pk}
    fetch = (
        (lambda: client.get(url, params))
        if url == URL
        else (lambda: export(client, "briefing_docx", params))
    )
    fetch()  # the first request after login refreshes the session
    with CaptureQueriesContext(connection) as queries:
        assert fetch().status_code == 200
    # session, user, membership, (the page: the bell), the campaign, the figures, one for
    # the categories, two for the escalated issues and their decisions: a handful.
    # (The Word file is a job: asking, running and downloading add a handful more.)
    assert len(queries) <= (16 if url == URL else 40)
    grow(campaign, 3)
    with django_assert_num_queries(len(queries)):
        assert fetch().status_code == 200
