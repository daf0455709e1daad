"""The issue ledger (问题台账): exactly the issue list, every page, as a safe workbook."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from openpyxl import load_workbook

from issues import ledger
from issues.jobs import issues_to_export
from issues.models import DeadlineExtension, Issue, Reply, SupervisionNotice
from jobs.models import Job
from tests.clock import overdue_deadline
from tests.exports import export, sheet_parts
from tests.factories import (
    ActivityFactory,
    EnterpriseFactory,
    EscalationFactory,
    FeedbackItemFactory,
    IssueFactory,
    ProvincialDecisionFactory,
    ProvincialMeetingFactory,
    ReplyFactory,
    UserFactory,
)
from tests.issues.screens import issue_in
from workdays.calendar import SHANGHAI, working_days_between

pytestmark = pytest.mark.django_db

LIST = reverse("issues:issue_list")
State = Issue.State
Satisfaction = Reply.Satisfaction

#: The column titles as the institute writes them (msgid → msgstr of the zh-hans catalogue).
CHINESE_HEADERS = [
    "序号",
    "分院",
    "问题描述",
    "来源企业",
    "提出时间",
    "问题类别",
    "整改措施",
    "责任人",
    "整改时限",
    "整改状态",
    "是否立行立改",
    "是否上报省院",
    "省院决定",
    "答复情况",
    "满意度",
    "签收期限",
    "签收时间",
    "逾期工作日",
    "已批准延期",
    "督办单",
    "答复时限",
    "企业最新评价",
]
HEADER_MSGIDS = [
    "Branch",
    "Issue description",
    "Source enterprises",
    "Raised on",
    "Issue category",
    "Rectification measures",
    "Responsible person",
    "Deadline",
    "Rectification state",
    "Fixed on the spot?",
    "Reported to the province?",
    "Provincial decision",
    "Replies",
    "Satisfaction",
    "Sign for by",
    "Signed for at",
    "Working days overdue",
    "Extensions approved",
    "Supervision notices",
    "Reply deadline",
    "Enterprise's latest ratings",
]


def zh(message: str, **params) -> str:
    """A message as the export writes it: in Chinese, the default language."""
    with translation.override("zh-hans"):
        text = gettext(message)
    return text % params if params else text


def zh_headers() -> list[str]:
    with translation.override("zh-hans"):
        return [pgettext("issue ledger", "No."), *(gettext(m) for m in HEADER_MSGIDS)]


def catalogue_has_the_ledger() -> bool:
    return zh("Issue ledger") != "Issue ledger"


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def records(ws) -> list[dict]:
    header = [cell.value for cell in ws[1]]
    return [
        dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)
    ]


def titles(ws) -> list[str]:
    """The title of each row's issue (the first line of its description column)."""
    column = zh("Issue description")
    return [row[column].split("\n")[0] for row in records(ws)]


def listed_titles(client, params=None) -> list[str]:
    """Every issue of the list, all pages, in the list's order."""
    found, page = [], 1
    while True:
        response = client.get(LIST, {**(params or {}), "page": page})
        assert response.status_code == 200
        found += [issue.title for issue in response.context["object_list"]]
        if not response.context["page_obj"].has_next():
            return found
        page += 1


@pytest.fixture
def issues(world, staff_a, lead_a):
    """Branch A's issues besides ``world.a.issue`` (escalated and decided), uniquely titled:

    - ``overdue``: rectifying, deadline yesterday;
    - ``answered``: answered, every opinion replied;
    - ``fixed``: fixed on the spot, rectified;
    - ``merged`` (into ``overdue``) and ``withdrawn``, which no list shows.
    """
    yesterday = overdue_deadline()  # overdue on any day of the week
    made = {
        "overdue": issue_in(world, State.RECTIFYING, title="逾期问题", deadline=yesterday),
        "answered": issue_in(world, State.ANSWERED, title="已答复问题", items=2, replied=True),
        "fixed": issue_in(
            world, State.RECTIFIED, title="立行立改问题", immediate_fix=True, measures=""
        ),
    }
    made["merged"] = issue_in(
        world,
        State.COLLECTED,
        title="已合并问题",
        merged_into=made["overdue"],
        merged_at=timezone.now(),
        items=0,
    )
    made["withdrawn"] = issue_in(
        world,
        State.COLLECTED,
        title="已撤回问题",
        withdrawn_at=timezone.now(),
        withdrawn_reason="重复",
        items=0,
    )
    return made


