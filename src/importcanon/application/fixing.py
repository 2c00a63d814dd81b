"""``importcanon fix``: plan the mechanical part of a migration, and refuse whatever could change
behaviour.

The plan reuses what the analyses computed for their suggestions (the ``rewrites`` of a
legacy-import finding, the canonical object of a non-canonical import, the replacement of a
drop-in ``[[deprecated]]`` name) rather than working them out a second way. Each edit is then
checked before anything is written:

- the new import gives the name the *same object* (by the resolver); a module swapped for its
  moved counterpart is accepted only when every ``m.attribute`` used in the file resolves to the
  same object through both, and when nothing outside the file can see the name: not when the
  module exports it (its ``__all__``, a package ``__init__``) or another module of the project
  imports it from there (``from m import name``, a star import, ``m.name`` read by an importer);
  nor is a drop-in replacement that renames the name's references where the old name is so seen;
- the new import closes no new cycle of the ``[cycles]`` contract, as check counts them (only
  imports inside its packages, none under ``if TYPE_CHECKING:`` unless it counts those) and as
  ``can-import`` names them, import-time or deferred; it does not run at import time on an
  import-time cycle of the project, contract or not, new or not (start-up could fail); and it
  breaks no import-linter contract: the contracts are run on a copy of the graph with every new
  edge added, as ``can-import`` does;
- the file parses.

Every refused edit is listed with its reason. The rewriting itself (libcst) is an adapter, behind
the ``SourceEditor`` port.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import grimp

from importcanon.application.analyses.canonical import NON_CANONICAL, check_canonical_homes
from importcanon.application.analyses.deprecated import RULE as DEPRECATED
from importcanon.application.analyses.deprecated import find_deprecated_usages
from importcanon.application.analyses.import_linter import check_import_linter_contracts
from importcanon.application.analyses.legacy import DIFFERENT_OBJECT, find_legacy_imports
from importcanon.application.analyses.legacy import RULE as LEGACY
from importcanon.application.analyses.shims import find_shims
from importcanon.application.analyses.stale_contracts import live_cycle_contract
from importcanon.application.cycles import CycleScope, ScopedImports, cycle_scope
from importcanon.application.module_swaps import swap_problems
from importcanon.application.project import Project
from importcanon.application.symbols import Resolved, Resolver
from importcanon.domain.contracts import ContractSet, ImportLinterConfig
from importcanon.domain.errors import UsageError
from importcanon.domain.facts import ImportKind, ImportStatement, NameUses
from importcanon.domain.findings import Finding
from importcanon.domain.modules import split_qualified, within_test

FIXABLE_RULES = (LEGACY, NON_CANONICAL, DEPRECATED)


@dataclass(frozen=True)
class ImportEdit:
    """Replace one imported name of one statement by an import of the same object from elsewhere.

    ``source`` is the absolute module of ``from source import name``, None for ``import name``;
    ``new_name`` None means ``import new_module as <bound>``. ``rename`` is set when the name's
    references in the file change too (a drop-in replacement imported without an alias).
    """

    module: str
    path: str
    line: int
    rule: str
    fingerprint: str
    source: str | None
    name: str
    alias: str | None
    new_module: str
    new_name: str | None
    kind: ImportKind
    rename: str | None = None

    @property
    def bound(self) -> str:
        """The name the old statement binds in the file."""
        if self.alias:
            return self.alias
        return self.name if self.source is not None else self.name.split(".")[0]

    @property
    def new_bound(self) -> str:
        return self.rename or self.bound

    @property
    def new_alias(self) -> str | None:
        """The ``as`` name of the new statement: kept whenever the old one had one, even
        ``Name as Name`` (the explicit re-export type checkers recognise)."""
        target = self.new_module if self.new_name is None else self.new_name
        return self.new_bound if self.alias is not None or self.new_bound != target else None

    @property
    def statement(self) -> str:
        """The new statement, absolute, as a suggestion would show it."""
        tail = f" as {self.new_alias}" if self.new_alias else ""
        if self.new_name is None:
            return f"import {self.new_module}{tail}"
        return f"from {self.new_module} import {self.new_name}{tail}"

    @property
    def old_statement(self) -> str:
        tail = f" as {self.alias}" if self.alias else ""
        return f"from {self.source} import {self.name}{tail}" if self.source else f"import {self.name}{tail}"


@dataclass(frozen=True)
class Refusal:
    """A finding, or one name of it, left as it is, and why."""

    path: str | None
    line: int | None
    rule: str
    what: str
    category: str  # a short key to count refusals by: "different-object", "cycle", "syntax-error"...
    reason: str


@dataclass(frozen=True)
class FileChange:
    path: str  # relative to the project, with /
    module: str
    before: str | None  # None: the file is created
    after: str | None  # None: the file is deleted
    edits: tuple[ImportEdit, ...] = ()
    encoding: str = "utf-8"


class SourceEditor(Protocol):
    """The adapter that reads and rewrites source files (formatting and comments kept)."""

    def uses(self, path: str, name: str, line: int | None = None) -> NameUses | None:
        """How the file at ``path`` uses ``name``; None when it does not parse. ``line``: the
        import asked about (see ``FactSource.name_uses``)."""
        ...

    def rewrite(self, path: str, module: str, is_package: bool, edits: Sequence[ImportEdit]) -> FileChange:
        """The file with ``edits`` applied; raises RewriteError when it cannot be rewritten."""
        ...


class RewriteError(Exception):
    """A file the editor cannot rewrite (it does not parse, or a statement is not where it was)."""


@dataclass
class FixPlan:
    edits: list[ImportEdit] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    findings: int = 0  # the findings of the selected rules that were considered


@dataclass
class FixResult:
    plan: FixPlan
    changes: list[FileChange]
    dead_shims: list[str] = field(default_factory=list)  # modules to delete
    kept_shims: list[tuple[str, str]] = field(default_factory=list)  # (module, why it stays)

    @property
    def rewritten(self) -> list[ImportEdit]:
        return [edit for change in self.changes for edit in change.edits]


# Planning ---------------------------------------------------------------------------------------------


def fix_project(
    project: Project,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    editor: SourceEditor,
    rules: Sequence[str] = (),
    delete_dead_shims: bool = False,
) -> FixResult:
    """Plan every safe edit, then have the editor produce the new text of each file."""
    unknown = sorted(set(rules) - set(FIXABLE_RULES))
    if unknown:
        raise UsageError(f"fix cannot rewrite {', '.join(unknown)}; it rewrites {', '.join(FIXABLE_RULES)}")
    resolver = Resolver(project)
    plan = plan_fixes(resolver, import_linter, contracts, editor, tuple(rules) or FIXABLE_RULES)
    changes: list[FileChange] = []
    by_module: dict[str, list[ImportEdit]] = {}
    for edit in plan.edits:
        by_module.setdefault(edit.module, []).append(edit)
    for module, edits in sorted(by_module.items()):
        source = project.modules[module]
        try:
            change = editor.rewrite(source.path, module, source.is_package, edits)
        except RewriteError as error:
            refused = (Refusal(e.path, e.line, e.rule, e.old_statement, "unrewritable", str(error)) for e in edits)
            plan.refusals.extend(refused)
            continue
        if change.before != change.after:
            changes.append(change)
    result = FixResult(plan, changes)
    if delete_dead_shims:
        result.dead_shims, result.kept_shims = _dead_shims(resolver, contracts, result.rewritten)
        changes.extend(FileChange(project.path_of(m) or m, m, None, None) for m in result.dead_shims)
    return result


def plan_fixes(
    resolver: Resolver,
    import_linter: ImportLinterConfig | None,
    contracts: ContractSet,
    editor: SourceEditor,
    rules: Sequence[str] = FIXABLE_RULES,
) -> FixPlan:
    plan = FixPlan()
    findings: list[Finding] = []
    if LEGACY in rules:
        findings.extend(find_legacy_imports(resolver, contracts))
    if NON_CANONICAL in rules:
        findings.extend(
            f for f in check_canonical_homes(resolver, contracts.canonical, contracts.legacy) if f.rule == NON_CANONICAL
        )
    if DEPRECATED in rules:
        findings.extend(find_deprecated_usages(resolver, contracts.deprecated))
    findings.sort(key=lambda finding: finding.sort_key)
    plan.findings = len(findings)
    for problem in resolver.project.problems:  # their imports are unknown, so nothing there is rewritten
        if problem.readable:
            reason = f"the file does not parse ({problem.message}): its imports are unknown, none is rewritten"
            refusal = Refusal(problem.path, problem.line, "syntax-error", "the file", "syntax-error", reason)
            plan.refusals.append(refusal)
    planner = _Planner(resolver, contracts, editor, plan)
    calls = []
    for finding in findings:
        if finding.rule == LEGACY:
            planner.legacy(finding)
        elif finding.rule == NON_CANONICAL:
            planner.non_canonical(finding)
        elif finding.details.get("usage") == "import":
            planner.deprecated_import(finding)
        else:
            calls.append(finding)
    for finding in calls:  # a call is fixed by the rewrite of the import that binds its name
        planner.deprecated_call(finding)
    _GraphCheck(resolver.project, import_linter, contracts, plan).run()
    return plan


class _Planner:
    def __init__(self, resolver: Resolver, contracts: ContractSet, editor: SourceEditor, plan: FixPlan) -> None:
        self.resolver = resolver
        self.contracts = contracts
        self.editor = editor
        self.plan = plan

    def refuse(self, finding: Finding, what: str, category: str, reason: str) -> None:
        self.plan.refusals.append(Refusal(finding.path, finding.line, finding.rule, what, category, reason))

    def statement(self, finding: Finding) -> ImportStatement | None:
        """The import statement a finding is about; None (refused) when the file does not parse."""
        module = finding.module or ""
        parsed = self.resolver.parsed(module)
        if parsed is None:
            line, why = self.resolver.project.facts.parse_failures().get(module, (None, "a syntax error"))
            problem = next((p for p in self.resolver.project.problems if p.module == module), None)
            if problem is not None:
                line, why = problem.line, problem.message
            self.refuse(finding, "the import", "syntax-error", f"the file does not parse (line {line or '?'}: {why})")
            return None
        return next((s for s in parsed.imports if s.line == finding.line), None)

    # legacy-import ------------------------------------------------------------------------------

    def legacy(self, finding: Finding) -> None:
        if self.statement(finding) is None:
            return
        for note in finding.details.get("instead", []):
            if not note.startswith(("from ", "import ")):
                category = "different-object" if note.startswith(DIFFERENT_OBJECT) else "no-counterpart"
                self.refuse(finding, "the import", category, note)
        for rewrite in finding.details.get("rewrites", []):
            for statement in self._statements(finding):
                if (rewrite["name"], rewrite["alias"]) in statement.names:
                    self._legacy_name(finding, statement, rewrite)

    def _statements(self, finding: Finding) -> list[ImportStatement]:
        parsed = self.resolver.parsed(finding.module or "")
        return [s for s in parsed.imports if s.line == finding.line] if parsed else []

    def _legacy_name(self, finding: Finding, statement: ImportStatement, rewrite: dict[str, Any]) -> None:
        module = finding.module or ""
        name, alias = rewrite["name"], rewrite["alias"]
        plain_import = statement.module is None and statement.level == 0
        source = None if plain_import else self.resolver.import_source(module, statement)
        if plain_import and alias is None:
            self.refuse(
                finding,
                f"import {name}",
                "plain-import",
                f"a plain import is used through its full dotted name: write import {rewrite['module']} "
                "and update the uses by hand (or import it with an alias first)",
            )
            return
        edit = self._edit(finding, statement, source, name, alias, rewrite["module"], rewrite["attribute"])
        old = self.resolver.module_ref(name) if source is None else self.resolver.resolve(source, name)
        self._accept_if_same(finding, edit, old, (source, name) if source is not None else None)

    # non-canonical-import ----------------------------------------------------------------------

    def non_canonical(self, finding: Finding) -> None:
        details = finding.details
        symbol, alias, source = details["symbol"], details.get("alias"), details["imported_from"]
        what = f"from {source} import {symbol}" + (f" as {alias}" if alias else "")
        resolves_to, canonical = details.get("resolves_to"), details.get("canonical_object")
        if resolves_to is None:
            self.refuse(finding, what, "unresolved", f"what {symbol} is in {source} cannot be told statically")
            return
        if canonical is None:  # the home binds it to what no reading sees: an extension module's object
            home = details["canonical"]
            self.refuse(finding, what, "unresolved", f"what {symbol} is in {home} cannot be told statically")
            return
        if resolves_to != canonical and canonical in details.get("may_resolve_to", ()):
            self.refuse(
                finding,
                what,
                "conditional",
                f"bound conditionally in {source}, to {' or '.join(details['may_resolve_to'])}: decide which is meant",
            )
            return
        if resolves_to != canonical:
            self.refuse(
                finding,
                what,
                "different-object",
                f"a different object: there it is {resolves_to}, not the canonical {canonical}; decide which is meant",
            )
            return
        statement = self.statement(finding)
        if statement is None:
            return
        edit = self._edit(finding, statement, source, symbol, alias, details["canonical"], symbol)
        self._accept_if_same(finding, edit, self.resolver.resolve(source, symbol), (source, symbol))

    # deprecated-usage -------------------------------------------------------------------------

    def deprecated_import(self, finding: Finding) -> None:
        details = finding.details
        imported, alias, source = details.get("imported"), details.get("alias"), details.get("imported_from")
        what = f"from {source} import {imported}" + (f" as {alias}" if alias else "")
        contract = next((c for c in self.contracts.deprecated if c.name == details["deprecated"]), None)
        if contract is None or not self._drop_in(finding, what, contract.drop_in, contract.replacement):
            return
        assert contract.replacement is not None and imported is not None and source is not None
        home, attribute = split_qualified(contract.replacement)
        replacement = self.resolver.resolve(home, attribute)
        if replacement is None:
            self.refuse(
                finding, what, "unresolved", f"the replacement {contract.replacement} cannot be found in the project"
            )
            return
        statement = self.statement(finding)
        if statement is None:
            return
        rename = None
        if alias is None and attribute != imported:
            uses = self.editor.uses(finding.path or "", attribute)
            own = self.editor.uses(finding.path or "", imported)
            if uses is None or own is None:
                self.refuse(finding, what, "syntax-error", "the file does not parse")
                return
            if uses.bindings or uses.other_lines or uses.attributes:
                self.refuse(
                    finding,
                    what,
                    "name-clash",
                    f"{attribute} already names something in this file: import it with an alias by hand",
                )
                return
            if own.bindings > 1:
                self.refuse(finding, what, "name-clash", f"{imported} is bound more than once in this file")
                return
            rename = attribute
        edit = self._edit(finding, statement, source, imported, alias, home, attribute, rename)
        exposure = self._exposure(edit) if rename else None
        if exposure is not None:
            self.refuse(
                finding,
                what,
                "exported",
                f"{edit.statement} would leave {edit.module} without {imported} (its references become "
                f"{attribute}), but {exposure}",
            )
            return
        self.plan.edits.append(edit)

    def _drop_in(self, finding: Finding, what: str, drop_in: bool, replacement: str | None) -> bool:
        if replacement is None:
            self.refuse(
                finding,
                what,
                "no-replacement",
                "the [[deprecated]] contract names no replacement: a human decides what to use",
            )
            return False
        if not drop_in:
            self.refuse(
                finding,
                what,
                "not-drop-in",
                f"the [[deprecated]] contract does not declare {replacement} a drop-in (drop_in = true), "
                "so calls may need changing by hand",
            )
            return False
        return True

    def deprecated_call(self, finding: Finding) -> None:
        details = finding.details
        callee = str(details.get("callee", ""))
        what = f"the call {callee}()"
        contract = next((c for c in self.contracts.deprecated if c.name == details["deprecated"]), None)
        if contract is None or not self._drop_in(finding, what, contract.drop_in, contract.replacement):
            return
        # A call through a local alias (``fn = old_fn``) reads the name assigned: rewritten with it.
        through = details.get("through")
        called = str(through or callee)
        head = called.split(".")[0]
        module = finding.module or ""
        covered = any(
            edit.module == module and edit.rule == DEPRECATED and edit.bound == head and "." not in called
            for edit in self.plan.edits
        )
        if not covered:
            category, reason = (
                (
                    "call-by-attribute",
                    f"called through a module attribute ({called}, by the local alias {callee}): "
                    "rewrite the assignment by hand"
                    if through
                    else f"called through a module attribute ({called}): rewrite the call by hand",
                )
                if "." in called
                else ("import-refused", "the import that binds it is not rewritten (see its refusal)")
            )
            self.refuse(finding, what, category, reason)

    # shared ---------------------------------------------------------------------------------------

    def _edit(
        self,
        finding: Finding,
        statement: ImportStatement,
        source: str | None,
        name: str,
        alias: str | None,
        new_module: str,
        new_name: str | None,
        rename: str | None = None,
    ) -> ImportEdit:
        return ImportEdit(
            module=finding.module or "",
            path=finding.path or "",
            line=statement.line,
            rule=finding.rule,
            fingerprint=finding.fingerprint,
            source=source,
            name=name,
            alias=alias,
            new_module=new_module,
            new_name=new_name,
            kind=statement.kind,
            rename=rename,
        )

    def _accept_if_same(
        self, finding: Finding, edit: ImportEdit, old: Resolved | None, asked: tuple[str, str] | None = None
    ) -> None:
        """Keep the edit when the new import gives the bound name the same object as before.

        ``asked``: the (module, name) the old import asks for. Where no reading sees the object (a
        compiled module's: pandas.tseries.offsets passes on pandas._libs.tslibs.offsets' DateOffset),
        the two imports still give one object when their lookups stop at the same (module, name)."""
        new = (
            self.resolver.module_ref(edit.new_module)
            if edit.new_name is None
            else self.resolver.resolve(edit.new_module, edit.new_name)
        )
        if (
            (old is None or new is None)
            and asked is not None
            and edit.new_name is not None
            and self.resolver.origin(*asked) == self.resolver.origin(edit.new_module, edit.new_name)
        ):
            self.plan.edits.append(edit)
            return
        if old is None or new is None:
            self.refuse(
                finding,
                edit.old_statement,
                "unresolved",
                f"what {edit.name} is cannot be told statically, before or after",
            )
            return
        if old == new:
            self.plan.edits.append(edit)
            return
        if not (old.is_module and new.is_module):
            self.refuse(
                finding,
                edit.old_statement,
                "different-object",
                f"{edit.statement} would give {edit.bound} {new.qualified}, not {old.qualified}",
            )
            return
        reason = self._module_swap_problem(edit, old, new)
        if reason is not None:
            self.refuse(finding, edit.old_statement, "module-uses", reason)
            return
        exposure = self._exposure(edit)
        if exposure is not None:
            self.refuse(
                finding,
                edit.old_statement,
                "exported",
                f"{edit.statement} would give {edit.bound} {new.qualified}, not {old.qualified}: {new.qualified} "
                f"would stand in for {old.qualified} by name only, which this file's uses allow, but {exposure}",
            )
            return
        self.plan.edits.append(edit)

    def _module_swap_problem(self, edit: ImportEdit, old: Resolved, new: Resolved) -> str | None:
        """Why ``m`` bound to module ``new`` instead of ``old`` could behave differently, or None."""
        uses = self.editor.uses(edit.path, edit.bound, edit.line)
        problems = swap_problems(self.resolver, uses, edit.bound, old, new)
        return problems[0].reason if problems else None

    def _exposure(self, edit: ImportEdit) -> str | None:
        """How a module other than the edited one may see the name the edit binds, or None when
        nothing outside the file can: what it gets there changes too, whatever this file uses.

        Told exactly for ``__all__`` and for ``from module import name`` in the project; an
        importer of the module that mentions the name may read ``module.name`` (a whole-word
        search of its text, which may say so of a module that does not). A package ``__init__``
        is its package's interface: ``package.name`` is there for every user, in the project or
        not. Imports the scan cannot see (``importlib``, code outside the root packages reading
        a plain module's names) are not known."""
        module, name = edit.module, edit.bound
        project = self.resolver.project
        parsed = self.resolver.parsed(module)
        if parsed is None:
            return "the file does not parse"
        statements = [s for s in parsed.imports if s.line == edit.line]
        if statements and all(s.scope and not _in_class(parsed.scopes, s.scope) for s in statements):
            return None  # bound in a function: a local name, no other module sees it
        mentions = project.facts.modules_containing(frozenset({name, "__all__"}))
        if parsed.all_names is not None:
            if name in parsed.all_names:
                return f"{module} exports {name} (listed in its __all__)"
        elif module in mentions["__all__"]:
            return f"{module}'s __all__ is computed at run time: it may list {name}"
        if project.modules[module].is_package:
            return f"{module} is a package: the names of its __init__ are its public interface ({module}.{name})"
        importers = sorted(
            importer
            for importer in project.graph.find_modules_that_directly_import(module)
            if importer in project.modules and importer != module
        )
        project.facts.parse_ahead(importers)
        passed_on = parsed.all_names is None and not name.startswith("_")  # by a star import of it
        mentioned = []
        for importer in importers:
            seen = self.resolver.parsed(importer)
            if seen is None:
                return f"{importer} imports {module} and does not parse: what it reads there is unknown"
            for statement in seen.imports:
                if statement.module is None and statement.level == 0:
                    continue
                if self.resolver.import_source(importer, statement) != module:
                    continue
                if statement.is_star and passed_on:
                    return f"{importer} star-imports {module}, which passes {name} on"
                if any(imported == name for imported, _ in statement.names):
                    return f"{importer} imports {name} from {module} (line {statement.line})"
            if importer in mentions[name]:
                mentioned.append(importer)
        if mentioned:
            return f"{mentioned[0]} imports {module} and mentions {name}: it may read {module}.{name}"
        return None


def _in_class(scopes: Sequence[tuple[int, str, bool]], scope: int) -> bool:
    """Whether ``scope`` is a class body, or inside one with no function between (its names are
    the class's attributes, which other modules can read)."""
    while scope:
        parent, _, is_class = scopes[scope]
        if not is_class:
            return False
        scope = parent
    return True


# The graph after the edits ----------------------------------------------------------------------------


class _GraphCheck:
    """Refuse the edits whose new import edges close a cycle or break an import-linter contract.

    Edits are kept one at a time, each new import counted from then on, so that two edits that are
    fine alone but close a cycle together are caught too.
    """

    def __init__(
        self, project: Project, import_linter: ImportLinterConfig | None, contracts: ContractSet, plan: FixPlan
    ) -> None:
        self.project = project
        self.import_linter = import_linter
        self.contracts = contracts
        self.plan = plan

    def target(self, edit: ImportEdit) -> str:
        """The module grimp would record the new statement as importing."""
        if edit.new_name is not None:
            submodule = f"{edit.new_module}.{edit.new_name}"
            if submodule in self.project.modules:
                return submodule
        return edit.new_module

    def run(self) -> None:
        if not self.plan.edits:
            return
        cycles = live_cycle_contract(self.project, self.contracts.cycles)  # as check: stale packages are findings
        contract = ScopedImports(self.project, cycle_scope(self.project, cycles)) if cycles else None
        start_up = self._start_up(contract)
        accepted = []
        for edit in self.plan.edits:
            reason = self._cycle(contract, start_up, edit)
            if reason is not None:
                self._refuse(edit, "cycle", reason)
                continue
            start_up.add(edit.module, self.target(edit), edit.kind)
            if contract is not None and contract is not start_up:
                contract.add(edit.module, self.target(edit), edit.kind)
            accepted.append(edit)
        self.plan.edits = self._import_linter(accepted)

    def _start_up(self, contract: ScopedImports | None) -> ScopedImports:
        """The imports that decide start-up: the whole project's, whatever the contract covers.
        The contract's serve when they cover every module: its TYPE_CHECKING imports, counted or
        not, never run, so they change no import-time question (and its walks are shared)."""
        whole = CycleScope(self.project.root_packages)
        if contract is not None and contract.modules == frozenset(
            filter(within_test(whole.packages), self.project.modules)
        ):
            return contract
        return ScopedImports(self.project, whole)

    def _refuse(self, edit: ImportEdit, category: str, reason: str) -> None:
        self.plan.refusals.append(Refusal(edit.path, edit.line, edit.rule, edit.old_statement, category, reason))

    def _add(self, graph: grimp.ImportGraph, edit: ImportEdit) -> None:
        target = self.target(edit)
        if target not in graph.modules:
            graph.add_module(target)
        graph.add_import(importer=edit.module, imported=target)

    def _cycle(self, contract: ScopedImports | None, start_up: ScopedImports, edit: ImportEdit) -> str | None:
        """Why the edit's new import is refused for a cycle, or None.

        First the ``[cycles]`` contract, asked as ``can-import`` asks it (a new cycle check would
        report, and the same one named). Then start-up: a statement that runs at import time on an
        import-time cycle can meet a module part-way through its import, a name not bound yet,
        whatever the contract covers, even when the modules already import each other so.
        """
        importer, target = edit.module, self.target(edit)
        closed = contract.closes(importer, target, edit.kind) if contract else None
        if closed is not None:
            return f"{edit.statement} would close a new {closed.kind} import cycle ([cycles] contract): {closed}"
        closed = start_up.import_time_cycle(importer, target) if edit.kind.runs_at_import else None
        if closed is None:
            return None
        if start_up.runs_at_import(importer, target):
            return f"{edit.statement} would run at import time on an import-time cycle (there already): {closed}"
        return f"{edit.statement} would close an import-time cycle: {closed}"

    def _import_linter(self, accepted: list[ImportEdit]) -> list[ImportEdit]:
        """The edits whose edges break no import-linter contract that holds today."""
        if self.import_linter is None or not accepted:
            return accepted
        before = {f.fingerprint for f in check_import_linter_contracts(self.project, self.import_linter).findings}
        for _ in range(len(accepted)):
            graph = copy.deepcopy(self.project.graph)
            for edit in accepted:
                self._add(graph, edit)
            broken = [
                finding
                for finding in check_import_linter_contracts(self.project, self.import_linter, graph).findings
                if finding.fingerprint not in before
            ]
            if not broken:
                return accepted
            accepted = self._without_breakers(accepted, broken)
        return accepted

    def _without_breakers(self, accepted: list[ImportEdit], broken: Iterable[Finding]) -> list[ImportEdit]:
        blamed: dict[ImportEdit, str] = {}
        for finding in broken:
            hops = {(hop["importer"], hop["imported"]) for hop in finding.details.get("chain", [])}
            contract = finding.details.get("contract", "?")
            culprits = [edit for edit in accepted if (edit.module, self.target(edit)) in hops] or accepted
            for edit in culprits:
                blamed.setdefault(edit, f"{edit.statement} would break the import-linter contract '{contract}'")
        for edit, reason in blamed.items():
            self._refuse(edit, "import-linter", reason)
        return [edit for edit in accepted if edit not in blamed]


# Dead shims -------------------------------------------------------------------------------------------


def _dead_shims(
    resolver: Resolver, contracts: ContractSet, rewritten: Sequence[ImportEdit]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The shim modules nothing in the root packages imports once ``rewritten`` is written."""
    project = resolver.project
    cleared = {(edit.module, edit.line, edit.name, edit.alias) for edit in rewritten}
    shims = [finding.module for finding in find_shims(resolver, contracts.canonical_homes) if finding.module]
    importers: dict[str, set[str]] = {}
    before: dict[str, set[str]] = {}
    for shim in shims:
        before[shim] = {
            importer
            for importer in project.graph.find_modules_that_directly_import(shim)
            if importer in project.modules and importer != shim
        }
        importers[shim] = {m for m in before[shim] if not _cleared(resolver, importer=m, shim=shim, cleared=cleared)}
    dead: set[str] = set()
    changed = True
    while changed:  # a shim imported only by dead shims is dead too
        changed = False
        for shim in shims:
            removable = before[shim] and not project.modules[shim].is_package
            if shim not in dead and removable and not (importers[shim] - dead):
                dead.add(shim)
                changed = True
    kept = []
    for shim in shims:
        if shim in dead:
            continue
        if not before[shim]:
            kept.append((shim, "nothing in the root packages imported it before either: delete it by hand if unused"))
        elif project.modules[shim].is_package:
            kept.append((shim, "a package __init__: deleting it would turn the package into a namespace package"))
        else:
            still = sorted(importers[shim] - dead)
            shown = ", ".join(still[:5]) + (f" and {len(still) - 5} more" if len(still) > 5 else "")
            kept.append((shim, f"still imported by {shown}"))
    return sorted(dead), kept


def _cleared(resolver: Resolver, importer: str, shim: str, cleared: set[tuple[str, int, str, str | None]]) -> bool:
    """Whether every statement of ``importer`` that imports ``shim`` is rewritten away entirely."""
    parsed = resolver.parsed(importer)
    if parsed is None:
        return False
    for site in resolver.project.sites(importer, shim):
        for statement in (s for s in parsed.imports if s.line == site.line):
            source = (
                None
                if statement.module is None and statement.level == 0
                else resolver.import_source(importer, statement)
            )
            for name, alias in statement.names:
                reaches = (source == shim) or (f"{source}.{name}" == shim) or (source is None and name == shim)
                if reaches and (importer, statement.line, name, alias) not in cleared:
                    return False
    return True
