/* HMS page behaviour. No inline scripts anywhere (strict CSP): everything hooks in from here. */
(function () {
  "use strict";

  // Forms marked data-draft keep what was typed in localStorage until they are submitted, so a
  // reload, a closed tab or a dropped connection loses nothing.
  function draftKey(form) { return "hms-draft:" + location.pathname + ":" + form.dataset.draft; }

  // The draft remembers the version of the record it was typed on, so saving a restored draft
  // after someone else saved is refused as a conflict instead of undoing their change.
  function selectedValues(select) {
    return Array.prototype.filter.call(select.options, function (o) { return o.selected; })
      .map(function (o) { return o.value; });
  }

  // Checkboxes are kept as the list of ticked values of their name (one box or a group), so
  // unticking is remembered as well as ticking.
  function checkboxes(form, name) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name === name && el.type === "checkbox";
    });
  }

  function checkedValues(form, name) {
    return checkboxes(form, name).filter(function (el) { return el.checked; })
      .map(function (el) { return el.value; });
  }

  function saveDraft(form) {
    var data = {}, version = form.elements.version;
    if (version) data["__version"] = version.value;
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.type === "hidden" || el.type === "file" || el.type === "submit") return;
      if (el.type === "select-multiple") data[el.name] = selectedValues(el);
      else if (el.type === "checkbox") data[el.name] = checkedValues(form, el.name);
      else data[el.name] = el.type === "radio" ? (el.checked ? el.value : data[el.name]) : el.value;
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
      if (!el || el.type === "hidden" || data[name] === undefined) return;
      var boxes = checkboxes(form, name);
      if (el.type === "select-multiple") {
        if (JSON.stringify(selectedValues(el)) === JSON.stringify(data[name])) return;
        Array.prototype.forEach.call(el.options, function (o) { o.selected = data[name].indexOf(o.value) !== -1; });
      } else if (boxes.length && Array.isArray(data[name])) {
        if (JSON.stringify(checkedValues(form, name)) === JSON.stringify(data[name])) return;
        boxes.forEach(function (box) { box.checked = data[name].indexOf(box.value) !== -1; });
      } else {
        if (el.value === data[name]) return;
        el.value = data[name];
      }
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


  // The risk row editor: every cell is saved as it changes. Until the server has it, what was
  // typed is kept in localStorage (keyed by the row's save URL), so a reload, a closed tab or a
  // dropped connection loses nothing; it is sent again when the page or the connection is back.
  // A save carries the row's version: if someone else saved first, their values are shown and
  // the person chooses to keep their own or take the other's.
  function initRowEditor(root) {
    var table = root.querySelector("table[data-row-editor]");
    if (!table) return;
    var state = document.getElementById("editor-state");
    var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
    var timers = {}, inFlight = {}, again = {};

    function say(key) { if (state) state.textContent = state.dataset[key] || ""; }
    function storeKey(form) { return "hms-row:" + form.getAttribute("action"); }
    function status(form, text, kind) {
      var el = document.getElementById("status-" + form.id.slice(1));
      if (el) { el.textContent = text; el.className = "row-status" + (kind ? " " + kind : ""); }
    }
    function values(form) {
      var data = {};
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") return;
        data[el.name] = el.type === "checkbox" ? (el.checked ? "on" : "") : el.value;
      });
      return data;
    }
    function versionOf(form) { return form.elements.namedItem(form.id.replace(/^f/, "r") + "-version"); }
    function typed(form) {
      var data = values(form);
      delete data[versionOf(form).name];
      return JSON.stringify(data);
    }
    function remember(form) {
      try { localStorage.setItem(storeKey(form), JSON.stringify(values(form))); } catch (e) { /* full */ }
      status(form, state.dataset.unsaved, "pending");
    }
    // The row's marker (row-red, row-yellow …) follows the colour the server just computed.
    function markColour(form) {
      var tr = form.closest("tr"), risk = document.getElementById("risk-" + form.id.slice(1));
      if (!tr || !risk) return;
      var badge = risk.querySelector(".risk"), found = badge && /\brisk-(\S+)/.exec(badge.className);
      Array.prototype.slice.call(tr.classList).forEach(function (name) {
        if (name.indexOf("row-") === 0) tr.classList.remove(name);
      });
      if (found) tr.classList.add("row-" + found[1]);
    }
    function forget(form) { try { localStorage.removeItem(storeKey(form)); } catch (e) { /* */ } }
    function pending() {
      var found = [];
      table.querySelectorAll("form.row-form").forEach(function (form) {
        var raw = null;
        try { raw = localStorage.getItem(storeKey(form)); } catch (e) { /* */ }
        if (raw) found.push([form, JSON.parse(raw)]);
      });
      return found;
    }

    function save(form) {
      clearTimeout(timers[form.id]);
      if (inFlight[form.id]) { again[form.id] = true; return; }
      inFlight[form.id] = true;
      var sent = typed(form);
      var body = new FormData(form);
      status(form, state.dataset.saving, "saving");
      say("saving");
      fetch(form.getAttribute("action"), {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf }
      }).then(function (response) {
        // Not JSON: a sign-in page after the session ended, or a refused request. Not a lost
        // connection, so it must not say "offline".
        if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) return [response.status, null];
        return response.json().then(function (data) { return [response.status, data]; });
      }).then(function (result) {
        var code = result[0], data = result[1];
        if (data === null) {
          status(form, state.dataset.refused, "error");
          say("refused");
        } else if (code === 200) {
          versionOf(form).value = data.version;
          Object.keys(data.cells).forEach(function (id) {
            var cell = document.getElementById(id);
            if (cell) cell.firstElementChild.innerHTML = data.cells[id];
          });
          markColour(form);
          if (typed(form) === sent) {
            forget(form);
            status(form, data.message, "saved");
            say("saved");
          } else {
            // Typed while the save was under way: kept, now on the new version, and not yet
            // saved (the next save, already due, sends it), so the page must not say "saved".
            remember(form);
            say("unsaved");
          }
        } else if (code === 409 && data.theirs) {
          conflict(form, data);
        } else {
          status(form, data.message, "error");
          if (state) state.textContent = data.message;
        }
      }).catch(function () {
        status(form, state.dataset.offline, "offline");
        say("offline");
      }).then(function () {
        inFlight[form.id] = false;
        if (again[form.id]) { again[form.id] = false; save(form); }
      });
    }

    function conflict(form, data) {
      var holder = document.getElementById("status-" + form.id.slice(1));
      holder.className = "row-status conflict";
      holder.textContent = "";
      var p = document.createElement("p");
      p.textContent = data.message;
      var list = document.createElement("dl");
      data.theirs.forEach(function (pair) {
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = pair[0]; dd.textContent = pair[1];
        list.appendChild(dt); list.appendChild(dd);
      });
      var keep = document.createElement("button"), take = document.createElement("button");
      keep.type = take.type = "button";
      keep.textContent = state.dataset.keep; take.textContent = state.dataset.take;
      keep.addEventListener("click", function () {
        versionOf(form).value = data.version;
        holder.textContent = "";
        save(form);
      });
      take.addEventListener("click", function () { forget(form); location.reload(); });
      [p, list, keep, take].forEach(function (el) { holder.appendChild(el); });
      if (state) state.textContent = state.dataset.conflict;
      keep.focus();
    }

    function watch(scope) {
      scope.querySelectorAll("form.row-form").forEach(function (form) {
        Array.prototype.forEach.call(form.elements, function (el) {
          if (!el.name || el.type === "hidden" || el.dataset.watched) return;
          el.dataset.watched = "1";
          el.addEventListener("input", function () {
            remember(form);
            clearTimeout(timers[form.id]);
            timers[form.id] = setTimeout(function () { save(form); }, 1200);
          });
          el.addEventListener("change", function () { remember(form); save(form); });
        });
      });
      scope.querySelectorAll("form.delete-row").forEach(function (del) {
        del.addEventListener("submit", function (e) {
          if (!window.confirm(del.dataset.confirm)) e.preventDefault();
        });
      });
    }

    function restore() {
      var found = pending();
      found.forEach(function (pair) {
        var form = pair[0], data = pair[1];
        Object.keys(data).forEach(function (name) {
          var el = form.elements.namedItem(name);
          if (!el || el.length) return;
          if (el.type === "checkbox") el.checked = data[name] === "on"; else el.value = data[name];
        });
        save(form);
      });
      // After the saves start (they say "Saving…"), so the person sees their text came back.
      if (found.length) say("restored");
    }

    function addRow() {
      var adder = document.querySelector("form[data-add-row]");
      fetch(adder.getAttribute("action"), {
        method: "POST", body: new FormData(adder), credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": csrf }
      }).then(function (response) {
        if (!response.ok) throw new Error("refused");
        return response.json();
      }).then(function (data) {
        var body = document.getElementById("rows-body"), empty = body.querySelector("tr.empty");
        if (empty) empty.remove();
        body.insertAdjacentHTML("beforeend", data.html);
        var row = document.getElementById(data.id);
        watch(row);
        var first = row.querySelector("select, textarea, input:not([type=hidden])");
        if (first) first.focus();
      }).catch(function () { say("addFailed"); });
    }

    // Alt+↓ / Alt+↑: the same cell in the next or previous row. Ctrl+Enter: a new row.
    table.addEventListener("keydown", function (e) {
      var el = e.target;
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); addRow(); return; }
      if (!e.altKey || (e.key !== "ArrowDown" && e.key !== "ArrowUp") || !el.name) return;
      var tr = el.closest("tr"), next = e.key === "ArrowDown" ? tr.nextElementSibling : tr.previousElementSibling;
      if (!next || !next.dataset.rowForm) return;
      var target = next.querySelector("[name='" + next.dataset.rowForm.replace(/^f/, "r") + el.name.slice(el.name.indexOf("-")) + "']");
      if (target) { e.preventDefault(); target.focus(); }
    });
    var adder = document.querySelector("form[data-add-row]");
    if (adder) adder.addEventListener("submit", function (e) { e.preventDefault(); addRow(); });
    window.addEventListener("online", function () { pending().forEach(function (f) { save(f[0]); }); });
    setInterval(function () { if (navigator.onLine) pending().forEach(function (f) { if (!inFlight[f[0].id]) save(f[0]); }); }, 15000);
    watch(table);
    restore();
  }

  // The assessment form warns while none of the unit's safety representatives is chosen.
  function initSafetyRepWarning(root) {
    var form = root.querySelector("form[data-reps]"), warning = root.querySelector("[data-vo-warning]");
    if (!form || !warning || !form.dataset.reps) return;
    var reps = form.dataset.reps.split(","), select = form.elements.participants;
    function check() {
      var chosen = Array.prototype.filter.call(select.options, function (o) { return o.selected; })
        .map(function (o) { return o.value; });
      warning.hidden = reps.some(function (pk) { return chosen.indexOf(pk) !== -1; });
    }
    select.addEventListener("change", check);
    check();  // a draft restored into the form may already have chosen one
  }

  // Forms marked data-confirm ask before they are sent (the risk editor's row forms ask on their own).
  function initConfirm(root) {
    root.querySelectorAll("form[data-confirm]:not(.delete-row)").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (!window.confirm(form.dataset.confirm)) e.preventDefault();
      });
    });
    // A read-only link to copy (the receipt of an anonymous report) is selected whole on focus.
    root.querySelectorAll("input.copy[readonly]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    initConfirm(document);
    initNarrowCollapse(document);
    initDrafts(document);
    initAutosubmit(document);
    initTreeFilter(document);
    initRowEditor(document);
    initSafetyRepWarning(document);
  });
})();
