"""``importcanon graph`` and ``importcanon report``: DOT read back by a real DOT parser, mermaid
within mermaid's limits on a 3,000-module project, and both HTML pages driven in a real browser."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pydot
import pytest
from conftest import SAMPLE, run_cli, write_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

LAYERED = {
    "shop/__init__.py": "",
    "shop/web/__init__.py": "",
    "shop/web/views.py": "from shop.orders import service\n",
    "shop/orders/__init__.py": "",
    "shop/orders/service.py": "from shop.db import tables\nfrom shop.orders import pricing\n",
    "shop/orders/pricing.py": "from shop.orders import service\n",
    "shop/db/__init__.py": "",
    "shop/db/tables.py": "import shop.web.views\n",
    "shop/old/__init__.py": "from shop.orders.service import *\n",
    ".importlinter": """
        [importlinter]
        root_package = shop

        [importlinter:contract:layers]
        name = Layered
        type = layers
        layers =
            shop.web
            shop.orders
            shop.db
    """,
    "contracts/importcanon.toml": """
        [[legacy]]
        package = "shop.old"
        replacement = "shop.orders"
    """,
}


def test_dot_draws_layers_as_ranks_contract_breaks_in_red_and_legacy_dashed(tmp_path):
    acyclic = {
        "shop/web/views.py": "",
        "shop/db/tables.py": "",
        "shop/orders/service.py": "from shop.db import tables\nimport shop.web.views\n",
    }
    project = write_project(tmp_path / "p", {**LAYERED, **acyclic})
    run = run_cli("graph", project, "--format", "dot", "--cache-dir", tmp_path / "cache")

    assert run.exit_code == 0, run.stderr
    (graph,) = pydot.graph_from_dot_data(run.stdout)
    names = {node.get_name().strip('"') for node in graph.get_nodes()} - {"node", "edge"}
    assert {"shop.web", "shop.orders", "shop.db", "shop.old"} <= names
    edges = {(e.get_source().strip('"'), e.get_destination().strip('"')): e for e in graph.get_edges()}
    upward = edges[("shop.orders", "shop.web")]  # orders imports web: breaks the layers contract
    assert upward.get("color") == '"#d62728"'
    assert "breaks a contract" in upward.get("label")
    assert edges[("shop.orders", "shop.db")].get("color") is None
    assert not [sub for sub in graph.get_subgraphs() if sub.get_name().startswith("cluster")]  # no package cycle
    legacy = next(node for node in graph.get_nodes() if node.get_name().strip('"') == "shop.old")
    assert "dashed" in legacy.get("style")
    ranks = [
        {node.get_name().strip('"') for node in sub.get_nodes()}
        for sub in graph.get_subgraphs()
        if sub.get("rank") == "same"
    ]
    assert ranks == [{"shop.web"}, {"shop.orders"}, {"shop.db"}]  # each layer a rank, top first


def test_dot_outlines_package_level_cycles(tmp_path):
    project = write_project(tmp_path / "p", LAYERED)
    run = run_cli("graph", project, "--format", "dot", "--depth", "1", "--package", "shop", "--cache-dir", tmp_path)

    (graph,) = pydot.graph_from_dot_data(run.stdout)
    clusters = [sub for sub in graph.get_subgraphs() if sub.get_name().startswith("cluster_cycle")]
    (cluster,) = clusters  # web -> orders -> db -> web
    assert {node.get_name().strip('"') for node in cluster.get_nodes()} == {"shop.web", "shop.orders", "shop.db"}


def test_graph_of_a_package_that_does_not_exist_is_a_usage_error(tmp_path):
    project = write_project(tmp_path / "p", LAYERED)
    run = run_cli("graph", project, "--package", "shop.nowhere", "--cache-dir", tmp_path)

    assert run.exit_code == 2
    assert "shop.nowhere" in run.stderr


def generated_project(root: Path, packages: int = 30, subpackages: int = 10, modules: int = 10) -> Path:
    """A 3,000-module project with a deterministic spread of imports across packages."""
    chance = random.Random(7)
    names = [f"mono.p{p}.s{s}.m{m}" for p in range(packages) for s in range(subpackages) for m in range(modules)]
    files = {"mono/__init__.py": ""}
    for p in range(packages):
        files[f"mono/p{p}/__init__.py"] = ""
        for s in range(subpackages):
            files[f"mono/p{p}/s{s}/__init__.py"] = ""
    for index, name in enumerate(names):  # imports point "down" the list: layered, like real code
        targets = chance.sample(names[index + 1 :], min(3, len(names) - index - 1))
        files[name.replace(".", "/") + ".py"] = "".join(f"import {target}\n" for target in targets)
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".importlinter").write_text("[importlinter]\nroot_package = mono\n")
    return root


@pytest.fixture(scope="module")
def big_project(tmp_path_factory):
    """The project and one cache shared by its tests: only the first run scans it."""
    root = tmp_path_factory.mktemp("big")
    return generated_project(root / "mono"), root / "cache"


def test_mermaid_of_a_3000_module_project_stays_within_mermaids_limits(big_project):
    project, cache = big_project
    run = run_cli("graph", project, "--format", "mermaid", "--depth", "3", "--cache-dir", cache)

    assert run.exit_code == 0, run.stderr
    assert len(run.stdout) <= 50_000
    edges = [line for line in run.stdout.splitlines() if "-->" in line]
    assert 0 < len(edges) <= 500
    assert "mermaid renders at most 500 edges" in run.stderr  # it says that it collapsed


def test_default_depth_keeps_the_picture_readable(big_project):
    project, cache = big_project
    run = run_cli("graph", project, "--format", "dot", "--cache-dir", cache)

    (graph,) = pydot.graph_from_dot_data(run.stdout)
    nodes = [node for node in graph.get_nodes() if node.get_name() not in ("node", "edge")]
    assert 1 < len(nodes) <= 40


def test_html_pages_of_a_3000_module_project_stay_small(big_project, tmp_path):
    graph_page, report_page = tmp_path / "graph.html", tmp_path / "report.html"
    project, cache = big_project
    assert run_cli("graph", project, "-f", "html", "-o", graph_page, "--cache-dir", cache).exit_code == 0
    assert run_cli("report", project, "--html", report_page, "--cache-dir", cache).exit_code == 0

    assert graph_page.stat().st_size < 2_000_000
    assert report_page.stat().st_size < 2_000_000


# In a real browser -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have chromium (.ci/run installs it)")
        pytest.skip("no chromium on this machine")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def open_page(browser, path: Path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("request", lambda request: errors.append(request.url) if not request.url.startswith("file:") else None)
    page.goto(path.as_uri())
    return page, errors


def test_graph_page_expands_a_package_and_lists_an_edges_imports(browser, tmp_path):
    project = write_project(tmp_path / "p", LAYERED)
    out = tmp_path / "graph.html"
    assert run_cli("graph", project, "-f", "html", "--depth", "1", "-o", out, "--cache-dir", tmp_path).exit_code == 0

    page, errors = open_page(browser, out)
    names = page.eval_on_selector_all("g.node", "nodes => nodes.map(n => n.dataset.name)")
    assert sorted(names) == ["shop", "shop.db", "shop.old", "shop.orders", "shop.web"]

    page.click('g.node[data-name="shop.orders"]')
    names = page.eval_on_selector_all("g.node", "nodes => nodes.map(n => n.dataset.name)")
    assert {"shop.orders.service", "shop.orders.pricing"} <= set(names)
    assert "shop.orders" in names  # the package's own __init__ stays a node

    page.eval_on_selector(
        'path.edge[data-from="shop.db"][data-to="shop.web"]',
        "edge => edge.previousSibling.dispatchEvent(new MouseEvent('click', {bubbles: true}))",
    )
    assert page.inner_text("#imports").splitlines()[0] == "shop/db/tables.py:1"
    assert page.locator('path.edge.broken[data-from="shop.db"]').count() == 1
    assert errors == []


def test_report_page_filters_its_findings(browser, tmp_path):
    project = tmp_path / "chat-backend"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns(".importcanon_cache"))
    out = tmp_path / "report.html"
    run = run_cli("report", project, "--html", out, "--cache-dir", tmp_path)
    assert run.exit_code == 0, run.stderr

    findings = run_cli("check", project, "--format", "json", "--cache-dir", tmp_path).findings()
    assert findings and all(finding["status"] == "baselined" for finding in findings)

    page, errors = open_page(browser, out)
    assert page.locator("#findings tbody tr").count() == len(findings)
    assert page.inner_text("#count-baselined b") == str(len(findings))
    page.select_option("#filter-rule", "deprecated-usage")
    assert page.locator("#findings tbody tr:visible").count() == 3
    page.fill("#filter-path", "routes.py")
    assert page.locator("#findings tbody tr:visible").count() == 3
    page.select_option("#filter-rule", "")
    page.fill("#filter-path", "app/realtime/")
    in_legacy = [f for f in findings if f["path"].startswith("app/realtime/")]
    assert page.locator("#findings tbody tr:visible").count() == len(in_legacy) > 0
    page.select_option("#filter-status", "new")
    assert page.locator("#findings tbody tr:visible").count() == 0
    assert page.locator("#contracts tbody tr").count() == 6
    assert page.locator("#cycles > li").count() == 1
    assert page.locator("#trend svg").count() == 1
    assert errors == []
