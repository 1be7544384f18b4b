// Saves quiz answers as the learner goes, so a dropped connection loses nothing.
// The page works without this: its "Save answers" button posts the same form.
(function () {
  "use strict";
  var script = document.currentScript;
  var form = document.getElementById("quiz-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.getElementById("quiz-save-status");
  var timer = null;
  var dirty = false;

  function show(text) { if (status) status.textContent = text; }

  function save() {
    timer = null;
    if (!dirty) return;
    dirty = false;
    fetch(form.dataset.saveUrl, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      if (response.status === 409) { window.location.reload(); return; }
      if (response.status === 413) {
        // An essay over its size limit: nothing was saved; say why.
        return response.json().then(function (body) { show(body.error); });
      }
      if (!response.ok) throw new Error(response.status);
      show(script.dataset.saved);
    }).catch(function () {
      dirty = true;
      show(script.dataset.offline);
    });
  }

  function changed() {
    dirty = true;
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, 800);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  window.addEventListener("online", function () { if (dirty) save(); });
  form.addEventListener("submit", function () { if (timer) clearTimeout(timer); });
})();
