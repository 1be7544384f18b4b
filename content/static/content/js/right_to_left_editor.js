// Page editor: when the page's locale is written right to left (Urdu, Sindhi,
// Pashto, Punjabi), text inputs, text areas and rich-text (Draftail) editors get
// dir="rtl", including the ones StreamField adds later. The rest of the admin
// keeps the direction of the admin's own language.
(function () {
  "use strict";
  var script = document.currentScript;
  var rtlLocales = JSON.parse(script.getAttribute("data-rtl-locales") || "[]");

  function activeLocale() {
    var config = document.getElementById("wagtail-config");
    if (!config) return "";
    try {
      return JSON.parse(config.textContent).ACTIVE_CONTENT_LOCALE || "";
    } catch (error) {
      return "";
    }
  }

  var SELECTOR = [
    "input[type=text]:not([name$=slug]):not([name=slug])",
    "textarea",
    ".Draftail-Editor",
  ].join(",");

  function mark(root) {
    if (root.nodeType !== 1) return;
    if (root.matches(SELECTOR)) root.setAttribute("dir", "rtl");
    root.querySelectorAll(SELECTOR).forEach(function (element) {
      element.setAttribute("dir", "rtl");
    });
  }

  function start() {
    if (rtlLocales.indexOf(activeLocale()) === -1) return;
    var form = document.querySelector("form[data-edit-form]") || document.body;
    mark(form);
    new MutationObserver(function (mutations) {
      mutations.forEach(function (mutation) {
        mutation.addedNodes.forEach(mark);
      });
    }).observe(form, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
