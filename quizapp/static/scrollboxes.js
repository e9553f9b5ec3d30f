// Scroll boxes the keyboard can reach (WCAG 2.1.1): any box in the page whose content overflows it gets
// tabindex="0" so it can be focused and scrolled with the arrow keys, and, unless it already has a name, a
// region role and a label. Boxes that stop overflowing (a wider window) leave the tab order again.
// Re-checked on resize, when <details> open and when content is inserted (the live verdict).
(function () {
  "use strict";
  var SCROLLS = /(auto|scroll)/;
  var MARK = "data-scroll-box";

  function kindOf(box) {
    if (box.hasAttribute("data-scroll-label")) { return box.getAttribute("data-scroll-label"); }
    if (box.tagName === "PRE") { return "Text"; }
    if (box.matches(".math, .math *")) { return "Formula"; }
    if (box.querySelector("table")) { return "Table"; }
    return "Content";
  }

  // A name that says where the box is (its table row, else its section's heading), unique in the page.
  function labelFor(box, used) {
    var context = "";
    var row = box.closest("tr");
    var header = row && row.querySelector("th[scope=row]");
    var section = box.closest("section, details, fieldset");
    var heading = section && section.querySelector("h1, h2, h3, h4, summary, legend");
    if (header) { context = header.textContent; } else if (heading) { context = heading.textContent; }
    context = context.replace(/\s+/g, " ").trim().slice(0, 60);
    var base = kindOf(box) + (context ? " in " + context : "") + " (scrollable)";
    var name = base;
    for (var n = 2; used[name]; n += 1) { name = base + " " + n; }
    used[name] = true;
    return name;
  }

  function overflows(box) {
    var style = window.getComputedStyle(box);
    var x = SCROLLS.test(style.overflowX) && box.scrollWidth > box.clientWidth + 1;
    var y = SCROLLS.test(style.overflowY) && box.scrollHeight > box.clientHeight + 1;
    return x || y;
  }

  function hasFocusable(box) {
    return !!box.querySelector("a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])");
  }

  function check() {
    var root = document.getElementById("main") || document.body;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT, {
      acceptNode: function (node) {
        // MathML inside a formula never scrolls on its own; skip its many nodes.
        return node.namespaceURI === "http://www.w3.org/1998/Math/MathML" ?
          NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var used = {};
    document.querySelectorAll("[" + MARK + "='named']").forEach(function (named) {
      used[named.getAttribute("aria-label")] = true;
    });
    for (var box = walker.nextNode(); box; box = walker.nextNode()) {
      if (box.matches(".CodeMirror, .CodeMirror *")) { continue; }
      var marked = box.hasAttribute(MARK);
      if (overflows(box) && !hasFocusable(box)) {
        if (marked || box.hasAttribute("tabindex")) { continue; }
        box.setAttribute(MARK, "");
        box.setAttribute("tabindex", "0");
        if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
          box.setAttribute(MARK, "named");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", labelFor(box, used));
        }
      } else if (marked && !overflows(box)) {
        if (box.getAttribute(MARK) === "named") {
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
        box.removeAttribute("tabindex");
        box.removeAttribute(MARK);
      }
    }
  }

  var pending = null;
  function later() {
    if (pending === null) { pending = window.setTimeout(function () { pending = null; check(); }, 100); }
  }

  check();
  window.addEventListener("load", check);
  window.addEventListener("resize", later);
  document.addEventListener("toggle", later, true);
  if (window.MutationObserver) {
    new MutationObserver(later).observe(document.getElementById("main") || document.body,
      { childList: true, subtree: true });
  }
})();
