// The hold timer of each point row on the session form (sessions/_hold_timer.html).
// "Start hold" counts down from the row's seconds (the point's default, or the client's own
// time to relief, as point_rows.js filled them in); "Relief", "Time up" or "Too tender" stop
// it, and reaching zero is "time up". The seconds held and how the hold ended go into the
// row's hidden inputs and are shown in words, with "Reset" to clear them.
// One hold runs at a time: starting another while one runs is refused with a message. To
// end the first for the practitioner ("time up") or pause it would record what did not
// happen; the practitioner stops it with the ending they saw.
// Rows are added from a <template>, so every button is handled by delegation on the form.
(function () {
  "use strict";
  const form = document.getElementById("session-form");
  if (!form) return;
  const DEFAULT_SECONDS = 180;
  const MAX_SECONDS = 1800;
  const ENDINGS = { relief: "relief", time_up: "time up", too_tender: "too tender" };
  let running = null; // { row, timer, total, endsAt, ticker }

  function clock(seconds) {
    const whole = Math.max(0, Math.round(seconds));
    return Math.floor(whole / 60) + ":" + String(whole % 60).padStart(2, "0");
  }

  function rowSeconds(row) {
    const input = row.querySelector('input[name$="-duration_seconds"]');
    const seconds = parseInt(input ? input.value : "", 10);
    return seconds > 0 ? Math.min(seconds, MAX_SECONDS) : DEFAULT_SECONDS;
  }

  function pointCode(row) {
    const input = row.querySelector(".point-code");
    return (input && input.value.trim().toUpperCase()) || "this point";
  }

  function show(timer, state) {
    ["idle", "running", "done"].forEach((name) => {
      timer.querySelector(".hold-" + name).hidden = name !== state;
    });
  }

  function announce(timer, text) {
    timer.querySelector(".hold-status").textContent = text;
  }

  function field(row, name) {
    return row.querySelector('input[name$="-' + name + '"]');
  }

  function secondsLeft() {
    return (running.endsAt - Date.now()) / 1000;
  }

  function tick() {
    const left = secondsLeft();
    if (left <= 0) {
      stop("time_up");
      return;
    }
    running.timer.querySelector(".hold-clock").textContent = clock(Math.ceil(left));
  }

  function clearRefusals() {
    form.querySelectorAll(".hold-refusal").forEach((message) => {
      message.textContent = "";
    });
  }

  function start(row) {
    const timer = row.querySelector(".hold-timer");
    if (running) {
      if (running.row !== row) {
        timer.querySelector(".hold-refusal").textContent =
          "A hold is running on " + pointCode(running.row) + ": stop it first.";
      }
      return;
    }
    const total = rowSeconds(row);
    clearRefusals();
    running = { row, timer, total, endsAt: Date.now() + total * 1000 };
    running.ticker = setInterval(tick, 250);
    timer.querySelector(".hold-clock").textContent = clock(total);
    show(timer, "running");
    announce(timer, "Hold started on " + pointCode(row) + ": " + clock(total) + ".");
    timer.querySelector('[data-ending="relief"]').focus();
  }

  function stop(ending) {
    const { row, timer, total, ticker } = running;
    clearInterval(ticker);
    const elapsed = Math.round(total - secondsLeft());
    const held = Math.min(total, Math.max(1, elapsed));
    running = null;
    clearRefusals();
    field(row, "held_seconds").value = String(held);
    field(row, "hold_ended").value = ending;
    const words = "Held " + clock(held) + " — " + ENDINGS[ending];
    timer.querySelector(".hold-words").textContent = words;
    show(timer, "done");
    announce(timer, pointCode(row) + ": " + words + ".");
    timer.querySelector('[data-hold-action="reset"]').focus();
  }

  function reset(row) {
    const timer = row.querySelector(".hold-timer");
    field(row, "held_seconds").value = "";
    field(row, "hold_ended").value = "";
    timer.querySelector(".hold-words").textContent = "";
    timer.querySelectorAll(".invalid-feedback").forEach((error) => error.remove());
    show(timer, "idle");
    announce(timer, "Hold cleared on " + pointCode(row) + ".");
    timer.querySelector('[data-hold-action="start"]').focus();
  }

  // A row removed while its hold runs takes the hold with it, unrecorded.
  function forget(row) {
    if (!running || running.row !== row) return;
    clearInterval(running.ticker);
    running = null;
    clearRefusals();
  }

  form.addEventListener("click", (event) => {
    const row = event.target.closest(".point-row");
    if (!row) return;
    if (event.target.closest(".remove-point")) {
      forget(row);
      return;
    }
    const button = event.target.closest("[data-hold-action]");
    if (!button) return;
    const action = button.dataset.holdAction;
    if (action === "start") start(row);
    else if (action === "stop" && running && running.row === row) stop(button.dataset.ending);
    else if (action === "reset") reset(row);
  });
})();
