"""The feedback export: the filtered list, in scope, as a workbook that runs no formula."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.exports import export
from tests.factories import FeedbackItemFactory, ReplyFactory

pytestmark = pytest.mark.django_db

LIST = reverse("outreach:feedback_list")


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


def exported_pks(ws) -> list[int]:
    return [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def opinions(world, staff_a):
    """Opinions of branch A: one that looks like a formula, one replied, one anonymous."""
    formula = FeedbackItemFactory(
        activity=world.a.activity, content='=HYPERLINK("http://evil.example","点我")'
    )
    replied = FeedbackItemFactory(activity=world.a.activity, content="+86 电话打不通")
    ReplyFactory(feedback_item=replied, replied_by=staff_a)
    anonymous = FeedbackItemFactory(activity=world.a.activity, anonymous=True, content="@所有人")
    return {"formula": formula, "replied": replied, "anonymous": anonymous}


def test_export_contains_exactly_the_filtered_list(client, staff_a, world, opinions):
    client.force_login(staff_a)
    params = {"replied": "no"}
    listed = [item.pk for item in client.get(LIST, params).context["filter"].qs]
    ws = workbook_of(export(client, "feedback_export", params))
    assert exported_pks(ws) == listed
    assert set(listed) == {opinions["formula"].pk, opinions["anonymous"].pk}


def test_export_of_everything_in_scope(client, staff_a, world, opinions):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "feedback_export"))
    assert set(exported_pks(ws)) == {world.a.feedback.pk, *(o.pk for o in opinions.values())}
    assert world.b.feedback.pk not in exported_pks(ws)


def test_formula_like_text_is_written_as_text(client, staff_a, world, opinions):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "feedback_export"))
    content_column = [cell.value for cell in ws[1]].index("内容") + 1
    cells = {row[0].value: row[content_column - 1] for row in ws.iter_rows(min_row=2)}
    for key in ("formula", "replied", "anonymous"):
        cell = cells[opinions[key].pk]
        assert cell.data_type == "s", key
        assert cell.value == opinions[key].content


def test_headers_and_values_are_chinese_by_default(client, staff_a, world, opinions):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "feedback_export", {"enterprise": "", "q": "所有人"}))
    header = [cell.value for cell in ws[1]]
    assert header[:3] == ["编号", "收集日期", "分院"]
    assert "答复" in header
    row = dict(zip(header, next(ws.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["企业"] == "匿名"
    assert row["答复"] == "未答复"
    assert row["分院"] == world.a.branch.short_name


def test_headers_are_english_when_the_interface_is(client, staff_a, world, opinions):
    client.force_login(staff_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    ws = workbook_of(export(client, "feedback_export", {"q": "所有人"}))
    header = [cell.value for cell in ws[1]]
    assert header[:3] == ["No.", "Received on", "Branch"]
    row = dict(zip(header, next(ws.iter_rows(min_row=2, values_only=True)), strict=True))
    assert row["Enterprise"] == "Anonymous"
    assert row["Reply"] == "Not replied"
    # The reference data too, as the English pages name it.
    assert row["Branch"] == world.a.branch.short_name_en == "Quanzhou"


def test_branch_filter_cannot_widen_the_export(client, staff_a, world, opinions):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "feedback_export", {"branch": world.b.branch.pk}))
    assert world.b.feedback.pk not in exported_pks(ws)


def test_staff_of_other_branch_exports_none_of_a(client, staff_b, world, opinions):
    client.force_login(staff_b)
    assert exported_pks(workbook_of(export(client, "feedback_export"))) == [world.b.feedback.pk]


def test_office_exports_a_chosen_branch(client, office, world, opinions):
    client.force_login(office)
    ws = workbook_of(export(client, "feedback_export", {"branch": world.b.branch.pk}))
    assert exported_pks(ws) == [world.b.feedback.pk]


def test_invalid_filter_exports_only_the_header(client, staff_a, world, opinions):
    client.force_login(staff_a)
    ws = workbook_of(export(client, "feedback_export", {"received_on_after": "yesterday-ish"}))
    assert exported_pks(ws) == []
    assert ws.max_row == 1


def test_user_without_role_exports_nothing(client, no_role_user, world):
    client.force_login(no_role_user)
    assert exported_pks(workbook_of(export(client, "feedback_export"))) == []


def test_anonymous_visitor_is_sent_to_log_in(client, world):
    response = client.post(reverse("jobs:job_start", args=["feedback_export"]), {"query": ""})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_export_reads_rows_in_chunks(client, staff_a, world, opinions, monkeypatch):
    """The queryset is iterated (server-side in chunks), never loaded whole."""
    from django.db.models import QuerySet

    seen = {}
    real = QuerySet.iterator

    def spy(self, chunk_size=None):
        seen["chunk_size"] = chunk_size
        return real(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    client.force_login(staff_a)
    workbook_of(export(client, "feedback_export"))
    assert seen == {"chunk_size": 2000}


def test_list_page_asks_for_the_export_with_its_filters(client, staff_a, world):
    client.force_login(staff_a)
    body = client.get(LIST, {"kind": "praise", "page": "1"}).content.decode()
    assert f'action="{reverse("jobs:job_start", args=["feedback_export"])}"' in body
    assert 'name="query" value="kind=praise"' in body
