// Open issues like what is being typed, suggested beside an intake form as the user types
// (issues/views/suggestions.py answers with a small partial). Never a step of the form:
// nothing waits for it, and a failed request only shows nothing.
//
// An element [data-suggest-url] (the form, or the page's wrapper) says where to ask:
//   data-suggest-url            the endpoint
//   data-suggest-params         what the page fixes ("intake=opinion&activity=12")
//   data-suggest-campaign-field a select of the form naming the campaign (a new activity)
//   data-suggest-attach-form    the id of a form that attaches at once (the dispose page)
// Inside it, each [data-suggest-scope] (an opinion row, or the whole dispose page) has the
// fields read (data-suggest-text, -category, -enterprise: selectors, with an opinion row's
// as defaults), a [data-suggestions] box, the hidden [data-suggested-token] inputs (the
// list shown, sent back when saved) and, for a row, [data-suggested-choice] (the issue
// chosen, attached when the row is saved).
(function () {
  const WAIT_MS = 400;
  const DEFAULTS = {
    suggestText: "textarea[name$='-content']",
    suggestCategory: "select[name$='-category']",
    suggestEnterprise: "select[name$='-enterprise']",
  };
  const timers = new WeakMap();
  const requests = new WeakMap();

  const setting = (scope, name) => scope.dataset[name] ?? DEFAULTS[name] ?? "";
  const fields = (scope, name) => {
    const selector = setting(scope, name);
    return selector ? [...scope.querySelectorAll(selector)] : [];
  };

  function typedText(scope) {
    return fields(scope, "suggestText")
      .map((field) => field.value.trim())
      .filter(Boolean)
      .join("\n");
  }

  function setToken(scope, token) {
    scope.querySelectorAll("[data-suggested-token]").forEach((input) => {
      input.value = token;
    });
  }

  function clear(scope) {
    const box = scope.querySelector("[data-suggestions]");
    if (box) box.replaceChildren();
    setToken(scope, "");
  }

  function refresh(scope) {
    if (scope.dataset.chosen) return; // a choice holds the list until it is undone
    const source = scope.closest("[data-suggest-url]");
    const params = new URLSearchParams(source.dataset.suggestParams || "");
    const text = typedText(scope);
    if (!text && !params.has("items")) {
      clear(scope);
      return;
    }
    params.set("text", text);
    const category = fields(scope, "suggestCategory")[0];
    if (category?.value) params.set("category", category.value);
    const enterprise = fields(scope, "suggestEnterprise")[0];
    if (enterprise?.value) params.set("enterprise", enterprise.value);
    const campaignField = source.dataset.suggestCampaignField;
    if (campaignField) {
      const campaign = source.querySelector(`[name="${campaignField}"]`)?.value;
      if (!campaign) return;
      params.set("campaign", campaign);
    }
    requests.get(scope)?.abort();
    const controller = new AbortController();
    requests.set(scope, controller);
    fetch(`${source.dataset.suggestUrl}?${params}`, {
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then((response) => (response.ok ? response.text() : ""))
      .then((html) => show(scope, html))
      .catch(() => {
        /* aborted by a newer request, or offline: the form goes on without suggestions */
      });
  }

  function show(scope, html) {
    const box = scope.querySelector("[data-suggestions]");
    if (!box) return;
    box.innerHTML = html;
    const panel = box.querySelector("[data-token]");
    setToken(scope, panel ? panel.dataset.token : "");
    // A choice kept by a form drawn again (after an error elsewhere) stands if still shown.
    const choice = scope.querySelector("[data-suggested-choice]");
    if (choice?.value) {
      if (panel?.querySelector(`[data-issue="${CSS.escape(choice.value)}"]`)) mark(scope, choice.value);
      else choice.value = "";
    }
    scope.dispatchEvent(new CustomEvent("suggestions:shown", { bubbles: true }));
  }

  function mark(scope, pk) {
    scope.dataset.chosen = pk;
    scope.querySelectorAll("[data-suggestions] [data-issue]").forEach((line) => {
      const chosen = line.dataset.issue === pk;
      line.querySelector("[data-attach-suggestion]").hidden = true;
      line.querySelector("[data-chosen-suggestion]").hidden = !chosen;
      line.classList.toggle("opacity-50", !chosen);
    });
  }

  function unmark(scope) {
    delete scope.dataset.chosen;
    const choice = scope.querySelector("[data-suggested-choice]");
    if (choice) choice.value = "";
    scope.querySelectorAll("[data-suggestions] [data-issue]").forEach((line) => {
      line.querySelector("[data-attach-suggestion]").hidden = false;
      line.querySelector("[data-chosen-suggestion]").hidden = true;
      line.classList.remove("opacity-50");
    });
    refresh(scope); // what was typed meanwhile
  }

  function choose(scope, pk) {
    const source = scope.closest("[data-suggest-url]");
    const formId = source.dataset.suggestAttachForm;
    if (formId) {
      const form = document.getElementById(formId);
      form.querySelector("[name=issue]").value = pk;
      form.requestSubmit();
      return;
    }
    const choice = scope.querySelector("[data-suggested-choice]");
    if (!choice) return;
    choice.value = pk;
    mark(scope, pk);
  }

  function later(scope) {
    clearTimeout(timers.get(scope));
    timers.set(scope, setTimeout(() => refresh(scope), WAIT_MS));
  }

  function watched(scope, field) {
    return ["suggestText", "suggestCategory", "suggestEnterprise"].some((name) => {
      const selector = setting(scope, name);
      return selector && field.matches(selector);
    });
  }

  function onEdit(event) {
    const scope = event.target.closest?.("[data-suggest-scope]");
    if (scope && watched(scope, event.target)) later(scope);
    // A new activity's campaign changes where every row looks.
    const source = event.target.closest?.("[data-suggest-campaign-field]");
    if (source && event.target.name === source.dataset.suggestCampaignField) {
      source.querySelectorAll("[data-suggest-scope]").forEach(later);
    }
  }

  document.addEventListener("input", onEdit);
  document.addEventListener("change", onEdit);
  document.addEventListener("click", (event) => {
    const attach = event.target.closest("[data-attach-suggestion]");
    const undo = event.target.closest("[data-undo-suggestion]");
    const scope = (attach || undo)?.closest("[data-suggest-scope]");
    if (!scope) return;
    if (attach) choose(scope, attach.dataset.attachSuggestion);
    else unmark(scope);
  });
  document.addEventListener("DOMContentLoaded", () => {
    // Rows drawn again or put back with text, and the dispose page's chosen opinions.
    document.querySelectorAll("[data-suggest-scope]").forEach((scope) => {
      const source = scope.closest("[data-suggest-url]");
      if (!source) return; // a row's template, or a form that asks for no suggestion
      const params = new URLSearchParams(source.dataset.suggestParams || "");
      if (typedText(scope) || params.has("items")) refresh(scope);
    });
  });
})();
