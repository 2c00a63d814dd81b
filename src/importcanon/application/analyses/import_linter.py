"""import-linter's contracts, run by import-linter's own contract classes on the shared graph.

Each broken contract becomes one ``contract`` finding per import chain, located at the chain's
first import, with every hop's ``path:line`` and import kind, which import-linter's report lacks.
A contract that cannot be checked at all (bad options, a missing module, an unknown type) is a
``contract`` finding too: a CI gate must not turn green because a layer name was misspelt.
"""

from __future__ import annotations

import copy
import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import grimp
from importlinter.application.output import console
from importlinter.domain.contract import Contract, ContractCheck, InvalidContractOptions

from importcanon.application.plugins import PluginRefused, import_plugin_module, plugin_output_to_stderr
from importcanon.application.project import Project
from importcanon.domain.contracts import ImportLinterConfig
from importcanon.domain.cycles import imports_changed
from importcanon.domain.findings import Finding, Status
from importcanon.domain.modules import within_any

RULE = "contract"

#: import-linter's own contract types, by the name a contract's ``type`` gives: the module and
#: class of each, imported when it is used (the five take 5 ms of every run's start-up; a project
#: uses one or two of them, or none).
BUILT_IN_TYPES = {
    "layers": "importlinter.contracts.layers:LayersContract",
    "forbidden": "importlinter.contracts.forbidden:ForbiddenContract",
    "independence": "importlinter.contracts.independence:IndependenceContract",
    "protected": "importlinter.contracts.protected:ProtectedContract",
    "acyclic_siblings": "importlinter.contracts.acyclic_siblings:AcyclicSiblingsContract",
}


def built_in_type(name: str) -> type[Contract]:
    """The class of import-linter's contract type ``name``, imported now if it was not."""
    module, _, cls = BUILT_IN_TYPES[name].partition(":")
    contract_type: type[Contract] = getattr(importlib.import_module(module), cls)
    return contract_type


def _is_a(contract: Contract, name: str) -> bool:
    """Whether ``contract`` is of import-linter's type ``name``, or a plugin's subclass of it."""
    return isinstance(contract, built_in_type(name))


class Hop(NamedTuple):
    importer: str
    imported: str
    lines: tuple[int | None, ...]


@dataclass
class ContractOutcome:
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_import_linter_contracts(
    project: Project, config: ImportLinterConfig | None, graph: grimp.ImportGraph | None = None
) -> ContractOutcome:
    """Run every contract on ``graph`` (default: the project's graph; can-import passes a copy
    with one more import)."""
    outcome = ContractOutcome()
    if config is None:
        return outcome
    graph = graph if graph is not None else project.graph
    session = dict(config.session_options, root_packages=list(project.root_packages))
    types: dict[str, type[Contract] | None] = dict.fromkeys(BUILT_IN_TYPES)  # None: built in, not imported yet
    type_errors = _plugin_types(session.get("contract_types", ()), project, config.allow_project_plugins, types)
    for options, line in zip(config.contracts, config.contract_lines):
        name = contract_name(options)
        broken = _Broken(project, config.path, line, name)
        contract_type = str(options.get("type", ""))
        if contract_type in type_errors:
            outcome.findings.append(broken.unusable(type_errors[contract_type]))
            continue
        if contract_type not in types:
            known = ", ".join(sorted(types))
            outcome.findings.append(broken.unusable(f"unknown contract type '{contract_type}' (known: {known})"))
            continue
        try:
            contract_class = types[contract_type] or built_in_type(contract_type)
            contract = contract_class(name=name, session_options=session, contract_options=options)
        except InvalidContractOptions as error:
            problems = "; ".join(f"{key}: {message}" for key, message in sorted(error.errors.items()))
            outcome.findings.append(broken.unusable(f"invalid options: {problems}"))
            continue
        checked = copy.deepcopy(graph)  # the contract removes its ignore_imports from it
        try:
            with plugin_output_to_stderr():
                check = contract.check(checked, verbose=False)
        except Exception as error:  # import-linter signals unusable contracts with plain exceptions
            outcome.findings.append(broken.unusable(str(error) or type(error).__name__))
            continue
        except SystemExit as error:  # a plugin's check must not end the run, nor choose its exit code
            outcome.findings.append(broken.unusable(f"its check exited (SystemExit: {error.code})"))
            continue
        outcome.warnings.extend(f"contract '{name}': {warning}" for warning in check.warnings)
        if not check.kept:
            guidance = str(options.get("broken_contract_guidance") or "").strip()
            outcome.findings.extend(broken.violations(contract, check, guidance, checked))
    return outcome