@pytest.fixture
def known(world, staff_a, lead_a, office):
    """An escalated, decided issue of A: two enterprises (one twice), one anonymous opinion,
    a withdrawn opinion, replies with satisfaction, one opinion not replied."""
    first = EnterpriseFactory(branch=world.a.branch, name="泉州锅炉厂")
    second = EnterpriseFactory(branch=world.a.branch, name="晋江电梯公司")
    early = ActivityFactory(
        branch=world.a.branch, campaign=world.campaign, occurred_on=date(2024, 3, 5)
    )
    items = [
        FeedbackItemFactory(activity=early, enterprise=first, received_on=date(2024, 3, 5)),
        FeedbackItemFactory(activity=early, enterprise=second, received_on=date(2024, 3, 6)),
        FeedbackItemFactory(activity=early, enterprise=first, received_on=date(2024, 3, 7)),
        FeedbackItemFactory(activity=early, anonymous=True, received_on=date(2024, 3, 8)),
    ]
    withdrawn = FeedbackItemFactory(
        activity=early, withdrawn=True, received_on=date(2024, 1, 1), enterprise__name="撤回企业"
    )
    responsible = UserFactory(last_name="张", first_name="三")
    issue = IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=world.a.feedback.category,
        state=State.RECTIFYING,
        title="检验报告出具慢",
        description="企业反映报告要等两周",
        measures="压缩出具时限至5个工作日",
        responsible=responsible,
        deadline=date(2024, 6, 30),
        immediate_fix=False,
        created_by=staff_a,
        sign_deadline=date(2024, 3, 11),
        signed_at=datetime(2024, 3, 11, 10, 0, tzinfo=SHANGHAI),
        feedback_items=[*items, withdrawn],
    )
    # The clock: an extension approved (to the deadline above), one refused; two notices.
    for new, status in ((date(2024, 6, 30), "approved"), (date(2024, 7, 30), "refused")):
        DeadlineExtension.objects.create(
            issue=issue,
            old_deadline=date(2024, 6, 20),
            new_deadline=new,
            reason="等待设备",
            requested_by=staff_a,
            status=status,
            decided_by=lead_a,
            decided_at=timezone.now(),
        )
    for _n in range(2):
        SupervisionNotice.objects.create(issue=issue, content="请说明", issued_by=office)
    escalation = EscalationFactory(issue=issue, requested_by=lead_a)
    meeting = ProvincialMeetingFactory(held_on=date(2024, 4, 2), recorded_by=office)
    ProvincialDecisionFactory(
        meeting=meeting, escalation=escalation, decision="由省院统一协调", recorded_by=office
    )
    ReplyFactory(feedback_item=items[0], replied_by=staff_a, satisfaction=Satisfaction.SATISFIED)
    ReplyFactory(
        feedback_item=items[1], replied_by=staff_a, satisfaction=Satisfaction.BASICALLY_SATISFIED
    )
    # The latest recorded satisfaction counts: this opinion ends satisfied.
    ReplyFactory(
        feedback_item=items[3],
        replied_by=staff_a,
        satisfaction=Satisfaction.UNSATISFIED,
        replied_on=timezone.localdate() - timedelta(days=3),
    )
    ReplyFactory(feedback_item=items[3], replied_by=staff_a, satisfaction=Satisfaction.SATISFIED)
    return issue


# --- the sheet ------------------------------------------------------------------------------


def test_header_row_is_the_twenty_two_column_titles(client, staff_a, world):
    client.force_login(staff_a)
    header = [cell.value for cell in workbook_of(export(client, "issue_ledger"))[1]]
    assert header == zh_headers()
    assert len(header) == 22


