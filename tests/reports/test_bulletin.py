"""The monthly bulletin (通报) of the demo's months: the dashboard's numbers, the ranking,
praise and criticism by rule, the cases named, the interface's language, and the Word
document read back (its declared fonts, its red header, its page numbers).

The demo campaign of ``manage.py seed_demo`` is built once for the module inside a
transaction rolled back at the end; each test runs in its own savepoint inside it.
"""

from __future__ import annotations

from io import BytesIO, StringIO

import docx
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx.oxml.ns import qn

from branches.models import Branch, Membership
from issues.models import SupervisionNotice
from jobs.models import Job
from reports.assessment.periods import Period
from reports.bulletin.data import load_bulletin_data
from reports.bulletin.languages import build_bulletin
from reports.bulletin.word import BODY, HEADING, TITLE
from reports.bulletin.writer import EN, ZH, criticised, praised
from tests.exports import ask, export
from tests.factories import ActivityFactory, FeedbackItemFactory, IssueFactory
from themes.models import Theme

pytestmark = pytest.mark.django_db

URL = reverse("reports:bulletin")
DASHBOARD = reverse("reports:dashboard")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module", autouse=True)
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", box=False, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def user(username):
    return get_user_model().objects.get(username=username)


def bulletin(period_key: str, language: str = ZH):
    return build_bulletin(load_bulletin_data(user("office"), Period.parse(period_key)), language)


def text(document) -> str:
    return "\n".join(
        [
            p
            for section in document.sections
            for p in (section.heading, *section.paragraphs, *section.closing)
        ]
    )


# --- the dashboard's numbers -------------------------------------------------------------


@pytest.mark.parametrize("month", ["2026-09", "2026-10", "2026-11"])
def test_the_bulletins_numbers_are_the_dashboards(client, month):
    period = Period.parse(month)
    client.force_login(user("office"))
    dashboard = client.get(
        DASHBOARD, {"campaign": "", "date_from": period.start, "date_to": period.end}
    ).context["total"]
    data = load_bulletin_data(user("office"), period)
    assert data.assessment.report.total.counts == dashboard.counts
    overall = bulletin(month).sections[0].paragraphs[0]
    t = dashboard
    for said in (
        f"走访调研企业{t['enterprises_visited']}家",
        f"听取意见建议{t['feedback_items']}条",
        f"查找问题{t['issues_found']}个",
        f"立行立改{t['fixed_on_the_spot']}项",
        f"已完成整改问题{t['rectified']}个",
        f"答复率{t.reply_rate.percent}（{t['replied_feedback']}/{t['feedback_items']}）",
        f"按时整改率{t.rectified_on_time_rate.percent}（{t['rectified_on_time']}/{t['rectify_due']}）",
        f"按时答复率{t.replied_on_time_rate.percent}（{t['replied_on_time']}/{t['reply_due']}）",
    ):
        assert said in overall, said
    english = bulletin(month, EN).sections[0].paragraphs[0]
    assert f"heard {t['feedback_items']} opinions" in english
    assert (
        f"a reply rate of {t.reply_rate.percent} ({t['replied_feedback']}/{t['feedback_items']})"
        in english
    )


def test_the_ranking_table_is_the_assessments():
    data = load_bulletin_data(user("office"), Period.parse("2026-10"))
    [ranking] = [s for s in bulletin("2026-10").sections if s.table]
    rows = data.assessment.rows
    assert len(ranking.table.rows) == len(rows) == 7
    assert ranking.table.headers[:4] == ["名次", "分院", "得分", "较上期"]
    for line, row in zip(ranking.table.rows, rows, strict=True):
        assert line[0] == (str(row.rank) if row.rank else "—")
        assert line[2] == row.shown_score
        assert [cell.split("\n")[1] for cell in line[4:]] == [
            f"{c.rate.numerator}/{c.rate.denominator}" for c in row.cells
        ]
    unranked = [row for row in rows if not row.ranked]
    assert unranked
    assert all(f"{row.branch.short_name}分院" in ranking.closing[0] for row in unranked)


