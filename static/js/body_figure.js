// The session form's body figure (templates/sessions/_body_figure.html): tap a point to
// add it, on the side tapped, or mark where it hurts. A tapped point goes to the rows as
// the form's "points:add" event (point_rows.js adds the row); the rows say which points are
// picked with "points:changed" ([{code, side}]). The pain marks are kept as JSON in the
// hidden pain_marks field; the server's rule book (sessions/pain_marks.py) checks them.
(function () {
  "use strict";
  const section = document.getElementById("body-figure");
  if (!section) return;
  const form = section.closest("form");
  const data = JSON.parse(document.getElementById("body-figure-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const field = section.querySelector('input[name="pain_marks"]');
  const picker = document.getElementById("body-view");
  const views = section.querySelector(".body-figure-views");
  const list = document.getElementById("pain-mark-list");
  const status = document.getElementById("body-figure-status");
  const intensity = document.getElementById("pain-intensity");
  const size = document.getElementById("pain-size");
  let mode = "pick";
  let picked = [];
  let marks = readMarks();

  function readMarks() {
    try {
      const value = JSON.parse(field.value || "[]");
      return Array.isArray(value) ? value : [];
    } catch (error) {
      return []; // what was typed stays in the field until a mark is added or removed
    }
  }

  function svgElement(name, attributes) {
    const element = document.createElementNS(SVG, name);
    Object.entries(attributes || {}).forEach(([key, value]) => element.setAttribute(key, value));
    return element;
  }

  function svgOf(key) {
    return views.querySelector('.body-view[data-view="' + key + '"] svg');
  }

  function drawMarkers(key) {
    const view = data.views[key];
    const layer = svgElement("g", { class: "point-markers" });
    const radius = view.marker / 2;
    view.points.forEach((point, index) => {
      const name = point.label + (point.caution ? ", caution for this client" : "");
      const marker = svgElement("g", {
        class: "body-point" + (point.caution ? " is-cautioned" : ""),
        role: "button",
        // One Tab stop per view (a roving tabindex): the arrow keys move between points.
        tabindex: index === 0 ? "0" : "-1",
        "aria-label": name,
        "data-code": point.code,
        "data-side": point.side,
      });
      const at = { cx: point.x, cy: point.y };
      const title = svgElement("title");
      title.textContent = name;
      marker.append(
        title,
        svgElement("circle", { ...at, class: "hit", r: Math.max(point.hit, radius) }),
        svgElement("circle", { ...at, class: "ring", r: radius * 0.85 }),
        svgElement("circle", { ...at, class: "dot", r: radius * 0.55 }),
      );
      layer.append(marker);
    });
    svgOf(key).append(svgElement("g", { class: "pain-layer" }), layer);
  }

  // --- points ----------------------------------------------------------------------------

  function isPicked(code, side) {
    return picked.some(
      (p) => p.code === code && (p.side === side || p.side === "both" || side === "midline"),
    );
  }

  function showPicked() {
    views.querySelectorAll(".body-point").forEach((marker) => {
      const on = isPicked(marker.dataset.code, marker.dataset.side);
      marker.classList.toggle("is-picked", on);
      marker.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }

  function rowsPicked() {
    return Array.from(form.querySelectorAll(".point-row"))
      .filter((row) => !row.hidden)
      .map((row) => {
        const side = row.querySelector('select[name$="-side"]');
        return {
          code: row.querySelector(".point-code").value.trim().toUpperCase(),
          side: side ? side.value : "both",
        };
      })
      .filter((p) => p.code);
  }

  function pick(marker) {
    const { code, side } = marker.dataset;
    if (isPicked(code, side)) {
      status.textContent = code + " " + side + " is already in the list.";
      return;
    }
    picked.push({ code, side });
    showPicked();
    form.dispatchEvent(new CustomEvent("points:add", { detail: { code, side } }));
    status.textContent = marker.getAttribute("aria-label") + ": added.";
  }

  // --- pain marks ------------------------------------------------------------------------

  function sideAt(view, x) {
    // As catalogue/body_views.py side_at: a band about the centre of a view with a midline.
    if (view.midline && Math.abs(x - 50) <= data.midline_band) return "midline";
    return view.sides[x < 50 ? 0 : 1];
  }

  function describe(mark) {
    const view = data.views[mark.view];
    if (!view) return mark.view;
    return view.title + ", " + sideAt(view, mark.x) + ", intensity " + mark.intensity;
  }

  function saveMarks() {
    field.value = JSON.stringify(marks);
    drawMarks();
  }

  function drawMarks() {
    views.querySelectorAll(".pain-layer").forEach((layer) => layer.replaceChildren());
    marks.forEach((mark, index) => {
      const view = data.views[mark.view];
      if (!view) return;
      const [minX, minY, width, height] = view.box;
      const circle = svgElement("circle", {
        class: "pain-mark",
        cx: minX + (width * mark.x) / 100,
        cy: minY + (height * mark.y) / 100,
        r: (width * mark.radius) / 100,
        "fill-opacity": (0.2 + mark.intensity * 0.06).toFixed(2),
        "data-index": index,
      });
      const title = svgElement("title");
      title.textContent = describe(mark) + " (tap to remove)";
      circle.append(title);
      svgOf(mark.view).querySelector(".pain-layer").append(circle);
    });
    list.replaceChildren(...marks.map(listItem));
    section.querySelector(".no-pain-marks").hidden = marks.length > 0;
  }

  function listItem(mark, index) {
    const item = document.createElement("li");
    item.dataset.testid = "pain-mark";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn btn-link btn-sm p-0 align-baseline";
    remove.textContent = "remove";
    remove.setAttribute("aria-label", "Remove pain mark: " + describe(mark));
    remove.addEventListener("click", () => removeMark(index));
    item.append(describe(mark) + " — ", remove);
    return item;
  }

  function removeMark(index) {
    const [mark] = marks.splice(index, 1);
    saveMarks();
    status.textContent = "Pain mark removed: " + describe(mark) + ".";
  }

  function percent(value) {
    return Math.round(Math.min(100, Math.max(0, value)) * 10) / 10;
  }

  function addMarkAt(svg, event) {
    const key = svg.closest(".body-view").dataset.view;
    const [minX, minY, width, height] = data.views[key].box;
    const at = new DOMPoint(event.clientX, event.clientY).matrixTransform(
      svg.getScreenCTM().inverse(),
    );
    const level = Math.round(Number(intensity.value));
    const mark = {
      view: key,
      x: percent(((at.x - minX) / width) * 100),
      y: percent(((at.y - minY) / height) * 100),
      radius: Number(size.value),
      intensity: Math.min(10, Math.max(1, Number.isFinite(level) ? level : 5)),
    };
    marks.push(mark);
    saveMarks();
    status.textContent = "Pain marked: " + describe(mark) + ".";
  }

  // --- wiring ----------------------------------------------------------------------------

  function setMode(next) {
    mode = next;
    views.dataset.mode = mode;
    section.querySelectorAll(".body-mode").forEach((button) => {
      const on = button.dataset.mode === mode;
      button.classList.toggle("active", on);
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
    section.querySelectorAll(".body-hint").forEach((hint) => {
      hint.hidden = hint.dataset.mode !== mode;
    });
    section.querySelector(".pain-controls").hidden = mode !== "pain";
  }

  function showView(key) {
    views.querySelectorAll(".body-view").forEach((view) => {
      view.hidden = view.dataset.view !== key;
    });
  }

  Object.keys(data.views).forEach(drawMarkers);
  picker.addEventListener("change", () => showView(picker.value));
  section.querySelectorAll(".body-mode").forEach((button) => {
    button.addEventListener("click", () => setMode(button.dataset.mode));
  });
  views.addEventListener("click", (event) => {
    if (mode === "pick") {
      const marker = event.target.closest(".body-point");
      if (marker) pick(marker);
      return;
    }
    const mark = event.target.closest(".pain-mark");
    if (mark) removeMark(Number(mark.dataset.index));
    else if (event.target.closest("svg")) addMarkAt(event.target.closest("svg"), event);
  });
  const STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

  function moveFocus(marker, key) {
    const markers = Array.from(marker.closest("svg").querySelectorAll(".body-point"));
    const at = markers.indexOf(marker);
    const to =
      key === "Home" ? 0
      : key === "End" ? markers.length - 1
      : (at + STEPS[key] + markers.length) % markers.length;
    marker.setAttribute("tabindex", "-1");
    markers[to].setAttribute("tabindex", "0");
    markers[to].focus();
  }

  views.addEventListener("keydown", (event) => {
    const marker = event.target.closest(".body-point");
    if (!marker || mode !== "pick") return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      pick(marker);
    } else if (event.key in STEPS || event.key === "Home" || event.key === "End") {
      event.preventDefault();
      moveFocus(marker, event.key);
    }
  });
  form.addEventListener("points:changed", (event) => {
    picked = event.detail.map((p) => ({ code: p.code.toUpperCase(), side: p.side }));
    showPicked();
  });
  // Until the rows announce every change themselves: a side changed, a row removed.
  form.addEventListener("change", () => {
    picked = rowsPicked();
    showPicked();
  });
  form.addEventListener("click", (event) => {
    if (!event.target.closest(".remove-point")) return;
    picked = rowsPicked();
    showPicked();
  });
  picked = rowsPicked();
  showPicked();
  drawMarks();
  setMode("pick");
})();