@pytest.mark.skipif(
    not catalogue_has_the_ledger(),
    reason="the ledger's Chinese titles are added to the catalogue at the end",
)
def test_header_row_is_chinese_by_default(client, staff_a, world):
    client.force_login(staff_a)
    header = [cell.value for cell in workbook_of(export(client, "issue_ledger"))[1]]
    assert header == CHINESE_HEADERS


def test_file_is_named_for_today(client, staff_a, world):
    client.force_login(staff_a)
    response = export(client, "issue_ledger")
    assert response.filename == f"{zh('Issue ledger')}-{timezone.localdate().isoformat()}.xlsx"


def test_one_row_per_listed_issue_in_list_order(client, staff_a, world, issues):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "issue_ledger"))
    assert titles(ws) == listed_titles(client)
    assert set(titles(ws)) == {world.a.issue.title, "逾期问题", "已答复问题", "立行立改问题"}
    assert [row[pgettext("issue ledger", "No.")] for row in records(ws)] == [1, 2, 3, 4]


def test_every_page_of_the_list_is_exported(client, staff_a, world):
    for n in range(30):
        issue_in(world, State.COLLECTED, title=f"问题{n:02d}", items=0)
    client.force_login(staff_a)
    ws = workbook_of(export(client, "issue_ledger"))
    assert len(titles(ws)) == 31
    assert titles(ws) == listed_titles(client)


def test_merged_and_withdrawn_issues_are_left_out(client, office, world, issues):
    client.force_login(office)
    exported = set(titles(workbook_of(export(client, "issue_ledger"))))
    assert "已合并问题" not in exported
    assert "已撤回问题" not in exported
    assert {"逾期问题", world.b.issue.title} <= exported


def test_each_column_of_a_known_issue(client, staff_a, world, known):
    client.force_login(staff_a)
    [row] = records(workbook_of(export(client, "issue_ledger", {"q": "检验报告出具慢"})))
    assert list(row.values()) == [
        1,
        world.a.branch.short_name,
        "检验报告出具慢\n企业反映报告要等两周",
        "泉州锅炉厂、晋江电梯公司、" + zh("Anonymous"),
        # openpyxl reads dates back as datetimes at midnight
        datetime(2024, 3, 5),
        str(world.a.feedback.category),
        "压缩出具时限至5个工作日",
        "张三",
        datetime(2024, 6, 30),
        zh("Rectifying"),
        zh("No"),
        zh("Yes"),
        zh("%(date)s: %(decision)s", date="2024-04-02", decision="由省院统一协调"),
        zh("Replied %(replied)s/%(total)s", replied=3, total=4),
        "、".join(
            [
                zh("%(satisfaction)s %(count)s", satisfaction=zh("Satisfied"), count=2),
                zh("%(satisfaction)s %(count)s", satisfaction=zh("Basically satisfied"), count=1),
            ]
        ),
        datetime(2024, 3, 11),
        datetime(2024, 3, 11, 10, 0),  # the wall-clock time in Shanghai
        # Overdue since a Sunday deadline, in working days up to today.
        working_days_between(date(2024, 6, 30), timezone.localdate()),
        1,  # the refused extension is not counted
        2,
        None,  # not rectified: no reply deadline yet
        None,  # no enterprise rated its answer (tests/reports/test_voice_figures.py)
    ]


@pytest.mark.skipif(
    not catalogue_has_the_ledger(),
    reason="the ledger's Chinese texts are added to the catalogue at the end",
)
def test_a_known_issue_reads_in_chinese(client, staff_a, world, known):
    client.force_login(staff_a)
    [row] = records(workbook_of(export(client, "issue_ledger", {"q": "检验报告出具慢"})))
    assert row["来源企业"] == "泉州锅炉厂、晋江电梯公司、匿名"
    assert row["整改状态"] == "整改中"
    assert (row["是否立行立改"], row["是否上报省院"]) == ("否", "是")
    assert row["省院决定"] == "2024-04-02：由省院统一协调"
    assert row["答复情况"] == "已答复 3/4"
    assert row["满意度"] == "满意2、基本满意1"


