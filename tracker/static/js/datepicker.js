// The app's own date picker: date boxes are text typed as dd/mm/yyyy whatever the browser's language
// (an <input type="date"> would show mm/dd/yyyy in an English browser); a button beside each opens a
// month calendar. Without JavaScript the box still takes dd/mm/yyyy, which the server reads.
(function () {
  var WORDS = {
    vi: {open: "Chọn ngày", prev: "Tháng trước", next: "Tháng sau", close: "Đóng", today: "Hôm nay",
         days: ["T2", "T3", "T4", "T5", "T6", "T7", "CN"], month: function (m, y) { return "Tháng " + (m + 1) + "/" + y; }},
    en: {open: "Choose a date", prev: "Previous month", next: "Next month", close: "Close", today: "Today",
         days: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
         month: function (m, y) {
           return ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December"][m] + " " + y;
         }}
  };
  var words = WORDS[(document.documentElement.lang || "vi").slice(0, 2)] || WORDS.vi;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function format(d) { return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear(); }
  function parse(text) {
    var m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text || "");
    if (!m) { m = /^\s*(\d{4})-(\d{2})-(\d{2})\s*$/.exec(text || ""); if (m) { m = [m[0], m[3], m[2], m[1]]; } }
    if (!m) { return null; }
    var d = new Date(+m[3], +m[2] - 1, +m[1]);
    return d.getMonth() === +m[2] - 1 ? d : null;
  }
  function button(text, label, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.textContent = text;
    if (label) { b.setAttribute("aria-label", label); }
    return b;
  }

  var open = null;  // {input, panel, opener}

  function close(focusOpener) {
    if (!open) { return; }
    var was = open;
    open = null;
    was.panel.remove();
    was.opener.setAttribute("aria-expanded", "false");
    if (focusOpener) { was.opener.focus(); }
  }

  function show(input, opener) {
    close(false);
    var chosen = parse(input.value);
    var shown = chosen || new Date();
    var panel = document.createElement("div");
    panel.className = "datepicker";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", words.open);
    open = {input: input, panel: panel, opener: opener};
    opener.setAttribute("aria-expanded", "true");

    function render(year, month, focusDay) {
      panel.innerHTML = "";
      var head = document.createElement("div");
      head.className = "datepicker-head";
      var prev = button("‹", words.prev, "link datepicker-prev");
      var next = button("›", words.next, "link datepicker-next");
      var title = document.createElement("span");
      title.className = "datepicker-title";
      title.setAttribute("aria-live", "polite");
      title.textContent = words.month(month, year);
      prev.addEventListener("click", function () { render(month === 0 ? year - 1 : year, (month + 11) % 12); });
      next.addEventListener("click", function () { render(month === 11 ? year + 1 : year, (month + 1) % 12); });
      head.appendChild(prev); head.appendChild(title); head.appendChild(next);
      panel.appendChild(head);
      var table = document.createElement("table");
      var row = document.createElement("tr");
      words.days.forEach(function (d) { var th = document.createElement("th"); th.textContent = d; row.appendChild(th); });
      var thead = document.createElement("thead"); thead.appendChild(row); table.appendChild(thead);
      var body = document.createElement("tbody");
      var first = new Date(year, month, 1);
      var offset = (first.getDay() + 6) % 7;  // Monday first
      var days = new Date(year, month + 1, 0).getDate();
      var today = new Date();
      var target = null;
      row = document.createElement("tr");
      for (var i = 0; i < offset; i++) { row.appendChild(document.createElement("td")); }
      for (var day = 1; day <= days; day++) {
        var date = new Date(year, month, day);
        var cell = document.createElement("td");
        var b = button(String(day), format(date), "datepicker-day");
        b.setAttribute("data-date", format(date));
        if (chosen && format(chosen) === format(date)) { b.classList.add("chosen"); b.setAttribute("aria-pressed", "true"); }
        if (format(today) === format(date)) { b.classList.add("today"); }
        b.addEventListener("click", function (event) {
          input.value = event.currentTarget.getAttribute("data-date");
          input.dispatchEvent(new Event("input", {bubbles: true}));
          input.dispatchEvent(new Event("change", {bubbles: true}));
          close(false);
          input.focus();
        });
        if (day === (focusDay || (chosen && chosen.getMonth() === month && chosen.getFullYear() === year
                                  ? chosen.getDate() : 1))) { target = b; }
        cell.appendChild(b);
        row.appendChild(cell);
        if ((offset + day) % 7 === 0 || day === days) { body.appendChild(row); row = document.createElement("tr"); }
      }
      table.appendChild(body);
      panel.appendChild(table);
      var foot = document.createElement("div");
      foot.className = "datepicker-foot";
      var todayButton = button(words.today, null, "link");
      todayButton.addEventListener("click", function () { render(today.getFullYear(), today.getMonth(), today.getDate()); });
      var closeButton = button(words.close, null, "link");
      closeButton.addEventListener("click", function () { close(true); });
      foot.appendChild(todayButton); foot.appendChild(closeButton);
      panel.appendChild(foot);
      if (target) { target.focus(); }
    }
    opener.insertAdjacentElement("afterend", panel);
    render(shown.getFullYear(), shown.getMonth());
  }

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = document.querySelectorAll("input[data-datepicker]");
    Array.prototype.forEach.call(inputs, function (input) {
      var opener = button("", words.open, "datepicker-open");
      opener.innerHTML = '<svg width="16" height="16" viewBox="0 0 24 24" aria-hidden="true" focusable="false">' +
        '<path fill="currentColor" d="M7 2h2v2h6V2h2v2h3a1 1 0 0 1 1 1v15a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 ' +
        '1-1h3V2zm12 8H5v9h14v-9zM7 12h3v3H7v-3z"/></svg>';
      opener.setAttribute("aria-haspopup", "dialog");
      opener.setAttribute("aria-expanded", "false");
      opener.addEventListener("click", function () {
        if (open && open.input === input) { close(true); } else { show(input, opener); }
      });
      var wrap = document.createElement("span");
      wrap.className = "datepicker-wrap";
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      wrap.appendChild(opener);
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && open) { close(true); }
  });
  document.addEventListener("click", function (event) {
    if (open && !open.panel.contains(event.target) && !open.opener.contains(event.target) && document.contains(event.target)) {
      close(false);
    }
  });
})();
