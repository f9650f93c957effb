// The diary's calendar (templates/scheduling/calendar.html): @event-calendar, configured
// from the page's #calendar-config. Times go both ways as the clinic's wall-clock times
// without an offset; the calendar runs in UTC so the browser's zone never shifts them.
// A drag or resize is saved by the move endpoint; refused (a clash, a newer change), the
// event goes back and the reason is read out in the live region; outside working hours,
// it asks, then sends again with confirm.
(function () {
  "use strict";
  const element = document.getElementById("calendar");
  const configElement = document.getElementById("calendar-config");
  if (!element || !configElement || !window.EventCalendar) return;
  const config = JSON.parse(configElement.textContent);
  const status = document.getElementById("calendar-status");
  const csrf = document.querySelector("[name=csrfmiddlewaretoken]").value;
  const resourceView = config.view.startsWith("resource");
  const views = resourceView
    ? "resourceTimeGridDay,resourceTimeGridWeek"
    : "timeGridDay,timeGridWeek";

  function wall(date) {
    return date.toISOString().slice(0, 16);
  }

  function say(message) {
    status.textContent = message;
  }

  function moveUrl(id) {
    return config.move.replace(/\/0\/move\/$/, `/${id}/move/`);
  }

  async function save(info, confirmed) {
    const event = info.event;
    const body = {
      start: wall(event.start),
      end: wall(event.end),
      revision: event.extendedProps.revision,
    };
    if (info.newResource) body.practitioner = info.newResource.id;
    if (confirmed) body.confirm = true;
    let response;
    let answer;
    try {
      response = await fetch(moveUrl(event.id), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify(body),
      });
      answer = await response.json();
    } catch (error) {
      info.revert();
      say("Not saved: the diary could not be reached. Try again.");
      return;
    }
    if (response.ok) {
      say(`Saved: ${answer.title}, ${answer.start.replace("T", " ")} to ${answer.end.slice(11)}.`);
      calendar.refetchEvents();
      return;
    }
    if (answer.confirm && !confirmed && window.confirm(`${answer.detail}\n\nMove it anyway?`)) {
      await save(info, true);
      return;
    }
    info.revert();
    say(`Not moved: ${answer.detail}`);
  }

  // The library marks its grid up as a table but keeps its toolbar and the events (buttons)
  // among the rows, which a table may not hold (axe: aria-required-children, critical). Its
  // grid roles are taken off as they appear; each event says in full what it is instead (its
  // day, status and room, in words a screen reader reads after what it shows), and the list
  // below the calendar has them all.
  const GRID_ROLES = new Set(["table", "row", "rowgroup", "cell", "columnheader", "rowheader"]);
  const GRID_ATTRIBUTES = ["aria-colindex", "aria-colspan", "aria-rowindex", "aria-rowspan"];
  const GRID_SELECTOR = ["[role]", ...GRID_ATTRIBUTES.map((name) => `[${name}]`)].join(", ");
  function plainGrid() {
    for (const node of [element, ...element.querySelectorAll(GRID_SELECTOR)]) {
      if (GRID_ROLES.has(node.getAttribute("role"))) node.removeAttribute("role");
      for (const name of GRID_ATTRIBUTES) node.removeAttribute(name);
    }
  }
  new MutationObserver(plainGrid).observe(element, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["role", ...GRID_ATTRIBUTES],
  });

  const DAY = { timeZone: "UTC", weekday: "long", day: "numeric", month: "long" };
  function describe(info) {
    const more = info.event.extendedProps;
    const words = [info.event.start.toLocaleDateString("en-GB", DAY), more.status];
    if (more.room) words.push(more.room);
    const said = document.createElement("span");
    said.className = "visually-hidden";
    said.textContent = ` (${words.join(", ")})`;
    (info.el.querySelector(".ec-event-body") || info.el).append(said);
  }

  function book(info) {
    const query = new URLSearchParams({ start: wall(info.date) });
    const who = info.resource ? info.resource.id : config.scope.practitioner;
    if (who) query.set("practitioner", who);
    window.location.assign(`${config.book}?${query}`);
  }

  const calendar = EventCalendar.create(element, {
    view: config.view,
    date: config.date,
    timeZone: "UTC",
    // Dates as the rest of the app writes them: "Wed 2 Dec", "30 Nov – 6 Dec 2026".
    locale: "en-GB",
    dayHeaderFormat: { weekday: "short", day: "numeric", month: "short" },
    firstDay: 1,
    height: "auto",
    slotMinTime: "07:00",
    slotMaxTime: "21:00",
    slotDuration: "00:15",
    allDaySlot: false,
    nowIndicator: true,
    pointer: true,
    editable: true,
    eventDurationEditable: true,
    headerToolbar: { start: "prev,next today", center: "title", end: views },
    buttonText: (text) => ({ ...text, resourceTimeGridDay: "day", resourceTimeGridWeek: "week" }),
    resources: config.resources,
    eventSources: [{ url: config.events, extraParams: config.scope }],
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventDrop: (info) => save(info, false),
    eventResize: (info) => save(info, false),
    dateClick: book,
    eventDidMount: describe,
    eventClick: (info) => window.location.assign(info.event.extendedProps.url),
  });
})();
