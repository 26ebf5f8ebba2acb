/* HMS page behaviour. No inline scripts anywhere (strict CSP): everything hooks in from here. */
(function () {
  "use strict";

  // Forms marked data-draft keep what was typed in localStorage until they are submitted, so a
  // reload, a closed tab or a dropped connection loses nothing.
  function draftKey(form) { return "hms-draft:" + location.pathname + ":" + form.dataset.draft; }

  // The draft remembers the version of the record it was typed on, so saving a restored draft
  // after someone else saved is refused as a conflict instead of undoing their change.
  function saveDraft(form) {
    var data = {}, version = form.elements.version;
    if (version) data["__version"] = version.value;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit") return;
      data[el.name] = (el.type === "checkbox" || el.type === "radio") ? (el.checked ? el.value : data[el.name]) : el.value;
    });
    try { localStorage.setItem(draftKey(form), JSON.stringify(data)); } catch (e) { /* quota or privacy mode */ }
  }

  function restoreDraft(form) {
    var raw;
    try { raw = localStorage.getItem(draftKey(form)); } catch (e) { return; }
    if (!raw) return;
    var data = JSON.parse(raw), restored = false;
    Object.keys(data).forEach(function (name) {
      if (name === "__version") return;
      var el = form.elements[name];
      if (!el || el.type === "hidden" || data[name] === undefined || el.value === data[name]) return;
      el.value = data[name];
      restored = true;
    });
    if (restored && data["__version"] && form.elements.version) {
      form.elements.version.value = data["__version"];
    }
    if (restored) {
      var note = document.createElement("p");
      note.className = "msg msg-info draft-note";
      note.setAttribute("role", "status");
      note.textContent = form.dataset.draftRestored;
      form.insertBefore(note, form.firstChild);
    }
  }

  // After a submit, the next page decides the draft's fate: the same form back (with errors or a
  // conflict) keeps it; any other page means the save went through, so the draft is dropped.
  function settlePendingDraft() {
    var pending = sessionStorage.getItem("hms-pending-draft");
    if (!pending) return;
    sessionStorage.removeItem("hms-pending-draft");
    var same = Array.prototype.some.call(document.querySelectorAll("form[data-draft]"),
      function (form) { return draftKey(form) === pending; });
    if (!same) localStorage.removeItem(pending);
  }

  function initDrafts(root) {
    settlePendingDraft();
    root.querySelectorAll("form[data-draft]").forEach(function (form) {
      if (!form.querySelector(".errors")) restoreDraft(form);
      form.addEventListener("input", function () { saveDraft(form); });
      form.addEventListener("change", function () { saveDraft(form); });
      form.addEventListener("submit", function () {
        saveDraft(form);
        sessionStorage.setItem("hms-pending-draft", draftKey(form));
      });
    });
  }

  // Selects in forms marked data-autosubmit navigate on change (on an empty choice too when the
  // value is "any"); the button stays for no-JS use.
  function initAutosubmit(root) {
    root.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.querySelectorAll(".js-hide").forEach(function (b) { b.hidden = true; });
      form.addEventListener("change", function () {
        if (form.dataset.autosubmit === "any" || form.querySelector("select").value) form.submit();
      });
    });
  }

  // The org tree filter narrows the list as you type.
  function initTreeFilter(root) {
    var form = root.querySelector("form[data-tree-filter]");
    if (!form) return;
    var input = form.querySelector("input"), items = document.querySelectorAll("#org-tree li");
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      items.forEach(function (li) { li.hidden = q !== "" && (li.dataset.name || "").indexOf(q) === -1; });
    });
  }

  // Long filter panels start folded on a phone, unless a filter is in use.
  function initNarrowCollapse(root) {
    if (!window.matchMedia("(max-width: 40rem)").matches) return;
    root.querySelectorAll("details[data-collapse-narrow][data-untouched]").forEach(function (d) {
      d.open = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initNarrowCollapse(document);
    initDrafts(document);
    initAutosubmit(document);
    initTreeFilter(document);
  });
})();
