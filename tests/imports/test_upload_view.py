"""The upload page: GET/POST /import/ (``imports:upload``)."""

import pytest
from django.urls import reverse

from imports.models import ImportBatch
from outreach.models import Enterprise
from tests.imports.conftest import example_rows, upload, xlsx

pytestmark = pytest.mark.django_db

URL = reverse("imports:upload")


def post(client, campaign, content, name="import.xlsx"):
    return client.post(URL, {"campaign": campaign.pk, "file": upload(content, name)})


def test_staff_sees_the_form_and_the_template_link(client, staff_a, campaign):
    client.force_login(staff_a)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("imports:template") in body
    assert 'enctype="multipart/form-data"' in body
    assert campaign.name in body


@pytest.mark.parametrize("persona", ["office", "leader", "no_role_user", "admin_user"])
def test_only_branch_staff_and_leads_import_in_the_browser(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403


def test_a_clean_file_is_kept_and_its_preview_opens(
    client, staff_a, branch_a, counties_a, campaign
):
    client.force_login(staff_a)
    response = post(client, campaign, xlsx(example_rows()), name="台账.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:confirm", kwargs={"pk": batch.pk})
    assert (batch.uploaded_by, batch.branch, batch.campaign) == (staff_a, branch_a, campaign)
    assert batch.status == ImportBatch.Status.PREVIEWED
    assert batch.original_name == "台账.xlsx"
    created = (batch.enterprises_created, batch.activities_created, batch.feedback_created)
    assert created == (3, 4, 6)
    assert not Enterprise.objects.exists()


def test_errors_are_listed_with_sheet_row_and_column_and_nothing_is_kept(
    client, staff_a, counties_a, campaign
):
    rows = example_rows()
    rows["activities"][1][2] = "下周二"
    rows["feedback"][3][3] = "批评"
    client.force_login(staff_a)
    response = post(client, campaign, xlsx(rows))
    assert response.status_code == 200
    problems = response.context["preview"].problems
    assert [(p.sheet, p.row, p.column) for p in problems] == [
        ("活动", 3, "日期*"),
        ("意见建议", 5, "性质*"),
    ]
    body = response.content.decode()
    assert body.count('data-testid="import-problem"') == 2
    assert 'data-row="3"' in body and 'data-row="5"' in body
    assert "下周二" in body and "批评" in body
    assert not ImportBatch.objects.exists()


def test_the_size_limit_is_the_upload_limit_and_a_clear_message(
    client, staff_a, campaign, settings
):
    settings.OUTREACH_MAX_UPLOAD_MB = 1
    client.force_login(staff_a)
    response = post(client, campaign, b"PK" + b"\0" * (2 * 1024 * 1024))
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert "2.0 MB" in message and "1 MB" in message
    assert not ImportBatch.objects.exists()


def test_an_eleven_megabyte_file_is_refused_by_default(client, staff_a, campaign):
    client.force_login(staff_a)
    response = post(client, campaign, b"PK" + b"\0" * (11 * 1024 * 1024))
    [message] = response.context["form"].errors["file"]
    assert "10 MB" in message


def test_the_form_states_the_upload_limit(client, staff_a, campaign, settings):
    settings.OUTREACH_MAX_UPLOAD_MB = 3
    client.force_login(staff_a)
    help_text = client.get(URL).context["form"]["file"].help_text
    assert "3.0\xa0MB" in help_text and "10,000" in help_text


@pytest.mark.parametrize("name", ["ledger.xlsm", "ledger.xls"])
def test_macro_and_old_formats_are_refused_with_the_way_out(client, staff_a, campaign, name):
    client.force_login(staff_a)
    response = post(client, campaign, xlsx(), name=name)
    [message] = response.context["form"].errors["file"]
    assert ".xlsx" in message


def test_a_campaign_id_that_is_not_offered_is_refused(client, staff_a, campaign):
    client.force_login(staff_a)
    response = client.post(URL, {"campaign": campaign.pk + 999, "file": upload(xlsx())})
    assert "campaign" in response.context["form"].errors


def test_the_recent_uploads_are_the_users_own(client, staff_a, lead_a, batch_of):
    mine = batch_of(staff_a, xlsx(example_rows()), name="mine.xlsx")
    batch_of(lead_a, xlsx(example_rows()), name="leads.xlsx")
    client.force_login(staff_a)
    assert list(client.get(URL).context["recent_batches"]) == [mine]


def test_checking_a_file_costs_the_same_queries_at_10_or_200_rows(
    client, staff_a, counties_a, campaign, django_assert_num_queries, settings
):
    # Both checked in the request (a bigger file is a job: tests/imports/test_big_files.py).
    settings.IMPORT_INLINE_MAX_ROWS = 10_000

    def rows(count):
        data = example_rows()
        data["feedback"] = [["A1", None, "其他", "建议", f"第{n}条意见"] for n in range(count)]
        data["enterprises"] += [[f"新企业{n}", None, "丰泽区"] for n in range(count)]
        return xlsx(data)

    client.force_login(staff_a)
    small, large = rows(10), rows(200)
    post(client, campaign, small)  # warm the session and caches
    with django_assert_num_queries(_queries(client, campaign, small)):
        post(client, campaign, large)


def _queries(client, campaign, content):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        post(client, campaign, content)
    return len(captured.captured_queries)