def locate_new_chains(
    findings: Sequence[Finding], recorded: Mapping[str, str] | None, current: Mapping[str, str] | None
) -> list[Finding]:
    """A new finding for a pair's indirect chains is shown at the first import of its chain whose
    importer's imports changed since the baseline's digest was taken: every chain of a pair that
    a new import broke goes through that import, which is what the change has to answer for."""
    if recorded is None or current is None:
        return list(findings)
    located = []
    for finding in findings:
        if finding.rule == RULE and finding.status is Status.NEW and finding.identity[-1:] == ("indirect",):
            hop = next((h for h in finding.details["chain"] if imports_changed(h["importer"], recorded, current)), None)
            if hop is not None:
                finding = replace(finding, path=hop["path"], line=hop["line"], module=hop["importer"])
        located.append(finding)
    return located


def _plugin_types(
    entries: Any, project: Project, allow_project: bool, types: dict[str, type[Contract] | None]
) -> dict[str, str]:
    """Register ``contract_types`` plugins under the import policy of ``plugins``; one that is
    part of the checked code is refused even when project plugins are allowed."""
    errors: dict[str, str] = {}
    for entry in entries if isinstance(entries, (list, tuple)) else [entries]:
        name, _, dotted = str(entry).partition(":")
        name, dotted = name.strip(), dotted.strip()
        module_name, _, class_name = dotted.rpartition(".")
        if not module_name:
            errors[name] = f"'{dotted}' is not an import-linter Contract class (give module.ClassName)"
            continue
        if within_any(module_name, project.root_packages):
            errors[name] = (
                f"contract type '{dotted}' is part of the code being checked; importcanon never imports "
                "that code (install the plugin as a package of its own instead)"
            )
            continue
        try:
            module = import_plugin_module(module_name, project.root, allow_project=allow_project)
        except PluginRefused as refusal:
            errors[name] = f"contract type {refusal}"
            continue
        except SystemExit as error:  # a plugin must not end the run, nor choose its exit code
            errors[name] = f"contract type '{dotted}' exited while being imported (SystemExit: {error.code})"
            continue
        except Exception as error:  # a plugin's import can fail in any way
            errors[name] = f"contract type '{dotted}' cannot be imported: {type(error).__name__}: {error}"
            continue
        plugin = getattr(module, class_name, None)
        if isinstance(plugin, type) and issubclass(plugin, Contract):
            types[name] = plugin
        else:
            errors[name] = f"'{dotted}' is not an import-linter Contract class"
    return errors


