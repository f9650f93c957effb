// The print page's Print button: a listener, since the Content-Security-Policy runs no
// inline handlers.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
