/* Questionnaire page: live progress and autosave of drafts (SPEC §6).
 * Autosave POSTs the whole form (CSRF token included) to the draft endpoint a few seconds
 * after a change, every 30 seconds while there are unsaved changes, and when the page is left.
 * The server words the "Draft saved at 18:20 (Europe/Helsinki time)" message, in the campaign's
 * time zone, so it matches the "Save draft" banner whatever this device's clock says.
 * It never reloads the page, so nothing typed is lost. No inline scripts: CSP is script-src 'self'.
 *
 * A copy of the answers also lives in this browser's localStorage (one entry per invitation),
 * written on every change and just before a submit. If the server could not take them (the
 * database was down: the 503 page says the answers are kept here), the next visit restores
 * the copy when it is newer than the server's draft and was never saved there. The copy is
 * deleted once the invitation is submitted or declined (pages marked data-forget-answers). */
(function () {
  "use strict";
  var PREFIX = "survey-answers:";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-forget-answers]"), function (el) {
    var store = storage();
    if (store) { store.removeItem(PREFIX + el.getAttribute("data-forget-answers")); }
  });

  var form = document.getElementById("rating-form");
  if (!form) { return; }
  var storeKey = PREFIX + (form.getAttribute("data-local-key") || window.location.pathname);
  var serverSaved = Number(form.getAttribute("data-draft-saved") || 0);
  var status = document.getElementById("save-status");
  var draftUrl = form.getAttribute("data-draft-url");
  var dirty = false, saving = false, submitting = false, timer = null;

  function countAnswered(scope) {
    return scope.querySelectorAll("fieldset.item input[type=radio]:checked").length;
  }

  function updateProgress() {
    var areas = form.querySelectorAll("section.area[data-area]");
    Array.prototype.forEach.call(areas, function (area) {
      var n = countAnswered(area);
      var key = area.getAttribute("data-area");
      var own = area.querySelector("[data-answered]");
      var nav = form.querySelector('[data-nav-count="' + key + '"]');
      var total = area.querySelectorAll("fieldset.item").length;
      if (own) { own.textContent = n; }
      if (nav) { nav.textContent = n + " of " + total; }
    });
    var all = form.querySelectorAll("fieldset.item").length;
    var answered = countAnswered(form);
    var totalEl = document.querySelector("[data-answered-total]");
    var bar = document.getElementById("progress-bar");
    if (totalEl) { totalEl.textContent = answered; }
    if (bar && all) { bar.style.width = Math.round(100 * answered / all) + "%"; }
    sayUnanswered(all - answered);
  }

  /* One line before the submit button, never a block: "2 statements unanswered — submit anyway?" */
  function sayUnanswered(left) {
    var line = document.getElementById("unanswered");
    if (!line) { return; }
    line.hidden = left <= 0;
    var text = left === 1 ? words("unanswered-one", "{n} statement unanswered — submit anyway?")
      : words("unanswered-other", "{n} statements unanswered — submit anyway?");
    line.textContent = text.replace("{n}", left);
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("is-error", !!isError);
  }

  function snapshot() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.name === "action") { return; }
      if (el.type === "radio" && el.checked) { values[el.name] = el.value; }
      if (el.tagName === "TEXTAREA" && el.value) { values[el.name] = el.value; }
    });
    return values;
  }

  function keepCopy(synced) {
    var store = storage();
    if (!store) { return; }
    var copy = { saved: Date.now(), synced: !!synced, values: snapshot() };
    try { store.setItem(storeKey, JSON.stringify(copy)); } catch (e) { /* full or disabled */ }
  }

  function readCopy() {
    var store = storage();
    try { return store ? JSON.parse(store.getItem(storeKey) || "null") : null; } catch (e) { return null; }
  }

  function setValue(name, value) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (el.name !== name) { return; }
      if (el.type === "radio") { el.checked = el.value === value; }
      if (el.tagName === "TEXTAREA") { el.value = value; }
    });
  }

  /* The browser's copy wins only when the server never got it and it is newer than the draft. */
  function restoreCopy() {
    var copy = readCopy();
    if (!copy || copy.synced || !copy.values || copy.saved <= serverSaved) { return false; }
    Object.keys(copy.values).forEach(function (name) { setValue(name, String(copy.values[name])); });
    return Object.keys(copy.values).length > 0;
  }

  /* The page's words, in the rater's language (data-say-* on the form), English without them. */
  function words(key, english) { return form.getAttribute("data-say-" + key) || english; }

  function save() {
    if (!dirty || saving || submitting) { return; }
    saving = true;
    dirty = false;
    say(words("saving", "Saving…"));
    fetch(draftUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      if (response.ok) {
        return response.json().then(function (reply) {
          say(reply.message || words("saved", "Draft saved."));
          if (!dirty) { keepCopy(true); }
        });
      }
      if (response.status === 409) {  // answered or declined meanwhile, e.g. in another tab
        return response.json().then(function (reply) { say(words("not-saved", "Not saved.") + " " + reply.error, true); });
      }
      dirty = true;
      say(response.status === 404
          ? words("closed", "Not saved: this feedback round no longer accepts answers.")
          : words("retry", "Not saved. Your answers are still on this page; use “Save draft” to try again."), true);
    }).catch(function () {
      dirty = true;
      say(words("offline", "Not saved: no connection. Your answers are still on this page."), true);
    }).then(function () { saving = false; });
  }

  function changed() {
    dirty = true;
    keepCopy(false);
    updateProgress();
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 3000);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") { changed(); }
  });
  form.addEventListener("submit", function (event) {
    submitting = true;
    keepCopy(false);
    window.clearTimeout(timer);
    var button = event.submitter;
    // Disable after the browser has collected the form data, so a double click sends once.
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
  window.setInterval(save, 30000);
  window.addEventListener("pagehide", function () {
    if (dirty && !submitting && navigator.sendBeacon) {
      navigator.sendBeacon(draftUrl, new FormData(form));
    }
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
  if (restoreCopy()) {
    dirty = true;
    timer = window.setTimeout(save, 1000);
    say(words("restored", "Restored the answers this browser kept for you; they are being saved as your draft."));
  }
  updateProgress();
}());
