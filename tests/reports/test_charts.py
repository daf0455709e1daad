"""The dashboard's charts: each has its numbers in a table (its text alternative), the
same numbers the chart draws; a survey is counted in rounds, its forms in forms."""

import re
from html import unescape

import pytest
from django.urls import reverse

from reports.briefing.data import load_briefing_data
from reports.briefing.languages import build_briefing
from reports.briefing.writer import EN, ZH
from reports.selection import Selection
from tests.factories import ActivityFactory
from tests.reports.test_metrics import Dataset

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
CHARTS = ("chart-over-time", "chart-funnel", "chart-categories", "chart-branches")


@pytest.fixture
def data(branch_a, branch_b, staff_a):
    return Dataset(branch_a, branch_b, staff_a)


def table_of(body: str, chart: str) -> tuple[list[str], list[list[str]]]:
    """The chart's data table as the page renders it: its head, then each row's cells."""
    table = re.search(rf'<table [^>]*id="{chart}-table".*?</table>', body, re.S)
    assert table, chart
    cells = r"<t[hd][^>]*>(.*?)</t[hd]>"
    head = re.search(r"<thead>(.*?)</thead>", table[0], re.S)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", table[0], re.S)[1])
    return (
        [unescape(h) for h in re.findall(cells, head)],
        [[unescape(c) for c in re.findall(cells, row)] for row in rows],
    )


def expected_rows(labels, *columns) -> list[list[str]]:
    rows = zip(labels, *columns, strict=True)
    return [[str(label), *(str(n) for n in numbers)] for label, *numbers in rows]


def test_each_chart_table_lists_the_numbers_of_the_chart_json(client, data, office):
    client.force_login(office)
    response = client.get(DASHBOARD, {"campaign": data.c1.pk})
    body = response.content.decode()
    # The JSON the charts are drawn from, as the page carries it.
    charts = response.context["charts"]
    over_time, funnel, categories = charts["over_time"], charts["funnel"], charts["categories"]
    assert sum(over_time["activities"]) == 6 and sum(over_time["opinions"]) == 8

    head, rows = table_of(body, "chart-over-time")
    assert head == ["周", "活动", "意见建议"]
    periods, activities, opinions = (over_time[k] for k in ("periods", "activities", "opinions"))
    assert rows == expected_rows(periods, activities, opinions)
    head, rows = table_of(body, "chart-funnel")
    assert rows == expected_rows(funnel["labels"], funnel["counts"])
    assert [row[1] for row in rows] == [str(n) for n in funnel["counts"]]
    head, rows = table_of(body, "chart-categories")
    assert rows == expected_rows(categories["labels"], categories["counts"])
    # The province compares its branches: one column per series.
    series = charts["branches"]["series"]
    head, rows = table_of(body, "chart-branches")
    assert head[1:] == [s["label"] for s in series]
    assert rows == expected_rows(charts["branches"]["labels"], *(s["counts"] for s in series))
    assert len(rows) == 2


def test_a_branch_table_lists_its_problems_by_state(client, data, staff_a):
    client.force_login(staff_a)
    response = client.get(DASHBOARD, {"campaign": data.c1.pk})
    states = response.context["charts"]["states"]
    assert response.context["charts"]["by_branch"] is False
    _head, rows = table_of(response.content.decode(), "chart-branches")
    assert rows == expected_rows(states["labels"], states["counts"])


def test_each_canvas_points_to_its_table(client, data, office):
    client.force_login(office)
    body = client.get(DASHBOARD, {"campaign": data.c1.pk}).content.decode()
    canvases = {
        **{chart: chart for chart in CHARTS},
        "chart-over-time-opinions": "chart-over-time",
        "chart-branches-problems": "chart-branches",
        "chart-funnel-problems": "chart-funnel",
    }
    for canvas_id, chart in canvases.items():
        canvas = re.search(rf'<canvas id="{canvas_id}"[^>]*>', body)[0]
        assert f'aria-describedby="{chart}-table"' in canvas
        assert 'role="img"' in canvas and "数据见下方表格" in canvas
    for chart in CHARTS:
        # The table sits in a <details> the reader opens: "数据表".
        details = re.search(rf'<details[^>]*data-testid="{chart}-numbers">\s*<summary>(.*?)<', body)
        assert details and details[1] == "数据表"


def test_different_units_are_different_charts_headed_by_their_unit(client, data, office):
    client.force_login(office)
    response = client.get(DASHBOARD, {"campaign": data.c1.pk})
    charts, body = response.context["charts"], response.content.decode()
    assert charts["over_time"]["axes"] == {
        "activities": "活动（场次）",
        "opinions": "意见建议（条）",
    }
    for canvas, unit in (
        ("chart-over-time", "活动（场次）"),
        ("chart-over-time-opinions", "意见建议（条）"),
        ("chart-branches", "意见建议（条）"),
        ("chart-branches-problems", "问题（个）"),
        ("chart-funnel", "意见建议（条）"),
        ("chart-funnel-problems", "问题（个）"),
    ):
        assert re.search(rf'data-testid="{canvas}-unit">{unit}</h3>', body), canvas
    # Opinions on one chart, the problems found and answered on the other.
    assert [s["axis"] for s in charts["branches"]["series"]] == ["opinions", "problems", "problems"]
    assert charts["funnel"]["units"] == ["opinions", "opinions", "problems", "problems", "problems"]


# --- a survey is a round of forms ------------------------------------------------------


def survey_card(body: str) -> str:
    card = re.search(r'data-testid="figure-surveys">(.*?)</div>\s*</div>\s*</div>', body, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", card[1])


def test_the_survey_card_counts_rounds_in_chinese_and_english(client, branch_a, office):
    survey = ActivityFactory(branch=branch_a, survey=True, forms_sent=30, forms_returned=25)
    client.force_login(office)
    params = {"campaign": survey.campaign.pk}
    zh = " ".join(survey_card(client.get(DASHBOARD, params).content.decode()).split())
    assert zh == "征求意见表（轮次） 1 发放表数 30 · 回收表数 25"
    client.cookies["django_language"] = "en"
    en = " ".join(survey_card(client.get(DASHBOARD, params).content.decode()).split())
    assert en == "Survey rounds 1 Forms sent 30 · Forms returned 25"


def test_the_briefing_counts_survey_rounds(branch_a, office):
    survey = ActivityFactory(branch=branch_a, survey=True, forms_sent=30, forms_returned=25)
    data = load_briefing_data(office, Selection(campaign=survey.campaign))
    zh, en = build_briefing(data, ZH), build_briefing(data, EN)
    assert "开展征求意见表调查1轮，发放征求意见表30份、收回25份" in zh.summary
    assert "ran 1 survey round (30 forms sent, 25 returned)" in en.summary
