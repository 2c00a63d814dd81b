"""``broken-import``: imports that Python would reject, found without running anything.

An import of a module inside the root packages that does not exist (``import app.gone``, ``from
.absent import x``, a relative import above the top-level package), or of a name that the target
module neither defines, binds, re-exports (star imports included) nor provides as a submodule.
Only the statement that asks for the missing thing is reported: a module that re-exports a name
it really has is not broken even when its own source of that name is; the break is reported
where it is. When the target's names cannot all be seen statically (a module-level
``__getattr__``, ``globals()`` writes, a star import from a third-party module or from a file
that does not parse) nothing is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from importcanon.application.symbols import MODULE_ATTRIBUTES, Resolver
from importcanon.domain.contracts import ContractSet
from importcanon.domain.facts import ImportKind, ImportStatement, TextImport, TextImportRow
from importcanon.domain.findings import Finding
from importcanon.domain.modules import absolute_import_target, leaf, packages_above, within_any

RULE = "broken-import"
_SUGGESTED = 3
_MEMO = f"{RULE}-with-disk"  # the remembered findings with the disk answers they rest on


class _Break(NamedTuple):
    """One missing thing one statement asks for."""

    target: str  # the module as written, made absolute
    name: str | None  # the missing name; None when the module itself is missing
    missing_module: str | None  # the first module on the way that does not exist
    names: tuple[str, ...] = ()  # for a missing module: the names imported from it
    below: int | None = None  # a module importing from itself a name it binds only below: that line


def find_broken_imports(resolver: Resolver, contracts: ContractSet) -> list[Finding]:
    """Every broken import. A parse of every file would cost ten times the rest of a cold run, so
    the statements are first read from the text, and only a module with a statement that may be
    broken is parsed (with the module it imports from) to confirm it, kind and all."""
    project = resolver.project
    modules = sorted(project.modules)
    homes = sorted((contract.symbol, contract.module) for contract in contracts.canonical)
    extra = (*project.root_packages, *sorted(project.namespace_packages), *(f"{s}={m}" for s, m in homes))
    key = project.facts.content_key(modules, extra=extra)
    remembered = project.facts.recall(_MEMO, key)
    # No analysed file changed, and every module outside the scan that the run asked the disk
    # about is still there or still absent: a warm run reads none of the files.
    if remembered is not None and all(project.facts.module_on_disk(m) == there for m, there in remembered[0]):
        return [_finding_from_primitive(item) for item in remembered[1]]
    screen = _Screen(resolver)
    candidates = [module for module in modules if screen.any_may_break(module, project.facts.text_imports(module))]
    # Parsed next, with the modules whose names they doubt: on every core when they are many.
    project.facts.parse_ahead([*candidates, *sorted(screen.doubted)])
    breaks: list[tuple[str, ImportStatement, _Break]] = []
    for module in candidates:
        parsed = resolver.parsed(module)
        if parsed is None:
            continue  # a syntax-error finding covers it
        for statement in parsed.imports:
            if not screen.may_break(module, statement):
                continue  # what the text shows of it holds for the statement the parse found
            breaks.extend((module, statement, broken) for broken in _breaks(resolver, module, statement))
    # An import a test expects to fail (``with raises(ImportError):``) is the point of the test.
    expected = {module: project.facts.imports_expected_to_fail(module) for module in {m for m, _, _ in breaks}}
    breaks = [
        (module, statement, broken) for module, statement, broken in breaks if statement.line not in expected[module]
    ]
    # The names the suggestions look for, searched in one reading of the files, not one each.
    project.facts.modules_containing(frozenset(name for _, _, broken in breaks for name in _sought(broken)))
    findings = [_finding(resolver, contracts, module, statement, broken) for module, statement, broken in breaks]
    on_disk = sorted(resolver.disk_answers().items())
    project.facts.memorize(_MEMO, key, [on_disk, [_finding_to_primitive(finding) for finding in findings]])
    return findings


def _finding_to_primitive(finding: Finding) -> list[Any]:
    fields = (finding.path, finding.line, finding.module, finding.message, finding.suggestion)
    return [*fields, list(finding.identity), dict(finding.details)]


def _finding_from_primitive(item: list[Any]) -> Finding:
    path, line, module, message, suggestion, identity, details = item
    return Finding(RULE, path, line, module, message, suggestion, tuple(identity), details)


class _Screen:
    """A first look from the text, memoised by what it asks: a project's thousands of statements
    import from far fewer modules, and each module's standing is looked up once; the verdict on
    the names a statement imports from a module is the same wherever the statement stands, so it
    is reached once too."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.packages = resolver.project.root_packages
        self.evident_names = resolver.project.facts.evident_names
        self._missing: dict[str, bool] = {}
        self._inside: dict[str, bool] = {}
        self.doubted: set[str] = set()  # modules the text could not show to bind a name imported from them
        self._shown: dict[tuple[str, str], bool] = {}
        self._verdicts: dict[tuple[str, tuple[tuple[str, str | None], ...]], bool] = {}
        self._any_missing: dict[tuple[tuple[str, str | None], ...], bool] = {}  # of ``import a.b, c``

    def any_may_break(self, module: str, rows: Iterable[TextImportRow]) -> bool:
        """Whether any statement read from the module's text may break (False only when each
        surely imports what exists), judged in order until one may. The first look at every
        statement of the project, tens of thousands: rows, each decided by a lookup once its
        (source, names) has a verdict."""
        verdicts = self._verdicts
        is_package: bool | None = None
        for _, level, source, names in rows:
            if level:
                if is_package is None:
                    found = self.resolver.project.modules.get(module)
                    is_package = found.is_package if found else False
                source = absolute_import_target(module, is_package, level, source)
                if source is None:
                    return True
            elif source is None:  # import a.b, c
                missing = self._any_missing.get(names)
                if missing is None:
                    missing = self._any_missing[names] = any(self._is_missing(name) for name, _ in names)
                if missing:
                    return True
                continue
            if source == module:
                return True  # from itself: see _from_itself
            verdict = verdicts.get((source, names))
            if verdict is None:
                verdict = verdicts[source, names] = self._names_may_break(source, names)
            if verdict:
                return True
        return False

    def may_break(self, module: str, statement: ImportStatement) -> bool:
        """False only when the statement surely imports what exists: asked again of the
        statements the parse finds in a module that has one that may break (the text rows may
        read a statement otherwise), so that the modules its other statements import from need
        no parse either. On the same evidence as the first look: the evident names of a module
        are what decides every statement of the modules that first look clears, and hold only
        names the module's code binds (tests/test_evident_names_in_strings.py and
        tests/test_evident_names_in_brackets.py hold them to ``ast``)."""
        if statement.level == 0:
            source = statement.module
            if source is None:
                return any(self._is_missing(name) for name, _ in statement.names)
        else:
            source = self.resolver.import_source(module, statement)
            if source is None:
                return True
        if source == module:
            return True  # from itself: see _from_itself
        key = (source, statement.names)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = self._names_may_break(source, statement.names)
        return verdict

    def _names_may_break(self, source: str, names: tuple[tuple[str, str | None], ...]) -> bool:
        if not self._is_inside(source):
            return False
        if self._is_missing(source):
            return True
        has_module = self.resolver.has_module
        evident: frozenset[str] | None = None  # asked for once, when needed
        for name, _ in names:
            if name == "*" or has_module(f"{source}.{name}"):
                continue
            if evident is None:
                evident = self.evident_names(source)
            if name not in evident and not self._has(source, name) and not self._submodule_on_disk(source, name):
                self.doubted.add(source)
                return True
        return False

    def _submodule_on_disk(self, source: str, name: str) -> bool:
        """Whether ``from source import name`` imports a submodule Python finds though the scan
        has none (pandas' ``from pandas._libs import lib``, a compiled module): it cannot break,
        whatever the package binds, as ``Resolver.provides`` says too. Asked of the resolver, so
        that a remembered check still rechecks the disk."""
        package = self.resolver.project.modules.get(source)
        in_a_package = package.is_package if package is not None else self.resolver.has_module(source)
        return in_a_package and not self._is_missing(f"{source}.{name}")

    def _has(self, source: str, name: str) -> bool:
        """Whether the text shows that ``source`` has ``name``, or that only a parse of it could
        say otherwise: then ``Resolver.provides`` cannot answer False (it answers None for a
        module that does not parse, or that star-imports one, so a claim made of a module's
        text holds whether it parses or not)."""
        if (source, name) not in self._shown:
            self._shown[source, name] = self.resolver.is_internal(source) and self._shows(source, name)
        return self._shown[source, name]

    def _shows(self, source: str, name: str) -> bool:
        facts = self.resolver.project.facts
        if name in MODULE_ATTRIBUTES or facts.binds_for_certain(source, name):
            return True
        for level, written in facts.star_imports_for_certain(source):
            star = self.resolver.import_source(source, TextImport(0, level, written, (("*", None),)))
            if star is None:
                continue
            if not self.resolver.is_internal(star):
                if not self._is_missing(star):
                    return True  # a module no reading sees into: any name may come from it
                continue
            shown = facts.top_level(star)
            if shown is None:
                continue
            exported = shown[0]  # its __all__, or None when no code names __all__
            if name in (exported or ()) or (
                exported is None and not name.startswith("_") and facts.binds_for_certain(star, name)
            ):
                return True
        return facts.binds_for_certain(source, "__getattr__")  # PEP 562: any name may be there

    def _is_missing(self, module: str) -> bool:
        if module not in self._missing:
            self._missing[module] = bool(self.resolver.missing_module(module))
        return self._missing[module]

    def _is_inside(self, module: str) -> bool:
        if module not in self._inside:
            self._inside[module] = within_any(module, self.packages)
        return self._inside[module]