def test_praise_and_criticism_follow_the_rule():
    data = load_bulletin_data(user("office"), Period.parse("2026-09"))
    ranked = data.assessment.ranked
    assert len(ranked) == 7
    good, bad = praised(data.assessment.rows), criticised(data.assessment.rows)
    # A third of seven is two: the first two praised, the last two criticised.
    assert [row.branch for row in good] == [row.branch for row in ranked[:2]]
    assert [row.branch for row in bad] == [row.branch for row in ranked[-2:]]
    [_praise, criticism] = bulletin("2026-09").sections[2].paragraphs
    said = bulletin("2026-09").sections[2].paragraphs[0]
    for row in good:
        assert f"{row.branch.short_name}分院（{row.shown_score}分）" in said
    for row in bad:
        assert f"{row.branch.short_name}分院（{row.shown_score}分）" in criticism
        assert "通报批评" in criticism


def test_the_overdue_and_supervised_cases_are_named():
    data = load_bulletin_data(user("office"), Period.parse("2026-10"))
    total = data.assessment.report.total
    assert total["overdue"] == len(data.overdue) > 0
    assert total["supervision_notices"] == len(data.supervised) > 0
    cases = "\n".join(bulletin("2026-10").sections[3].paragraphs)
    for case in data.overdue:
        assert f"“{case.issue.title}”" in cases
        assert f"已超期{case.working_days}个工作日" in cases
    notice = data.supervised[0]
    assert isinstance(notice, SupervisionNotice)
    assert f"{notice.issue.branch.short_name}分院“{notice.issue.title}”" in cases


def test_no_recurring_problems_section_for_a_month_without_themes():
    headings = [section.heading for section in bulletin("2026-09").sections]
    assert headings == [
        "一、总体情况",
        "二、考核排名",
        "三、表扬和批评",
        "四、超期和督办问题",
        "五、工作要求",
    ]


def test_the_recurring_problems_the_search_found_are_named():
    """The demo's search (run month by month as the schedule does) found themes in
    October and November; the office adopted the widest in November."""
    adopted = Theme.objects.get(state=Theme.State.ADOPTED)
    november = bulletin("2026-11")
    section = next(s for s in november.sections if s.heading.endswith("共性问题（每月一题）"))
    said = "\n".join(section.paragraphs)
    assert f"“{adopted.title}”" in said and "2026年12月31日前完成" in said
    branches = {m.issue.branch for m in adopted.members.select_related("issue__branch")}
    assert f"等{len(branches)}个单位的{adopted.members.count()}个问题" in said
    october = "\n".join(
        next(s for s in bulletin("2026-10").sections if "共性问题" in s.heading).paragraphs
    )
    for theme in Theme.objects.filter(proposed_in="2026-10-01"):
        assert f"“{theme.title}”" in october
    english = bulletin("2026-11", EN)
    assert any(s.heading.endswith("Recurring problems") for s in english.sections)


def test_the_page_is_in_the_interfaces_language(client):
    client.force_login(user("leader"))
    chinese = client.get(URL, {"period": "2026-10"})
    assert chinese.context["bulletin"].language == ZH
    assert "关于2026年10月全省分院考核情况的通报" in chinese.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(URL, {"period": "2026-10"})
    assert english.context["bulletin"].language == EN
    body = english.content.decode()
    assert "Bulletin on the assessment of the branches: October 2026" in body
    assert "lang=en" in english.context["download_query"]
    assert "全省分院考核情况的通报" not in body


@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.LEAD])
def test_a_branch_may_not_read_the_bulletin(client, role):
    member = Membership.objects.filter(branch__code="quanzhou", role=role).first().user
    client.force_login(member)
    assert client.get(URL, {"period": "2026-10"}).status_code == 403
    response = client.post(
        reverse("jobs:job_start", args=["bulletin_docx"]), {"query": "period=2026-10"}
    )
    assert response.status_code == 403
    assert not Job.objects.filter(user=member).exists()


def test_a_bad_period_or_language_is_refused(client):
    client.force_login(user("office"))
    assert client.get(URL, {"period": "2026-Q9"}).status_code == 400
    for params in ({"period": "nonsense"}, {"period": "2026-10", "lang": "fr"}):
        job = ask(client, "bulletin_docx", params)
        assert job.state == Job.State.FAILED and job.failure == Job.Failure.REFUSED


