// What the learner did offline, kept on the phone (IndexedDB) until the server
// has it, and the courses saved for offline. Shared by the pages and the
// service worker (importScripts), so either can send the queue.
(function (scope) {
  "use strict";
  var opened = null;

  function database() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open("alliance-offline", 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore("queue", { keyPath: "id" });
          request.result.createObjectStore("courses", { keyPath: "url" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { opened = null; reject(request.error); };
      });
    }
    return opened;
  }

  function run(store, mode, action) {
    return database().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(store, mode);
        var request = action(transaction.objectStore(store));
        transaction.oncomplete = function () { resolve(request && request.result); };
        transaction.onerror = transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  function all(store) { return run(store, "readonly", function (s) { return s.getAll(); }); }
  function get(store, key) { return run(store, "readonly", function (s) { return s.get(key); }); }
  function put(store, value) { return run(store, "readwrite", function (s) { return s.put(value); }); }
  function remove(store, key) { return run(store, "readwrite", function (s) { return s.delete(key); }); }

  function newId() {
    if (scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var b = scope.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return [h.slice(0, 8), h.slice(8, 12), h.slice(12, 16), h.slice(16, 20), h.slice(20)].join("-");
  }

  // Queue one action; ``item`` holds its kind, learner and target.
  function add(item) {
    item.id = newId();
    item.state = "waiting";
    item.queuedAt = Date.now();
    return put("queue", item).then(function () { return item; });
  }

  // Send every waiting action to the server; each is applied once there.
  // Resolves to {sent: n} or {login: url} when the session has expired.
  // The pages and the worker (Background Sync) may all try at once: a lock
  // lets one send while the others wait and then find nothing left.
  var sending = null;
  function send() {
    if (sending) return sending;
    var locks = scope.navigator.locks;
    sending = locks ? locks.request("offline-queue", sendWaiting) : sendWaiting();
    sending.then(done, done);
    function done() { sending = null; }
    return sending;
  }

  function sendWaiting() {
    return all("queue").then(function (items) {
      var waiting = items.filter(function (item) { return item.state === "waiting"; });
      if (!waiting.length) return { sent: 0 };
      var url = waiting[0].syncUrl;
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().then(function (body) {
            if (response.status === 401) return { login: body.login_url, error: body.error };
            if (!response.ok) throw new Error(response.status);
            return post(url, body.csrf, waiting.slice(0, 20)).then(function (outcome) {
              return waiting.length > 20 ? sendWaiting() : outcome;
            });
          });
        });
    });
  }

  function post(url, csrf, items) {
    var body = items.map(function (item) {
      return { id: item.id, user: item.user, kind: item.kind, lesson: item.lesson,
               attempt: item.attempt, paper: item.paper, answers: item.answers };
    });
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ items: body })
    }).then(function (response) {
      return response.json().then(function (answer) {
        if (!response.ok) throw new Error(answer.error || response.status);
        var byId = {};
        items.forEach(function (item) { byId[item.id] = item; });
        return Promise.all(answer.results.map(function (result) {
          var item = byId[result.id];
          if (!item) return null;
          item.state = result.status === "refused" ? "refused" : "sent";
          item.result = result;
          return put("queue", item);
        })).then(function () { return { sent: answer.results.length }; });
      });
    });
  }

  scope.OfflineQueue = { all: all, get: get, put: put, remove: remove, add: add, send: send };
})(self);
