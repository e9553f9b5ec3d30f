// Autosave for the quiz form: every change is sent to the API; the form itself works without this script.
(function () {
  "use strict";
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch) { return; }
  var status = document.getElementById("save-status");
  var meta = document.querySelector('meta[name="csrf-token"]');
  var token = meta ? meta.getAttribute("content") : "";
  var busy = false;
  var again = false;

  function show(text, kind) {
    status.textContent = text;
    status.className = "save-status" + (kind ? " " + kind : "");
  }

  function collect() {
    var answers = {};
    form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset) {
      var picked = [];
      fieldset.querySelectorAll("input:checked").forEach(function (input) { picked.push(input.value); });
      answers[fieldset.getAttribute("data-question")] = picked;
    });
    return answers;
  }

  function save() {
    if (busy) { again = true; return; }
    busy = true;
    show("Saving…");
    fetch(form.getAttribute("data-save-url"), {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify({ answers: collect() })
    }).then(function (response) {
      if (response.ok) { show("Saved", "ok"); return null; }
      return response.json().then(function (body) {
        show("Not saved: " + (body.error ? body.error.message : response.statusText), "bad");
        // 409: the attempt was closed (for example its time ran out); the page shows what happened.
        if (response.status === 409) { window.location.reload(); }
      });
    }).catch(function () {
      show("Not saved: no connection. Use “Save answers” once you are back online.", "bad");
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target && event.target.matches("input[type=radio], input[type=checkbox]")) { save(); }
  });

  var deadline = document.querySelector("[data-deadline]");
  if (deadline) {
    var end = Date.parse(deadline.getAttribute("data-deadline"));
    var countdown = deadline.querySelector(".countdown");
    var tick = function () {
      var left = Math.max(0, Math.round((end - Date.now()) / 1000));
      var minutes = Math.floor(left / 60);
      var seconds = left % 60;
      countdown.textContent = "Time left: " + minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
      if (left === 0) { window.clearInterval(timer); window.location.reload(); }
    };
    var timer = window.setInterval(tick, 1000);
    tick();
  }
})();
