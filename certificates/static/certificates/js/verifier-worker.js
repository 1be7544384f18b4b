// The certificate checker's service worker (one per language, its scope that
// language's verify/ addresses). It keeps the check page, its script and
// stylesheets, and our published keys, so an address a QR code opens shows
// the check page when there is no connection. Nothing personal is kept:
// verification pages and status answers always come from the network.
"use strict";
var SETTINGS = self.VERIFIER_SETTINGS;
var CACHE = "verifier-" + SETTINGS.language + "-__VERSION__";

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SETTINGS.shell.concat([SETTINGS.page, SETTINGS.keys]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  var prefix = "verifier-" + SETTINGS.language + "-";
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf(prefix) === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function kept(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true, ignoreVary: true });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return kept(SETTINGS.page); }));
    return;
  }
  if (url.pathname === SETTINGS.keys) {
    // Fresh keys when online (a new key may sign tomorrow's certificates).
    event.respondWith(fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) { return cache.put(SETTINGS.keys, copy); });
      }
      return response;
    }).catch(function () { return kept(SETTINGS.keys); }));
    return;
  }
  if (/^\/static\//.test(url.pathname)) {
    // Static files (the script, stylesheets, the Urdu font) are kept once seen.
    event.respondWith(kept(request).then(function (copy) {
      return copy || fetch(request).then(function (response) {
        if (response.ok) {
          var clone = response.clone();
          caches.open(CACHE).then(function (cache) { return cache.put(request, clone); });
        }
        return response;
      });
    }));
  }
});
