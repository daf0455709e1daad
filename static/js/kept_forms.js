// Forms marked data-keep: what is typed is kept in this browser until the form is saved,
// and the form is sent with fetch so a dropped connection is said on the page, not lost.
// The server (core/kept_forms.py) answers a redirect as {redirect, saved}: the copy is
// forgotten only when saved (not when the session had ended and the login page is next).
// Loaded before app.js: the copy is put back before the pickers are drawn.
(function () {
  const PREFIX = "kept-form:";
  const SKIPPED = new Set(["csrfmiddlewaretoken", "submission_key"]);
  const KEPT_DAYS = 14;
  const WAIT_MS = 60000;

  const storageKey = (form) => PREFIX + form.dataset.keep;

  function read(form) {
    try {
      const kept = JSON.parse(localStorage.getItem(storageKey(form)));
      if (kept && Date.now() - kept.at < KEPT_DAYS * 86400000) return kept;
    } catch (error) {
      /* unreadable copy: treated as none */
    }
    return null;
  }

  function typedFields(form) {
    const fields = [];
    for (const field of form.elements) {
      if (!field.name || SKIPPED.has(field.name) || field.disabled) continue;
      if (field.dataset.notKept !== undefined) continue; // e.g. an issue chosen among suggestions
      if (["password", "file", "submit", "button", "reset"].includes(field.type)) continue;
      if (field.type === "checkbox" || field.type === "radio") {
        if (field.checked) fields.push([field.name, field.value]);
      } else if (field.tagName === "SELECT") {
        for (const option of field.selectedOptions) fields.push([field.name, option.value, option.text]);
      } else {
        fields.push([field.name, field.value]);
      }
    }
    return fields;
  }

  function keep(form) {
    try {
      localStorage.setItem(storageKey(form), JSON.stringify({ at: Date.now(), fields: typedFields(form) }));
    } catch (error) {
      /* storage full or refused (private mode): the form still works, unkept */
    }
  }

  function forget(form) {
    localStorage.removeItem(storageKey(form));
  }

  function putBack(form, kept) {
    const values = new Map();
    for (const [name, value, label] of kept.fields) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push([value, label]);
    }
    // Rows first (static/js/rows.js adds them), so their fields exist to be filled.
    for (const [name, [[count]]] of values) {
      if (name.endsWith("-TOTAL_FORMS")) {
        form.dispatchEvent(
          new CustomEvent("rows:ensure", { detail: { prefix: name.slice(0, -12), count: Number(count) } }),
        );
      }
    }
    for (const field of form.elements) {
      if (!field.name || SKIPPED.has(field.name) || field.type === "file" || field.type === "password") continue;
      if (field.type === "hidden" || ["submit", "button", "reset"].includes(field.type)) continue;
      const kept = values.get(field.name) || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = kept.some(([value]) => value === field.value);
      } else if (field.tagName === "SELECT") {
        for (const [value, label] of kept) {
          if (![...field.options].some((option) => option.value === value)) field.add(new Option(label, value));
        }
        for (const option of field.options) option.selected = kept.some(([value]) => value === option.value);
      } else if (kept.length) {
        field.value = kept[0][0];
      }
    }
    form.dispatchEvent(new CustomEvent("kept:restored", { bubbles: true }));
  }

  function notice(form, text, kind, withDiscard) {
    let box = form.querySelector(".kept-notice");
    if (!box) {
      box = document.createElement("div");
      box.className = "kept-notice alert d-flex flex-wrap align-items-center gap-2";
      form.prepend(box);
    }
    box.className = `kept-notice alert alert-${kind} d-flex flex-wrap align-items-center gap-2`;
    box.setAttribute("role", kind === "danger" ? "alert" : "status");
    box.replaceChildren(Object.assign(document.createElement("span"), { textContent: text }));
    if (withDiscard) {
      const discard = Object.assign(document.createElement("button"), {
        type: "button",
        className: "btn btn-sm btn-outline-secondary ms-auto",
        textContent: form.dataset.keepDiscard,
      });
      discard.addEventListener("click", () => {
        forget(form);
        window.location.reload();
      });
      box.append(discard);
    }
    return box;
  }

  function setBusy(form, busy) {
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
      button.disabled = busy;
    }
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  // Where the form goes: read from the attributes, since a field named "action" hides
  // form.action (the reply forms' buttons are name="action").
  function target(form, submitter) {
    const address = submitter?.getAttribute("formaction") || form.getAttribute("action") || "";
    return new URL(address, window.location.href).href;
  }

  async function send(form, submitter) {
    const body = new FormData(form, submitter);
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), WAIT_MS);
    setBusy(form, true);
    form.querySelector(".kept-notice")?.remove(); // a new attempt: the last one's news is old
    let response;
    try {
      response = await fetch(target(form, submitter), {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-Kept-Form": "1" },
        signal: stop.signal,
      });
    } catch (error) {
      setBusy(form, false);
      notice(form, form.dataset.keepOffline, "danger", false).scrollIntoView({ block: "center" });
      return;
    } finally {
      clearTimeout(timer);
    }
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      const answer = await response.json();
      if (answer.saved) forget(form);
      window.location.assign(answer.redirect);
      return;
    }
    // Anything else (the form with its errors, a refusal): let the browser send it as a
    // plain form and show the page. Nothing was kept of this attempt (core.submissions).
    form.dataset.keepPlain = "1";
    form.requestSubmit(submitter);
  }

  function watch(form) {
    const kept = read(form);
    if (form.dataset.keepBound !== undefined) {
      keep(form); // the server drew what was sent: that is the newest copy
    } else if (kept) {
      putBack(form, kept);
      const at = new Date(kept.at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      notice(form, form.dataset.keepRestored.replace("%(time)s", at), "info", true);
    }
    form.addEventListener("input", () => keep(form));
    form.addEventListener("change", () => keep(form));
    form.addEventListener("rows:changed", () => keep(form));
    form.addEventListener("submit", (event) => {
      if (form.dataset.keepPlain || !window.fetch) return;
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") return;
      keep(form);
      send(form, event.submitter);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-keep]").forEach(watch);
    // Signing out on purpose forgets every kept form of this browser (a shared computer).
    document.querySelectorAll("form[data-forget-kept]").forEach((form) =>
      form.addEventListener("submit", () => {
        Object.keys(localStorage)
          .filter((key) => key.startsWith(PREFIX))
          .forEach((key) => localStorage.removeItem(key));
      }),
    );
  });
})();
