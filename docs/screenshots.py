"""Regenerate the README's pictures of the sample project: ``python docs/screenshots.py``.

Runs the real CLI on examples/chat-backend and photographs both HTML pages in headless Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

DOCS = Path(__file__).resolve().parent
SAMPLE = DOCS.parent / "examples" / "chat-backend"


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        graph, report = work / "graph.html", work / "report.html"
        cli = [sys.executable, "-m", "importcanon"]
        cache = ["--cache-dir", str(work / "cache")]
        subprocess.run([*cli, "graph", str(SAMPLE), "-f", "html", "-o", str(graph), *cache], check=True)
        subprocess.run([*cli, "report", str(SAMPLE), "--html", str(report), *cache], check=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 760})
            page.goto(graph.as_uri())
            page.click('g.node[data-name="app.realtime_core"]')
            page.eval_on_selector(
                "path.edge.broken", "edge => edge.previousSibling.dispatchEvent(new MouseEvent('click'))"
            )
            page.screenshot(path=str(DOCS / "graph.png"))
            page.goto(report.as_uri())
            page.screenshot(path=str(DOCS / "report.png"), full_page=True)
            browser.close()


if __name__ == "__main__":
    main()
