"""The template download: /import/template/ (``imports:template``)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core import files
from imports.reading import read_workbook

pytestmark = pytest.mark.django_db

URL = reverse("imports:template")


def test_staff_downloads_the_template_with_their_counties(client, staff_a, counties_a):
    client.force_login(staff_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == files.XLSX
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["企业", "活动", "意见建议"]
    [county_list] = [v.formula1 for v in workbook["企业"].data_validations.dataValidation]
    assert county_list == '"丰泽区,晋江市"'


def test_the_downloaded_template_reads_back_clean(client, staff_a):
    client.force_login(staff_a)
    content = b"".join(client.get(URL).streaming_content)
    result = read_workbook(io.BytesIO(content))
    assert result.problems == []


@pytest.mark.parametrize("persona", ["office", "leader", "no_role_user"])
def test_the_template_page_is_for_branch_staff_and_leads(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(URL).status_code == 403
