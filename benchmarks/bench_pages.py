"""How big the HTML pages get and how fast a browser shows them, on the generated monorepo.

    python benchmarks/bench_pages.py [--modules 3000] [--runs 3]

Generates the project (benchmarks/.work/pages-N, git-ignored), writes `graph --format html` and
`report --html`, then opens each page in headless Chromium (the system's) and reports its size
and the time from navigation until its content exists, and to the load event, medians.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent

#: Milliseconds since navigation began, read once the page's main content exists: an upper bound
#: on the time to first render. The load event's end, for comparison.
RENDERED = "() => [performance.now(), performance.getEntriesByType('navigation')[0].loadEventEnd]"
CONTENT = {"graph": "g.node", "report": "#findings tbody tr"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    project = HERE / ".work" / f"pages-{options.modules}"
    if not project.exists():
        subprocess.run(
            [sys.executable, str(HERE / "generate_monorepo.py"), str(project), "--modules", str(options.modules)],
            check=True,
        )
    pages = {"graph": project / "graph.html", "report": project / "report.html"}
    cli = [sys.executable, "-m", "importcanon"]
    subprocess.run([*cli, "graph", str(project), "-f", "html", "-o", str(pages["graph"])], check=True)
    subprocess.run([*cli, "report", str(project), "--html", str(pages["report"])], check=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        for name, path in pages.items():
            paints, loads = [], []
            for _ in range(options.runs):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.goto(path.as_uri(), wait_until="commit")
                page.wait_for_selector(CONTENT[name], state="attached")
                paint, load = page.evaluate(RENDERED)
                paints.append(paint)
                loads.append(load)
                page.close()
            print(
                f"{name}: {path.stat().st_size / 1e6:.2f} MB, rendered after {statistics.median(paints):.0f} ms, "
                f"load {statistics.median(loads):.0f} ms (median of {options.runs})"
            )
        browser.close()


if __name__ == "__main__":
    main()
