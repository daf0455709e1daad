// Dashboard charts, drawn with the vendored Chart.js from the JSON the page carries
// (<script type="application/json" id="dashboard-charts">): no inline script under the CSP.
(function () {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#6c757d", "#0dcaf0"];
  const common = { responsive: true, maintainAspectRatio: false, animation: false };

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const chart = new Chart(canvas, config);
    canvas.dataset.rendered = "true"; // browser tests wait for this
    return chart;
  }

  draw("chart-over-time", {
    type: "bar",
    data: {
      labels: data.over_time.periods,
      datasets: [
        { type: "bar", label: data.over_time.labels.activities, data: data.over_time.activities, backgroundColor: palette[0] },
        { type: "line", label: data.over_time.labels.opinions, data: data.over_time.opinions, borderColor: palette[2], backgroundColor: palette[2], yAxisID: "y1" },
      ],
    },
    options: { ...common, scales: { y: { beginAtZero: true, position: "left" }, y1: { beginAtZero: true, position: "right", grid: { drawOnChartArea: false } } } },
  });

  draw("chart-funnel", {
    type: "bar",
    data: {
      labels: data.funnel.labels,
      datasets: [{ data: data.funnel.counts, backgroundColor: [palette[0], palette[2], palette[3], palette[1]] }],
    },
    options: { ...common, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
  });

  draw("chart-categories", {
    type: "bar",
    data: {
      labels: data.categories.labels,
      datasets: [{ data: data.categories.counts, backgroundColor: palette[5] }],
    },
    options: { ...common, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: { beginAtZero: true } } },
  });

  // The province sees its branches side by side; a branch sees its problems by state.
  draw("chart-branches", data.by_branch ? {
    type: "bar",
    data: {
      labels: data.branches.labels,
      datasets: data.branches.series.map((series, index) => ({ label: series.label, data: series.counts, backgroundColor: palette[index] })),
    },
    options: { ...common, scales: { y: { beginAtZero: true } } },
  } : {
    type: "doughnut",
    data: { labels: data.states.labels, datasets: [{ data: data.states.counts, backgroundColor: palette }] },
    options: common,
  });
})();
