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
  // conflict) keeps it; any other page, or the same page saying the save went through (a success
  // message, as after adding an item to a meeting's agenda), means it was saved: the draft goes.
  function settlePendingDraft() {
    var pending = sessionStorage.getItem("hms-pending-draft");
    if (!pending) return;
    sessionStorage.removeItem("hms-pending-draft");
    var same = Array.prototype.some.call(document.querySelectorAll("form[data-draft]"),
      function (form) { return draftKey(form) === pending; });
    if (!same || document.querySelector(".messages .msg-success")) localStorage.removeItem(pending);
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
      if (!form.dataset.gone) status(form, state.dataset.unsaved, "pending");
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
        if (raw && !form.dataset.gone) found.push([form, JSON.parse(raw)]);
      });
      return found;
    }

    function save(form) {
      clearTimeout(timers[form.id]);
      if (form.dataset.gone) return;
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
        if (code === 410 || code === 404) {
          gone(form, (data && data.message) || state.dataset.gone);
        } else if (data === null) {
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

    // The row was removed by someone else (410), or is no longer there for this person (404,
    // the same answer as for a row they may not see): what they typed stays in its cells and on
    // this device, the row stops saving, and its status says why.
    function gone(form, message) {
      form.dataset.gone = "1";
      remember(form);
      status(form, message, "error");
      if (state) state.textContent = message;
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

  // The round walk: each checkpoint's answer is saved the moment it is given (a choice at once, a
  // comment a second after typing stops). Until the server has it, the answer is kept in
  // localStorage (one key per round and checkpoint), so a reload, a closed tab or a dropped
  // connection loses nothing: it is put back into the form and sent on load, when the connection
  // is back, and every 15 s. A save carries the answer's version: if someone else answered
  // meanwhile, their answer is shown and the person keeps theirs or takes the other's.
  function initWalk(root) {
    var walk = root.querySelector("[data-walk]");
    if (!walk) return;
    var text = walk.dataset, round = walk.dataset.walk;
    var state = document.getElementById("walk-state");
    var forms = Array.prototype.slice.call(walk.querySelectorAll("form.walk-form"));
    var timers = {}, inFlight = {}, again = {}, offline = {}, stuck = {};

    function id(form) { return form.dataset.item; }
    function key(form) { return "hms-walk:" + round + ":" + id(form); }
    function statusOf(form) { return document.getElementById("status-" + id(form)); }
    function status(form, message, kind) {
      var el = statusOf(form);
      el.textContent = message || "";
      el.className = "walk-status" + (kind ? " " + kind : "");
    }
    function chosen(form) {
      var radio = form.querySelector("input[name=result]:checked");
      return radio ? radio.value : "";
    }
    function values(form) {
      return { result: chosen(form), comment: form.elements.comment.value,
               version: form.elements.version.value };
    }
    function stored(form) {
      try { return JSON.parse(localStorage.getItem(key(form)) || "null"); } catch (e) { return null; }
    }
    function remember(form) {
      try { localStorage.setItem(key(form), JSON.stringify(values(form))); } catch (e) { /* full */ }
    }
    function forget(form) { try { localStorage.removeItem(key(form)); } catch (e) { /* */ } }
    function pending() { return forms.filter(function (form) { return stored(form) !== null; }); }

    function progress() {
      var answered = forms.filter(function (form) { return chosen(form) !== ""; }).length;
      var line = document.getElementById("walk-progress");
      var a = document.getElementById("walk-answered"), t = document.getElementById("walk-total");
      if (a) a.textContent = answered;
      if (t) t.textContent = forms.length;
      if (line) line.hidden = false;
    }
    // "Not OK" is marked on the checkpoint with a class (a border) and in words, not by colour alone.
    function mark(form) {
      var notOk = chosen(form) === "not_ok";
      form.closest(".walk-item").classList.toggle("is-not-ok", notOk);
      form.querySelector(".walk-flag").hidden = !notOk;
      progress();
    }
    function put(form, result, comment) {
      form.querySelectorAll("input[name=result]").forEach(function (r) { r.checked = r.value === result; });
      form.elements.comment.value = comment;
      mark(form);
    }
    // The page-wide line: how many answers wait on this device while the connection is gone,
    // and "all saved" once they are out.
    function summary() {
      var waiting = pending().length;
      var cut = forms.some(function (form) { return offline[id(form)]; }) || !navigator.onLine;
      if (cut && waiting) {
        state.textContent = text.offlineCount + " " + waiting;
        state.className = "walk-state offline";
      } else if (!waiting && state.className !== "walk-state") {
        state.textContent = text.allSaved;
        state.className = "walk-state saved";
      }
    }
    // Once the checkpoint has an answer on the server, its photo form can be used.
    function showPhoto(form, answerId) {
      var photo = form.closest(".walk-item").querySelector("form.walk-photo");
      var later = form.closest(".walk-item").querySelector(".walk-photo-later");
      if (!photo || !photo.hidden || !answerId) return;
      photo.elements.answer.value = answerId;
      photo.hidden = false;
      if (later) later.hidden = true;
    }

    function save(form) {
      var n = id(form);
      clearTimeout(timers[n]);
      if (inFlight[n]) { again[n] = true; return; }
      inFlight[n] = true;
      stuck[n] = false;
      var sent = values(form);
      status(form, text.saving, "saving");
      fetch(form.getAttribute("action"), {
        method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
      }).then(function (response) {
        // Not JSON: a sign-in page after the session ended, or a refused request; not "offline".
        if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
          return [response.status, null];
        }
        return response.json().then(function (data) { return [response.status, data]; });
      }).then(function (result) {
        offline[n] = false;
        settle(form, sent, result[0], result[1]);
      }, function () {
        offline[n] = true;
        status(form, text.offline, "offline");
      }).then(function () {
        inFlight[n] = false;
        summary();
        if (again[n]) { again[n] = false; if (stored(form)) save(form); }
      });
    }

    function settle(form, sent, code, data) {
      var n = id(form), now = values(form);
      if (code === 200 && data) {
        form.elements.version.value = data.version;
        showPhoto(form, data.id);
        if (now.result === sent.result && now.comment === sent.comment) {
          forget(form);
          status(form, text.saved, "saved");
        } else {
          // Changed while the save was under way: kept, on the new version, and sent next.
          remember(form);
          status(form, text.pending, "pending");
        }
      } else if (code === 409 && data && data.current) {
        var theirs = data.current;
        if (theirs.result === now.result && theirs.comment === now.comment.trim()) {
          // The server already has this very answer (a save whose reply was lost): nothing to choose.
          form.elements.version.value = theirs.version;
          forget(form);
          status(form, text.saved, "saved");
        } else {
          conflict(form, theirs);
        }
      } else {
        // Refused (signed out, the round summarised …): kept on this device, not sent again by
        // itself until the page is reloaded or the answer changes; a server error is retried.
        stuck[n] = code < 500;
        status(form, data && data.error ? data.error : text.refused, "error");
      }
    }

    function label(result) {
      return { ok: text.resultOk, not_ok: text.resultNotOk, na: text.resultNa }[result] || text.resultNone;
    }

    function conflict(form, theirs) {
      var n = id(form), holder = statusOf(form);
      var focused = form.closest(".walk-item").contains(document.activeElement);
      stuck[n] = true;
      holder.className = "walk-status conflict";
      holder.textContent = "";
      var p = document.createElement("p"), list = document.createElement("dl");
      p.textContent = text.conflict;
      var when = theirs.at ? new Date(theirs.at).toLocaleString(document.documentElement.lang) : "";
      [[text.theirAnswer, label(theirs.result)], [text.theirComment, theirs.comment || "–"],
       [text.answeredBy, [theirs.by, when].filter(Boolean).join(", ")]].forEach(function (pair) {
        var dt = document.createElement("dt"), dd = document.createElement("dd");
        dt.textContent = pair[0];
        dd.textContent = pair[1];
        list.appendChild(dt);
        list.appendChild(dd);
      });
      var keep = document.createElement("button"), take = document.createElement("button");
      keep.type = take.type = "button";
      keep.className = "keep-mine";
      take.className = "take-theirs";
      keep.textContent = text.keep;
      take.textContent = text.take;
      keep.addEventListener("click", function () {
        form.elements.version.value = theirs.version;
        remember(form);
        save(form);
      });
      take.addEventListener("click", function () {
        put(form, theirs.result, theirs.comment);
        form.elements.version.value = theirs.version;
        forget(form);
        stuck[n] = false;
        status(form, text.taken, "saved");
        summary();
      });
      [p, list, keep, take].forEach(function (el) { holder.appendChild(el); });
      if (focused) keep.focus();
    }

    function watch(form) {
      var n = id(form), comment = form.elements.comment;
      form.addEventListener("submit", function (e) { e.preventDefault(); remember(form); save(form); });
      form.querySelectorAll("input[name=result]").forEach(function (radio) {
        radio.addEventListener("change", function () { mark(form); remember(form); save(form); });
      });
      comment.addEventListener("input", function () {
        remember(form);
        if (!inFlight[n]) status(form, text.pending, "pending");
        clearTimeout(timers[n]);
        timers[n] = setTimeout(function () { save(form); }, 1000);
      });
      comment.addEventListener("change", function () { if (stored(form)) save(form); });
    }

    // A reload: what this device still holds goes back into the forms and is sent. An answer the
    // server already shows is simply dropped from the device.
    function restore() {
      var back = pending().filter(function (form) {
        var data = stored(form);
        if (!data || typeof data.comment !== "string") { forget(form); return false; }
        if (data.result === chosen(form) && data.comment.trim() === form.elements.comment.value) {
          forget(form);
          return false;
        }
        put(form, data.result, data.comment);
        form.elements.version.value = data.version;
        return true;
      });
      if (back.length) {
        state.textContent = text.restored;
        state.className = "walk-state restored";
        back.forEach(save);
      }
    }

    // Photos and free findings are sent as ordinary forms: without a connection they wait, and
    // what was typed into a finding is kept on this device until it is on the list.
    function guardOffline(form) {
      form.addEventListener("submit", function (e) {
        if (navigator.onLine) return;
        e.preventDefault();
        state.textContent = text.noOfflineUpload;
        state.className = "walk-state offline";
      });
    }
    function keepFinding(form) {
      var draftKey = "hms-walk-finding:" + round, fields = [form.elements.title, form.elements.description];
      var draft = null;
      try { draft = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { /* */ }
      var sent = sessionStorage.getItem(draftKey);
      sessionStorage.removeItem(draftKey);
      var listed = draft && Array.prototype.some.call(document.querySelectorAll(".walk-findings li > strong"),
        function (el) { return el.textContent === draft[0].trim(); });
      if (draft && sent && listed) {
        localStorage.removeItem(draftKey);
      } else if (draft && !fields[0].value && !fields[1].value) {
        fields[0].value = draft[0];
        fields[1].value = draft[1];
      }
      form.addEventListener("input", function () {
        try { localStorage.setItem(draftKey, JSON.stringify([fields[0].value, fields[1].value])); } catch (e) { /* */ }
      });
      form.addEventListener("submit", function () { sessionStorage.setItem(draftKey, "1"); });
    }

    forms.forEach(watch);
    restore();
    progress();
    document.querySelectorAll("form.walk-photo, form[data-walk-finding]").forEach(guardOffline);
    var finding = document.querySelector("form[data-walk-finding]");
    if (finding) keepFinding(finding);
    window.addEventListener("online", function () {
      pending().forEach(function (form) { if (!stuck[id(form)]) save(form); });
    });
    window.addEventListener("offline", summary);
    window.addEventListener("online", summary);
    setInterval(function () {
      if (!navigator.onLine) return;
      pending().forEach(function (form) {
        var n = id(form);
        if (!inFlight[n] && !stuck[n]) save(form);
      });
    }, 15000);
  }

  // After a refused submit the error summary takes the focus, so it is read out first and the
  // links in it lead to the fields.
  function focusErrorSummary(root) {
    var summary = root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // On a phone the main navigation folds behind a "Menu" button (without JavaScript the links
  // stay one row that scrolls sideways). Escape closes it and returns to the button.
  function initMenu(root) {
    var nav = root.querySelector("nav[data-menu]");
    if (!nav) return;
    var button = nav.querySelector(".menu-toggle");
    function show(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("open", open);
    }
    nav.classList.add("collapsible");
    button.hidden = false;
    button.addEventListener("click", function () { show(button.getAttribute("aria-expanded") !== "true"); });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) { show(false); button.focus(); }
    });
  }

  // A long select marked data-filter gets a search box above it that narrows its options as you
  // type (the select itself works as before; without JavaScript it is the plain select).
  function initSelectFilter(root) {
    root.querySelectorAll("select[data-filter]").forEach(function (select) {
      var input = document.createElement("input"), label = document.createElement("label");
      input.type = "search";
      input.id = select.id + "-filter";
      input.className = "filter-input";
      input.setAttribute("aria-controls", select.id);
      input.autocomplete = "off";
      label.htmlFor = input.id;
      label.className = "filter-label";
      label.textContent = select.dataset.filter;
      select.parentNode.insertBefore(label, select);
      select.parentNode.insertBefore(input, select);
      input.addEventListener("input", function () { filterOptions(select, input.value); });
    });
  }

  function filterOptions(select, text) {
    var q = text.trim().toLowerCase();
    Array.prototype.forEach.call(select.options, function (option) {
      option.hidden = q !== "" && option.value !== "" && option.text.toLowerCase().indexOf(q) === -1;
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrorSummary(document);
    initMenu(document);
    initSelectFilter(document);
    initConfirm(document);
    initNarrowCollapse(document);
    initDrafts(document);
    initAutosubmit(document);
    initTreeFilter(document);
    initRowEditor(document);
    initSafetyRepWarning(document);
    initWalk(document);
  });
})();
