// The online opinion box: another challenge picture on request. Loaded with <script src> (the CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-challenge-refresh]");
  if (!button) return;
  const field = button.closest("form");
  fetch(button.dataset.challengeRefresh, { headers: { "X-Requested-With": "XMLHttpRequest" } })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (!data) return;
      field.querySelector("[data-challenge-image]").src = data.image_url;
      field.querySelector("input[name$='captcha_0']").value = data.key;
      const answer = field.querySelector("input[name$='captcha_1']");
      answer.value = "";
      answer.focus();
    });
});
// Anonymous: the name and credit code are not sent, so they are hidden.
const anonymous = document.querySelector("[data-box-anonymous]");
if (anonymous) {
  const who = document.querySelector("[data-box-who]");
  const sync = () => { who.hidden = anonymous.checked; };
  anonymous.addEventListener("change", sync);
  sync();
}