def test_an_issue_without_opinions_is_dated_by_its_creation(client, staff_a, world):
    issue = issue_in(world, State.COLLECTED, title="无意见问题", items=0)
    client.force_login(staff_a)
    [row] = records(workbook_of(export(client, "issue_ledger", {"q": "无意见问题"})))
    assert row[zh("Raised on")].date() == timezone.localdate(issue.created_at)
    assert row[zh("Source enterprises")] is None  # an empty cell
    assert row[zh("Replies")] == zh("Replied %(replied)s/%(total)s", replied=0, total=0)
    assert row[zh("Satisfaction")] is None
    assert row[zh("Provincial decision")] is None
    assert row[zh("Responsible person")] is None


def test_formula_like_text_is_written_as_text(client, staff_a, world):
    texts = {"title": "=1+1", "measures": "@cmd", "responsible": "-2", "enterprise": "+x"}
    item = FeedbackItemFactory(
        activity=world.a.activity, enterprise=EnterpriseFactory(branch=world.a.branch, name="+x")
    )
    IssueFactory(
        branch=world.a.branch,
        campaign=world.campaign,
        category=world.a.feedback.category,
        title=texts["title"],
        description="",
        measures=texts["measures"],
        responsible=UserFactory(first_name="", last_name="", username="-2"),
        feedback_items=[item],
    )
    client.force_login(staff_a)
    ws = workbook_of(export(client, "issue_ledger"))
    header = [cell.value for cell in ws[1]]
    [row] = [row for row in ws.iter_rows(min_row=2) if row[2].value == "=1+1"]
    for column, text in [
        ("Issue description", "=1+1"),
        ("Rectification measures", "@cmd"),
        ("Responsible person", "-2"),
        ("Source enterprises", "+x"),
    ]:
        cell = row[header.index(zh(column))]
        assert cell.value == text
        assert cell.data_type == "s", column


def test_the_ledger_file_is_what_xlsxwriter_writes_cell_by_cell(staff_a, world, issues, known):
    """Rows go into the file whole (core.excel): the same XML as cell by cell, every column."""
    with translation.override("zh-hans"):
        rows = list(ledger.ledger_rows(issues_to_export(staff_a, None)))
        headers = ledger.ledger_headers()
    assert len(rows) == 5
    assert {type(value) for row in rows for value in row} >= {str, int, date, datetime}
    whole = sheet_parts(rows, headers=headers, widths=ledger.WIDTHS, row_path=True)
    assert whole == sheet_parts(rows, headers=headers, widths=ledger.WIDTHS, row_path=False)


def test_working_days_overdue_are_the_calendars_whatever_the_order_of_deadlines():
    """The export counts back from today once; each deadline still gets its own count."""
    context = ledger._RowContext()
    today = context.today
    for days_ago in (1, 400, 3, 700, 2, 30, 365, 800, 0, 401, 2):
        deadline = today - timedelta(days=days_ago)
        expected = (
            working_days_between(deadline, today) if deadline < context.overdue_cutoff else None
        )
        assert context._working_days_overdue(deadline, State.RECTIFYING) == expected, days_ago
        assert context._working_days_overdue(deadline, State.RECTIFIED) is None


# --- scope and filters ----------------------------------------------------------------------


def test_branch_staff_never_export_another_branch(client, staff_b, world, issues):
    client.force_login(staff_b)
    assert titles(workbook_of(export(client, "issue_ledger"))) == [world.b.issue.title]
    # Another branch in the query string cannot widen the scope.
    ws = workbook_of(export(client, "issue_ledger", {"branch": world.a.branch.pk}))
    assert titles(ws) == [world.b.issue.title]


def test_office_exports_a_chosen_branch(client, office, world, issues):
    client.force_login(office)
    ws = workbook_of(export(client, "issue_ledger", {"branch": world.b.branch.pk}))
    assert titles(ws) == [world.b.issue.title]


