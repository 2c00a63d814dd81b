"""The target as one import graph, plus the facts behind every edge. Built once per run."""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import grimp

from importcanon.application.ports import FactSource
from importcanon.domain.facts import ImportKind, ImportSite, SourceModule, SyntaxProblem

if TYPE_CHECKING:
    import networkx as nx

#: (imported module, line, statement text, kind when known without a full parse)
RawImport = tuple[str, int, str, ImportKind | None]


class Project:
    """Everything an analysis may ask of the target; the one grimp graph lives here."""

    def __init__(
        self,
        *,
        root: Path,
        root_packages: Sequence[str],
        modules: Mapping[str, SourceModule],
        namespace_packages: Iterable[str],
        imports: Mapping[str, Sequence[RawImport]],
        problems: Sequence[SyntaxProblem],
        facts: FactSource,
        warnings: Sequence[str] = (),
    ) -> None:
        self.root = root
        self.root_packages = tuple(root_packages)
        self.modules = modules
        self.problems = tuple(problems)
        self.facts = facts
        # By importer name, whatever order the loader met them in (a warm run meets the files the
        # cache knows before those it scans again): grimp's choice among equally short chains
        # follows the order its graph is built in, and a contract's chain must not vary with the
        # cache's history. Already in that order from a cold scan, so sorting costs a pass.
        self._imports = dict(sorted(imports.items()))
        self._signatures: dict[tuple[str, ...], hashlib.blake2b] = {}  # import_signature's digests before `extra`
        self._import_counts: dict[str, dict[str, int]] = {}
        self._kinds_between: dict[tuple[str, ...], list[list[object]]] = {}
        # The cycle analyses ask these of every import inside a tangle, several times over.
        self._runs_at_import: dict[tuple[str, str], bool] = {}
        self._typing_only: dict[tuple[str, str], bool] = {}
        self._sites: dict[tuple[str, str], tuple[ImportSite, ...]] = {}
        self._records_by_importer: dict[str, dict[str, list[tuple[int, str, ImportKind | None]]]] = {}
        self._descriptions: dict[tuple[str, str], str] = {}
        self.namespace_packages = frozenset(namespace_packages)
        #: What the scan left out and why (shadowed files, unusable names): every command shows these.
        self.warnings = tuple(warnings)

    def scan_warnings(self) -> list[str]:
        """What this run could not see: files left out by the scan, then the files whose facts
        are missing because neither Python's parser nor libcst's (which reads newer syntax)
        could read them (known once the analyses have asked)."""
        version = ".".join(map(str, sys.version_info[:2]))
        return [*self.warnings] + [
            f"{self.path_of(module)}:{line or '?'}: grimp scanned this file's imports, but neither Python "
            f"{version} nor libcst can parse it ({message}); where, shims, deprecated usages and import kinds "
            "skip it"
            for module, (line, message) in sorted(self.facts.parse_failures().items())
        ]

    @cached_property
    def graph(self) -> grimp.ImportGraph:
        """The grimp graph every import-linter contract and query runs on, built in one defined
        order (modules by name, then each importer's imports by line), so that grimp's choice among
        equally short chains depends on the graph alone."""
        graph = grimp.ImportGraph()
        for module in sorted(self.modules):
            graph.add_module(module)
        for module in sorted(self.namespace_packages):  # a frozenset: its order varies with the hash seed
            graph.add_module(module)
        known = set(self.modules).union(self.namespace_packages)
        for importer, raw_imports in self._imports.items():
            for imported, line, statement, _ in raw_imports:
                if imported not in known:
                    known.add(imported)
                    graph.add_module(imported, is_squashed=True)  # an external package
                graph.add_import(importer=importer, imported=imported, line_number=line, line_contents=statement)
        return graph

    @cached_property
    def digraph(self) -> nx.DiGraph:
        """Module-to-module edges for networkx algorithms (external packages, when the graph has
        them, are nodes without imports of their own)."""
        import networkx as nx  # only the analyses that need it pay for networkx's slow import

        digraph: nx.DiGraph = nx.DiGraph()
        digraph.add_nodes_from(sorted(self.modules))
        digraph.add_edges_from(self.import_edges)
        return digraph

    @cached_property
    def import_edges(self) -> list[tuple[str, str]]:
        """Every (importer, imported) pair the scan found, sorted (external packages included)."""
        return sorted(self._sites_by_edge)  # its keys: the analyses that want edges want their sites too

    @cached_property
    def _sites_by_edge(self) -> dict[tuple[str, str], list[tuple[int, str, ImportKind | None]]]:
        by_edge: dict[tuple[str, str], list[tuple[int, str, ImportKind | None]]] = {}
        for importer, imported, record in self._edge_records():
            by_edge.setdefault((importer, imported), []).append(record)
        return by_edge

    def _edge_records(self) -> Iterator[tuple[str, str, tuple[int, str, ImportKind | None]]]:
        for importer, raw_imports in self._imports.items():
            for imported, line, statement, kind in raw_imports:
                yield importer, imported, (line, statement, kind)

    def import_lines(self) -> dict[tuple[str, str], list[int]]:
        """Every import between modules of the project, with the lines of its statements: what a
        picture of the graph shows, read without a parse."""
        return {
            edge: sorted(line for line, _, _ in records)
            for edge, records in self._sites_by_edge.items()
            if edge[1] in self.modules and edge[0] != edge[1]
        }

    def star_importers(self, imported: str) -> frozenset[str]:
        """The modules with an import statement of ``imported`` whose text (grimp's
        ``line_contents``) holds a ``*``, as ``from imported import *`` does."""
        return self._star_importers.get(imported, frozenset())

    @cached_property
    def _star_importers(self) -> dict[str, frozenset[str]]:
        """Found in one pass over the scan's imports: asking grimp for each edge's details costs
        a call per importer of every module asked about (8,000 on homeassistant)."""
        found: dict[str, set[str]] = {}
        for importer, raw_imports in self._imports.items():
            for imported, _, statement, _ in raw_imports:
                if "*" in statement:
                    found.setdefault(imported, set()).add(importer)
        return {imported: frozenset(importers) for imported, importers in found.items()}

    def importers_of(self, modules: Iterable[str]) -> dict[str, set[str]]:
        """For each of ``modules``, the modules with an import of it (the scan's records, read in
        one pass: no grimp graph is needed, so a forked copy of the run that has built none can
        ask too)."""
        wanted: dict[str, set[str]] = {module: set() for module in modules}
        for importer, raw_imports in self._imports.items():
            for record in raw_imports:
                found = wanted.get(record[0])
                if found is not None:
                    found.add(importer)
        return wanted

    @property
    def import_count(self) -> int:
        return sum(len(raw) for raw in self._imports.values())

    def path_of(self, module: str) -> str | None:
        source = self.modules.get(module)
        return source.path if source else None

    def runs_at_import(self, importer: str, imported: str) -> bool:
        """Whether any statement behind the edge runs at module level, guarded or not. A line the
        scan already proved module-level settles it without parsing the importer."""
        edge = (importer, imported)
        known = self._runs_at_import.get(edge)
        if known is None:
            raw = self._records(importer, imported)
            known = any(kind is ImportKind.MODULE for _, _, kind in raw) or any(
                site.kind.runs_at_import for site in self.sites(importer, imported)
            )
            self._runs_at_import[edge] = known
        return known

    def typing_only(self, importer: str, imported: str) -> bool:
        """Whether every statement behind the edge sits under ``if TYPE_CHECKING:``."""
        edge = (importer, imported)
        known = self._typing_only.get(edge)
        if known is None:
            raw = self._records(importer, imported)
            known = not any(kind is ImportKind.MODULE for _, _, kind in raw) and all(
                site.kind is ImportKind.TYPE_CHECKING for site in self.sites(importer, imported)
            )
            self._typing_only[edge] = known
        return known

    def import_counts(self, importer: str) -> Mapping[str, int]:
        """How many statements of ``importer`` import each module (from the scan: no parse)."""
        counts = self._import_counts.get(importer)
        if counts is None:
            counts = self._import_counts[importer] = {}
            for record in self._imports.get(importer, ()):  # a loop: most modules hold a few imports
                counts[record[0]] = counts.get(record[0], 0) + 1
        return counts

    def import_kinds_between(self, modules: Sequence[str]) -> list[list[object]]:
        """Each import between ``modules``, by importer then imported: ``[importer, imported,
        runs_at_import, typing_only]``. The cycle analyses ask twice over the same modules: the
        latest answer is kept."""
        listed = tuple(modules)
        known = self._kinds_between.get(listed)
        if known is None:
            inside = set(listed)
            known = [
                [importer, imported, self.runs_at_import(importer, imported), self.typing_only(importer, imported)]
                for importer in listed
                for imported in sorted(self.import_counts(importer))
                if imported in inside
            ]
            self._kinds_between = {listed: known}
        return known

    def import_signature(self, modules: Sequence[str], extra: Iterable[object] = ()) -> str:
        """A digest of the imports these modules make, as scanned (what, at which line, how
        written), and of ``extra``: equal signatures mean the same import graph over them,
        whatever else changed in their files (a comment, a function body)."""
        listed = tuple(modules)
        hasher = self._signatures.get(listed)
        if hasher is None:  # the cycle analyses ask four times over the same modules
            hasher = hashlib.blake2b(digest_size=16)
            for module in listed:
                records = self._imports.get(module, ())
                # Each kind by its value: the repr of an enum is slow Python.
                raw = [(name, line, text, kind and kind._value_) for name, line, text, kind in records]
                hasher.update(f"\n{module}:{raw!r}".encode())
            self._signatures = {listed: hasher}  # only the latest: a query asks for one scope
        hasher = hasher.copy()
        hasher.update(f"\n|{list(extra)!r}".encode())
        return hasher.hexdigest()

    def statement_count(self, importer: str, imported: str) -> int:
        return len(self._sites_by_edge.get((importer, imported), ()))

    def sites(self, importer: str, imported: str) -> list[ImportSite]:
        """The import statements behind one edge, in line order, each with its kind."""
        edge = (importer, imported)
        known = self._sites.get(edge)
        if known is None:  # a cycle's hops are described once per import on it: made once per edge
            known = self._sites[edge] = tuple(
                ImportSite(importer, imported, line, statement, kind or self._kind_from_parse(importer, line))
                for line, statement, kind in self._records(importer, imported)
            )
        return list(known)

    def _records(self, importer: str, imported: str) -> Sequence[tuple[int, str, ImportKind | None]]:
        """The scan's records of the statements behind one edge, in its order: from the map of
        every edge once it is built (the cycle analyses build it), else from the importer's own
        imports, grouped once. Describing a few edges (contract chains, legacy imports) then
        builds no map of every edge: in a run whose cycles a forked copy finds, only the copy does."""
        by_edge = self.__dict__.get("_sites_by_edge")
        if by_edge is not None:
            return by_edge.get((importer, imported), ())
        grouped = self._records_by_importer.get(importer)
        if grouped is None:
            grouped = self._records_by_importer[importer] = {}
            for target, line, statement, kind in self._imports.get(importer, ()):
                grouped.setdefault(target, []).append((line, statement, kind))
        return grouped.get(imported, ())

    def describe_edge(self, importer: str, imported: str, lines: Sequence[int | None] | None = None) -> str:
        """``a -> b (a.py: l.3 module, l.9 deferred)``: one hop of a chain or a cycle."""
        if lines is None:  # every line behind the edge: the same text for every cycle through it
            edge = (importer, imported)
            if edge not in self._descriptions:
                self._descriptions[edge] = self._describe(importer, imported, None)
            return self._descriptions[edge]
        return self._describe(importer, imported, lines)

    def _describe(self, importer: str, imported: str, lines: Sequence[int | None] | None) -> str:
        sites = self.sites(importer, imported)
        kinds = {site.line: site.kind.value for site in sites}
        shown = [site.line for site in sites] if lines is None else list(lines)
        listed = ", ".join(f"l.{line} {kinds.get(line, '?')}" if line is not None else "l.?" for line in shown)
        return f"{importer} -> {imported} ({self.path_of(importer) or importer}: {listed or 'l.?'})"

    def _kind_from_parse(self, module: str, line: int) -> ImportKind:
        # An import grimp found but the facts do not place is assumed to run at import time.
        return self.facts.import_kinds(module, line).get(line, ImportKind.MODULE)
