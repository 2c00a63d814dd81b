"""``importcanon report --html``: one self-contained page a team lead opens to follow the migration.

The summary, every finding (filterable by rule, status, contract and path), each contracted
symbol's fragmentation, each cycle component with its break set, every contract with its status,
and the trend chart from the baseline's history. Rendered on the server as plain HTML; the only
script is the table filter, so the page reads even with scripts off.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any

from importcanon.adapters.reporting.html_page import page
from importcanon.adapters.reporting.trend_report import render_svg
from importcanon.application.check import CheckResult
from importcanon.application.project import Project
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.cycles import CycleComponent
from importcanon.domain.findings import Finding


def render_report_html(
    *,
    title: str,
    project: Project,
    result: CheckResult,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    components: Sequence[CycleComponent],
    history: list[dict[str, Any]],
) -> str:
    sections = [
        _summary(result),
        _findings(result),
        _contracts(result.findings, import_linter, contracts),
        _symbols(result.metrics.get("fragmentation", {}).get("symbols", {})),
        _cycles(project, components),
        _trend(history),
    ]
    subtitle = f"{len(project.modules)} modules, {project.import_count} imports"
    return page(title, subtitle, "<main>" + "\n".join(sections) + "</main>", _SCRIPT)


def _summary(result: CheckResult) -> str:
    statuses = Counter(finding.status.value for finding in result.findings)
    cards = [
        ("new", statuses["new"], "new"),
        ("baselined", statuses["baselined"], "baselined"),
        ("fixed", result.fixed_count, "fixed"),
    ]
    body = "".join(
        f'<div class="card {css}" id="count-{label}"><b>{count}</b>{label}</div>' for label, count, css in cards
    )
    verdict = "fails: something is new" if statuses["new"] else "passes: nothing is new"
    return f'<h2>Summary</h2><div class="cards">{body}</div><p>The check {verdict}.</p>'


def _findings(result: CheckResult) -> str:
    rows = [_row(finding) for finding in result.findings]
    rows += [
        _tr("fixed", entry.rule, entry.contract or "", "", escape(entry.description), "", entry.fingerprint)
        for entry in result.fixed
    ]
    rules = sorted({finding.rule for finding in result.findings} | {entry.rule for entry in result.fixed})
    contract_names = sorted(
        {str(finding.details["contract"]) for finding in result.findings if "contract" in finding.details}
        | {entry.contract for entry in result.fixed if entry.contract}
    )
    filters = (
        '<div id="filters" class="cards" style="align-items:center">'
        + _select("rule", rules)
        + _select("status", ["new", "baselined", "fixed"])
        + _select("contract", contract_names)
        + '<label>path <input id="filter-path" placeholder="app/api/"></label>'
        + '<span id="shown" class="muted"></span></div>'
    )
    table = (
        '<table id="findings"><thead><tr><th>status</th><th>rule</th><th>where</th><th>what</th>'
        "<th>what to do</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )
    return f"<h2>Findings</h2>{filters}{table}"


def _select(name: str, values: list[str]) -> str:
    options = "".join(f'<option value="{escape(value)}">{escape(value)}</option>' for value in values)
    return f'<label>{name} <select id="filter-{name}"><option value="">all</option>{options}</select></label>'


def _row(finding: Finding) -> str:
    where = finding.path or ""
    if finding.line is not None:
        where += f":{finding.line}"
    message = escape(finding.message).replace("\n", "<br>")
    contract = str(finding.details.get("contract", ""))
    return _tr(
        finding.status.value, finding.rule, contract, where, message, escape(finding.suggestion), finding.fingerprint
    )


def _tr(status: str, rule: str, contract: str, where: str, message: str, suggestion: str, fingerprint: str) -> str:
    return (
        f'<tr data-status="{status}" data-rule="{escape(rule)}" data-contract="{escape(contract)}" '
        f'data-path="{escape(where)}" title="fingerprint {fingerprint}">'
        f'<td><span class="badge {status}">{status}</span></td><td><code>{escape(rule)}</code></td>'
        f'<td class="mono">{escape(where)}</td><td class="mono">{message}</td><td>{suggestion}</td></tr>'
    )


def _contracts(findings: Sequence[Finding], import_linter: ImportLinterConfig | None, contracts: ContractSet) -> str:
    rows = []
    by_contract = Counter(
        str(f.details["contract"]) for f in findings if f.rule == "contract" and "contract" in f.details
    )
    new_by_contract = Counter(
        str(f.details["contract"])
        for f in findings
        if f.rule == "contract" and "contract" in f.details and f.status.value == "new"
    )
    for contract in import_linter.contracts if import_linter else ():
        name = str(contract.get("name", ""))
        rows.append(
            _contract_row(
                "import-linter " + str(contract.get("type", "")), name, by_contract[name], new_by_contract[name]
            )
        )
    for canonical in contracts.canonical:
        hits = [f for f in findings if f.details.get("symbol") == canonical.symbol]
        rows.append(
            _contract_row("canonical", f"{canonical.symbol} lives in {canonical.module}", len(hits), _new(hits))
        )
    for legacy in contracts.legacy:
        hits = [f for f in findings if f.details.get("legacy") == legacy.package]
        rows.append(_contract_row("legacy", f"{legacy.package} -> {legacy.replacement}", len(hits), _new(hits)))
    for deprecated in contracts.deprecated:
        hits = [f for f in findings if f.details.get("deprecated") == deprecated.name]
        rows.append(_contract_row("deprecated", deprecated.name, len(hits), _new(hits)))
    if contracts.cycles is not None:
        hits = [f for f in findings if f.rule == "import-cycle"]
        packages = ", ".join(contracts.cycles.packages or ("every root package",))
        rows.append(_contract_row("cycles", f"no import cycles in {packages}", len(hits), _new(hits)))
    if not rows:
        return "<h2>Contracts</h2><p class=muted>No contracts.</p>"
    head = "<tr><th>kind</th><th>contract</th><th>status</th><th>findings</th><th>new</th></tr>"
    return f'<h2>Contracts</h2><table id="contracts"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _new(findings: Sequence[Finding]) -> int:
    return sum(1 for finding in findings if finding.status.value == "new")


def _contract_row(kind: str, name: str, found: int, new: int) -> str:
    status = "kept" if not found else "broken" if new else "baselined"
    return (
        f"<tr><td>{escape(kind)}</td><td>{escape(name)}</td>"
        f'<td><span class="badge {status}">{status}</span></td><td>{found}</td><td>{new}</td></tr>'
    )


def _symbols(symbols: dict[str, Any]) -> str:
    if not symbols:
        return ""
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code></td><td class=mono>{escape(str(info['canonical']))}</td>"
        f"<td>{len(info['binding_modules'])}<br><span class='muted mono'>"
        f"{'<br>'.join(escape(m) for m in info['binding_modules'])}</span></td>"
        f"<td>{info['implementations']}</td>"
        f"<td class=mono>{'<br>'.join(escape(m) for m in info['import_paths'])}</td></tr>"
        for name, info in sorted(symbols.items())
    )
    head = (
        "<tr><th>symbol</th><th>canonical home</th><th>bound in</th><th>implementations</th><th>imported from</th></tr>"
    )
    return f'<h2>Fragmentation</h2><table id="symbols"><thead>{head}</thead><tbody>{rows}</tbody></table>'


def _cycles(project: Project, components: Sequence[CycleComponent]) -> str:
    if not components:
        return "<h2>Import cycles</h2><p class=muted>No import cycle in the [cycles] contract's scope.</p>"
    items = []
    for component in components:
        breaks = "".join(f"<li class=mono>{escape(project.describe_edge(u, v))}</li>" for u, v in component.break_set)
        modules = ", ".join(escape(module) for module in component.modules)
        items.append(
            f"<li><b>{len(component.modules)} modules</b>, {len(component.edges)} imports; removing these "
            f"{len(component.break_set)} makes it acyclic:<ul>{breaks}</ul>"
            f"<details><summary>modules</summary><p class=mono>{modules}</p></details></li>"
        )
    return f'<h2>Import cycles</h2><ol id="cycles">{"".join(items)}</ol>'


def _trend(history: list[dict[str, Any]]) -> str:
    if not history:
        return "<h2>Trend</h2><p class=muted>No history yet: every baseline create and update records a snapshot.</p>"
    return f'<h2>Trend</h2><div id="trend">{render_svg(history)}</div>'


_SCRIPT = r"""
(function () {
  const rows = [...document.querySelectorAll("#findings tbody tr")];
  const get = id => document.getElementById(id);
  const shown = get("shown");
  function filter() {
    const rule = get("filter-rule").value, status = get("filter-status").value;
    const contract = get("filter-contract").value, path = get("filter-path").value.trim();
    let count = 0;
    for (const row of rows) {
      const visible = (!rule || row.dataset.rule === rule) && (!status || row.dataset.status === status)
        && (!contract || row.dataset.contract === contract) && (!path || row.dataset.path.includes(path));
      row.style.display = visible ? "" : "none";
      if (visible) count++;
    }
    shown.textContent = "showing " + count + " of " + rows.length;
  }
  for (const id of ["filter-rule", "filter-status", "filter-contract"]) get(id).addEventListener("change", filter);
  get("filter-path").addEventListener("input", filter);
  filter();
})();
"""
