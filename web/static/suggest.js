// Suggestions as you type, for the search box in every page's header: an ARIA combobox
// (arrow keys move, Enter opens, Escape closes). Without JavaScript the form still searches.
(function () {
  "use strict";
  var input = document.getElementById("q");
  var list = document.getElementById("suggestions");
  if (!input || !list) { return; }
  var items = [];
  var active = -1;
  var pending = null;
  var timer = null;
  var asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function mark(index) {
    var options = list.querySelectorAll("[role=option]");
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(found) {
    items = found;
    list.textContent = "";
    if (!found.length) { close(); return; }
    found.forEach(function (item, i) {
      var option = document.createElement("li");
      option.id = "suggestion-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.dataset.url = item.url;
      var name = document.createElement("span");
      name.textContent = item.name;
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = item.kind;
      var detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = item.matched !== item.name ? item.detail + " · “" + item.matched + "”"
        : item.detail;
      option.append(name, kind, detail);
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();  // keep the focus in the box until we go
        window.location.href = item.url;
      });
      list.appendChild(option);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function ask() {
    var text = input.value.trim();
    if (text === asked) { return; }
    asked = text;
    if (pending) { pending.abort(); }
    if (!text) { show([]); return; }
    pending = new AbortController();
    fetch("/api/search?limit=10&q=" + encodeURIComponent(text), { signal: pending.signal })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(show)
      .catch(function () { /* aborted by the next keystroke */ });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(ask, 60);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && items.length) {
      event.preventDefault();
      if (list.hidden) { show(items); }
      mark(Math.min(active + 1, items.length - 1));
    } else if (event.key === "ArrowUp" && items.length) {
      event.preventDefault();
      mark(Math.max(active - 1, 0));
    } else if (event.key === "Enter" && !list.hidden && active >= 0) {
      event.preventDefault();
      window.location.href = items[active].url;
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", function () { setTimeout(close, 100); });
})();
