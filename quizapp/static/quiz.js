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
    if (event.target && event.target.matches("input[type=radio], input[type=checkbox]")) {
      var fieldset = event.target.closest("fieldset[data-question]");
      if (fieldset && fieldset.querySelector("input:checked")) { fieldset.classList.remove("unanswered"); }
      save();
    }
  });

  // Submitting with unanswered questions: list them in the page and ask once more before submitting.
  var warning = document.getElementById("blank-warning");
  var confirmed = false;
  var lastButton = null;
  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[type=submit]");
    if (button) { lastButton = button; }
  });
  form.addEventListener("submit", function (event) {
    var button = event.submitter || lastButton;
    if (!warning || !button || button.value !== "submit") { return; }
    if (button.hasAttribute("data-submit-anyway")) { confirmed = true; }
    var blank = [];
    form.querySelectorAll("fieldset[data-question]").forEach(function (fieldset, index) {
      var empty = !fieldset.querySelector("input:checked");
      fieldset.classList.toggle("unanswered", empty);
      if (empty) { blank.push({ id: fieldset.id, number: index + 1 }); }
    });
    if (confirmed || blank.length === 0) { return; }
    event.preventDefault();
    var list = warning.querySelector(".blank-list");
    list.textContent = "";
    blank.forEach(function (item, position) {
      var link = document.createElement("a");
      link.href = "#" + item.id;
      link.textContent = "question " + item.number;
      if (position > 0) { list.appendChild(document.createTextNode(position === blank.length - 1 ? " and " : ", ")); }
      list.appendChild(link);
    });
    warning.querySelector(".blank-count").textContent =
      blank.length === 1 ? "1 question has" : blank.length + " questions have";
    warning.hidden = false;
    warning.focus();
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
