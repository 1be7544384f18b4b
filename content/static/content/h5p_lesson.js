/* Lesson pages with H5P activities: size each player frame and forward its
 * results to the server.
 *
 * A message is believed only so far: it must come from one of this page's
 * player frames (event.source), from an opaque origin (the sandbox), and have
 * the expected shape, verb and activity. The server checks everything again.
 */
(function () {
  'use strict';

  if (window.allianceH5PLesson) {
    return;
  }
  window.allianceH5PLesson = true;

  var ADL = 'http://adlnet.gov/expapi/verbs/';
  var MAX_BODY = 16000;

  function frameFor(source) {
    var frames = document.querySelectorAll('iframe[data-h5p-player]');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) {
        return frames[i];
      }
    }
    return null;
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function checkedStatement(frame, statement) {
    if (!isObject(statement) || !isObject(statement.verb) ||
        !isObject(statement.object)) {
      return null;
    }
    var verbId = statement.verb.id;
    var objectId = statement.object.id;
    if (typeof verbId !== 'string' || verbId.indexOf(ADL) !== 0 ||
        typeof objectId !== 'string') {
      return null;
    }
    var allowed = (frame.getAttribute('data-allowed-verbs') || '').split(' ');
    if (allowed.indexOf(verbId.slice(ADL.length)) < 0) {
      return null;
    }
    var activity = frame.getAttribute('data-object-id');
    if (objectId !== activity &&
        objectId.indexOf(activity + '?subContentId=') !== 0) {
      return null;
    }
    var result = isObject(statement.result) ? statement.result : {};
    // The actor is left out: the server knows who is signed in (and sets the
    // context's registration from the enrolment). The rest is kept as xAPI
    // keeps it, so a stored response can be read later.
    var checked = {verb: {id: verbId}, object: {id: objectId}, result: result};
    // H5P leaves id and timestamp out: named here, a retry is recorded once and
    // the time is when the learner acted, not when the server heard of it.
    if (typeof statement.id === 'string') {
      checked.id = statement.id;
    } else if (window.crypto && window.crypto.randomUUID) {
      checked.id = window.crypto.randomUUID();
    }
    checked.timestamp = typeof statement.timestamp === 'string' ?
      statement.timestamp : new Date().toISOString();
    if (isObject(statement.object.definition)) {
      checked.object.definition = statement.object.definition;
    }
    if (isObject(statement.context)) {
      checked.context = statement.context;
    }
    return checked;
  }

  function showStatus(frame, text) {
    var block = frame.closest('.h5p-activity');
    var status = block && block.querySelector('[data-h5p-status]');
    if (status && text) {
      status.textContent = text;
    }
  }

  function record(frame, statement) {
    var url = frame.getAttribute('data-record-url');
    if (!url) {
      return;
    }
    var body = JSON.stringify({statement: statement});
    if (body.length > MAX_BODY) {
      return;
    }
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'X-CSRFToken': frame.getAttribute('data-csrf')
      },
      body: body
    }).then(function (response) {
      return response.json();
    }).then(function (answer) {
      showStatus(frame, answer.message || answer.error);
      if (answer.lesson_requirements_met) {
        frame.closest('.h5p-activity').setAttribute('data-h5p-done', 'true');
      }
    }).catch(function () {});
  }

  // Instead of an empty frame: the block's own message, and the trainer is
  // told (recorded for them) when the learner is signed in.
  function showFailure(frame, reason, detail) {
    if (frame.getAttribute('data-h5p-failed')) {
      return;
    }
    frame.setAttribute('data-h5p-failed', reason);
    var block = frame.closest('.h5p-activity');
    var box = block && block.querySelector('[data-h5p-failure]');
    if (box) {
      frame.hidden = true;
      frame.style.display = 'none';
      box.hidden = false;
    }
    reportFailure(frame, reason, detail);
  }

  function reportFailure(frame, reason, detail) {
    var url = frame.getAttribute('data-failure-url');
    if (!url) {
      return;
    }
    fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        'Content-Type': 'application/json',
        'X-CSRFToken': frame.getAttribute('data-csrf')
      },
      body: JSON.stringify({reason: reason, message: String(detail || '').slice(0, 400)})
    }).catch(function () {});
  }

  // A frame whose scripts never run says nothing at all: once it has loaded,
  // it has this long to say it started.
  function watchStart(frame) {
    var seconds = Number(frame.getAttribute('data-start-timeout')) || 45;
    function arm() {
      if (frame.getAttribute('data-h5p-watched')) {
        return;
      }
      frame.setAttribute('data-h5p-watched', 'true');
      window.setTimeout(function () {
        if (!frame.getAttribute('data-h5p-started')) {
          showFailure(frame, 'timeout', '');
        }
      }, seconds * 1000);
    }
    frame.addEventListener('load', arm);
  }

  var frames = document.querySelectorAll('iframe[data-h5p-player]');
  for (var i = 0; i < frames.length; i++) {
    watchStart(frames[i]);
  }

  window.addEventListener('message', function (event) {
    var frame = frameFor(event.source);
    // A sandboxed frame without allow-same-origin always has the origin "null".
    if (!frame || event.origin !== 'null' || !isObject(event.data)) {
      return;
    }
    var data = event.data;
    if (data.type === 'alliance-h5p-resize') {
      var height = Number(data.height);
      if (isFinite(height)) {
        frame.style.height = Math.min(Math.max(height, 120), 4000) + 'px';
      }
    } else if (data.type === 'alliance-h5p-started') {
      frame.setAttribute('data-h5p-started', 'true');
    } else if (data.type === 'alliance-h5p-failed') {
      showFailure(frame, 'script-error', String(data.message || ''));
    } else if (data.type === 'alliance-h5p-blocked-media') {
      reportFailure(frame, 'remote-media', String(data.origin || ''));
    } else if (data.type === 'alliance-h5p-xapi') {
      var statement = checkedStatement(frame, data.statement);
      if (statement) {
        record(frame, statement);
      }
    }
  });
})();