def test_the_english_ledger_names_branches_and_categories_in_english(client, office, world):
    """The ledger in English names its reference data as the English pages do."""
    client.force_login(office)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ws = workbook_of(export(client, "issue_ledger", {"branch": world.a.branch.pk}))
    [row] = records(ws)
    assert row["Branch"] == "Quanzhou"
    assert row["Issue category"] == world.a.issue.category.name_en


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "answered"}, ["已答复问题"]),
        ({"overdue": "yes"}, ["逾期问题"]),
        ({"immediate_fix": "yes"}, ["立行立改问题"]),
        ({"escalated": "yes"}, ["world"]),
        ({"rectified": "yes"}, ["立行立改问题", "已答复问题"]),
    ],
)
def test_filters_are_the_lists(client, staff_a, world, issues, params, expected):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "issue_ledger", params))
    expected = [world.a.issue.title if title == "world" else title for title in expected]
    assert titles(ws) == expected
    assert titles(ws) == listed_titles(client, params)


def test_an_invalid_filter_exports_only_the_header(client, staff_a, world, issues, staff_b):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "issue_ledger", {"responsible": staff_b.pk}))
    assert ws.max_row == 1


def test_a_user_without_role_exports_an_empty_ledger(client, no_role_user, world):
    client.force_login(no_role_user)
    ws = workbook_of(export(client, "issue_ledger"))
    assert ws.max_row == 1


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    before = Job.objects.count()
    response = client.post(reverse("jobs:job_start", args=["issue_ledger"]), {"query": ""})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert Job.objects.count() == before


def test_asking_is_a_post(client, staff_a, world):
    client.force_login(staff_a)
    before = Job.objects.count()
    assert client.get(reverse("jobs:job_start", args=["issue_ledger"])).status_code == 405
    assert Job.objects.count() == before


def test_list_asks_for_the_ledger_with_its_filters(client, staff_a, world):
    client.force_login(staff_a)
    body = client.get(LIST, {"state": "answered", "page": "1"}).content.decode()
    assert f'action="{reverse("jobs:job_start", args=["issue_ledger"])}"' in body
    assert 'name="query" value="state=answered"' in body
    assert zh("Export ledger") in body


# --- cost -----------------------------------------------------------------------------------


def bulk_issues(world, count: int) -> None:
    """``count`` issues of A, each with two opinions (one replied, one anonymous) and a
    decided escalation."""
    staff = world.a.activity.staff.first()
    for n in range(count):
        issue = issue_in(world, State.RECTIFYING, title=f"批量{n}", items=1, replied=True)
        FeedbackItemFactory(activity=world.a.activity, anonymous=True, issue=issue)
        ProvincialDecisionFactory(
            meeting=world.a.meeting,
            escalation=EscalationFactory(issue=issue, requested_by=staff),
            recorded_by=staff,
        )


@pytest.mark.parametrize("persona", ["staff_a", "office"])
def test_queries_do_not_grow_with_rows(client, personas, world, persona, django_assert_num_queries):
    client.force_login(personas[persona])
    export(client, "issue_ledger")  # the first request after login refreshes the session
    bulk_issues(world, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(titles(workbook_of(export(client, "issue_ledger")))) >= 3
    bulk_issues(world, 20)
    with django_assert_num_queries(len(few)):
        assert len(titles(workbook_of(export(client, "issue_ledger")))) >= 23


def test_rows_are_read_in_chunks(client, staff_a, world, monkeypatch):
    """Each chunk of issues costs the same queries (its rows, then its two prefetches)."""
    bulk_issues(world, 5)  # six issues of A with the world's
    client.force_login(staff_a)
    export(client, "issue_ledger")
    monkeypatch.setattr(ledger, "CHUNK_SIZE", 6)
    with CaptureQueriesContext(connection) as one_chunk:
        workbook_of(export(client, "issue_ledger"))
    monkeypatch.setattr(ledger, "CHUNK_SIZE", 2)
    with CaptureQueriesContext(connection) as three_chunks:
        assert len(titles(workbook_of(export(client, "issue_ledger")))) == 6
    assert len(three_chunks) == len(one_chunk) + 2 * 2


def test_the_queryset_is_iterated_not_loaded(client, staff_a, world, monkeypatch):
    from django.db.models import QuerySet

    seen = []
    real = QuerySet.iterator

    def spy(self, chunk_size=None):
        seen.append(chunk_size)
        return real(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    client.force_login(staff_a)
    workbook_of(export(client, "issue_ledger"))
    assert seen == [ledger.CHUNK_SIZE]
