// Small behaviours shared by every page. Loaded with <script src>: the CSP allows no inline code.
document.addEventListener("htmx:configRequest", (event) => {
  // Send the CSRF token with every htmx request that changes something.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});

// Searchable pickers: <select data-picker> becomes a Tom Select; with
// data-autocomplete-url it searches the server as the user types ({results: [{id, text}]}).
function initPickers(root) {
  if (typeof TomSelect === "undefined") return;
  root.querySelectorAll("select[data-picker]").forEach((select) => {
    if (select.tomselect) return;
    const texts = select.dataset;
    const options = {
      plugins: select.multiple ? { remove_button: { title: texts.removeLabel || "×" } } : [],
      maxOptions: 50,
      create: false,
      hideSelected: true,
      render: {
        no_results: () => {
          const div = document.createElement("div");
          div.className = "no-results";
          div.textContent = texts.noResults || "—";
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
            .then((response) => response.json())
            .then((data) => callback(data.results))
            .catch(() => callback());
        },
      });
    }
    new TomSelect(select, options);
  });
}
document.addEventListener("DOMContentLoaded", () => initPickers(document));
document.addEventListener("htmx:load", (event) => initPickers(event.detail.elt));
