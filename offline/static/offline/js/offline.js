// Learning offline, on the learner's pages: registers the service worker,
// saves a course for offline, queues "mark complete" and quiz answers when
// there is no connection, and shows what waits to be sent and what was sent.
(function () {
  "use strict";
  var config = document.currentScript.dataset;
  var Q = window.OfflineQueue;
  if (!Q || !("serviceWorker" in navigator) || !window.caches || !window.indexedDB) return;
  var T = JSON.parse(config.strings);
  var main = document.getElementById("main");

  navigator.serviceWorker.register(config.worker, { scope: "/" });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key]; }).replace(/%%/g, "%");
  }
  function size(bytes) {
    var kb = bytes / 1024;
    return kb < 1024 ? format(T.kb, { n: Math.max(1, Math.round(kb)) })
                     : format(T.mb, { n: (kb / 1024).toFixed(1) });
  }

  // ---- The queue: what waits to be sent, what was sent, and its grade ----
  var panel = el("div", "offline-status card");
  panel.setAttribute("role", "status");
  panel.setAttribute("aria-live", "polite");
  panel.id = "offline-status";

  function describe(item) {
    var r = item.result || {};
    var what = item.label || "";
    if (item.state === "waiting") return format(T.waiting, { what: what });
    if (item.state === "refused") return format(T.refused, { what: what, message: r.message || "" });
    if (r.kind === "quiz_submit") {
      if (r.awaiting_marking) return format(T.sentMarking, { what: what });
      return format(r.passed ? T.sentPassed : T.sentFailed, { what: what, score: r.score });
    }
    return format(T.sent, { what: what });
  }

  function showQueue(note) {
    return Q.all("queue").then(function (items) {
      panel.textContent = "";
      if (!items.length && !note) { panel.remove(); return; }
      var list = el("ul", "offline-items");
      items.sort(function (a, b) { return a.queuedAt - b.queuedAt; }).forEach(function (item) {
        var row = el("li", "offline-item offline-" + item.state, describe(item));
        var link = item.result && item.result.result_url;
        if (link) {
          var a = el("a", "", T.seeResult);
          a.href = link;
          row.append(" ", a);
        }
        list.append(row);
      });
      panel.append(list);
      if (note) panel.append(el("p", "", note));
      var waiting = items.some(function (item) { return item.state === "waiting"; });
      var button = el("button", "button button-secondary", waiting ? T.sendNow : T.dismiss);
      button.type = "button";
      button.addEventListener("click", waiting ? sendNow : dismiss);
      panel.append(button);
      if (!panel.isConnected) main.prepend(panel);
    });
  }

  function dismiss() {
    Q.all("queue").then(function (items) {
      return Promise.all(items.filter(function (item) { return item.state !== "waiting"; })
        .map(function (item) { return Q.remove("queue", item.id); }));
    }).then(function () { showQueue(); });
  }

  function sendNow() {
    if (!navigator.onLine) return showQueue(T.stillOffline);
    return Q.send().then(function (outcome) {
      if (outcome.login) {
        showQueue(outcome.error).then(function () {
          var a = el("a", "button", T.logIn);
          a.href = outcome.login + "?next=" + encodeURIComponent(location.pathname);
          panel.append(a);
        });
        return;
      }
      // The page was made before the server had these: show its new state.
      return Q.all("queue").then(function (items) {
        if (items.some(function (i) { return waitingAtLoad[i.id] && i.state !== "waiting"; })) {
          location.reload();
        } else {
          showQueue();
        }
      });
    }, function () { showQueue(T.notSent); });
  }

  function queue(item) {
    item.user = Number(config.user);
    item.syncUrl = config.sync;
    return Q.add(item).then(function () {
      return navigator.serviceWorker.ready.then(function (registration) {
        return registration.sync && registration.sync.register("offline-queue");
      }).catch(function () {});
    });
  }

  window.addEventListener("online", sendNow);
  var waitingAtLoad = {};
  var here = location.pathname;
  var queueSent = Q.all("queue").then(function (items) {
    items.forEach(function (i) { if (i.state === "waiting") waitingAtLoad[i.id] = true; });
    if (items.some(function (i) { return i.state === "waiting"; }) && navigator.onLine) return sendNow();
    return showQueue();
  });

  // ---- Forms that work offline ----
  document.addEventListener("submit", function (event) {
    if (navigator.onLine) return;
    var form = event.target;
    var action = new URL(form.action, location.href).pathname;
    var lesson = action.match(/\/learning\/lessons\/(\d+)\/complete\/$/);
    var attempt = action.match(/\/learning\/attempts\/(\d+)\/submit\/$/);
    var paper = action.match(/\/learning\/offline\/papers\/(\d+)\/submit\/$/);
    var start = action.match(/^(.*\/learning\/quizzes\/\d+\/)start\/$/);
    var submitter = event.submitter;
    if (lesson) {
      event.preventDefault();
      var title = document.querySelector("article h1");
      queue({ kind: "lesson_complete", lesson: Number(lesson[1]), label: title ? title.textContent : "" })
        .then(function () {
          var next = document.querySelector("a[rel=next]");
          var course = document.querySelector("main p.muted a");
          location.href = next ? next.href : course ? course.href : location.href;
        });
    } else if (attempt || paper) {
      event.preventDefault();
      if (submitter && submitter.hasAttribute("formaction")) {
        showQueue(T.keptOnPage);
        return;
      }
      var answers = {};
      new FormData(form).forEach(function (value, name) {
        if (name === "csrfmiddlewaretoken" || typeof value !== "string") return;
        (answers[name] = answers[name] || []).push(value);
      });
      var heading = document.querySelector("main h1");
      var item = { kind: "quiz_submit", answers: answers, label: heading ? heading.textContent : "" };
      if (paper) item.paper = Number(paper[1]); else item.attempt = Number(attempt[1]);
      queue(item)
        .then(function () {
          form.replaceWith(el("p", "message message-info", T.quizQueued));
          showQueue();
        });
    } else if (start) {
      event.preventDefault();
      location.href = start[1];
    }
  });

  // ---- Saving a course for offline (the course page) ----
  var box = document.getElementById("offline-save");

  function markOutline(course) {
    var lessons = {};
    course.lessons.forEach(function (lesson) { lessons[lesson.url] = true; });
    document.querySelectorAll(".outline a").forEach(function (a) {
      if (lessons[a.pathname] && !a.parentNode.querySelector(".offline-saved")) {
        a.after(" ", el("span", "badge offline-saved", T.savedBadge));
      }
    });
  }

  function usage(line) {
    if (!navigator.storage || !navigator.storage.estimate) return;
    navigator.storage.estimate().then(function (estimate) {
      line.textContent = format(T.spaceUsed, { size: size(estimate.usage || 0) });
    });
  }

  function csrf() {
    return fetch(config.sync, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (body) { return body.csrf; });
  }

  function download(manifest, progress, status) {
    var cacheName = "course-" + manifest.course.url;
    var files = manifest.files.slice();
    var quizzes = manifest.quizzes.filter(function (quiz) { return quiz.offline; });
    var done = 0;
    progress.max = manifest.total_bytes || 1;
    return caches.open(cacheName).then(function (cache) {
      function store(url, as) {
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(url);
          return response.clone().arrayBuffer().then(function (body) {
            done += body.byteLength;
            progress.value = Math.min(done, progress.max);
            status.textContent = format(T.downloading, { done: size(done), total: size(progress.max) });
            return Promise.all((as || [url]).map(function (key) { return cache.put(key, response.clone()); }));
          });
        });
      }
      // One file at a time: a slow line gives each its whole width.
      var chain = Promise.resolve();
      files.forEach(function (file) { chain = chain.then(function () { return store(file.url); }); });
      // An untimed quiz's questions (never its answers) are kept to answer
      // offline: the attempt she started, or a paper that uses no attempt
      // until it is sent. That page stands in for the quiz page.
      if (quizzes.length) {
        chain = chain.then(csrf).then(function (token) {
          return quizzes.reduce(function (previous, quiz) {
            return previous.then(function () {
              return fetch(quiz.prepare_url, {
                method: "POST", credentials: "same-origin",
                headers: { Accept: "application/json", "X-CSRFToken": token }
              }).then(function (response) { return response.ok ? response.json() : null; })
                .then(function (body) {
                  if (body) return store(body.page_url, [body.page_url, quiz.url]);
                });
            });
          }, Promise.resolve());
        });
      }
      return chain;
    }).then(function () {
      var record = {
        url: manifest.course.url, title: manifest.course.title, language: manifest.course.language,
        lessons: manifest.lessons, quizzes: quizzes, bytes: done, savedAt: Date.now(),
        manifest: box.dataset.manifest, checkedAt: Date.now()
      };
      return Q.put("courses", record).then(function () { return record; });
    });
  }

  function showSaved(course) {
    box.textContent = "";
    box.append(el("h2", "", T.savedTitle), el("p", "", format(T.savedText, { size: size(course.bytes) })));
    var line = el("p", "muted");
    box.append(line);
    usage(line);
    var remove = el("button", "button button-secondary", T.remove);
    remove.type = "button";
    remove.addEventListener("click", function () {
      caches.delete("course-" + course.url)
        .then(function () { return Q.remove("courses", course.url); })
        .then(function () { location.reload(); });
    });
    box.append(remove);
    markOutline(course);
    if (!navigator.onLine) return;
    // After the queue is sent: one request at a time on a slow line.
    course.manifest = course.manifest || box.dataset.manifest;
    queueSent.then(function () { return changed(course); }).then(function (yes) {
      if (!yes) return;
      var note = el("p", "offline-update", T.updateAvailable);
      var update = el("button", "button", T.update);
      update.type = "button";
      update.addEventListener("click", function () {
        update.disabled = true;
        note.textContent = T.updating;
        refresh(course).then(function () { note.textContent = T.updated; update.remove(); },
          function () { note.textContent = T.updateFailed; update.disabled = false; });
      });
      box.append(note, update);
      if (unmetered()) update.click();
    }).catch(function () {});
  }

  // ---- Keeping saved courses up to date ----
  // A lesson changed on the server is refreshed without asking on Wi-Fi (or
  // wired), or, where the browser does not tell the connection's type, on a
  // 4G-fast one; never with "save data" on. Otherwise the learner's "Update".
  function unmetered() {
    var c = navigator.connection;
    if (!c || c.saveData) return false;
    if (c.type) return c.type === "wifi" || c.type === "ethernet";
    return c.effectiveType === "4g";
  }

  function changed(course) {
    return fetch(course.manifest + "?versions=1", { credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (latest) {
        var versions = {};
        course.lessons.forEach(function (lesson) { versions[lesson.id] = lesson.version; });
        course.checkedAt = Date.now();
        return Q.put("courses", course).then(function () {
          return latest.lessons.length !== course.lessons.length || latest.lessons.some(function (lesson) {
            return versions[lesson.id] !== lesson.version;
          });
        });
      });
  }

  // Fetch the changed lessons, the course page and any file not kept yet,
  // then drop lessons that are gone; the saved copy stays whole until then.
  function refresh(course) {
    var old = {};
    course.lessons.forEach(function (lesson) { old[lesson.url] = lesson.version; });
    return fetch(course.manifest, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (manifest) {
        return caches.open("course-" + course.url).then(function (cache) {
          var chain = Promise.resolve();
          manifest.files.forEach(function (file) {
            chain = chain.then(function () {
              return cache.match(file.url, { ignoreVary: true }).then(function (kept) {
                var stale = file.kind === "page" || (file.kind === "lesson" && old[file.url] !== file.version);
                if (kept && !stale) return;
                return fetch(file.url, { credentials: "same-origin" }).then(function (response) {
                  if (!response.ok) throw new Error(file.url);
                  return cache.put(file.url, response);
                });
              });
            });
          });
          return chain.then(function () {
            var now = {};
            manifest.lessons.forEach(function (lesson) { now[lesson.url] = true; });
            return Promise.all(Object.keys(old).filter(function (url) { return !now[url]; })
              .map(function (url) { return cache.delete(url); }));
          }).then(function () {
            course.lessons = manifest.lessons;
            course.bytes = Math.max(course.bytes, manifest.total_bytes);
            course.savedAt = course.checkedAt = Date.now();
            return Q.put("courses", course);
          });
        });
      });
  }

  // On any learner page, on Wi-Fi: the other saved courses, each at most hourly.
  if (navigator.onLine && unmetered()) {
    queueSent.then(function () { return Q.all("courses"); }).then(function (courses) {
      return courses.reduce(function (previous, course) {
        if (!course.manifest || course.url === here || Date.now() - (course.checkedAt || 0) < 36e5) return previous;
        return previous.then(function () { return changed(course); })
          .then(function (yes) { return yes && refresh(course); });
      }, Promise.resolve());
    }).catch(function () {});
  }

  function offer(manifest) {
    box.textContent = "";
    box.append(el("h2", "", T.saveTitle));
    box.append(el("p", "", format(T.downloadSize, { size: size(manifest.total_bytes), lessons: manifest.lessons.length })));
    manifest.quizzes.forEach(function (quiz) {
      if (quiz.timed) box.append(el("p", "muted", format(T.timedQuiz, { title: quiz.title })));
    });
    var start = el("button", "button", T.start);
    start.type = "button";
    box.append(start);
    start.addEventListener("click", function () {
      start.disabled = true;
      var progress = el("progress");
      var status = el("p", "muted");
      status.setAttribute("aria-live", "polite");
      box.append(progress, status);
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist();
      download(manifest, progress, status).then(showSaved, function () {
        status.textContent = T.failed;
        start.disabled = false;
      });
    });
  }

  if (box) {
    // Shown once its button works (a tap before that would do nothing).
    Q.get("courses", here).then(function (course) {
      box.hidden = false;
      if (course) { showSaved(course); return; }
      var ask = box.querySelector("button");
      ask.addEventListener("click", function () {
        ask.disabled = true;
        fetch(box.dataset.manifest, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (r) { return r.json(); })
          .then(offer, function () { ask.disabled = false; });
      });
    });
  } else if (document.querySelector(".outline")) {
    Q.get("courses", here).then(function (course) { if (course) markOutline(course); });
  }

  // ---- The offline page: what this phone has saved ----
  var list = document.getElementById("offline-saved");
  if (list) {
    Q.all("courses").then(function (courses) {
      if (!courses.length) { list.append(el("p", "", T.nothingSaved)); return; }
      courses.forEach(function (course) {
        var section = el("section", "card");
        var heading = el("h2");
        var link = el("a", "", course.title);
        link.href = course.url;
        heading.append(link);
        var lessons = el("ol", "outline");
        course.lessons.forEach(function (lesson) {
          var a = el("a", "", lesson.title);
          a.href = lesson.url;
          var li = el("li");
          li.append(a);
          lessons.append(li);
        });
        course.quizzes.forEach(function (quiz) {
          var a = el("a", "", quiz.title);
          a.href = quiz.url;
          var li = el("li");
          li.append(a);
          lessons.append(li);
        });
        section.append(heading, lessons);
        list.append(section);
      });
    });
  }
})();