class _Broken:
    """Builds the findings of one contract."""

    def __init__(self, project: Project, config_path: str, line: int | None, name: str) -> None:
        self.project = project
        self.config_path = config_path
        self.line = line
        self.name = name

    def unusable(self, reason: str) -> Finding:
        return Finding(
            rule=RULE,
            path=self.config_path,
            line=self.line,
            module=None,
            message=f"contract '{self.name}' cannot be checked: {reason}",
            suggestion=f"Fix the contract in {self.config_path} so that import-linter can check it.",
            identity=(self.name, "unusable"),
            details={"contract": self.name},
        )

    def violations(
        self, contract: Contract, check: ContractCheck, guidance: str, checked: grimp.ImportGraph
    ) -> Iterable[Finding]:
        """The findings of a broken contract, each identified by what it is about, never by a
        chain that grimp chose among equally short ones (``checked``: the graph it ran on)."""
        metadata = check.metadata
        if _is_a(contract, "layers") or _is_a(contract, "independence"):
            key = "invalid_dependencies" if _is_a(contract, "layers") else "invalid_chains"
            for dependency in metadata.get(key, []):
                importer = dependency.get("importer", dependency.get("downstream_module"))
                imported = dependency.get("imported", dependency.get("upstream_module"))
                routes = [
                    (_hops(route["chain"]), _hops(route["extra_firsts"]) + _hops(route["extra_lasts"]))
                    for route in dependency["routes" if "routes" in dependency else "chains"]
                ]
                yield from self._dependency(importer, imported, routes, guidance)
            for module in sorted(metadata.get("undeclared_modules", ())):
                yield self._undeclared(module)
        elif _is_a(contract, "forbidden"):
            for dependency in metadata["invalid_chains"]:
                routes = [(_hops(chain), []) for chain in dependency["chains"]]
                yield from self._dependency(
                    dependency["downstream_module"], dependency["upstream_module"], routes, guidance
                )
        elif _is_a(contract, "protected"):
            for broken in metadata["illegal_imports"]:
                for link in broken.illegal_links:
                    yield self._chain(
                        f"{link['importer']} is not allowed to import the protected module {broken.top_level_module}",
                        _hops([link]),
                        [],
                        guidance,
                    )
        elif _is_a(contract, "acyclic_siblings"):
            for package, breakers in sorted(metadata["cycle_breakers_by_package"].items()):
                yield from self._sibling_cycles(package, sorted(breakers), checked, guidance)
        else:
            yield self._rendered(contract, check, guidance)

    def _dependency(
        self, importer: str, imported: str, routes: Sequence[tuple[list[Hop], list[Hop]]], guidance: str
    ) -> Iterable[Finding]:
        """One finding per direct import that breaks the dependency (each is a fact of the code),
        and one for all its indirect chains together: which of several equally short chains grimp
        reports depends on a tie-break, so they share one identity, the pair of modules, and the
        chain shown first is the smallest by name."""
        summary = f"{importer} is not allowed to import {imported}"
        direct = sorted(
            {hop for chain, extras in routes if len(chain) == 1 for hop in (*chain, *extras)},
            key=lambda hop: (hop.importer, hop.imported),
        )
        for hop in direct:
            yield self._chain(summary, [hop], [], guidance)
        indirect = sorted(
            ((chain, extras) for chain, extras in routes if len(chain) > 1),
            key=lambda route: [(hop.importer, hop.imported) for hop in route[0]],
        )
        if indirect:
            (chain, extras), others = indirect[0], indirect[1:]
            finding = self._chain(
                f"{summary} through {len(indirect)} chains of imports" if others else summary,
                chain,
                extras,
                guidance,
                identity=(self.name, importer, imported, "indirect"),
            )
            if others:
                listed = [f"  (and: {self._arrow(other)})" for other, _ in others]
                details = dict(
                    finding.details, other_chains=[[o[0].importer, *(h.imported for h in o)] for o, _ in others]
                )
                finding = replace(finding, message="\n".join([finding.message, *listed]), details=details)
            yield finding

    def _arrow(self, chain: Sequence[Hop]) -> str:
        first = chain[0]
        line = next((line for line in first.lines if line is not None), None)
        where = f"{self.project.path_of(first.importer)}: l.{line}" if line is not None else first.importer
        return " -> ".join([first.importer, *(hop.imported for hop in chain)]) + f" ({where})"

    def _sibling_cycles(
        self, package: str, breakers: Sequence[tuple[str, str]], checked: grimp.ImportGraph, guidance: str
    ) -> Iterable[Finding]:
        """One finding per pair of children of ``package`` that lies on a cycle among them (child
        A imports child B, and B reaches A back): which pairs do is a fact of the code, where the
        imports import-linter nominates to break the cycle depend on a tie-break."""
        children = sorted(checked.find_children(package))
        owner = {child: child for child in children}
        for child in children:
            owner.update(dict.fromkeys(checked.find_descendants(child), child))
        imports: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for module in sorted(owner):
            for target in sorted(checked.find_modules_directly_imported_by(module)):
                if target in owner and owner[target] != owner[module]:
                    imports.setdefault((owner[module], owner[target]), []).append((module, target))
        nominated = {(owner.get(u), owner.get(v)) for u, v in breakers}
        for cycle_pairs in _cyclic_pairs(imports):
            if not cycle_pairs & nominated:
                continue  # children import-linter was told to skip
            component = f"{package}:{min(u for u, _ in cycle_pairs)}"
            for pair in sorted(cycle_pairs):
                yield self._sibling_pair(package, pair, imports[pair], breakers, guidance, component)

    def _sibling_pair(
        self,
        package: str,
        pair: tuple[str, str],
        links: Sequence[tuple[str, str]],
        breakers: Sequence[tuple[str, str]],
        guidance: str,
        component: str,
    ) -> Finding:
        hops = [Hop(u, v, _lines(self.project, u, v)) for u, v in links]
        first = hops[0]
        nominated = [f"{u} -> {v}" for u, v in breakers]
        message = "\n".join(
            [
                f"{pair[0]} imports {pair[1]}, and the children of {package} import each other in a cycle "
                f"through it (contract '{self.name}'):"
            ]
            + [f"  {self._describe(hop)}" for hop in hops]
        )
        suggestion = guidance or (
            f"Remove the imports of {pair[1]} from {pair[0]}, or move what they need to a module both may "
            f"import; import-linter would remove {'; '.join(nominated)} to make the children acyclic."
        )
        return Finding(
            rule=RULE,
            path=self.project.path_of(first.importer),
            line=next((line for line in first.lines if line is not None), None),
            module=first.importer,
            message=message,
            suggestion=suggestion,
            identity=(self.name, package, f"{pair[0]}>{pair[1]}"),
            details={
                "contract": self.name,
                "chain": [self._hop_details(hop) for hop in hops],
                "importer": pair[0],
                "imported": pair[1],
                "component": component,
                "importers": sorted({hop.importer for hop in hops}),
            },
        )

    def _chain(
        self,
        summary: str,
        hops: Sequence[Hop],
        extras: Sequence[Hop],
        guidance: str,
        identity: tuple[str, ...] | None = None,
    ) -> Finding:
        first = hops[0]
        sites = [self._describe(hop) for hop in hops]
        message = "\n".join(
            [f"{summary} (contract '{self.name}'):"]
            + [f"  {site}" for site in sites]
            + [f"  (also: {self._describe(extra)})" for extra in sorted(extras, key=lambda h: (h.importer, h.imported))]
        )
        if len(hops) == 1:
            advice = f"Remove the import of {first.imported} from {first.importer}"
        else:
            advice = "Break the chain at any of its imports"
        suggestion = guidance or (
            f"{advice}, or move the code both need to a module the contract allows; "
            f"if the import is intended, add it to the contract's ignore_imports."
        )
        return Finding(
            rule=RULE,
            path=self.project.path_of(first.importer),
            line=next((line for line in first.lines if line is not None), None),
            module=first.importer,
            message=message,
            suggestion=suggestion,
            identity=identity or (self.name, *(f"{hop.importer}>{hop.imported}" for hop in hops)),
            details={
                "contract": self.name,
                "chain": [self._hop_details(hop) for hop in hops],
            },
        )

    def _describe(self, hop: Hop) -> str:
        return self.project.describe_edge(hop.importer, hop.imported, hop.lines)

    def _hop_details(self, hop: Hop) -> dict[str, Any]:
        kinds = {site.line: site.kind.value for site in self.project.sites(hop.importer, hop.imported)}
        line = next((line for line in hop.lines if line is not None), None)
        return {
            "importer": hop.importer,
            "imported": hop.imported,
            "path": self.project.path_of(hop.importer),
            "line": line,
            "kind": kinds.get(line) if line is not None else None,
        }

    def _undeclared(self, module: str) -> Finding:
        return Finding(
            rule=RULE,
            path=self.project.path_of(module) or self.config_path,
            line=None if self.project.path_of(module) else self.line,
            module=module,
            message=f"{module} is not listed as a layer (contract '{self.name}' is exhaustive)",
            suggestion=f"Add {module.rpartition('.')[2]} to the contract's layers or exhaustive_ignores.",
            identity=(self.name, "undeclared", module),
            details={"contract": self.name},
        )

    def _rendered(self, contract: Contract, check: ContractCheck, guidance: str) -> Finding:
        """A plugin contract: its own rendering is the message, since its metadata is opaque."""
        with console.capture() as captured:
            contract.render_broken_contract(check)
        text = captured.get().strip() or "the contract is broken"
        return Finding(
            rule=RULE,
            path=self.config_path,
            line=self.line,
            module=None,
            message=f"contract '{self.name}' is broken:\n" + "\n".join(f"  {line}" for line in text.splitlines()),
            suggestion=guidance or "Fix the imports the contract reports.",
            identity=(self.name, "broken"),
            details={"contract": self.name},
        )


