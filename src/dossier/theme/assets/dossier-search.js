/* The dossier's search, in place of Material's search worker (theme/main.html points
   Material's search box here). It answers Material's messages (SETUP -> READY,
   QUERY -> RESULT) from the index that searchindex.py prebuilt at build time, split
   by the first letter of each word: a query loads docs.js (titles and excerpts) and
   the one file per first letter of its words, never the whole text of the site.

   It runs as a web worker over HTTP, and from file:// inside the hidden iframe of
   the iframe-worker shim that Material uses there; the index files are scripts,
   loaded with importScripts in both, so nothing needs fetch. Everything a result
   shows is escaped here: Material puts a result's title and text in as HTML. */
"use strict";

var __dzSearch = (function () {
  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
  var WORD = /[\p{L}\p{N}_]+/gu;
  // searchindex.py's STOP_WORDS: not in the index, so dropped from queries too
  // (except the last word, which is still being typed).
  var STOP = new Set(("a able about across after all almost also am among an and any are as at " +
    "be because been but by can cannot could dear did do does either else ever every for from " +
    "get got had has have he her hers him his how however i if in into is it its just least " +
    "let like likely may me might most must my neither no nor not of off often on only or " +
    "other our own rather said say says she should since so some than that the their them " +
    "then there these they this tis to too twas us wants was we were what when where which " +
    "while who whom why will with would yet you your").split(" "));

  // Where the index is: beside the site's search/ folder. Inside the shim's iframe,
  // this script is the first one with an address.
  var script = typeof document !== "undefined" && document.querySelector("script[src]");
  var base = new URL("../search/dz/", script ? script.src : self.location.href).href;

  var docs = null;      // [location or "#anchor", title, excerpt, page's doc or -1]
  var letters = null;   // first letters that have a shard
  var shards = {};      // letter -> {terms: sorted words, postings: [[doc, score, ...], ...]}
  var texts = {};       // doc -> its whole text, for the pages loaded so far
  var SHOWN = 10;       // Material shows this many pages' results at once, the rest on scrolling

  async function load(names) {
    if (names.length)
      await importScripts.apply(self, names.map(function (n) { return base + n; }));
  }

  function shardName(letter) {
    return letter.codePointAt(0).toString(16) + ".js";
  }

  function words(query) {
    var found = query.toLowerCase().match(WORD) || [];
    return found.filter(function (w, i) {
      return (i === found.length - 1 || !STOP.has(w)) && found.indexOf(w) === i;
    }).slice(0, 20);
  }

  function firstAtLeast(terms, word) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid] < word) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  function escape(text) {
    return text.replace(/[&<>"']/g, function (c) {
      return "&#" + c.charCodeAt(0) + ";";
    });
  }

  function regexQuote(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  // The text, escaped, with the words that start with a query word marked.
  function marked(text, pattern) {
    var out = "", last = 0, m;
    pattern.lastIndex = 0;
    while ((m = pattern.exec(text)) !== null) {
      var start = m.index + m[1].length;
      out += escape(text.slice(last, start)) + "<mark>" + escape(m[2]) + "</mark>";
      last = start + m[2].length;
    }
    return out + escape(text.slice(last));
  }

  // The words around the first match, or the excerpt if the text is not loaded.
  function snippet(id, pattern) {
    var text = texts[id];
    if (text === undefined) return docs[id][2];
    pattern.lastIndex = 0;
    var m = pattern.exec(text);
    var at = m ? m.index + m[1].length : 0;
    var start = at < 60 ? 0 : text.lastIndexOf(" ", at - 50) + 1;
    var end = text.indexOf(" ", start + 200);
    if (end < 0) end = text.length;
    return (start > 0 ? "\u2026" : "") + text.slice(start, end) +
      (end < text.length ? "\u2026" : "");
  }

  function location(id) {
    var doc = docs[id];
    return doc[3] >= 0 ? docs[doc[3]][0] + doc[0] : doc[0];
  }

  async function search(query) {
    var terms = words(query);
    if (!terms.length) return { items: [] };
    if (docs === null) await load(["docs.js"]);
    var needed = [];
    terms.forEach(function (t) {
      var letter = String.fromCodePoint(t.codePointAt(0));
      if (letters.has(letter) && !shards[letter] && needed.indexOf(letter) < 0)
        needed.push(letter);
    });
    await load(needed.map(shardName));

    // Each doc's score, and which query words it holds (one bit each).
    var score = new Map(), found = new Map();
    terms.forEach(function (term, i) {
      var shard = shards[String.fromCodePoint(term.codePointAt(0))];
      if (!shard) return;
      for (var j = firstAtLeast(shard.terms, term);
           j < shard.terms.length && shard.terms[j].startsWith(term); j++) {
        var weight = shard.terms[j] === term ? 1 : 0.5, postings = shard.postings[j];
        for (var k = 0; k < postings.length; k += 2) {
          var id = postings[k];
          score.set(id, (score.get(id) || 0) + postings[k + 1] * weight);
          found.set(id, (found.get(id) || 0) | (1 << i));
        }
      }
    });

    // Material's ordering: a doc holding more of the query words ranks higher; the
    // results are grouped by page, each page with its matching sections.
    var groups = new Map();
    score.forEach(function (value, id) {
      var bits = found.get(id), held = 0;
      for (var b = 0; b < terms.length; b++) if (bits & (1 << b)) held++;
      var boost = (docs[id][3] < 0 ? 1 : 0) + held / terms.length;
      var page = docs[id][3] >= 0 ? docs[id][3] : id;
      if (!groups.has(page)) groups.set(page, []);
      groups.get(page).push({ id: id, score: value * (1 + boost * boost), bits: bits });
    });
    var pattern = new RegExp("(^|[^\\p{L}\\p{N}_])(" +
      terms.map(regexQuote).join("|") + ")", "giu");
    var items = [];
    groups.forEach(function (list, page) {
      list.sort(function (a, b) { return b.score - a.score; });
      if (!list.some(function (e) { return e.id === page; }))
        list.push({ id: page, score: 0, bits: 0 });
      items.push(list);
    });
    items.sort(function (a, b) { return b[0].score - a[0].score; });
    var pages = [];
    items.slice(0, SHOWN).forEach(function (list) {
      var page = docs[list[0].id][3] >= 0 ? docs[list[0].id][3] : list[0].id;
      if (texts[page] === undefined) pages.push("t/" + page + ".js");
    });
    await load(pages);
    return {
      items: items.map(function (list) {
        return list.map(function (e) {
          var doc = docs[e.id], held = {};
          terms.forEach(function (t, i) { held[t] = (e.bits & (1 << i)) !== 0; });
          return {
            location: location(e.id),
            title: marked(doc[1], pattern),
            text: doc[2] ? "<p>" + marked(snippet(e.id, pattern), pattern) + "</p>" : "",
            score: e.score,
            terms: e.bits ? held : {}
          };
        });
      })
    };
  }

  // Messages are answered one at a time, in order: a later key's results never
  // arrive before an earlier key's.
  var queue = Promise.resolve();
  addEventListener("message", function (ev) {
    var message = ev.data;
    queue = queue.then(async function () {
      if (message.type === SETUP) {
        postMessage({ type: READY });
        if (docs === null) await load(["docs.js"]);  // before the first query needs it
      } else if (message.type === QUERY) {
        var result;
        try {
          result = await search(String(message.data));
        } catch (err) {
          console.warn(err);
          result = { items: [] };
        }
        postMessage({ type: RESULT, data: result });
      }
    });
  });

  return {
    docs: function (table, keys) { docs = table; letters = new Set(keys); },
    text: function (pairs) {
      for (var i = 0; i < pairs.length; i += 2) texts[pairs[i]] = pairs[i + 1];
    },
    shard: function (letter, terms, postings) {
      shards[letter] = { terms: terms, postings: postings };
    }
  };
})();
