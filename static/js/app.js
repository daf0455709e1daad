// Small behaviours shared by every page. Loaded with <script src>: the CSP allows no inline code.
document.addEventListener("htmx:configRequest", (event) => {
  // Send the CSRF token with every htmx request that changes something.
  const token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (token) event.detail.headers["X-CSRFToken"] = token.value;
});