def contract_name(options: Mapping[str, object]) -> str:
    """The name findings, reports and the pytest plugin give a contract."""
    return str(options.get("name") or options.get("id") or "(unnamed)")


def _hops(links: Sequence[dict[str, Any]]) -> list[Hop]:
    return [Hop(link["importer"], link["imported"], tuple(link["line_numbers"])) for link in links]


def _lines(project: Project, importer: str, imported: str) -> tuple[int | None, ...]:
    return tuple(site.line for site in project.sites(importer, imported)) or (None,)


def _cyclic_pairs(imports: Mapping[tuple[str, str], object]) -> list[set[tuple[str, str]]]:
    """The pairs of a small graph (the children of one package) that lie on a cycle, by strongly
    connected component: a pair does when its target reaches its source back."""
    successors: dict[str, set[str]] = {}
    for u, v in imports:
        successors.setdefault(u, set()).add(v)

    def reach(start: str) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for nxt in successors.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reachable = {node: reach(node) for node in successors}
    groups: dict[frozenset[str], set[tuple[str, str]]] = {}
    for u, v in imports:
        if u in reachable.get(v, ()):
            component = frozenset(n for n in reachable[u] if u in reachable.get(n, ()))
            groups.setdefault(component, set()).add((u, v))
    return [groups[key] for key in sorted(groups, key=sorted)]
