"""An issue fixed on the spot (立行立改) needed no plan and no verifier: its page and its row
in the lists never say "no plan yet", and name whoever fixed it as such, not as verifier."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.templatetags.people import person_name
from issues.models import Issue
from issues.transitions import apply_transition
from tests.issues.screens import issue_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def fixed(world, staff_a):
    issue = issue_in(world, Issue.State.COLLECTED)
    return apply_transition(
        issue_id=issue.pk,
        name="fix_now",
        actor=staff_a,
        expected_state=Issue.State.COLLECTED,
        rectification="当场更换了检验报告",
    )


def section(body: str, testid: str) -> str:
    start = body.index(f'data-testid="{testid}"')
    return body[start : body.index("</dd>", start)]


def test_the_page_says_no_plan_was_needed_and_who_fixed_it(client, lead_a, staff_a, fixed):
    client.force_login(lead_a)
    body = client.get(reverse("issues:issue_detail", args=[fixed.pk])).content.decode()
    assert "尚未制定整改计划" not in body
    assert "无需整改计划：已立行立改。" in section(body, "measures")
    assert section(body, "rectified-by").endswith(f"{person_name(staff_a)} 立行立改</span>")
    assert "核实" not in section(body, "rectified-by")


def test_a_planned_issue_still_says_when_it_has_no_plan_and_who_verified(
    client, world, lead_a, staff_a
):
    collected = issue_in(world, Issue.State.COLLECTED)
    client.force_login(lead_a)
    body = client.get(reverse("issues:issue_detail", args=[collected.pk])).content.decode()
    assert "尚未制定整改计划。" in section(body, "measures")
    rectified = issue_in(world, Issue.State.RECTIFIED, verified_by=lead_a)
    body = client.get(reverse("issues:issue_detail", args=[rectified.pk])).content.decode()
    assert f"{person_name(lead_a)} 核实" in section(body, "rectified-by")


def test_reopened_and_verified_again_it_names_the_verifier(client, world, lead_a, fixed):
    Issue.objects.filter(pk=fixed.pk).update(reopen_count=1, verified_by=lead_a)
    client.force_login(lead_a)
    body = client.get(reverse("issues:issue_detail", args=[fixed.pk])).content.decode()
    assert f"{person_name(lead_a)} 核实" in section(body, "rectified-by")


def test_its_row_in_the_list_does_not_ask_for_a_responsible_person(client, staff_a, fixed):
    client.force_login(staff_a)
    body = client.get(reverse("issues:issue_list")).content.decode()
    row = body[body.index(f'data-pk="{fixed.pk}"') :]
    row = row[: row.index("</li>")]
    assert "立行立改" in row
    assert "尚未指定责任人" not in row and "无整改时限" not in row
