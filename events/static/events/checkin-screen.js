// The trainer's check-in screen: the rotating QR (refreshed as each 30-second
// window turns), the live count, and check-ins the trainer makes (a scanned or
// typed personal code, a ticked name). Those are queued on the phone
// (IndexedDB), each with its own id, and sent when there is a connection; the
// server records each id once, so sending a queue twice records nothing twice.
// Without JavaScript the forms post as they are and the page reloads.
(function () {
  "use strict";
  var root = document.getElementById("checkin-screen");
  if (!root) return;
  var stateUrl = root.dataset.stateUrl;
  var recordUrl = root.dataset.recordUrl;
  var sessionId = root.dataset.session;
  var rotation = parseInt(root.dataset.rotation, 10) || 30;
  var secondsLeft = parseInt(root.dataset.secondsLeft, 10) || rotation;
  var qr = document.getElementById("checkin-qr");
  var count = document.getElementById("checkin-count");
  var seconds = document.getElementById("checkin-seconds");
  var code = document.getElementById("session-code");
  var connection = document.getElementById("checkin-connection");
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";

  function text(key) {
    var template = document.getElementById("checkin-text");
    var node = template && template.content.querySelector("[data-key=" + key + "]");
    return node ? node.textContent : "";
  }

  // --- the rotating code -------------------------------------------------
  var refreshTimer = null;
  function refresh() {
    fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        qr.src = state.qr;
        qr.dataset.token = state.token;
        qr.dataset.url = state.url;
        count.textContent = state.count;
        if (code && state.session_code) code.textContent = state.session_code;
        if (state.csrf) csrf = state.csrf;
        secondsLeft = state.seconds_left;
        showConnection();
        schedule(state.seconds_left);
      })
      .catch(function () {
        connection.textContent = text("offline");
        schedule(5);
      });
  }
  function schedule(wait) {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, Math.max(1, wait) * 1000 + 300);
  }
  setInterval(function () {
    secondsLeft = secondsLeft > 1 ? secondsLeft - 1 : rotation;
    if (seconds) seconds.textContent = secondsLeft;
  }, 1000);
  schedule(secondsLeft);

  // --- the queue of check-ins made on this phone -------------------------
  var opened = null;
  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open("alliance-checkin", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("queue", { keyPath: "id" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opened = null; reject(request.error); };
      });
    }
    return opened;
  }
  function run(mode, action) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction("queue", mode);
        var request = action(transaction.objectStore("queue"));
        transaction.oncomplete = function () { resolve(request && request.result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }
  function newId() {
    if (window.crypto.randomUUID) return window.crypto.randomUUID();
    var b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }
  function queued() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (items) {
      return items.filter(function (item) { return item.session === sessionId; });
    });
  }

  function enqueue(fields, form) {
    var item = { id: newId(), session: sessionId, at: new Date().toISOString() };
    if (fields.learner) item.learner = parseInt(fields.learner, 10);
    else item.code = fields.code;
    return run("readwrite", function (store) { return store.put(item); }).then(function () {
      say(text("saved"));
      if (form) form.reset();
      return send();
    });
  }

  var sending = null;
  function send() {
    if (sending) return sending;
    sending = queued().then(function (items) {
      if (!items.length) return showConnection();
      var batch = items.slice(0, 50);
      return fetch(recordUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ items: batch.map(function (item) {
          var body = { id: item.id, at: item.at };
          if (item.learner) body.learner = item.learner; else body.code = item.code;
          return body;
        }) })
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) throw new Error(answer.error || response.status);
          count.textContent = answer.count;
          // Each sent item leaves the queue, recorded or refused (a refusal
          // will not change by sending it again).
          return Promise.all(answer.results.map(function (result) {
            say(result.message);
            if (result.status !== "refused") markDone(result.learner);
            return run("readwrite", function (store) { return store.delete(result.id); });
          }));
        });
      }).then(function () {
        return items.length > batch.length ? (sending = null, send()) : showConnection();
      });
    }).catch(function () {
      return showConnection(true);
    });
    var finished = function () { sending = null; };
    sending.then(finished, finished);
    return sending;
  }

  function showConnection(failed) {
    return queued().then(function (items) {
      var parts = [];
      if (failed || !navigator.onLine) parts.push(text("offline"));
      if (items.length) parts.push(text("waiting") + " " + items.length);
      connection.textContent = parts.join(" ");
    }).catch(function () {});
  }

  function markDone(learner) {
    if (!learner) return;
    var row = document.querySelector(".checkin-name[data-learner='" + learner + "']");
    if (!row) return;
    var form = row.querySelector("form");
    if (form) {
      var state = document.createElement("span");
      state.className = "status-done checkin-state";
      state.textContent = text("done");
      form.replaceWith(state);
    }
  }

  var messages = null;
  function say(message) {
    if (!message) return;
    if (!messages) {
      messages = document.createElement("ul");
      messages.className = "messages";
      messages.setAttribute("role", "status");
      root.insertBefore(messages, root.firstChild);
    }
    var line = document.createElement("li");
    line.className = "message";
    line.textContent = message;
    messages.insertBefore(line, messages.firstChild);
    while (messages.children.length > 3) messages.removeChild(messages.lastChild);
  }

  if (window.indexedDB) {
    Array.prototype.forEach.call(document.querySelectorAll("form.checkin-record"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var data = new FormData(form);
        enqueue({ learner: data.get("learner"), code: data.get("code") }, form.querySelector("[name=code]") ? form : null);
      });
    });
    window.addEventListener("online", send);
    setInterval(send, 15000);
    send();
  }

  // --- scanning personal QR codes with the camera ------------------------
  var scanButton = document.getElementById("checkin-scan");
  var video = document.getElementById("checkin-video");
  if ("BarcodeDetector" in window && navigator.mediaDevices && scanButton) {
    scanButton.parentNode.hidden = false;
    var last = "";
    scanButton.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
        .then(function (stream) {
          video.srcObject = stream;
          video.hidden = false;
          scanButton.disabled = true;
          return video.play().then(function () {
            setInterval(function () {
              detector.detect(video).then(function (found) {
                found.forEach(function (symbol) {
                  if (symbol.rawValue && symbol.rawValue !== last) {
                    last = symbol.rawValue;
                    enqueue({ code: symbol.rawValue });
                  }
                });
              }).catch(function () {});
            }, 500);
          });
        })
        .catch(function () { say(text("camera")); });
    });
  }
})();
