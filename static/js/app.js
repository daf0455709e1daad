// Small behaviours shared by every page. Loaded with <script src>: the CSP allows no inline code.
document.addEventListener("htmx:configRequest", (event) => {
  // Send the CSRF token with every htmx request that changes something.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// Searchable pickers: <select data-picker> becomes a Tom Select; with
// data-autocomplete-url it searches the server as the user types ({results: [{id, text}]}),
// and with data-create-url it offers to register what was typed (enterprise_dialog.js).
// A choice clears the search text; backspace never removes a choice (the x button does).
function initPickers(root) {
  if (typeof TomSelect === "undefined") return;
  root.querySelectorAll("select[data-picker]").forEach((select) => {
    if (select.tomselect) return;
    const texts = select.dataset;
    let searchFailed = false;
    const options = {
      plugins: {
        no_backspace_delete: {},
        ...(select.multiple ? { remove_button: { title: texts.removeLabel || "×" } } : {}),
      },
      maxOptions: 50,
      create: false,
      hideSelected: true,
      closeAfterSelect: true,
      onItemAdd() {
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      render: {
        no_results: () => {
          const div = document.createElement("div");
          div.className = searchFailed ? "no-results text-danger" : "no-results";
          div.setAttribute("role", "status");
          div.textContent = (searchFailed ? texts.loadFailed : texts.noResults) || "—";
          return div;
        },
      },
    };
    const url = select.dataset.autocompleteUrl;
    if (url) {
      Object.assign(options, {
        valueField: "id",
        labelField: "text",
        searchField: ["text"],
        load(query, callback) {
          fetch(`${url}?q=${encodeURIComponent(query)}`, { credentials: "same-origin" })
            .then((response) => {
              if (!response.ok) throw new Error(String(response.status));
              return response.json();
            })
            .then((data) => {
              searchFailed = false;
              callback(data.results);
            })
            .catch(() => {
              // Said, not shown as "nothing found"; the same text is searched again next time.
              searchFailed = true;
              delete this.loadedSearches[query];
              callback();
            });
        },
      });
    }
    if (select.dataset.createUrl && window.enterpriseDialog) {
      Object.assign(options, {
        create: (input, callback) => window.enterpriseDialog.open(select, input, callback),
        createFilter: (input) => input.trim().length >= 2,
        render: {
          ...options.render,
          option_create: (data, escape) =>
            `<div class="create">${escape((texts.createLabel || "+ %(name)s").replace("%(name)s", data.input))}</div>`,
        },
      });
    }
    namePicker(new TomSelect(select, options));
  });
}

// The picker's own input is the field a screen reader meets: it takes the <select>'s label,
// error and invalid state. The <select> stays in the form (Tom Select has taken it out of
// the tab order) but is hidden from assistive technology, so no nameless twin is announced.
function namePicker(picker) {
  const select = picker.input;
  const input = picker.control_input;
  const named = (input.getAttribute("aria-labelledby") || "")
    .split(" ")
    .some((id) => id && document.getElementById(id)?.textContent.trim());
  if (!named) {
    const label = select.labels?.[0] || document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    if (label) {
      label.id ||= `${input.id}-label`;
      input.setAttribute("aria-labelledby", label.id);
    } else if (select.getAttribute("aria-label")) {
      input.setAttribute("aria-label", select.getAttribute("aria-label"));
    }
  }
  for (const name of ["aria-describedby", "aria-invalid"]) {
    if (select.hasAttribute(name)) input.setAttribute(name, select.getAttribute(name));
  }
  if (select.required) input.setAttribute("aria-required", "true");
  select.setAttribute("aria-hidden", "true");
}
document.addEventListener("DOMContentLoaded", () => initPickers(document));
document.addEventListener("htmx:load", (event) => initPickers(event.detail.elt));

// A table wider than its box scrolls sideways inside it, never the page. While it does, the
// box takes keyboard focus (the arrow keys scroll it), its hint shows ([data-scroll-hint]),
// and classes tell the CSS which edges hide columns: the fade, the sticky column's shadow.
function markScroller(box) {
  const more = box.scrollWidth - box.clientWidth;
  const scrolls = more > 1;
  if (scrolls) box.tabIndex = 0;
  else box.removeAttribute("tabindex");
  box.classList.toggle("scrolls-more-start", scrolls && box.scrollLeft > 1);
  box.classList.toggle("scrolls-more-end", scrolls && box.scrollLeft < more - 1);
  if (box.id) {
    document.querySelectorAll(`[data-scroll-hint="${box.id}"]`).forEach((hint) => {
      hint.hidden = !scrolls;
    });
  }
  if (!box.dataset.scrollWatched) {
    box.dataset.scrollWatched = "true";
    box.addEventListener("scroll", () => markScroller(box), { passive: true });
  }
}
function markScrollers(root) {
  root.querySelectorAll(".table-responsive").forEach(markScroller);
}
let scrollersFrame = 0;
window.addEventListener("resize", () => {
  cancelAnimationFrame(scrollersFrame);
  scrollersFrame = requestAnimationFrame(() => markScrollers(document));
});
window.addEventListener("load", () => markScrollers(document));
document.addEventListener("DOMContentLoaded", () => markScrollers(document));
document.addEventListener("htmx:load", (event) => markScrollers(event.detail.elt));
