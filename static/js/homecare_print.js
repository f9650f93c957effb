// The print page: listeners, since the Content-Security-Policy runs no inline handlers.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});

// A new paper or print size is saved on the sheet at once, and the page shows it.
document.querySelectorAll("form.print-choice").forEach((form) => {
  form.addEventListener("change", () => form.requestSubmit());
});

// Opened by "Issue and print sheet": the print dialog once the pictures are in.
if (document.body.dataset.autoprint !== undefined) {
  window.addEventListener("load", () => window.print(), { once: true });
}
