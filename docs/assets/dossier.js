/* Open each annotation in place from its marker, by click, tap or keyboard.
   Without this script every note is shown after its paragraph, so no reader
   loses any content; with it, notes stay closed until asked for. On screens
   wide enough for Material's right sidebar, an open note sits in the right
   margin, level with its marker. The reader's filters (?show=...) dim the
   highlights and markers of the kinds turned off. */
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
    layout();
    if (focus) n.focus({ preventScroll: true });
    return true;
  }

  function close(id, refocus) {
    var n = note(id), m = marker(id);
    if (!n) return;
    n.hidden = true;
    layout();
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

  /* Margin notes. Positions are custom properties, read only by the wide-screen
     rule in dossier.css: printing and narrow screens ignore them. */
  var wide = window.matchMedia("screen and (min-width: 76.25em)");
  var GAP = 16, MIN_WIDTH = 200, MAX_WIDTH = 400;

  function layout() {
    var article = document.querySelector(".dz-article");
    if (!article) return;
    var open = Array.prototype.filter.call(
      document.querySelectorAll("[data-dz-note]"), function (n) { return !n.hidden; });
    var box = article.getBoundingClientRect();
    var room = document.documentElement.clientWidth - box.right - 2 * GAP;
    var margin = wide.matches && room >= MIN_WIDTH;
    document.querySelectorAll(".dz-note--margin").forEach(function (n) {
      if (!margin || n.hidden) n.classList.remove("dz-note--margin");
    });
    article.style.minHeight = "";
    if (!margin) return;
    var placed = open.map(function (n) {
      var m = marker(n.getAttribute("data-dz-note"));
      return { note: n, top: m ? m.getBoundingClientRect().top - box.top : 0 };
    }).sort(function (a, b) { return a.top - b.top; });
    var floor = -Infinity, bottom = 0;
    placed.forEach(function (p) {
      var n = p.note;
      n.classList.add("dz-note--margin");
      n.style.setProperty("--dz-left", (box.width + GAP) + "px");
      n.style.setProperty("--dz-width", Math.min(room, MAX_WIDTH) + "px");
      var top = Math.max(p.top - 8, floor);
      n.style.setProperty("--dz-top", top + "px");
      floor = top + n.offsetHeight + GAP / 2;
      bottom = Math.max(bottom, floor);
    });
    if (bottom > article.offsetHeight) article.style.minHeight = bottom + "px";
  }

  var pending = false;
  function relayout() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; layout(); });
  }
  window.addEventListener("resize", relayout);
  if (wide.addEventListener) wide.addEventListener("change", relayout);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);

  /* Filters. Each highlight and marker carries one key (data-dz-show); the
     query parameter "show" lists the keys shown ("claims" stands for every
     rating). No parameter: everything. The fragment stays for permalinks. */
  var filters = document.querySelector(".dz-filters");
  var RATINGS = ["accurate", "inaccurate", "imprecise", "needs-context", "unverified"];

  function allKeys() {
    return Array.prototype.map.call(
      document.querySelectorAll(".dz-filters input[name='show']"),
      function (i) { return i.value; });
  }

  function wanted() {
    var raw = new URLSearchParams(location.search).get("show");
    if (raw === null) return null;
    var keys = [];
    raw.split(",").forEach(function (k) {
      k = k.trim();
      if (k === "claims") keys = keys.concat(RATINGS);
      else if (k) keys.push(k);
    });
    return keys;
  }

  function apply(keys) {
    var all = allKeys();
    var on = keys === null ? all : keys;
    document.querySelectorAll("[data-dz-show]").forEach(function (el) {
      el.classList.toggle("dz-off", on.indexOf(el.getAttribute("data-dz-show")) < 0);
    });
    document.querySelectorAll(".dz-filters input[name='show']").forEach(function (i) {
      i.checked = on.indexOf(i.value) >= 0;
    });
    document.querySelectorAll("[data-dz-count]").forEach(function (el) {
      var ks = el.getAttribute("data-dz-count").split(" ");
      el.classList.toggle("dz-off", !ks.some(function (k) { return on.indexOf(k) >= 0; }));
    });
    var status = document.querySelector(".dz-filters__status");
    if (filters && keys !== null) filters.open = true;
    if (status) {
      var shown = 0, total = 0;
      document.querySelectorAll(".dz-article a.dz-marker[data-dz-show]").forEach(function (m) {
        total += 1;
        if (on.indexOf(m.getAttribute("data-dz-show")) >= 0) shown += 1;
      });
      status.textContent = keys === null ? ""
        : "Highlighting " + shown + " of " + total + " annotations.";
    }
  }

  function save(keys) {
    var params = new URLSearchParams(location.search);
    if (keys === null) params.delete("show");
    else params.set("show", keys.join(","));
    var query = params.toString().replace(/%2C/g, ",");
    var url = location.pathname + (query ? "?" + query : "") + location.hash;
    try { history.replaceState(history.state, "", url); } catch (e) { /* keep the state */ }
  }

  function choose(keys) {
    var all = allKeys();
    if (keys !== null && all.every(function (k) { return keys.indexOf(k) >= 0; })) keys = null;
    apply(keys);
    save(keys);
  }

  if (filters) {
    filters.hidden = false;
    filters.addEventListener("change", function () {
      choose(Array.prototype.filter.call(
        filters.querySelectorAll("input[name='show']"), function (i) { return i.checked; }
      ).map(function (i) { return i.value; }));
    });
    var reset = filters.querySelector(".dz-filters__all");
    if (reset) reset.addEventListener("click", function () { choose(null); });
    document.querySelectorAll("a[data-dz-filter]").forEach(function (a) {
      a.addEventListener("click", function (event) {
        event.preventDefault();
        var keys = a.getAttribute("data-dz-filter").split(",");
        choose(keys[0] === "claims" ? RATINGS.slice() : keys);
      });
    });
  }
  apply(wanted());

  /* Printing from the browser: the folded provenance is printed open. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.dz-provenance").forEach(function (d) { d.open = true; });
  });

  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
