// A new activity's form: every opinion row offers the enterprises chosen above it (and
// "anonymous"); with exactly one chosen, a row not yet touched names it.
(function () {
  function sync(form) {
    const chosen = form.querySelector("select[name=enterprises]");
    // The picker's own data holds the name alone (its label adds the county and code).
    const known = chosen?.tomselect?.options || {};
    const offered = chosen
      ? [...chosen.selectedOptions].map((option) => [option.value, known[option.value]?.name || option.text])
      : [];
    form.querySelectorAll("[data-row-list] select[name$='-enterprise']").forEach((select) => {
      const current = select.value;
      const anonymous = select.options[0];
      select.replaceChildren(anonymous, ...offered.map(([value, text]) => new Option(text, value)));
      const stillOffered = offered.some(([value]) => value === current);
      if (stillOffered) select.value = current;
      else if (!select.dataset.touched && offered.length === 1) select.value = offered[0][0];
      else select.value = "";
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.querySelector("form[data-testid=activity-form]");
    if (!form) return;
    form.addEventListener("change", (event) => {
      if (event.target.matches("select[name$='-enterprise']")) event.target.dataset.touched = "1";
      if (event.target.matches("select[name=enterprises]")) sync(form);
    });
    form.addEventListener("rows:added", () => sync(form));
    // Rows put back from this device's copy, or drawn again with errors, were chosen by
    // the person: none is renamed. (kept_forms.js has put the copy back by now.)
    if (form.querySelector(".kept-notice") || form.dataset.keepBound !== undefined) {
      form.querySelectorAll("[data-row-list] select[name$='-enterprise']").forEach((select) => {
        select.dataset.touched = "1";
      });
    }
    sync(form);
  });
})();