def _breaks(resolver: Resolver, module: str, statement: ImportStatement) -> Iterator[_Break]:
    packages = resolver.project.root_packages
    if statement.module is None and statement.level == 0:  # import a.b.c [as d]
        for name, _ in statement.names:
            missing = resolver.missing_module(name)
            if missing and not _may_be_added(resolver, missing):
                yield _Break(name, None, missing)
        return
    source = resolver.import_source(module, statement)
    names = tuple(name for name, _ in statement.names)
    if source is None:  # from ... import x, above the top-level package
        yield _Break("." * statement.level + (statement.module or ""), None, None, names)
        return
    if source == "__future__" or not within_any(source, packages):
        return
    missing = resolver.missing_module(source)
    if missing:
        if not _may_be_added(resolver, missing):
            yield _Break(source, None, missing, names)
        return
    for name in names:
        if name == "*":
            continue
        provided = resolver.provides(source, name)
        if provided is False:
            yield _Break(source, name, None)
        elif provided and source == module:
            yield from _from_itself(resolver, module, statement, name)


def _from_itself(resolver: Resolver, module: str, statement: ImportStatement, name: str) -> Iterator[_Break]:
    """A module importing ``name`` from itself (``from . import x`` in a package's
    ``__init__``, ``from app.mod import X`` in app/mod.py) gets the module as far as it has run:
    the statement's own binding of the name is no source of it. With no other binding and no
    submodule of that name, Python fails as for any missing name; with the others all below a
    statement that runs while the module starts up, the name does not exist yet there."""
    if f"{module}.{name}" in resolver.project.modules or resolver.provides_anything(module):
        return
    parsed = resolver.parsed(module)
    if parsed is None:
        return
    others = [b.line for b in resolver.namespace(module).get(name, []) if b.line != statement.line]
    for star in parsed.imports:  # a star import binds what the module it reads exports (as provides asks)
        if star.is_star and star.scope == 0:
            source = resolver.import_source(module, star)
            if source is None or resolver.exports(source, name):
                others.append(star.line)
    if not others:
        if resolver.missing_module(f"{module}.{name}"):
            yield _Break(module, name, None)
    elif statement.scope == 0 and statement.kind.runs_at_import and min(others) > statement.line:
        yield _Break(module, name, None, below=min(others))


