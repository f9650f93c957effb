// Point rows of the session and home-care forms: add, remove and reorder rows, pick
// points by code, pinyin or name, default tool and duration from the catalogue, and
// warn at the row when a point carries a caution for this client's health flags.
(function () {
  "use strict";
  const form = document.querySelector("form[data-points-api]");
  if (!form) return;
  const rows = document.getElementById("point-rows");
  const template = document.getElementById("point-row-template");
  const total = form.querySelector('input[name="' + form.dataset.prefix + '-TOTAL_FORMS"]');
  const pointsApi = form.dataset.pointsApi;
  const clientFlags = (form.dataset.clientFlags || "").split(",").filter(Boolean);
  const cautionBox = document.getElementById("caution-box");
  const SUGGESTIONS_PER_CONDITION = 6;

  function addRow() {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    wireRow(row);
    renumber();
    return row;
  }

  function liveRows() {
    return Array.from(rows.querySelectorAll(".point-row")).filter((row) => !row.hidden);
  }

  function removeRow(row) {
    const del = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (del) del.checked = true;
    row.hidden = true;
    refreshCautionBox();
  }

  async function fetchPoints(params) {
    const url = pointsApi + "?" + new URLSearchParams(params).toString();
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return [];
    return (await response.json()).results || [];
  }

  function describe(point) {
    return point.code + " " + point.pinyin + (point.english_name ? " · " + point.english_name : "");
  }

  function applyPoint(row, point) {
    row.querySelector(".point-code").value = point.code;
    row.querySelector(".point-name").textContent = describe(point);
    const tool = row.querySelector('select[name$="-tool"]');
    if (tool && !tool.value && point.default_tool) tool.value = point.default_tool;
    const seconds = row.querySelector('input[name$="-duration_seconds"]');
    if (seconds && !seconds.value) seconds.value = point.default_duration_seconds;
    const matching = (point.cautions || []).filter((c) => clientFlags.includes(c.flag));
    const warning = row.querySelector(".caution-warning");
    row.dataset.caution = matching.length ? "yes" : "";
    warning.textContent = matching.length
      ? "Caution for this client: " + matching.map((c) => c.note).join(" ")
      : "";
    warning.classList.toggle("d-none", !matching.length);
    refreshCautionBox();
  }

  function refreshCautionBox() {
    const warned = liveRows().some((row) => row.dataset.caution === "yes");
    cautionBox.classList.toggle("border-warning", warned);
    cautionBox.classList.toggle("bg-warning-subtle", warned);
  }

  function showSuggestions(row, points) {
    const list = row.querySelector(".point-suggestions");
    list.innerHTML = "";
    points.slice(0, 8).forEach((point) => {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "list-group-item list-group-item-action";
      item.setAttribute("role", "option");
      item.textContent = describe(point);
      item.addEventListener("mousedown", (event) => {
        event.preventDefault();
        applyPoint(row, point);
        list.classList.add("d-none");
      });
      list.appendChild(item);
    });
    list.classList.toggle("d-none", points.length === 0);
    row.suggestions = points;
  }

  function wireRow(row) {
    const input = row.querySelector(".point-code");
    let timer = null;
    let latest = 0;
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const query = input.value.trim();
      row.querySelector(".point-name").textContent = "";
      if (query.length < 2) return showSuggestions(row, []);
      timer = setTimeout(async () => {
        const ticket = ++latest;
        const points = await fetchPoints({ search: query });
        if (ticket === latest) showSuggestions(row, points);
      }, 150);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && row.suggestions && row.suggestions.length) {
        event.preventDefault();
        applyPoint(row, row.suggestions[0]);
        row.querySelector(".point-suggestions").classList.add("d-none");
      }
    });
    input.addEventListener("blur", () => {
      row.querySelector(".point-suggestions").classList.add("d-none");
    });
    row.querySelector(".remove-point").addEventListener("click", () => removeRow(row));
    row.querySelectorAll(".move-point").forEach((button) => {
      button.addEventListener("click", () => moveRow(row, button.dataset.direction));
    });
  }

  function moveRow(row, direction) {
    const live = liveRows();
    const index = live.indexOf(row);
    const other = live[direction === "up" ? index - 1 : index + 1];
    if (!other) return;
    if (direction === "up") other.before(row);
    else other.after(row);
    renumber();
  }

  function renumber() {
    liveRows().forEach((row, index) => {
      const order = row.querySelector('input[name$="-ORDER"]');
      if (order) order.value = String(index + 1);
    });
  }

  async function addSuggested() {
    const chosen = Array.from(form.querySelectorAll('input[name="conditions"]:checked')).map((c) => c.value);
    const present = new Set(liveRows().map((row) => row.querySelector(".point-code").value.toUpperCase()));
    for (const slug of chosen) {
      const points = await fetchPoints({ condition: slug });
      const sources = (point) =>
        ((point.conditions || []).find((c) => c.slug === slug) || {}).source_count || 0;
      // The best-cited few, not every point ever cited: the practitioner adds more by hand.
      const suggested = points
        .filter((point) => sources(point) >= 2)
        .sort((a, b) => sources(b) - sources(a))
        .slice(0, SUGGESTIONS_PER_CONDITION);
      for (const point of suggested) {
        if (present.has(point.code)) continue;
        present.add(point.code);
        applyPoint(addRow(), point);
      }
    }
  }

  rows.querySelectorAll(".point-row").forEach(wireRow);
  document.getElementById("add-point").addEventListener("click", () => {
    addRow().querySelector(".point-code").focus();
  });
  const suggested = document.getElementById("add-suggested");
  if (suggested) suggested.addEventListener("click", addSuggested);
})();
