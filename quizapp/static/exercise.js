// The exercise page: a CodeMirror editor over the plain textarea, file upload into the editor, drafts
// saved on the server (autosave, "save", "load my last submission", "reset to starter"), submitting
// through the JSON API and following the grading live (queued -> running -> graded). A graded verdict
// is shown as the server renders it (escaped HTML with its heatmaps); nothing is kept in browser storage.
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var progress = document.getElementById("progress");
  var liveVerdict = document.getElementById("live-verdict");

  function fmt(number) {
    return typeof number === "number" ? String(Math.round(number * 1000) / 1000) : "–";
  }

  function label(status) { return String(status || "").replace(/_/g, " "); }

  function say(text) { if (progress) { progress.textContent = text; } }

  // The server's HTML for a graded submission: its verdict or its entry in the history list.
  function fragment(url) {
    return fetch(url, { headers: { "Accept": "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("The server answered " + response.status + "."); }
        return response.text();
      });
  }

  function addToHistory(pageBase, id) {
    var list = document.getElementById("submission-list");
    if (!list) { return Promise.resolve(); }
    return fragment(pageBase + id + "/item.html").then(function (html) {
      var empty = document.getElementById("no-submissions");
      if (empty) { empty.hidden = true; }
      var old = document.getElementById("submission-" + id);
      if (old) { old.remove(); }
      list.insertAdjacentHTML("afterbegin", html);
    });
  }

  function errorMessage(response, body) {
    var message = body && body.error ? body.error.message : "The server answered " + response.status + ".";
    var wait = response.headers.get("Retry-After");
    if ((response.status === 429 || response.status === 503) && wait) {
      message += " Try again in " + wait + " s.";
    }
    return message;
  }

  // Follow one submission until it is graded; resolves with its final JSON. Each request is a long
  // poll: the server answers as soon as the verdict is stored (or after LONG_POLL_S with the state).
  var LONG_POLL_S = 25;
  // The submission request waits this long for the verdict; most come well within it, and a longer wait
  // (a queue) is shown as it goes: queued, running.
  var SUBMIT_WAIT_S = 5;
  function withWait(url, seconds) { return url + (url.indexOf("?") === -1 ? "?" : "&") + "wait=" + seconds; }
  function follow(url, onUpdate) {
    var started = Date.now();
    var waitUrl = withWait(url, LONG_POLL_S);
    return new Promise(function (resolve, reject) {
      function tick() {
        var asked = Date.now();
        fetch(waitUrl, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
          .then(function (response) {
            return response.json().then(function (body) { return { response: response, body: body }; });
          })
          .then(function (result) {
            if (!result.response.ok) { throw new Error(errorMessage(result.response, result.body)); }
            onUpdate(result.body);
            if (result.body.status === "graded") { resolve(result.body); return; }
            if (Date.now() - started > 10 * 60 * 1000) {
              throw new Error("Still not graded after 10 minutes; reload the page later to see the result.");
            }
            // A server that answered early without the verdict had its fill of waiters: pause first.
            setTimeout(tick, Date.now() - asked < 1000 ? 1000 : 0);
          })
          .catch(function (error) {
            if (error instanceof TypeError) { setTimeout(tick, 2000); return; } // network blip: keep trying
            reject(error);
          });
      }
      tick();
    });
  }

  var STATUS_TEXT = {
    queued: "Queued: waiting for a grader…",
    running: "Running: your code is being graded…",
    graded: "Graded."
  };

  function showStatus(data) { say(STATUS_TEXT[data.status] || data.status); }

  function sayGraded(data) {
    say("Graded: " + label(data.verdict.status) + ", " + fmt(data.score) + " / " + fmt(data.max_score) + " points.");
  }

  function showGraded(data, verdictUrl) {
    return fragment(verdictUrl).then(function (html) {
      liveVerdict.textContent = "";
      liveVerdict.insertAdjacentHTML("afterbegin", html);
    });
  }

  // The submission page of a submission that is not graded yet.
  if (progress && progress.dataset.pollUrl) {
    follow(progress.dataset.pollUrl, showStatus)
      .then(function (data) {
        return showGraded(data, progress.dataset.verdictUrl).then(function () { sayGraded(data); });
      })
      .catch(function (error) { say(error.message); });
  }

  var form = document.getElementById("submit-form");
  if (!form) { return; }
  var textarea = document.getElementById("code");
  var upload = document.getElementById("upload");
  var button = document.getElementById("submit-button");
  var maxBytes = Number(form.dataset.maxBytes);
  var editor = null;
  var draftStatus = document.getElementById("draft-status");
  var lastCode = document.getElementById("last-code");
  var loadLast = document.getElementById("load-last");

  // Drafts used to be kept in this browser, where the next person to sign in could see them.
  try {
    Object.keys(window.localStorage).forEach(function (key) {
      if (key.indexOf("quizapp-draft-") === 0) { window.localStorage.removeItem(key); }
    });
  } catch (e) { /* storage may be disabled */ }

  if (window.CodeMirror) {
    editor = window.CodeMirror.fromTextArea(textarea, {
      mode: "python",
      lineNumbers: true,
      indentUnit: 4,
      tabSize: 4,
      indentWithTabs: false,
      smartIndent: true,
      viewportMargin: Infinity,
      // On a phone long lines wrap, so the editor never needs a sideways scroll box.
      lineWrapping: !!(window.matchMedia && window.matchMedia("(max-width: 40rem)").matches),
      screenReaderLabel: "Code (Python)",
      extraKeys: {
        "Tab": function (cm) {
          if (cm.somethingSelected()) { cm.indentSelection("add"); } else { cm.replaceSelection("    ", "end"); }
        },
        "Shift-Tab": function (cm) { cm.indentSelection("subtract"); },
        "Esc": function (cm) { cm.getInputField().blur(); }
      }
    });
    editor.getInputField().setAttribute("aria-describedby", "code-hint");
    document.querySelector('label[for="code"]').addEventListener("click", function () { editor.focus(); });
  }

  function getCode() { return editor ? editor.getValue() : textarea.value; }
  function setCode(text) { if (editor) { editor.setValue(text); } else { textarea.value = text; } }

  // Drafts: saved on the server a moment after the last change, and at once with "Save".
  var savedCode = getCode();
  var saveTimer = null;
  var saving = null;
  function draftSay(text) { if (draftStatus) { draftStatus.textContent = text; } }
  function saveDraft() {
    if (saveTimer) { clearTimeout(saveTimer); saveTimer = null; }
    var code = getCode();
    if (code === savedCode) { draftSay("Draft saved."); return Promise.resolve(); }
    draftSay("Saving draft…");
    saving = fetch(form.dataset.draftUrl, {
      method: "PUT",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ code: code })
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) { throw new Error(errorMessage(response, body)); }
          savedCode = code;
          var at = new Date(body.saved_at);
          draftSay("Draft saved at " + at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
        });
      })
      .catch(function (error) {
        draftSay("The draft was not saved: " + (error.message || "network error") + " It will be retried.");
        scheduleSave(5000);
      });
    return saving;
  }
  function scheduleSave(delay) {
    if (saveTimer) { clearTimeout(saveTimer); }
    saveTimer = setTimeout(saveDraft, delay);
  }
  function changed() { if (getCode() !== savedCode) { draftSay("Unsaved changes."); scheduleSave(1500); } }
  if (editor) { editor.on("change", changed); } else { textarea.addEventListener("input", changed); }
  window.addEventListener("pagehide", function () {
    if (getCode() !== savedCode && window.fetch) {
      fetch(form.dataset.draftUrl, {
        method: "PUT", credentials: "same-origin", keepalive: true,
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ code: getCode() })
      });
    }
  });

  document.getElementById("draft-buttons").hidden = false;
  document.getElementById("save-draft").addEventListener("click", function () { saveDraft(); });
  loadLast.addEventListener("click", function () {
    if (getCode() !== lastCode.value &&
        !window.confirm("Replace the code in the editor with your last submission?")) { return; }
    setCode(lastCode.value);
    saveDraft();
    say("Loaded your last submission into the editor.");
  });
  document.getElementById("reset-starter").addEventListener("click", function () {
    if (!window.confirm("Replace the code in the editor with the starter code? Your current code will be lost.")) {
      return;
    }
    setCode(document.getElementById("starter-code").value);
    saveDraft();
    say("The editor holds the starter code again.");
  });

  // "line N" in feedback and tracebacks: move the editor to that line instead of leaving the page.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.line-link") : null;
    if (!link || !editor || !liveVerdict.contains(link)) { return; }  // older submissions: their own page
    var line = Number(link.dataset.line) - 1;
    if (!(line >= 0)) { return; }
    event.preventDefault();
    editor.focus();
    editor.setCursor({ line: line, ch: 0 });
    editor.scrollIntoView({ line: line, ch: 0 }, 80);
  });

  // An older attempt's verdict and code are fetched when the student first opens its entry.
  document.addEventListener("toggle", function (event) {
    var entry = event.target;
    var body = entry.open && entry.querySelector ? entry.querySelector(":scope > .history-body[data-src]") : null;
    if (!body) { return; }
    var src = body.dataset.src;
    body.removeAttribute("data-src");
    body.textContent = "Loading…";
    fragment(src)
      .then(function (html) { body.innerHTML = html; })
      .catch(function (error) {
        body.textContent = (error.message || "This attempt could not be loaded.") + " Use the link above.";
        body.dataset.src = src;  // try again the next time it is opened
      });
  }, true);

  upload.addEventListener("change", function () {
    var file = upload.files[0];
    if (!file) { return; }
    if (file.size > maxBytes) { say("That file is over " + Math.floor(maxBytes / 1024) + " KiB."); upload.value = ""; return; }
    file.arrayBuffer().then(function (buffer) {
      var text;
      try { text = new TextDecoder("utf-8", { fatal: true }).decode(buffer); } catch (e) {
        say("That file is not UTF-8 text."); upload.value = ""; return;
      }
      setCode(text);
      saveDraft();
      upload.value = "";
      say("Loaded " + file.name + " into the editor. Check it, then submit.");
    });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = getCode();
    if (new TextEncoder().encode(code).length > maxBytes) {
      say("The code is over " + Math.floor(maxBytes / 1024) + " KiB.");
      return;
    }
    button.disabled = true;
    saveDraft();  // the page reopens with the draft: keep it the code that was submitted
    liveVerdict.textContent = "";
    say("Sending for grading…");
    // The submission request itself waits for the verdict (201 with it); if it answers first (202), the
    // page follows the submission with long polls.
    fetch(withWait(form.dataset.apiUrl, SUBMIT_WAIT_S), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ code: code, source: "web" })
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.status === 201 && body.status === "graded") { return body; }
          if (response.status !== 202) { throw new Error(errorMessage(response, body)); }
          showStatus(body);
          return follow(response.headers.get("Location") || form.dataset.pollBase + body.id, showStatus);
        });
      })
      .then(function (data) {
        lastCode.value = code;
        loadLast.disabled = false;
        return Promise.all([
          showGraded(data, form.dataset.pageBase + data.id + "/verdict.html"),
          addToHistory(form.dataset.pageBase, data.id)
        ]).then(function () { sayGraded(data); });
      })
      .catch(function (error) { say(error.message || "Something went wrong; please try again."); })
      .finally(function () { button.disabled = false; });
  });
})();
