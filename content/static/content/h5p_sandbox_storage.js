/* The player runs on an opaque origin, where reading localStorage or
 * sessionStorage throws. H5P core reads them (its clipboard, its learner id) and
 * would stop half way; an in-memory stand-in lets it run, keeping nothing after
 * the page closes. Loaded before the player. */
(function () {
  'use strict';

  function MemoryStorage() {
    var items = {};
    return {
      get length() {
        return Object.keys(items).length;
      },
      key: function (index) {
        var keys = Object.keys(items);
        return index < keys.length ? keys[index] : null;
      },
      getItem: function (key) {
        key = String(key);
        return Object.prototype.hasOwnProperty.call(items, key) ? items[key] : null;
      },
      setItem: function (key, value) {
        items[String(key)] = String(value);
      },
      removeItem: function (key) {
        delete items[String(key)];
      },
      clear: function () {
        items = {};
      }
    };
  }

  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      if (window[name]) {
        return;
      }
    } catch (error) {
      // Sandboxed: fall through and replace it.
    }
    Object.defineProperty(window, name, {
      value: new MemoryStorage(),
      configurable: true
    });
  });
})();
