// Dashboard charts, drawn with the vendored Chart.js from the JSON the page carries
// (<script type="application/json" id="dashboard-charts">): no inline script under the CSP.
(function () {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#dc3545", "#20c997", "#ffc107", "#6c757d", "#0dcaf0"];
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  // Every axis counts things: whole numbers only (no 0.5 ticks when the counts are small).
  function countAxis(extra) {
    return { beginAtZero: true, ticks: { precision: 0 }, ...extra };
  }

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    const chart = new Chart(canvas, config);
    canvas.dataset.rendered = "true"; // browser tests wait for this
    return chart;
  }

  // Activities and opinions are different units: two charts one above the other (each
  // headed by its unit in the page), never two scales on one chart. On a phone two
  // short charts read at a glance; a second scale would need two sideways titles and
  // invites comparing a bar with a line drawn to another scale.
  function series(id, labels, label, counts, color) {
    return draw(id, {
      type: "bar",
      data: { labels: labels, datasets: [{ label: label, data: counts, backgroundColor: color, borderColor: color }] },
      options: { ...common, plugins: { legend: { display: false } }, scales: { y: countAxis() } },
    });
  }
  series("chart-over-time", data.over_time.periods, data.over_time.labels.activities, data.over_time.activities, palette[0]);
  series("chart-over-time-opinions", data.over_time.periods, data.over_time.labels.opinions, data.over_time.opinions, palette[2]);

  // From opinions to answers: the opinions' stages on one chart, the problems' on another.
  function stages(id, unit, colors) {
    const picked = data.funnel.units.map((one, index) => (one === unit ? index : -1)).filter((index) => index >= 0);
    return draw(id, {
      type: "bar",
      data: {
        labels: picked.map((index) => data.funnel.labels[index]),
        datasets: [{ data: picked.map((index) => data.funnel.counts[index]), backgroundColor: colors }],
      },
      options: { ...common, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: countAxis() } },
    });
  }
  stages("chart-funnel", "opinions", [palette[0], palette[8]]);
  stages("chart-funnel-problems", "problems", [palette[2], palette[3], palette[1]]);

  draw("chart-categories", {
    type: "bar",
    data: {
      labels: data.categories.labels,
      datasets: [{ data: data.categories.counts, backgroundColor: palette[5] }],
    },
    options: { ...common, indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: countAxis() } },
  });

  // The province sees its branches side by side (opinions in one chart, problems in
  // another: not one unit); a branch sees its problems by state.
  if (data.by_branch) {
    const bars = (unit) => data.branches.series
      .map((one, index) => ({ label: one.label, data: one.counts, backgroundColor: palette[index], unit: one.axis }))
      .filter((one) => one.unit === unit)
      .map(({ unit: _unit, ...dataset }) => dataset);
    const options = (legend) => ({ ...common, plugins: { legend: { display: legend } }, scales: { y: countAxis() } });
    draw("chart-branches", { type: "bar", data: { labels: data.branches.labels, datasets: bars("opinions") }, options: options(false) });
    draw("chart-branches-problems", { type: "bar", data: { labels: data.branches.labels, datasets: bars("problems") }, options: options(true) });
  } else {
    draw("chart-branches", {
      type: "doughnut",
      data: { labels: data.states.labels, datasets: [{ data: data.states.counts, backgroundColor: palette }] },
      options: common,
    });
  }
})();
