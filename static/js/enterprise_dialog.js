// Register an enterprise from a picker without leaving the form: the registration form
// (with its duplicate guard) opens in #enterprise-dialog; the new record, or an existing
// one the guard found, becomes the picker's choice. Loaded before app.js.
(function () {
  let pending = null; // {callback, done}

  function finish(choice) {
    if (!pending) return;
    const { callback } = pending;
    pending.done = true;
    pending = null;
    callback(choice || undefined);
  }

  function body(dialog) {
    return dialog.querySelector("[data-dialog-body]");
  }

  function problem(dialog, text) {
    const alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = text;
    body(dialog).prepend(alert);
  }

  function show(dialog, html) {
    body(dialog).innerHTML = html;
    const form = body(dialog).querySelector("form");
    if (!form) return;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(dialog, form, event.submitter);
    });
    body(dialog)
      .querySelectorAll("[data-choose-id]")
      .forEach((button) =>
        button.addEventListener("click", () => {
          finish({ id: button.dataset.chooseId, text: button.dataset.chooseText });
          bootstrap.Modal.getOrCreateInstance(dialog).hide();
        }),
      );
    // The guard's match first (choosing it is the likely answer), else the field to fix.
    const first =
      body(dialog).querySelector("[data-choose-id]") ||
      form.querySelector("[aria-invalid=true]") ||
      form.querySelector("input[name=name]");
    first?.focus();
  }

  async function send(dialog, form, submitter) {
    submitter && (submitter.disabled = true);
    let response;
    try {
      response = await fetch(new URL(form.getAttribute("action"), window.location.href).href, { method: "POST", body: new FormData(form, submitter), credentials: "same-origin" });
    } catch (error) {
      submitter && (submitter.disabled = false);
      problem(dialog, dialog.dataset.sendFailed);
      return;
    }
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      finish(await response.json()); // the new record, as the picker's choice
      bootstrap.Modal.getOrCreateInstance(dialog).hide();
      return;
    }
    show(dialog, await response.text()); // the form again, with its errors or the matches
  }

  async function open(select, input, callback) {
    const dialog = document.getElementById("enterprise-dialog");
    if (!dialog) return callback();
    pending = { callback, done: false };
    body(dialog).replaceChildren();
    const modal = bootstrap.Modal.getOrCreateInstance(dialog);
    dialog.addEventListener("hidden.bs.modal", () => finish(null), { once: true });
    modal.show();
    const url = `${select.dataset.createUrl}&name=${encodeURIComponent(input.trim())}`;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      show(dialog, await response.text());
    } catch (error) {
      problem(dialog, dialog.dataset.loadFailed);
    }
  }

  window.enterpriseDialog = { open };
})();
