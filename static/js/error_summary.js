// The error summary of a refused save (templates/sessions/_error_summary.html): focused when
// the page opens, so that a screen reader reads it first; each link takes the focus to its
// field (a group of boxes: its first box), not only the view.
(function () {
  "use strict";
  const summary = document.getElementById("error-summary");
  if (!summary) return;
  const FOCUSABLE = "input:not([type=hidden]), select, textarea, button";

  function fieldOf(target) {
    if (target.matches(FOCUSABLE)) return target;
    return target.querySelector(FOCUSABLE) || target;
  }

  summary.addEventListener("click", (event) => {
    const link = event.target.closest('a[href^="#"]');
    if (!link) return;
    const target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) return;
    event.preventDefault();
    const field = fieldOf(target);
    if (field === target && !target.matches(FOCUSABLE)) target.setAttribute("tabindex", "-1");
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
  summary.focus();
})();
