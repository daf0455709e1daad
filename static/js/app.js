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
    new TomSelect(select, options);
  });
}
document.addEventListener("DOMContentLoaded", () => initPickers(document));
document.addEventListener("htmx:load", (event) => initPickers(event.detail.elt));