# --- the Word document -------------------------------------------------------------------


def download(client, language):
    client.force_login(user("office"))
    response = export(client, "bulletin_docx", {"period": "2026-10", "lang": language})
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return response, docx.Document(BytesIO(b"".join(response.streaming_content)))


def east_asian(run) -> str | None:
    rfonts = run.element.rPr.rFonts
    return rfonts.get(qn("w:eastAsia"))


def test_the_word_document_declares_its_fonts_and_numbers_its_pages(client):
    response, document = download(client, ZH)
    assert "%E8%80%83%E6%A0%B8%E9%80%9A%E6%8A%A5-2026-10.docx" in response["Content-Disposition"]
    expected = bulletin("2026-10")
    paragraphs = [p for p in document.paragraphs if p.text]
    header, title = paragraphs[0], paragraphs[1]
    assert header.text == expected.institute == "福建省特种设备检验研究院"
    assert {east_asian(run) for run in header.runs} == {TITLE}
    assert {str(run.font.color.rgb) for run in header.runs} == {"FF0000"}
    border = header._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert border.get(qn("w:color")) == "FF0000"  # the red rule under the header
    assert title.text == expected.title
    assert {east_asian(run) for run in title.runs} == {TITLE}
    by_text = {p.text: p for p in paragraphs}
    for section in expected.sections:
        heading = by_text[section.heading]
        assert {east_asian(run) for run in heading.runs} == {HEADING} == {"黑体"}
        for said in (*section.paragraphs, *section.closing):
            body = by_text[said]
            assert {east_asian(run) for run in body.runs} == {BODY} == {"仿宋_GB2312"}
            assert body.runs[0].font.size.pt == 16
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    [table] = document.tables
    assert len(table.rows) == 1 + 7
    assert table.rows[0].cells[0].text == "名次"
    for row in table.rows[1:]:
        for cell in row.cells:
            assert {east_asian(run) for p in cell.paragraphs for run in p.runs} == {BODY}
    # The footer numbers the pages: a PAGE field between dashes.
    footer = document.sections[0].footer
    xml = footer._element.xml
    assert "w:fldChar" in xml and "PAGE" in "".join(
        t.text or "" for t in footer._element.iter(qn("w:instrText"))
    )
    assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_the_english_word_document(client):
    response, document = download(client, EN)
    assert "Assessment-bulletin-2026-10.docx" in response["Content-Disposition"]
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "Fujian Special Equipment Inspection and Research Institute" in texts
    assert "Bulletin on the assessment of the branches: October 2026" in texts
    assert "关于" not in texts
    # Issue titles stay Chinese: every run still names its East Asian font.
    assert all(east_asian(run) for p in document.paragraphs for run in p.runs)


# --- cost --------------------------------------------------------------------------------


def grow(copies):
    campaign = ActivityFactory._meta.model.objects.first().campaign
    for branch in Branch.objects.filter(kind=Branch.Kind.CITY):
        for _ in range(copies):
            activity = ActivityFactory(
                branch=branch, campaign=campaign, occurred_on=Period.parse("2026-10").start
            )
            IssueFactory(
                branch=branch,
                campaign=campaign,
                feedback_items=[FeedbackItemFactory(activity=activity)],
            )


def test_queries_do_not_grow_with_the_data(client, django_assert_num_queries):
    client.force_login(user("leader"))
    params = {"period": "2026-10"}
    client.get(URL, params)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    assert len(queries) <= 36
    grow(3)
    with django_assert_num_queries(len(queries)):
        assert client.get(URL, params).status_code == 200


def test_a_period_without_a_scheme_gives_figures_and_cases_without_a_ranking(client):
    client.force_login(user("office"))
    response = client.get(URL, {"period": "2026-08"})
    assert response.status_code == 200
    written = response.context["bulletin"]
    assert [section.heading for section in written.sections] == [
        "一、总体情况",
        "二、超期和督办问题",
        "三、工作要求",
    ]
    assert not any(section.table for section in written.sections)
    assert written.sections[0].paragraphs == [
        "2026年8月，全省各分院暂无走访调研、座谈会和意见建议记录。"
    ]
    assert 'data-testid="no-scheme"' in response.content.decode()
