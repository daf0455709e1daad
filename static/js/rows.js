// Rows of a Django formset added in the browser, without a round trip (a phone on a poor
// network): <div data-rows data-prefix="feedback"> holds the rows and a
// <template data-row-template> (the formset's empty form, "__prefix__" for its index and
// "__number__" for the number shown); a button[data-add-row] inside the form adds one.
(function () {
  function totalInput(form, prefix) {
    return form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
  }

  function addRow(form, container, focus) {
    const prefix = container.dataset.prefix;
    const total = totalInput(form, prefix);
    const max = Number(form.querySelector(`input[name="${prefix}-MAX_NUM_FORMS"]`)?.value || 1000);
    const index = Number(total.value);
    if (index >= max) return null;
    const html = container.querySelector("template[data-row-template]").innerHTML
      .replaceAll("__prefix__", String(index))
      .replaceAll("__number__", String(index + 1));
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const row = holder.firstElementChild;
    container.querySelector("[data-row-list]").append(row);
    total.value = String(index + 1);
    row.dispatchEvent(new CustomEvent("rows:added", { bubbles: true }));
    // The cursor goes where the opinion is written (the other fields have their defaults).
    if (focus) (row.querySelector("textarea") || row.querySelector("input:not([type=hidden]), select"))?.focus();
    return row;
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("[data-rows]").forEach((container) => {
      const form = container.closest("form");
      const prefix = container.dataset.prefix;
      form.addEventListener("rows:ensure", (event) => {
        if (event.detail.prefix !== prefix) return;
        while (Number(totalInput(form, prefix).value) < event.detail.count) {
          if (!addRow(form, container, false)) break;
        }
      });
      // data-grow: once the last row is typed in, an empty one follows it (the phone's
      // next opinion is one tap away); untouched rows are skipped when saving.
      if (container.dataset.grow !== undefined) {
        form.addEventListener("input", (event) => {
          const rows = container.querySelectorAll("[data-row-list] > *");
          const last = rows[rows.length - 1];
          if (last && last.contains(event.target) && event.target.tagName === "TEXTAREA" && event.target.value.trim()) {
            if (addRow(form, container, false)) form.dispatchEvent(new CustomEvent("rows:changed"));
          }
        });
      }
      form.querySelectorAll(`[data-add-row="${prefix}"]`).forEach((button) =>
        button.addEventListener("click", () => {
          if (addRow(form, container, true)) form.dispatchEvent(new CustomEvent("rows:changed"));
        }),
      );
    });
  });
})();
