// The certificate checker on the employer's phone. It registers the
// checker's service workers (they keep this page and our published keys),
// and on the offline check page it reads a QR code's signed facts
// (certificates/qr_facts.py: "#c=<facts>.<signature>") and checks the
// Ed25519 signature with WebCrypto against the keys, with no connection.
// When online it also asks whether the certificate was revoked.
(function () {
  "use strict";
  var script = document.currentScript;
  var FORMAT = "AL1";

  function register() {
    if (!("serviceWorker" in navigator) || !script) return Promise.resolve();
    var workers = JSON.parse(script.getAttribute("data-workers") || "[]");
    return Promise.all(workers.map(function (worker) {
      return navigator.serviceWorker.register(worker[0], { scope: worker[1] })
        .catch(function () { return null; });
    }));
  }

  var root = document.getElementById("offline-check");
  var ready = register();
  if (!root) return;

  var messages = document.getElementById("check-messages").dataset;
  var result = document.getElementById("check-result");
  var language = document.documentElement.lang || "en";

  function text(id, value) { document.getElementById(id).textContent = value; }

  function show(kind, title, detail) {
    result.hidden = false;
    result.className = "verdict verdict-" + kind;
    text("check-title", title);
    text("check-detail", detail || "");
    text("check-status", "");
    document.getElementById("check-facts").hidden = true;
  }

  function fromBase64url(value) {
    if (!/^[A-Za-z0-9_-]+$/.test(value)) throw new Error("not base64url");
    var padded = value.replace(/-/g, "+").replace(/_/g, "/");
    padded += "===".slice((padded.length + 3) % 4);
    var binary = atob(padded);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function formatDate(iso) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
    var parts = iso.split("-").map(Number);
    var day = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2]));
    try {
      return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(day);
    } catch (error) {
      return iso;
    }
  }

  function today() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + String(now.getDate()).padStart(2, "0");
  }

  // Split what was scanned or pasted into the code in its address (if any)
  // and the signed facts in its fragment.
  function parse(input) {
    var value = String(input || "").trim();
    var hash = value.indexOf("#");
    var fragment = hash >= 0 ? value.slice(hash + 1) : "";
    var address = hash >= 0 ? value.slice(0, hash) : value;
    var match = /\/verify\/([0-9A-Za-z-]{1,64})\/?$/.exec(address);
    return { code: match ? match[1] : "", fragment: fragment };
  }

  function keys() {
    return fetch(root.getAttribute("data-keys-url") || "/.well-known/certificate-keys.json")
      .then(function (response) {
        if (!response.ok) throw new Error("keys");
        return response.json();
      });
  }

  function verifyWith(jwks, kidPrefix, signature, data) {
    var candidates = (jwks.keys || []).filter(function (jwk) {
      return jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.kid === "string" &&
        kidPrefix && jwk.kid.indexOf(kidPrefix) === 0;
    });
    return candidates.reduce(function (found, jwk) {
      return found.then(function (ok) {
        if (ok) return true;
        return crypto.subtle.importKey("jwk", { kty: "OKP", crv: "Ed25519", x: jwk.x },
          { name: "Ed25519" }, false, ["verify"])
          .then(function (key) { return crypto.subtle.verify({ name: "Ed25519" }, key, signature, data); })
          .catch(function () { return false; });
      });
    }, Promise.resolve(false));
  }

  function askStatus(code) {
    if (!navigator.onLine) {
      text("check-status", messages.statusUnknown);
      return;
    }
    var url = root.getAttribute("data-status-url").replace("CODE", encodeURIComponent(code));
    fetch(url, { cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("status");
      return response.json();
    }).then(function (answer) {
      if (answer.status === "revoked") {
        result.className = "verdict verdict-revoked";
        text("check-title", messages.revokedTitle);
        text("check-status", messages.revoked);
      } else if (answer.replaced_by) {
        text("check-status", messages.replaced);
      } else {
        text("check-status", messages.notRevoked);
      }
    }).catch(function () { text("check-status", messages.statusUnknown); });
  }

  function check(input) {
    var parsed = parse(input);
    if (!parsed.fragment) {
      if (parsed.code) show("invalid", messages.noFacts);
      else show("invalid", messages.invalid, messages.unreadable);
      return Promise.resolve();
    }
    var facts, data, signature;
    try {
      if (parsed.fragment.indexOf("c=") !== 0 || parsed.fragment.length > 1200) throw new Error("format");
      var pieces = parsed.fragment.slice(2).split(".");
      if (pieces.length !== 2) throw new Error("format");
      data = fromBase64url(pieces[0]);
      signature = fromBase64url(pieces[1]);
      facts = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
      if (!Array.isArray(facts) || facts.length !== 8 || facts[0] !== FORMAT ||
          !facts.every(function (item) { return typeof item === "string"; })) {
        throw new Error("format");
      }
    } catch (error) {
      show("invalid", messages.invalid, messages.unreadable);
      return Promise.resolve();
    }
    return keys().then(function (jwks) {
      return verifyWith(jwks, facts[7], signature, data);
    }, function () {
      show("invalid", messages.noKeys);
      return null;
    }).then(function (valid) {
      if (valid === null) return;
      // The address and the signed facts must name the same certificate.
      if (!valid || (parsed.code && parsed.code !== facts[1])) {
        show("invalid", messages.invalid, messages.invalidDetail);
        return;
      }
      var expired = facts[5] && facts[5] < today();
      show(expired ? "expired" : "valid", messages.valid,
        expired ? messages.expiredDetail : messages.validDetail);
      text("fact-holder", facts[2]);
      text("fact-course", facts[3]);
      text("fact-hours", facts[6]);
      text("fact-issued", formatDate(facts[4]));
      text("fact-expires", facts[5] ? formatDate(facts[5]) : "");
      document.getElementById("fact-expires-label").hidden = !facts[5];
      document.getElementById("fact-expires").hidden = !facts[5];
      text("fact-code", facts[1]);
      document.getElementById("check-facts").hidden = false;
      askStatus(facts[1]);
    });
  }

  document.getElementById("paste-form").addEventListener("submit", function (event) {
    event.preventDefault();
    check(document.getElementById("qr-text").value);
  });

  // The camera, where the browser can read QR codes itself.
  if ("BarcodeDetector" in window && navigator.mediaDevices) {
    document.getElementById("scan-area").hidden = false;
    document.getElementById("scan-start").addEventListener("click", function () {
      var video = document.getElementById("scan-video");
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        return video.play().then(function () {
          function look() {
            detector.detect(video).then(function (codes) {
              if (codes.length) {
                stream.getTracks().forEach(function (track) { track.stop(); });
                video.hidden = true;
                document.getElementById("qr-text").value = codes[0].rawValue;
                check(codes[0].rawValue);
              } else {
                requestAnimationFrame(look);
              }
            }, function () { requestAnimationFrame(look); });
          }
          look();
        });
      }).catch(function () { video.hidden = true; });
    });
  }

  ready.then(function () {
    return navigator.serviceWorker ? navigator.serviceWorker.ready : null;
  }).then(function () {
    return keys();
  }).then(function () {
    document.getElementById("check-ready").hidden = false;
  }).catch(function () { return null; });

  // Opened from a QR code (the worker serves this page for its address).
  function fromAddress() {
    if (location.hash.indexOf("#c=") !== 0) return;
    document.getElementById("qr-text").value = location.href;
    check(location.href);
  }
  window.addEventListener("hashchange", fromAddress);
  fromAddress();
})();