def _may_be_added(resolver: Resolver, missing: str) -> bool:
    """Whether a module Python imports before ``missing`` (each package above it) may add it at
    run time, as six adds ``six.moves``, or an extension module its own submodules (pyo3's, as
    hypothesis's ``_native`` adds ``_native.internal.floats``); or whether the plain module
    above it has a ``__getattr__`` (PEP 562), which Python asks for the ``__path__`` a plain
    module lacks (dask's ``dask/distributed.py`` hands over the ``distributed`` package's). Then
    only running the code tells whether it exists."""
    modules, facts = resolver.project.modules, resolver.project.facts
    above = packages_above(missing)
    parent = modules.get(above[-1]) if above else None
    if parent is not None and not parent.is_package and "__getattr__" in resolver.namespace(above[-1]):
        return True
    return any(
        facts.may_add_module(module, leaf(missing)) if module in modules else facts.extension_module(module)
        for module in above
    )


def _sought(broken: _Break) -> tuple[str, ...]:
    """The names whose homes the finding of ``broken`` suggests."""
    if broken.name is not None:
        return (broken.name,)
    return tuple(name for name in broken.names if name != "*") if broken.missing_module is not None else ()


def _finding(
    resolver: Resolver, contracts: ContractSet, module: str, statement: ImportStatement, broken: _Break
) -> Finding:
    project = resolver.project
    scope = resolver.scope_name(module, statement.scope)
    if broken.below is not None:
        what = (
            f"imports {broken.name} from {broken.target} itself, which binds it only below this statement "
            f"(l.{broken.below}): while the module starts up, {broken.name} does not exist yet there"
        )
        error = "ImportError"
        suggestions = []
    elif broken.name is not None:
        what = f"imports {broken.name} from {broken.target}, which does not define, bind, re-export or provide it"
        error = "ImportError"
        suggestions = _homes(resolver, contracts, broken.name, broken.target, module)
    elif broken.missing_module is not None:
        shown = f"{', '.join(broken.names)} from " if broken.names else ""
        detail = f" (there is no {broken.missing_module})" if broken.missing_module != broken.target else ""
        what = f"imports {shown}{broken.target}, a module that does not exist{detail}"
        error = "ModuleNotFoundError"
        suggestions = _modules_named(resolver, broken.missing_module)
        for name in broken.names:
            if name != "*":
                suggestions += [
                    s for s in _homes(resolver, contracts, name, broken.target, module) if s not in suggestions
                ]
    else:
        what = f"imports from {broken.target}, a relative import that climbs above the top-level package"
        error = "ImportError"
        suggestions = []
    return Finding(
        rule=RULE,
        path=project.path_of(module),
        line=statement.line,
        module=module,
        message=f"{what}: {_when(statement, scope, error)}",
        suggestion=_advice(suggestions, broken),
        identity=(module, scope, broken.target, broken.name or ""),
        details={
            "kind": statement.kind.value,
            "target": broken.target,
            "name": broken.name,
            "missing_module": broken.missing_module,
            "suggestions": suggestions[:_SUGGESTED],
        },
    )


