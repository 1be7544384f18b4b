/* The H5P player document, inside a frame sandboxed on an opaque origin.
 *
 * It starts h5p-standalone and passes the activity's xAPI statements and its
 * height to the lesson page by postMessage, the only way out of the sandbox.
 * The page checks every message; this script is not trusted more than the
 * package code that runs beside it.
 */
(function () {
  'use strict';

  var config = JSON.parse(
    document.getElementById('h5p-player-config').textContent
  );

  function send(message) {
    window.parent.postMessage(message, config.parentOrigin);
  }

  var player = document.getElementById('h5p-player');
  var container = document.getElementById('h5p-container');
  var settled = false;
  var firstError = '';

  // A script error while the activity starts (a library that throws as it
  // loads) explains a start that then fails.
  function noteError(message) {
    if (!settled && !firstError) {
      firstError = String(message || '').slice(0, 400);
    }
  }
  window.addEventListener('error', function (event) {
    noteError(event.message);
  });
  window.addEventListener('unhandledrejection', function (event) {
    noteError(event.reason);
  });

  // Instead of an empty frame: the learner reads why, the lesson page is told.
  function failed(message) {
    settled = true;
    document.documentElement.setAttribute('data-h5p-error', message);
    container.hidden = true;
    document.getElementById('h5p-player-failure').hidden = false;
    send({type: 'alliance-h5p-failed', reason: 'script-error', message: message});
    reportHeight();
  }
  var lastHeight = 0;

  // The content's own height, not the frame's: the frame may then shrink too.
  function reportHeight() {
    var height = Math.ceil(player.getBoundingClientRect().height);
    if (height > 0 && height !== lastHeight) {
      lastHeight = height;
      send({type: 'alliance-h5p-resize', height: height});
    }
  }

  // Media from a website the trainer has not allowed for this activity: CSP
  // blocks it; the learner reads why, and the lesson page records it.
  var blockedOrigins = {};
  document.addEventListener('securitypolicyviolation', function (event) {
    var directive = event.effectiveDirective || event.violatedDirective || '';
    if (!/^(media-src|frame-src|img-src|script-src)/.test(directive)) {
      return;
    }
    var origin;
    try {
      origin = new URL(event.blockedURI).origin;
    } catch (error) {
      return;
    }
    if (origin === 'null' || origin === config.parentOrigin ||
        blockedOrigins[origin]) {
      return;
    }
    blockedOrigins[origin] = true;
    var notice = document.getElementById('h5p-player-blocked-media');
    notice.querySelector('[data-blocked-origin]').textContent =
      Object.keys(blockedOrigins).join(', ');
    notice.hidden = false;
    send({type: 'alliance-h5p-blocked-media', origin: origin});
    reportHeight();
  });

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\\/-]/g, '\\$&');
  }

  // From the opaque origin every file is cross-origin: an image drawn on a canvas
  // taints it unless it was fetched with CORS. H5P core (H5P.setSource,
  // H5P.getCrossOrigin) asks for CORS where these settings say so, as it does on
  // sites with a CDN; the server answers every package file with
  // Access-Control-Allow-Origin: *. h5p-standalone merges this object into
  // the H5PIntegration it builds.
  // Library files by their full version (H5P.Foo-1.2.3): cached long, and a
  // patch update has a new address. H5P core's H5P.getLibraryPath reads
  // libraryDirectories; h5p-standalone names folders itself, so its naming is
  // wrapped to the same map.
  var libraryDirectories = config.libraryDirectories || {};
  var folderName = H5PStandalone.H5P.prototype.libraryToFolderName;
  H5PStandalone.H5P.prototype.libraryToFolderName = function (library) {
    var folder = folderName.call(this, library);
    return Object.prototype.hasOwnProperty.call(libraryDirectories, folder) ?
      libraryDirectories[folder] : folder;
  };

  window.H5PIntegration = {
    libraryDirectories: libraryDirectories,
    crossorigin: 'anonymous',
    crossoriginRegex: new RegExp(
      '^(' + config.crossOriginPrefixes.map(escapeRegExp).join('|') + ')'
    )
  };

  new H5PStandalone.H5P(container, {
    h5pJsonPath: config.h5pJsonPath,
    librariesPath: config.librariesPath,
    frameJs: config.frameJs,
    frameCss: config.frameCss,
    embedType: 'div',
    xAPIObjectIRI: config.objectId,
    frame: false,
    copyright: false,
    export: false,
    embed: false,
    icon: false,
    fullScreen: false
  }).then(function () {
    settled = true;
    document.documentElement.setAttribute('data-h5p-ready', 'true');
    send({type: 'alliance-h5p-started'});
    H5P.externalDispatcher.on('xAPI', function (event) {
      var statement = event && event.data && event.data.statement;
      if (!statement) {
        return;
      }
      send({
        type: 'alliance-h5p-xapi',
        statement: JSON.parse(JSON.stringify(statement))
      });
    });
    reportHeight();
  }).catch(function (error) {
    failed(String(error && error.message || error || firstError).slice(0, 400));
  });

  if (window.ResizeObserver) {
    new ResizeObserver(reportHeight).observe(player);
  }
  window.addEventListener('load', reportHeight);
})();
