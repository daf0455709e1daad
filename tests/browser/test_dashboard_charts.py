"""The dashboard's charts as the browser draws them: every count axis in whole numbers,
the activities and opinions each on its own titled axis, the numbers in a table."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from playwright.sync_api import expect

from branches.models import Branch
from outreach.models import Activity
from tests.browser.conftest import DESKTOP, PHONE, SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

DEMO_PASSWORD = "Outreach#2026"
CHARTS = (
    "chart-over-time",
    "chart-over-time-opinions",
    "chart-funnel",
    "chart-funnel-problems",
    "chart-categories",
    "chart-branches",
    "chart-branches-problems",
)

#: Each chart's scales as Chart.js resolved and drew them.
READ_SCALES = """(ids) => ids.map((id) => {
  const chart = Chart.getChart(document.getElementById(id));
  const scales = {};
  for (const [key, scale] of Object.entries(chart.scales)) {
    scales[key] = {
      type: scale.type,
      axis: scale.axis,
      position: scale.options.position,
      precision: scale.options.ticks.precision,
      title: scale.options.title.display ? scale.options.title.text : null,
      ticks: scale.ticks.map((tick) => tick.value),
    };
  }
  const series = chart.data.datasets.map((dataset) => dataset.label);
  return { id, type: chart.config.type, scales, series };
})"""


@pytest.fixture
def demo(reference_data):
    call_command("seed_demo", box=False, verbosity=0)


def read_charts(page, ids=CHARTS) -> dict:
    for chart in ids:
        expect(page.get_by_test_id(chart)).to_have_attribute("data-rendered", "true")
    return {chart["id"]: chart for chart in page.evaluate(READ_SCALES, list(ids))}


def assert_whole_numbers(charts: dict) -> None:
    for chart in charts.values():
        for key, scale in chart["scales"].items():
            if scale["type"] != "linear":
                continue  # the category axis: labels, not counts
            assert scale["precision"] == 0, (chart["id"], key)
            assert scale["ticks"] and all(float(v).is_integer() for v in scale["ticks"]), (
                chart["id"],
                key,
                scale["ticks"],
            )


def test_count_axes_are_whole_and_over_time_has_two_axes(demo, log_in, live_server, screenshot):
    page = log_in("leader", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/dashboard/")
    charts = read_charts(page)
    assert_whole_numbers(charts)

    # Activities and opinions: two charts, each with its own y axis, headed by its unit.
    activities, opinions = charts["chart-over-time"], charts["chart-over-time-opinions"]
    assert activities["series"] == ["活动"] and opinions["series"] == ["意见建议"]
    assert sorted(activities["scales"]) == sorted(opinions["scales"]) == ["x", "y"]
    assert activities["scales"]["y"]["ticks"] != opinions["scales"]["y"]["ticks"]
    expect(page.get_by_test_id("chart-over-time-unit")).to_have_text("活动（场次）")
    expect(page.get_by_test_id("chart-over-time-opinions-unit")).to_have_text("意见建议（条）")
    # The branches: opinions on one chart, the problems found and answered on the other.
    assert charts["chart-branches"]["series"] == ["听取意见建议"]
    assert charts["chart-branches-problems"]["series"] == ["查找问题", "已答复"]
    # From opinions to answers: the opinions' stages, then the problems'.
    funnel = page.evaluate(
        "(ids) => ids.map((id) => Chart.getChart(document.getElementById(id)).data.labels)",
        ["chart-funnel", "chart-funnel-problems"],
    )
    assert funnel == [["听取意见建议", "已答复意见"], ["查找问题", "已整改", "已答复"]]

    # The same numbers as a table, one click away, and the canvas says where.
    canvas = page.get_by_test_id("chart-over-time")
    expect(canvas).to_have_attribute("aria-describedby", "chart-over-time-table")
    table = page.get_by_test_id("chart-over-time-table")
    expect(table).to_be_hidden()
    page.get_by_test_id("chart-over-time-numbers").locator("summary").click()
    expect(table).to_be_visible()
    first = table.locator("tbody tr").first
    expect(first.locator("th")).to_have_text(
        page.evaluate(
            "() => Chart.getChart(document.getElementById('chart-over-time')).data.labels[0]"
        )
    )
    screenshot("dashboard-charts-leader-zh")
    charts_row = page.get_by_test_id("charts")
    charts_row.screenshot(path=str(SCREENSHOTS / "dashboard-charts-only-desktop.png"))
    page.set_viewport_size(PHONE)
    charts = read_charts(page)
    assert_whole_numbers(charts)
    charts_row.screenshot(path=str(SCREENSHOTS / "dashboard-charts-only-phone.png"))

    # One branch on a day it held one activity: counts of one or two, where Chart.js
    # alone would tick at 0.1 or 0.5. (In the same test: a second transactional test would
    # seed the demo again.)
    day = (
        Activity.objects.filter(branch__code="quanzhou", feedback_items__isnull=False)
        .values("occurred_on")
        .annotate(held=Count("id", distinct=True))
        .filter(held=1)
        .order_by("occurred_on")
        .values_list("occurred_on", flat=True)
        .first()
    )
    quanzhou = Branch.objects.get(code="quanzhou").pk
    page.set_viewport_size(DESKTOP)
    page.goto(
        f"{live_server.url}/dashboard/?campaign=&branch={quanzhou}&date_from={day}&date_to={day}"
    )
    charts = read_charts(page, CHARTS[:5])
    assert max(charts["chart-over-time"]["scales"]["y"]["ticks"]) == 1
    assert_whole_numbers(charts)
