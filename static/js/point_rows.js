// Point rows of the session and home-care forms: add, remove and reorder rows, pick
// points by code, pinyin or name in a combobox (arrow keys, Enter, Escape, a live region
// saying how many were found), default tool and duration from the catalogue, and show
// at each row the cautions for this client, as the client's cautions endpoint
// (data-cautions-api) answers for the row's point, side, tool and pressure.
// A body figure on the form adds points with a "points:add" event ({code, side}) and
// follows the rows with "points:changed" (the live rows' [{code, side}]).
// On the session form, also: the caution box's acknowledgements (one per caution a row
// goes against) and the check-in (what to do for a ticked answer; the warning signs for
// the conditions ticked; a visit flag found today asks again for every row).
(function () {
  "use strict";
  const form = document.querySelector("form[data-points-api]");
  if (!form) return;
  const rows = document.getElementById("point-rows");
  const template = document.getElementById("point-row-template");
  const total = form.querySelector('input[name="' + form.dataset.prefix + '-TOTAL_FORMS"]');
  const pointsApi = form.dataset.pointsApi;
  const cautionsApi = form.dataset.cautionsApi;
  const cautionBox = document.getElementById("caution-box");
  // The session form acknowledges each caution by its label; the home-care form has one box.
  const acknowledgements = document.getElementById("caution-acknowledgements");
  const ROW_FIELDS = ["side", "tool", "pressure"];
  const LOCATION_SCOPES = ["point", "region", "flag_site"];
  const SUGGESTIONS_PER_CONDITION = 6;
  const MAX_SUGGESTIONS = 8;
  const ticked = new Set(
    acknowledgements
      ? Array.from(acknowledgements.querySelectorAll("input:checked")).map((box) => box.value)
      : [],
  );

  function addRow() {
    const index = Number(total.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    total.value = String(index + 1);
    const row = rows.lastElementChild;
    wireRow(row);
    renumber();
    pointsChanged();
    return row;
  }

  function liveRows() {
    return Array.from(rows.querySelectorAll(".point-row")).filter((row) => !row.hidden);
  }

  function removeRow(row) {
    const live = liveRows();
    const next = live[live.indexOf(row) + 1] || live[live.indexOf(row) - 1];
    const del = row.querySelector('input[type="checkbox"][name$="-DELETE"]');
    if (del) del.checked = true;
    row.hidden = true;
    refreshCautionBox();
    // Focus stays in the rows: on the next point box, else on "Add point".
    (next ? next.querySelector(".point-code") : document.getElementById("add-point")).focus();
    pointsChanged();
  }

  async function getJson(url) {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    return response.ok ? response.json() : null;
  }

  async function fetchPoints(params) {
    const answer = await getJson(pointsApi + "?" + new URLSearchParams(params).toString());
    return (answer && answer.results) || [];
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
    const own = document.getElementById("client-hold-seconds"); // client's own hold time
    const mine = own && JSON.parse(own.textContent)[point.code]; // client's own hold time
    if (seconds && !seconds.value) seconds.value = mine || point.default_duration_seconds;
    refreshRow(row);
    pointsChanged();
  }

  // --- the check-in ----------------------------------------------------------------------

  function checkInBoxes() {
    return Array.from(form.querySelectorAll('input[name="check_in_found"]'));
  }

  function flagsFoundToday() {
    return checkInBoxes()
      .filter((box) => box.checked && box.value.startsWith("flag:"))
      .map((box) => box.value);
  }

  function showWhatToDo(box) {
    const question = box.closest(".check-in-question");
    question.querySelector(".check-in-what-to-do").classList.toggle("d-none", !box.checked);
  }

  // A warning sign is asked for its conditions when one is ticked, and for any complaint;
  // one already ticked stays in view.
  function showSignsForConditions() {
    const chosen = new Set(
      Array.from(form.querySelectorAll('input[name="conditions"]:checked')).map((c) => c.value),
    );
    form.querySelectorAll(".check-in-question[data-conditions]").forEach((question) => {
      const slugs = question.dataset.conditions.split(" ").filter(Boolean);
      const asked =
        question.hasAttribute("data-any-condition") ||
        slugs.some((slug) => chosen.has(slug)) ||
        question.querySelector("input").checked;
      question.hidden = !asked;
    });
  }

  function wireCheckIn() {
    checkInBoxes().forEach((box) => {
      box.addEventListener("change", () => {
        showWhatToDo(box);
        if (box.value.startsWith("flag:")) liveRows().forEach(refreshRow);
      });
    });
    form.querySelectorAll('input[name="conditions"]').forEach((box) => {
      box.addEventListener("change", showSignsForConditions);
    });
    showSignsForConditions();
  }

  // --- a row's cautions ------------------------------------------------------------------

  function rowQuery(row) {
    const code = row.querySelector(".point-code").value.trim();
    if (!code) return null;
    const params = new URLSearchParams({ point: code });
    ROW_FIELDS.forEach((name) => {
      const field = row.querySelector('[name$="-' + name + '"]');
      if (field && field.value) params.set(name, field.value);
    });
    flagsFoundToday().forEach((code) => params.append("found", code));
    return params;
  }

  async function refreshRow(row) {
    if (!cautionsApi) return;
    const ticket = (row.cautionTicket || 0) + 1;
    row.cautionTicket = ticket;
    const params = rowQuery(row);
    // An unknown point answers 400: no cautions to show, the form says what is wrong on save.
    const answer = params ? await getJson(cautionsApi + "?" + params.toString()) : null;
    if (ticket !== row.cautionTicket) return; // a later question for this row is on its way
    showRowCautions(row, answer ? answer.findings : []);
    refreshCautionBox();
  }

  function clearRowCautions(row) {
    row.cautionTicket = (row.cautionTicket || 0) + 1;
    showRowCautions(row, []);
    refreshCautionBox();
  }

  function badge(text, kind) {
    const span = document.createElement("span");
    span.className = "badge " + kind;
    span.textContent = text;
    return span;
  }

  function cautionItem(finding) {
    const item = document.createElement("li");
    item.className =
      "alert py-1 px-2 mb-1 " + (finding.needs_acknowledgement ? "alert-danger" : "alert-warning");
    item.dataset.testid = "row-caution";
    item.dataset.label = finding.label;
    if (finding.needs_acknowledgement) item.dataset.needsAcknowledgement = "";
    const flag = document.createElement("strong");
    flag.textContent = finding.flag_label;
    const strength = badge(finding.strength_label, "text-bg-light border");
    strength.dataset.testid = "caution-strength";
    item.append(
      flag,
      (finding.reason ? " (" + finding.reason + ")" : "") + ": ",
      finding.action_label + " (" + finding.target + "). " + finding.practitioner_note + " ",
      strength,
    );
    if (finding.needs_acknowledgement) {
      item.append(" ", badge("Needs acknowledging", "text-bg-danger"));
    }
    return item;
  }

  function showRowCautions(row, findings) {
    const warning = row.querySelector(".caution-warning");
    if (acknowledgements) {
      let list = warning.querySelector(".row-cautions");
      if (!list) {
        list = document.createElement("ul");
        list.className = "list-unstyled mb-0 row-cautions";
        warning.appendChild(list);
      }
      list.replaceChildren(...findings.map(cautionItem));
    } else {
      // The home-care form: where the point is, as the sheet's own check sees it.
      findings = findings.filter((f) => LOCATION_SCOPES.includes(f.scope));
      const flags = Array.from(new Set(findings.map((f) => f.flag_label)));
      warning.textContent = findings.length
        ? "Caution for this client: " +
          flags.join(", ") +
          ". " +
          findings.map((f) => f.practitioner_note).join(" ")
        : "";
    }
    row.dataset.caution = findings.length ? "yes" : "";
    warning.classList.toggle("d-none", !findings.length);
  }

  function neededLabels() {
    const labels = liveRows().flatMap((row) =>
      Array.from(row.querySelectorAll("[data-needs-acknowledgement]")).map((i) => i.dataset.label),
    );
    return Array.from(new Set(labels));
  }

  function acknowledgement(label, index) {
    const wrapper = document.createElement("div");
    wrapper.className = "form-check";
    const box = document.createElement("input");
    box.className = "form-check-input";
    box.type = "checkbox";
    box.name = "acknowledged_cautions";
    box.value = label;
    box.id = "ack-" + (index + 1);
    box.checked = ticked.has(label);
    const text = document.createElement("label");
    text.className = "form-check-label";
    text.htmlFor = box.id;
    text.textContent = label;
    wrapper.append(box, text);
    return wrapper;
  }

  function refreshCautionBox() {
    if (!cautionBox) return;
    let warned = liveRows().some((row) => row.dataset.caution === "yes");
    if (acknowledgements) {
      const needed = neededLabels();
      acknowledgements.replaceChildren(...needed.map(acknowledgement));
      cautionBox.querySelector(".no-cautions").classList.toggle("d-none", needed.length > 0);
      warned = needed.length > 0;
    }
    cautionBox.classList.toggle("border-warning", warned);
    cautionBox.classList.toggle("bg-warning-subtle", warned);
  }

  function wireCautionBox() {
    if (!acknowledgements) return;
    acknowledgements.addEventListener("change", (event) => {
      const box = event.target;
      if (box.name !== "acknowledged_cautions") return;
      if (box.checked) ticked.add(box.value);
      else ticked.delete(box.value);
    });
  }

  // --- the point box: a combobox -------------------------------------------------------
  // The page gives each point box role="combobox", aria-autocomplete and aria-controls (its
  // listbox). Typing asks the points API; the arrow keys move through the points found
  // (aria-activedescendant), Enter picks the one highlighted or else the first, Escape
  // closes the list, a click or tap picks. A hidden live region says how many were found.

  const status = document.createElement("div");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.dataset.testid = "point-search-status";
  form.appendChild(status);

  function announce(text) {
    status.textContent = text;
  }

  function found(count) {
    if (count === 0) return "No point found";
    return count + (count === 1 ? " point found" : " points found");
  }

  function parts(row) {
    return {
      input: row.querySelector(".point-code"),
      list: row.querySelector(".point-suggestions"),
    };
  }

  function isOpen(row) {
    return !parts(row).list.hidden;
  }

  function setOpen(row, open) {
    const { input, list } = parts(row);
    list.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    if (!open) highlight(row, -1);
  }

  function highlight(row, index) {
    const { input, list } = parts(row);
    const options = Array.from(list.children);
    options.forEach((option, i) => {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", String(i === index));
    });
    row.highlighted = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function showSuggestions(row, points) {
    const { list } = parts(row);
    row.suggestions = points.slice(0, MAX_SUGGESTIONS);
    list.replaceChildren(
      ...row.suggestions.map((point, index) => {
        const option = document.createElement("li");
        option.id = list.id + "-" + index;
        option.className = "list-group-item list-group-item-action point-option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = describe(point);
        option.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
        option.addEventListener("click", () => pick(row, index));
        return option;
      }),
    );
    setOpen(row, row.suggestions.length > 0);
  }

  function pick(row, index) {
    const point = row.suggestions && row.suggestions[index];
    if (!point) return;
    cancelSearch(row);
    setOpen(row, false);
    applyPoint(row, point);
  }

  function cancelSearch(row) {
    clearTimeout(row.searchTimer);
    row.searchTicket = (row.searchTicket || 0) + 1;
  }

  function search(row, query) {
    cancelSearch(row);
    const ticket = row.searchTicket;
    row.searchTimer = setTimeout(async () => {
      const points = await fetchPoints({ search: query });
      if (ticket !== row.searchTicket) return; // the box changed since
      showSuggestions(row, points);
      announce(found(row.suggestions.length));
    }, 150);
  }

  function onKey(row, event) {
    const count = (row.suggestions || []).length;
    const open = isOpen(row);
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!count) return;
      event.preventDefault();
      const down = event.key === "ArrowDown";
      if (!open) {
        setOpen(row, true);
        return highlight(row, down ? 0 : count - 1);
      }
      const now = row.highlighted;
      const next = down ? (now + 1) % count : now <= 0 ? count - 1 : now - 1;
      highlight(row, next);
    } else if (event.key === "Enter") {
      event.preventDefault(); // the point box never submits the form
      if (open && count) pick(row, row.highlighted >= 0 ? row.highlighted : 0);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(row, false);
    }
  }

  function wireRow(row) {
    const { input } = parts(row);
    input.addEventListener("input", () => {
      const query = input.value.trim();
      row.querySelector(".point-name").textContent = "";
      clearRowCautions(row); // they were for the point before
      if (query.length < 2) {
        cancelSearch(row);
        return showSuggestions(row, []);
      }
      search(row, query);
    });
    input.addEventListener("keydown", (event) => onKey(row, event));
    input.addEventListener("blur", () => setOpen(row, false));
    input.addEventListener("change", () => {
      // A code typed in full is taken as picked when it is among the points found.
      const code = input.value.trim().toUpperCase();
      const index = (row.suggestions || []).findIndex((p) => p.code.toUpperCase() === code);
      if (index >= 0 && !row.querySelector(".point-name").textContent) pick(row, index);
      else refreshRow(row);
    });
    ROW_FIELDS.forEach((name) => {
      const field = row.querySelector('select[name$="-' + name + '"]');
      if (field) field.addEventListener("change", () => refreshRow(row));
    });
    const side = row.querySelector('select[name$="-side"]');
    if (side) side.addEventListener("change", pointsChanged);
    row.querySelector(".remove-point").addEventListener("click", () => removeRow(row));
    row.querySelectorAll(".move-point").forEach((button) => {
      button.addEventListener("click", () => moveRow(row, button.dataset.direction));
    });
  }

  // --- the body figure's hook ------------------------------------------------------------
  // A figure on the form picks points by tapping: it sends "points:add" with
  // {code, side}; the form answers "points:changed" with the live rows' {code, side}
  // whenever rows are added or removed, a point is picked or a side changed.

  function codeOf(row) {
    return row.querySelector(".point-code").value.trim().toUpperCase();
  }

  function sideOf(row) {
    const side = row.querySelector('select[name$="-side"]');
    return side ? side.value : "";
  }

  function pointsChanged() {
    // The rows whose point is known (its name shows), not a code half typed.
    const detail = liveRows()
      .filter((row) => codeOf(row) && row.querySelector(".point-name").textContent.trim())
      .map((row) => ({ code: codeOf(row), side: sideOf(row) }));
    form.dispatchEvent(new CustomEvent("points:changed", { detail }));
  }

  async function addTapped(event) {
    const detail = event.detail || {};
    const code = String(detail.code || "").trim().toUpperCase();
    if (!code) return;
    // The point is on the form already on that side (or on both): the practitioner is
    // taken to its row. From the other side it is a row of its own, with its own hold.
    const covers = (row) => [detail.side, "both", "midline"].includes(sideOf(row));
    const present = () => liveRows().find((row) => codeOf(row) === code && covers(row));
    if (present()) return present().querySelector(".point-code").focus();
    const points = await fetchPoints({ search: code });
    const point = points.find((p) => p.code.toUpperCase() === code);
    if (!point) return announce(found(0));
    if (present()) return present().querySelector(".point-code").focus(); // added meanwhile
    const blank = liveRows().find((row) => !codeOf(row));
    const row = blank || addRow();
    const side = row.querySelector('select[name$="-side"]');
    if (side && Array.from(side.options).some((option) => option.value === detail.side)) {
      side.value = detail.side;
    }
    applyPoint(row, point);
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
    const chosen = Array.from(form.querySelectorAll('input[name="conditions"]:checked')).map(
      (c) => c.value,
    );
    const present = new Set(
      liveRows().map((row) => row.querySelector(".point-code").value.toUpperCase()),
    );
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

  // The rows already on the page (an edit, "repeat last session", a refused save) came with
  // their cautions from the server: they are asked again only when something changes.
  rows.querySelectorAll(".point-row").forEach((row) => {
    wireRow(row);
    row.dataset.caution = row.querySelector(".caution-warning:not(.d-none)") ? "yes" : "";
  });
  wireCautionBox();
  wireCheckIn();
  document.getElementById("add-point").addEventListener("click", () => {
    addRow().querySelector(".point-code").focus();
  });
  const suggested = document.getElementById("add-suggested");
  if (suggested) suggested.addEventListener("click", addSuggested);
  form.addEventListener("points:add", addTapped);
  // Once every script of the page has run, so that a figure's listener hears it.
  document.addEventListener("DOMContentLoaded", pointsChanged);
})();
