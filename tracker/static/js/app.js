// Small conveniences on top of pages that work without JavaScript.
document.addEventListener("submit", function (event) {
  var button = event.submitter;
  var message = button && button.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Task form: a duty and deadline row for each cooperating unit as it is chosen (pages show them after saving too).
document.addEventListener("change", function (event) {
  var select = event.target;
  var parts = document.getElementById("parts");
  if (!parts || select.id !== "cooperating_unit_ids") {
    return;
  }
  var template = parts.getAttribute("data-row");
  Array.prototype.forEach.call(select.options, function (option) {
    var row = parts.querySelector('.part-row[data-unit="' + option.value + '"]');
    if (option.selected && !row) {
      var name = option.textContent.replace(/^[\s\u00a0·—-]+/, "");
      var div = document.createElement("div");
      div.className = "part-row";
      div.setAttribute("data-unit", option.value);
      div.innerHTML = template.split("__ID__").join(option.value);
      div.querySelectorAll("label").forEach(function (label) {
        label.textContent = label.textContent.split("__UNIT__").join(name);
      });
      parts.appendChild(div);
    } else if (row) {
      row.hidden = !option.selected;
    }
  });
});
