// Receipts: print the page, copy the short link. Loaded with <script src> (the CSP).
document.addEventListener("click", (event) => {
  const print = event.target.closest("[data-print]");
  if (print) {
    window.print();
    return;
  }
  const copy = event.target.closest("[data-copy]");
  if (!copy || !navigator.clipboard) return;
  navigator.clipboard.writeText(copy.dataset.copy).then(() => {
    copy.textContent = copy.dataset.copied;
  });
});
