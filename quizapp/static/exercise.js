// The exercise page: a CodeMirror editor over the plain textarea, file upload into the editor,
// submitting through the JSON API and following the grading live (queued -> running -> graded).
// Everything a submission produced is inserted with textContent: it is shown, never interpreted.
(function () {
  "use strict";

  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  var progress = document.getElementById("progress");
  var liveVerdict = document.getElementById("live-verdict");

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") { node.textContent = attrs[key]; } else { node.setAttribute(key, attrs[key]); }
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function fmt(number) {
    return typeof number === "number" ? String(Math.round(number * 1000) / 1000) : "–";
  }

  function label(status) { return String(status || "").replace(/_/g, " "); }

  function say(text) { if (progress) { progress.textContent = text; } }

  function renderVerdict(verdict) {
    var box = el("div", { "class": "verdict verdict-" + verdict.status });
    box.appendChild(el("p", { "class": "verdict-summary" }, [
      el("span", { "class": "badge badge-" + verdict.status, text: label(verdict.status) }), " ",
      el("strong", { text: fmt(verdict.score) + " / " + fmt(verdict.max_score) }), " points"
    ]));
    if (verdict.feedback && verdict.feedback.length) {
      box.appendChild(el("h4", { text: "Feedback" }));
      box.appendChild(el("ul", { "class": "feedback" }, verdict.feedback.map(function (line) {
        return el("li", { text: String(line) });
      })));
    }
    if (verdict.cases && verdict.cases.length) {
      var rows = verdict.cases.map(function (c) {
        var name = el("th", { scope: "row", text: String(c.name) });
        if (c.hidden) { name.appendChild(el("span", { "class": "muted", text: " (hidden)" })); }
        return el("tr", {}, [
          name,
          el("td", { "class": c.passed ? "ok" : "bad", text: c.passed ? "passed" : "failed" }),
          el("td", {}, [el("pre", { "class": "case-message", text: String(c.message || "") })])
        ]);
      });
      var head = el("thead", {}, [el("tr", {}, ["Case", "Result", "Details"].map(function (t) {
        return el("th", { scope: "col", text: t });
      }))]);
      box.appendChild(el("div", { "class": "table-wrap" }, [
        el("table", { "class": "cases" }, [el("caption", { text: "Test cases" }), head, el("tbody", {}, rows)])
      ]));
    }
    if (verdict.output) {
      box.appendChild(el("h4", { text: "What your code printed" }));
      box.appendChild(el("pre", { "class": "output", text: String(verdict.output) }));
    }
    return box;
  }

  function addToHistory(data, pageBase) {
    var list = document.getElementById("submission-list");
    if (!list) { return; }
    var empty = document.getElementById("no-submissions");
    if (empty) { empty.hidden = true; }
    var old = document.getElementById("submission-" + data.id);
    var number = old ? old.getAttribute("data-attempt") : list.getAttribute("data-next-attempt");
    if (old) { old.remove(); } else { list.setAttribute("data-next-attempt", String(Number(number) + 1)); }
    var verdict = data.verdict;
    var summary = el("summary", {}, [
      "Attempt " + number + ", just now: ",
      el("span", { "class": "badge badge-" + verdict.status, text: label(verdict.status) }),
      " " + fmt(data.score) + " / " + fmt(data.max_score)
    ]);
    var open = el("p", {}, [el("a", { href: pageBase + data.id, text: "Open attempt " + number + " on its own page" })]);
    var details = el("details", {}, [summary, open, renderVerdict(verdict), el("h3", { "class": "h4", text: "Code" }),
      el("pre", { "class": "code", text: data.code || "" })]);
    list.insertBefore(el("li", { id: "submission-" + data.id, "data-attempt": number }, [details]), list.firstChild);
  }

  function errorMessage(response, body) {
    var message = body && body.error ? body.error.message : "The server answered " + response.status + ".";
    var wait = response.headers.get("Retry-After");
    if ((response.status === 429 || response.status === 503) && wait) {
      message += " Try again in " + wait + " s.";
    }
    return message;
  }

  // Follow one submission until it is graded; resolves with its final JSON.
  function follow(url, onUpdate) {
    var started = Date.now();
    var delay = 250;
    return new Promise(function (resolve, reject) {
      function tick() {
        fetch(url, { headers: { "Accept": "application/json" }, credentials: "same-origin" })
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
            delay = Math.min(delay * 1.4, 2000);
            setTimeout(tick, delay);
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

  function showGraded(data) {
    say("Graded: " + label(data.verdict.status) + ", " + fmt(data.score) + " / " + fmt(data.max_score) + " points.");
    liveVerdict.textContent = "";
    liveVerdict.appendChild(renderVerdict(data.verdict));
  }

  // The submission page of a submission that is not graded yet.
  if (progress && progress.dataset.pollUrl) {
    follow(progress.dataset.pollUrl, showStatus).then(showGraded, function (error) { say(error.message); });
  }

  var form = document.getElementById("submit-form");
  if (!form) { return; }
  var textarea = document.getElementById("code");
  var upload = document.getElementById("upload");
  var button = document.getElementById("submit-button");
  var maxBytes = Number(form.dataset.maxBytes);
  var draftKey = "quizapp-draft-" + form.dataset.slug;
  var editor = null;

  try {
    var draft = window.localStorage.getItem(draftKey);
    if (draft) { textarea.value = draft; }
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
  function saveDraft() { try { window.localStorage.setItem(draftKey, getCode()); } catch (e) { /* ignore */ } }
  if (editor) { editor.on("change", saveDraft); } else { textarea.addEventListener("input", saveDraft); }

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
    liveVerdict.textContent = "";
    say("Sending…");
    fetch(form.dataset.apiUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ code: code, source: "web" })
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.status !== 202) { throw new Error(errorMessage(response, body)); }
          showStatus(body);
          return follow(response.headers.get("Location") || form.dataset.pollBase + body.id, showStatus);
        });
      })
      .then(function (data) {
        showGraded(data);
        addToHistory(data, form.dataset.pageBase);
      })
      .catch(function (error) { say(error.message || "Something went wrong; please try again."); })
      .finally(function () { button.disabled = false; });
  });
})();
