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
// Limited fields show what is left; too-long text stays whole and is marked (the server refuses it with a
// message) rather than cut by the browser's maxlength. Line breaks count as the two characters sent.
(function () {
  function length(control) {
    return control.value.replace(/\r?\n/g, "\r\n").length;
  }
  function update(control, counter) {
    var limit = parseInt(control.getAttribute("data-maxlength"), 10);
    var left = limit - length(control);
    var over = left < 0;
    counter.textContent = (over ? control.getAttribute("data-over") : control.getAttribute("data-left"))
      .replace("%(count)s", String(Math.abs(left)));
    counter.className = over ? "counter error" : "counter hint";
    control.setAttribute("aria-invalid", over ? "true" : control.getAttribute("data-invalid") || "false");
  }
  document.addEventListener("DOMContentLoaded", function () {
    var controls = document.querySelectorAll("[data-maxlength]");
    Array.prototype.forEach.call(controls, function (control) {
      var counter = document.createElement("p");
      counter.id = control.id + "-counter";
      counter.setAttribute("aria-live", "polite");
      control.setAttribute("data-invalid", control.getAttribute("aria-invalid") || "false");
      control.insertAdjacentElement("afterend", counter);
      var described = control.getAttribute("aria-describedby");
      control.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      update(control, counter);
      control.addEventListener("input", function () { update(control, counter); });
    });
  });
  // The first invalid field of a page that came back with errors: in view and focused (after the load, as
  // the browser ignores `autofocus` and moves the focus itself when the address has a #fragment).
  window.addEventListener("load", function () {
    var invalid = document.querySelector("[aria-invalid='true'][autofocus]") || document.querySelector(
      "form [aria-invalid='true']");
    if (invalid) {
      invalid.scrollIntoView({block: "center"});
      invalid.focus({preventScroll: true});
    }
  });
})();
