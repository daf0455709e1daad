"""The preview page of a kept file and its confirmation: /import/<pk>/ (``imports:confirm``)."""

import pytest
from django.urls import reverse

from imports.models import ImportBatch
from outreach.models import Activity, Enterprise, FeedbackCategory, FeedbackItem
from tests.factories import ImportBatchFactory
from tests.imports.conftest import example_rows, xlsx

pytestmark = pytest.mark.django_db


def url(batch):
    return reverse("imports:confirm", kwargs={"pk": batch.pk})


def counts():
    return (Enterprise.objects.count(), Activity.objects.count(), FeedbackItem.objects.count())


@pytest.fixture
def batch(staff_a, batch_of):
    return batch_of(staff_a, xlsx(example_rows()), name="泉州台账.xlsx")


def test_the_uploader_sees_what_will_be_created_and_the_button(client, staff_a, batch):
    client.force_login(staff_a)
    response = client.get(url(batch))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="count-enterprises-created">3<' in body
    assert 'data-testid="count-activities-created">4<' in body
    assert 'data-testid="count-feedback-created">6<' in body
    assert 'data-testid="confirm-button"' in body
    assert "泉州市丰泽区安泰锅炉有限公司" in body
    assert "电梯使用单位座谈会" in body
    assert counts() == (0, 0, 0)


def test_confirming_imports_everything_and_shows_the_result(client, staff_a, batch):
    client.force_login(staff_a)
    response = client.post(url(batch), follow=True)
    assert response.redirect_chain == [(url(batch), 302)]
    assert counts() == (3, 4, 6)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTED
    body = response.content.decode()
    assert 'data-testid="count-feedback-created">6<' in body
    assert 'data-testid="confirm-button"' not in body


def test_confirming_twice_imports_once(client, staff_a, batch):
    client.force_login(staff_a)
    client.post(url(batch))
    response = client.post(url(batch), follow=True)
    assert response.status_code == 200
    assert counts() == (3, 4, 6)


def test_a_file_that_no_longer_validates_is_not_imported_and_says_why(client, staff_a, batch):
    FeedbackCategory.objects.filter(name="服务态度").update(is_active=False)
    client.force_login(staff_a)
    response = client.post(url(batch))
    assert response.status_code == 200
    [problem] = response.context["problems"]
    assert (problem.sheet, problem.row, problem.column) == ("意见建议", 5, "类别*")
    assert counts() == (0, 0, 0)


def test_uploading_the_same_file_again_shows_nothing_new(client, staff_a, batch_of):
    content = xlsx(example_rows())
    first = batch_of(staff_a, content)
    client.force_login(staff_a)
    client.post(url(first))
    again = batch_of(staff_a, content)
    body = client.get(url(again)).content.decode()
    assert 'data-testid="count-enterprises-created">0<' in body
    assert 'data-testid="count-feedback-reused">6<' in body
    assert 'data-testid="nothing-new"' in body
    assert 'data-testid="imported-before"' in body


@pytest.mark.parametrize("persona", ["staff_b", "lead_a"])
def test_a_batch_is_only_for_its_uploader(client, personas, batch, persona):
    client.force_login(personas[persona])
    assert client.get(url(batch)).status_code == 404
    assert client.post(url(batch)).status_code == 404
    assert counts() == (0, 0, 0)


@pytest.mark.parametrize("persona", ["office", "leader"])
def test_provincial_roles_use_the_command_not_the_page(client, personas, batch, persona):
    client.force_login(personas[persona])
    assert client.post(url(batch)).status_code == 403


def test_an_uploader_moved_to_another_branch_no_longer_reaches_the_batch(
    client, staff_a, branch_b, batch
):
    from branches.services import membership_set

    membership_set(user=staff_a, branch=branch_b, role="staff")
    client.force_login(staff_a)
    assert client.get(url(batch)).status_code == 404


def test_the_preview_costs_the_same_queries_at_10_or_200_rows(
    client, staff_a, batch_of, django_assert_num_queries
):
    def rows(count):
        data = example_rows()
        data["feedback"] += [["A2", None, "其他", "建议", f"第{n}条意见"] for n in range(count)]
        data["activities"] += [
            [f"B{n}", "内部座谈会", "2026-11-21", f"内部座谈{n}", None, None, 5, None, None, None]
            for n in range(count)
        ]
        return xlsx(data)

    small, large = batch_of(staff_a, rows(10)), batch_of(staff_a, rows(200))
    client.force_login(staff_a)
    client.get(url(small))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url(small))
    with django_assert_num_queries(len(captured.captured_queries)):
        response = client.get(url(large))
    assert response.context["preview"].counts()["feedback_created"] == 206


def test_a_batch_whose_file_is_gone_says_so_and_imports_nothing(
    client, staff_a, branch_a, campaign
):
    batch = ImportBatchFactory(uploaded_by=staff_a, branch=branch_a, campaign=campaign)
    client.force_login(staff_a)
    response = client.get(url(batch))
    assert response.status_code == 200
    assert len(response.context["problems"]) == 1
    assert response.context["confirm_form"] is None
    response = client.post(url(batch))
    assert len(response.context["problems"]) == 1
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.PREVIEWED
