"""Search as readers get it, timed in Chromium: over HTTP and from file://.

A reader opens the home page and starts typing at once.  "First results"
is the time from the first keystroke to the first results on screen, so
it includes whatever the page still has to load or build for search;
"later keystrokes" is, for each key after that, the time from the key to
its results on screen (the median and the slowest).  A key's results are
the first change to the results list after it; each key waits for the
previous one's results, as a reader who reads as they type does.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from tools import CHROMIUM_FLAGS, served  # shared with the browser tests

QUERY = "gerasimov"  # in an annotation; "insuperable" is in the article text
TIMEOUT_MS = 120_000

WATCH = """() => {
  window.__dzMarks = [];
  const list = document.querySelector('.md-search-result__list');
  new MutationObserver(records => {
    if (records.some(r => [...r.addedNodes].some(n => n.nodeType === 1
        && n.matches('.md-search-result__item'))))
      window.__dzMarks.push(performance.now());
  }).observe(list, {childList: true, subtree: true});
}"""


def chromium() -> str:
    path = os.environ.get("DOSSIER_CHROMIUM") or "/usr/bin/chromium"
    return shutil.which(path) or path


def _type(page: Any, query: str) -> list[float]:
    """Seconds from each key to its results on screen (the first from opening search)."""
    page.evaluate(WATCH)
    times: list[float] = []
    for i, char in enumerate(query):
        start = page.evaluate("() => { window.__dzMarks = []; return performance.now(); }")
        if i == 0:  # opening search may load (and build) the index: it counts
            page.focus(".md-search__input")
        page.keyboard.press(char)
        page.wait_for_function("() => window.__dzMarks.length > 0", timeout=TIMEOUT_MS)
        shown = page.evaluate("() => window.__dzMarks[0]")
        times.append((shown - start) / 1000)
        time.sleep(0.3)  # let the rest of this key's rendering settle, untimed
    return times


def search_times(site: Path, query: str = QUERY, runs: int = 1) -> dict[str, float]:
    """First results and later keystrokes, over HTTP and from file:// (medians of ``runs``)."""
    from playwright.sync_api import sync_playwright

    result: dict[str, float] = {}
    with sync_playwright() as p, served(site) as url:
        browser = p.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        try:
            for name, base in (("http", url), ("file", site.as_uri() + "/")):
                first: list[float] = []
                later: list[float] = []
                for _ in range(runs):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(base + "index.html", wait_until="load")
                    times = _type(page, query)
                    context.close()
                    first.append(times[0])
                    later += times[1:]
                result[f"search_{name}_first"] = statistics.median(first)
                result[f"search_{name}_later"] = statistics.median(later)
                result[f"search_{name}_later_max"] = max(later)
        finally:
            browser.close()
    return result


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(search_times(Path(sys.argv[1]).resolve(),
                                  *(sys.argv[2:3] or [QUERY])), indent=1))