def _when(statement: ImportStatement, scope: str, error: str) -> str:
    if statement.kind is ImportKind.MODULE:
        return f"it fails at import time ({error})"
    if statement.kind is ImportKind.GUARDED:
        return f"it would fail at import time ({error}) and the except clause around it swallows that silently"
    if statement.kind is ImportKind.DEFERRED:
        return f"it would fail ({error}) whenever {scope} runs"
    return "it never runs (it is under TYPE_CHECKING), but type checkers reject it"


def _advice(suggestions: list[str], broken: _Break) -> str:
    if broken.below is not None:
        return (
            f"Remove the import: below l.{broken.below} the module binds {broken.name} itself; use it after that line."
        )
    if not suggestions:
        return "Fix or remove the import: nothing in the project provides what it asks for."
    shown = ", ".join(suggestions[:_SUGGESTED])
    more = f" (and {len(suggestions) - _SUGGESTED} more)" if len(suggestions) > _SUGGESTED else ""
    return f"Import it from where it lives: {shown}{more}."


def _homes(resolver: Resolver, contracts: ContractSet, name: str, near: str, importer: str) -> list[str]:
    """Import statements for ``name``: its canonical home when contracted, else every module that
    defines it, closest to ``near`` (the module the import named) first."""
    canonical = contracts.canonical_home(name)
    if canonical is not None and resolver.provides(canonical.module, name):
        return [canonical.statement]
    # Only a module whose text may bind the name can define it: the others are not parsed.
    mentions = resolver.project.facts.mentions(name)
    mentioning = {module for module, mention in mentions.items() if mention.binds} - {importer}
    # Parsed on every core first: a name such as ``logger`` is bound in a thousand modules.
    resolver.project.facts.parse_ahead(sorted(mentioning))
    forms = {module: {b.form for b in resolver.namespace(module).get(name, ())} for module in mentioning}
    # A class or def is a home; a plain value (often a fallback such as ``Name = None``) only
    # when nothing better exists.
    definers = [m for m, found in forms.items() if found & {"class", "function"}]
    definers = definers or [m for m, found in forms.items() if "value" in found]
    return [f"from {module} import {name}" for module in sorted(definers, key=lambda m: (_distance(m, near), m))]


def _modules_named(resolver: Resolver, missing: str) -> list[str]:
    """Existing modules with the missing module's last name (it may have moved), closest first."""
    wanted = leaf(missing)
    found = [module for module in resolver.project.modules if leaf(module) == wanted]
    return [f"import {module}" for module in sorted(found, key=lambda m: (_distance(m, missing), m))]


def _distance(module: str, other: str) -> int:
    """Steps between two modules in the package tree."""
    a, b = module.split("."), other.split(".")
    common = 0
    while common < min(len(a), len(b)) and a[common] == b[common]:
        common += 1
    return len(a) + len(b) - 2 * common
