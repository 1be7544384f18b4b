// Registration, enhanced: the district list shows only the chosen province's districts.
(function () {
  var province = document.getElementById("id_province");
  var district = document.getElementById("id_district");
  if (!province || !district) return;
  var groups = Array.prototype.slice.call(district.querySelectorAll("optgroup"));
  var names = {};
  Array.prototype.forEach.call(province.options, function (o) { names[o.value] = o.text; });
  function filter() {
    var label = names[province.value];
    groups.forEach(function (g) {
      var show = !label || g.label === label;
      g.hidden = !show; g.disabled = !show;
    });
    var chosen = district.selectedOptions[0];
    if (chosen && chosen.parentNode.disabled) district.value = "";
  }
  province.addEventListener("change", filter);
  filter();
})();
