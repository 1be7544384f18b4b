// Page editor and wagtail-localize's translation editor: when the page's locale is
// written right to left (Urdu, Sindhi, Pashto, Punjabi), text inputs, text areas
// and rich-text (Draftail) editors get dir="rtl", including the ones StreamField
// or the translation editor add later. The rest of the admin keeps the direction
// of the admin's own language.
(function () {
  "use strict";
  var script = document.currentScript;
  var rtlLocales = JSON.parse(script.getAttribute("data-rtl-locales") || "[]");

  // wagtail-localize's side-by-side editor names its target locale in its props;
  // Wagtail's own editor names the page's locale in the admin config.
  function editorRoot() {
    return (
      document.querySelector(".js-translation-editor") ||
      document.querySelector("form[data-edit-form]")
    );
  }

  function activeLocale(root) {
    try {
      if (root.classList.contains("js-translation-editor")) {
        return JSON.parse(root.getAttribute("data-props")).locale.code || "";
      }
      var config = document.getElementById("wagtail-config");
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
    var form = editorRoot();
    if (!form || rtlLocales.indexOf(activeLocale(form)) === -1) return;
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
