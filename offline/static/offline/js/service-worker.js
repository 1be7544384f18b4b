// The service worker. It caches only what the learner chose to save
// ("Save for offline") and a small shell: the offline page in each language
// and the site's stylesheets and offline scripts. Pages are never cached on
// the way past: signed-in pages are sent "no-store" because they are
// personal, so only an explicit save (which the learner can remove, and
// logging out clears) puts one on the phone.
"use strict";
var SETTINGS = self.OFFLINE_SETTINGS;
var SHELL = "shell-__VERSION__";
importScripts(SETTINGS.queueScript);

self.addEventListener("install", function (event) {
  var pages = Object.keys(SETTINGS.offlinePages).map(function (code) { return SETTINGS.offlinePages[code]; });
  event.waitUntil(caches.open(SHELL).then(function (cache) {
    return cache.addAll(SETTINGS.shell.concat(pages));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function saved(request) {
  return caches.match(request, { ignoreSearch: true, ignoreVary: true });
}

function offlinePage(url) {
  var prefix = url.pathname.split("/")[1];
  var page = SETTINGS.offlinePages[prefix] || SETTINGS.offlinePages.en;
  return caches.match(page, { ignoreVary: true });
}

// An image saved in its smallest rendition stands in for the larger ones the
// page's srcset may ask for.
function smallerImage(url) {
  var smallest = url.pathname.replace(/\.width-\d+\./, ".width-320.");
  return smallest === url.pathname ? Promise.resolve(undefined) : saved(smallest);
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (/^\/(admin|h5p|documents)\//.test(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () {
      return saved(request).then(function (page) { return page || offlinePage(url); });
    }));
    return;
  }
  if (/^\/(static|media)\//.test(url.pathname)) {
    event.respondWith(saved(request).then(function (copy) {
      return copy || fetch(request).catch(function (error) {
        return smallerImage(url).then(function (image) {
          if (image) return image;
          throw error;
        });
      });
    }));
  }
});

// Background Sync sends the queue when no page is open; an open learner page
// sends it itself (on "online"), and shows what came back.
self.addEventListener("sync", function (event) {
  if (event.tag !== "offline-queue") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (pages) {
    return pages.length ? null : self.OfflineQueue.send();
  }));
});
