/* Open each annotation in place from its marker, by click, tap or keyboard.
   Without this script every note is shown after its paragraph, so no reader
   loses any content; with it, notes stay closed until asked for. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("dz-js");

  function note(id) {
    return document.querySelector('[data-dz-note="' + CSS.escape(id) + '"]');
  }
  function marker(id) {
    return document.getElementById("ref-" + id);
  }

  function open(id, focus) {
    var n = note(id), m = marker(id);
    if (!n) return false;
    n.hidden = false;
    if (m) m.setAttribute("aria-expanded", "true");
    if (focus) n.focus({ preventScroll: true });
    return true;
  }

  function close(id, refocus) {
    var n = note(id), m = marker(id);
    if (!n) return;
    n.hidden = true;
    if (m) {
      m.setAttribute("aria-expanded", "false");
      if (refocus) m.focus();
    }
  }

  function toggle(id) {
    var n = note(id);
    if (!n) return;
    if (n.hidden) {
      open(id, true);
    } else {
      close(id, true);
    }
  }

  function fromHash() {
    var id = decodeURIComponent(location.hash.replace(/^#/, ""));
    if (!id || !note(id)) return;
    open(id, false);
    var n = note(id);
    n.scrollIntoView({ block: "start" });
    n.focus({ preventScroll: true });
  }

  document.querySelectorAll("[data-dz-note]").forEach(function (n) {
    var id = n.getAttribute("data-dz-note");
    n.id = "note-" + id;
    n.hidden = true;
    n.tabIndex = -1;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "dz-note__close";
    button.textContent = "Close";
    button.setAttribute("aria-label", "Close this annotation");
    button.addEventListener("click", function () { close(id, true); });
    n.insertBefore(button, n.firstChild);
  });

  document.querySelectorAll("a.dz-marker").forEach(function (m) {
    var id = m.getAttribute("href").slice(1);
    m.setAttribute("role", "button");
    m.setAttribute("aria-expanded", "false");
    m.setAttribute("aria-controls", "note-" + id);
    m.addEventListener("click", function (event) {
      event.preventDefault();
      toggle(id);
    });
    m.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Spacebar") {
        event.preventDefault();
        toggle(id);
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var here = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("[data-dz-note]") : null;
    if (here && !here.hidden) {
      close(here.getAttribute("data-dz-note"), true);
      return;
    }
    var m = document.activeElement;
    if (m && m.classList && m.classList.contains("dz-marker")) {
      close(m.getAttribute("href").slice(1), true);
    }
  });

  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
