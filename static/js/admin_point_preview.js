// The point admin's change form: redraw the picture preview while the figure and
// coordinates are edited. The figure URL comes from the script tag's data-figure-url.
(function () {
  const url = document.currentScript.dataset.figureUrl;
  const preview = document.getElementById("point-preview");
  const inputs = ["id_figure", "id_figure_x", "id_figure_y"].map((id) => document.getElementById(id));
  if (!url || !preview || inputs.includes(null)) {
    return;
  }
  const redraw = () => {
    const [figure, x, y] = inputs.map((input) => input.value.trim());
    if (!figure || x === "" || y === "") {
      preview.textContent = "No picture yet: choose a figure and give x and y.";
      return;
    }
    const code = (document.getElementById("id_code") || {value: ""}).value.trim();
    fetch(url + "?" + new URLSearchParams({figure, x, y, code}), {credentials: "same-origin"})
      .then((response) => (response.ok ? response.text() : Promise.reject()))
      .then((svg) => { preview.innerHTML = svg; })
      .catch(() => { preview.textContent = "x and y must be numbers from 0 to 100."; });
  };
  inputs.forEach((input) => input.addEventListener("change", redraw));
})();
