"""Legacy packages: code outside a compatibility package must not import through it.

Every import edge into a ``[[legacy]]`` package from outside it is a ``legacy-import`` finding at
the statement's ``path:line``. The suggestion is the exact statement to write instead, found by
resolving what each imported name really is through the shim's re-exports; where a name cannot
be resolved, the corresponding module of the replacement package.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from importcanon.application.cycles import CycleClosing, CycleScope
from importcanon.application.module_swaps import swap_problems
from importcanon.application.project import Project
from importcanon.application.symbols import Resolved, Resolver
from importcanon.domain.contracts import ContractSet, Legacy
from importcanon.domain.facts import ImportKind, ImportStatement, TextImport, describe_kind
from importcanon.domain.findings import Finding
from importcanon.domain.modules import is_within, leaf

RULE = "legacy-import"
_DEFERRED = ImportKind.DEFERRED.value
_STATEMENTS = ("from ", "import ")  # the lines of a suggestion to write; the others are notes
#: How a note begins when the replacement binds the name to another object: fix refuses it as such.
DIFFERENT_OBJECT = "Decide which object is meant"


@dataclass(frozen=True)
class _Told:
    """A name the suggestion cannot rewrite, for a reason of its own: ``note`` is the sentence of
    the suggestion, ``clause`` what the message says of it (pydantic's v1 BaseModel, whose
    replacement binds v2's class under that name)."""

    note: str
    clause: str


def find_legacy_imports(
    resolver: Resolver, contracts: ContractSet, cycle_scope: CycleScope | None = None
) -> list[Finding]:
    """A legacy package that does not exist has no imports here: it is a ``stale-contract``.
    ``cycle_scope``: the ``[cycles]`` contract's, when there is one: the advice says when an
    import it names would close a cycle the contract reports (see :func:`_with_cycle_caveats`)."""
    findings: list[Finding] = []
    project = resolver.project
    for contract in contracts.legacy:
        members = sorted(m for m in project.modules if is_within(m, contract.package))
        lines: dict[tuple[str, int], list[str]] = {}
        importers = project.importers_of(members)
        for imported in members:
            for importer in sorted(importers[imported]):
                if importer in project.modules and not is_within(importer, contract.package):
                    for site in project.sites(importer, imported):
                        lines.setdefault((importer, site.line), []).append(site.kind.value)
        # A module-level statement is read from the text; the others need their module parsed. A
        # deferred one (in a function: it needs the parse for the function's name too) cannot be
        # read from the text, so the text is not read for it.
        read = {
            site: None if all(kind == _DEFERRED for kind in kinds) else _read_from_text(resolver, contract, *site)
            for site, kinds in sorted(lines.items())
        }
        project.facts.parse_ahead(sorted({importer for (importer, _), text in read.items() if text is None}))
        for (importer, line), kinds in sorted(lines.items()):
            text = read[importer, line]
            statements = text if text is not None else _parsed_statements(resolver, contract, importer, line)
            findings.extend(_statement_findings(resolver, contract, contracts, importer, line, kinds[0], statements))
    return _with_cycle_caveats(project, cycle_scope, findings)


def _with_cycle_caveats(project: Project, scope: CycleScope | None, findings: list[Finding]) -> list[Finding]:
    """Each finding whose advice imports from a module that already reaches the importer through
    the imports the ``[cycles]`` contract counts says so, as the non-canonical-import advice does
    (both ask :class:`~importcanon.application.cycles.CycleClosing`): flask.app imports
    flask.debughelpers (in a function), so ``from flask.app import App`` there would close a
    cycle check reports, and ``fix`` refuses it (``closes_cycle`` in JSON)."""
    if scope is None:
        return findings
    closing = CycleClosing(project, scope)
    caveated = []
    for finding in findings:
        importer, kind = finding.module or "", ImportKind(finding.details["kind"])
        homes = sorted({str(r["module"]) for r in finding.details["rewrites"] if r["module"]})
        closed = [home for home in homes if closing.closes(home, importer, kind)]
        if closed:
            caveat = (
                f"Only once the import cycle it would close is broken: {', '.join(closed)} already "
                f"{'reaches' if len(closed) == 1 else 'reach'} {importer} (`importcanon fix --diff` names the "
                "cycle, and leaves this import until then)."
            )
            suggestion = f"{finding.suggestion.rstrip('.')}. {caveat}"
            finding = replace(finding, suggestion=suggestion, details={**finding.details, "closes_cycle": True})
        caveated.append(finding)
    return caveated


def _read_from_text(resolver: Resolver, contract: Legacy, importer: str, line: int) -> list[TextImport] | None:
    """The statements on ``line`` that reach into the legacy package, when the text tells them
    exactly (at module level: their scope is the module, no parse needed to name it)."""
    statements = resolver.project.facts.imports_at(importer, line)
    found = [s for s in statements or () if _legacy_names(resolver, importer, s, contract.package)]
    return found or None


def _parsed_statements(resolver: Resolver, contract: Legacy, importer: str, line: int) -> list[ImportStatement]:
    parsed = resolver.parsed(importer)
    return [
        statement
        for statement in (parsed.imports if parsed else ())
        if statement.line == line and _legacy_names(resolver, importer, statement, contract.package)
    ]


def _statement_findings(
    resolver: Resolver,
    contract: Legacy,
    contracts: ContractSet,
    importer: str,
    line: int,
    kind: str,
    statements: Sequence[ImportStatement] | Sequence[TextImport],
) -> Iterable[Finding]:
    if not statements:  # a file grimp reads but Python cannot parse: say only where to go
        instead = [f"Import from {contract.replacement} instead."]
        what = f"from {contract.package}"
        whereabouts = f"its code lives in {contract.replacement} now"  # as far as the contract says
        yield _finding(resolver, contract, importer, line, kind, what, whereabouts, (contract.package,), instead, [])
    for statement in statements:
        names = _legacy_names(resolver, importer, statement, contract.package)
        if statement.module is None and statement.level == 0:
            what = "the module " + ", ".join(name for name, _ in names)
            target = names[0][0]
        else:
            target = resolver.import_source(importer, statement) or contract.package
            what = f"{', '.join(name for name, _ in names)} from {target}"
        scope = resolver.scope_name(importer, statement.scope) if isinstance(statement, ImportStatement) else "<module>"
        identity = (target, scope, *sorted(name for name, _ in names))
        lacking: dict[tuple[str, str | None], tuple[str, list[str]]] = {}
        told: dict[tuple[str, str | None], str] = {}
        instead, rewrites, stand_ins = _replacement(
            resolver, contract, contracts, importer, statement, names, (lacking, told)
        )
        whereabouts = _whereabouts(
            contract, names, rewrites, lacking, told, _still_legacy(resolver, contract, rewrites)
        )
        yield _finding(
            resolver, contract, importer, line, kind, what, whereabouts, identity, instead, rewrites, stand_ins
        )


def _finding(
    resolver: Resolver,
    contract: Legacy,
    importer: str,
    line: int,
    kind: str,
    what: str,
    whereabouts: str,
    identity: tuple[str, ...],
    instead: list[str],
    rewrites: list[dict[str, str | None]],
    stand_ins: Sequence[tuple[str, str]] = (),
) -> Finding:
    return Finding(
        rule=RULE,
        path=resolver.project.path_of(importer),
        line=line,
        module=importer,
        message=(
            f"imports {what}, inside the legacy package {contract.package} ({describe_kind(kind)} import); "
            f"{whereabouts}"
        ),
        suggestion=_suggestion(instead, stand_ins),
        identity=(importer, *identity),
        details={
            "legacy": contract.package,
            "replacement": contract.replacement,
            "kind": kind,
            "instead": instead,
            "rewrites": rewrites,
            "closes_cycle": False,
        },
    )


def _still_legacy(
    resolver: Resolver, contract: Legacy, rewrites: list[dict[str, str | None]]
) -> dict[tuple[str, str | None], str]:
    """For each rewrite to a name the replacement only passes on, the legacy module that still
    defines the object (sklearn.utils.fixes' parse_version is sklearn.externals._packaging's)."""
    found = {}
    for rewrite in rewrites:
        module, attribute = rewrite["module"], rewrite["attribute"]
        resolved = resolver.resolve(module, attribute) if module and attribute else None
        if resolved is not None and not resolved.is_module and not resolved.external:
            home = resolved.qualified.rpartition(".")[0]
            if is_within(home, contract.package):
                found[rewrite["name"] or "", rewrite["alias"]] = home
    return found


def _whereabouts(
    contract: Legacy,
    names: list[tuple[str, str | None]],
    rewrites: list[dict[str, str | None]],
    lacking: Mapping[tuple[str, str | None], tuple[str, list[str]]],
    told_of: Mapping[tuple[str, str | None], str],
    still_legacy: Mapping[tuple[str, str | None], str],
) -> str:
    """Where the code of the imported names is now, as the suggestion found it: the message must
    not say it lives in the replacement when the suggestion is to move it there first (Home
    Assistant's cached_property), nor when it lives somewhere else (sympy's Integer, re-exported
    by sympy.codegen.ast from sympy.core). A name with a rewrite has a counterpart (a module
    swapped in is named itself, not the module it is imported from: SQLAlchemy's ``from .. import
    future`` said "lives in sqlalchemy"); one without has to move into the replacement first, or,
    a module whose namesake lacks what the file uses of it (``lacking``), that has to move; a name
    with a reason of its own (``told_of``: a different object of that name in the replacement, a
    star import the replacement's would not match) is told by it. A name the replacement only
    passes on (``still_legacy``: sklearn.utils.fixes' parse_version) has its code where it was."""
    found = {(rewrite["name"], rewrite["alias"]): rewrite for rewrite in rewrites}
    places: dict[str, list[str]] = {}
    passed: dict[tuple[str, str], list[str]] = {}  # (the module passing it on, the code's) -> names
    for name, alias in names:
        rewrite = found.get((name, alias))
        if rewrite is not None:
            module, attribute = rewrite["module"] or "", rewrite["attribute"]
            qualified = f"{module}.{attribute}" if attribute else module
            place = contract.replacement if is_within(qualified, contract.replacement) else module
            legacy_home = still_legacy.get((name, alias))
            if legacy_home is not None:
                passed.setdefault((module, legacy_home), []).append(name)
            else:
                places.setdefault(place, []).append(name)
    missing = [
        name
        for name, alias in names
        if (name, alias) not in found and (name, alias) not in lacking and (name, alias) not in told_of
    ]
    if not missing and not lacking and not told_of and len(places) + len(passed) == 1:
        if places:
            return f"its code lives in {next(iter(places))} now"
        (module, legacy_home), some = next(iter(passed.items()))
        return f"{module} passes {'it' if len(some) == 1 else 'them'} on; the code is still in {legacy_home}"
    if not places and not passed and not lacking and not told_of:
        return f"its code should move into {contract.replacement}: it has no counterpart there yet"
    told = [
        f"{', '.join(some)} {'lives' if len(some) == 1 else 'live'} in {place} now" for place, some in places.items()
    ]
    told.extend(
        f"{', '.join(some)} {'is' if len(some) == 1 else 'are'} passed on by {module} (the code is still in {home})"
        for (module, home), some in passed.items()
    )
    told.extend(told_of.values())
    for new, used in lacking.values():
        one = len(used) == 1
        told.append(
            f"{', '.join(used)} {'has' if one else 'have'} no counterpart in {new}: "
            f"{'it' if one else 'they'} should move there first"
        )
    if len(missing) == 1:
        told.append(f"{missing[0]} should move into {contract.replacement}: it has no counterpart there yet")
    elif missing:
        told.append(
            f"the other {len(missing)} should move into {contract.replacement}: they have no counterpart there yet"
        )
    return "; ".join(told)


def _suggestion(instead: list[str], stand_ins: Sequence[tuple[str, str]]) -> str:
    """The statements to write; where one names the replacement's namesake of a legacy module or
    name rather than the same object, it says so: ``future.select`` may not exist in the module
    that stands in for ``future`` (``importcanon fix`` checks every use before it rewrites)."""
    statements = [line for line in instead if line.startswith(_STATEMENTS)]
    notes = [line for line in instead if line not in statements]
    told = ([f"Write instead: {'; '.join(statements)}"] if statements else []) + _hedges(stand_ins) + notes
    if len(told) < 2:
        return "".join(told)
    return ". ".join(part.rstrip(".") for part in told) + "."


def _hedges(stand_ins: Sequence[tuple[str, str]]) -> list[str]:
    """The caveat for each namesake the suggestion names, one sentence each."""
    return [
        f"{new} stands in for {old} by name only: check that what this file uses of it exists there "
        "(importcanon fix does)."
        for new, old in stand_ins
    ]


def _legacy_names(
    resolver: Resolver, importer: str, statement: ImportStatement | TextImport, package: str
) -> list[tuple[str, str | None]]:
    """The (name, alias) pairs of a statement that reach into ``package``."""
    if statement.module is None and statement.level == 0:
        return [(name, alias) for name, alias in statement.names if is_within(name, package)]
    source = resolver.import_source(importer, statement)
    if source is None:
        return []
    if is_within(source, package):
        return list(statement.names)
    return [(name, alias) for name, alias in statement.names if is_within(f"{source}.{name}", package)]


def _replacement(
    resolver: Resolver,
    contract: Legacy,
    contracts: ContractSet,
    importer: str,
    statement: ImportStatement | TextImport,
    names: list[tuple[str, str | None]],
    unwritten: tuple[dict[tuple[str, str | None], tuple[str, list[str]]], dict[tuple[str, str | None], str]],
) -> tuple[list[str], list[dict[str, str | None]], list[tuple[str, str]]]:
    """The statements to write instead of the legacy part of ``statement``, and the same as data
    for ``importcanon fix``: per imported name (and alias), the module and attribute (None for a
    plain ``import module``) it becomes; names with no counterpart yet have no entry. Last, the
    (replacement, legacy) pairs that are namesakes, not the same object, whose uses in the file
    could not be checked as fix checks them. A legacy module whose namesake lacks what the file
    uses of it has no entry either: what has to move is added to ``lacking`` (the first of
    ``unwritten``); a name told of for a reason of its own, to the second."""
    lacking, told_of = unwritten
    if statement.module is None and statement.level == 0:
        return _plain_replacement(resolver.project, contract, importer, names, (resolver, lacking))
    rewrites: list[dict[str, str | None]] = []
    stand_ins: list[tuple[str, str]] = []
    source = resolver.import_source(importer, statement) or contract.package
    by_home: dict[str, list[str]] = {}
    modules: list[str] = []
    notes: list[str] = []
    own: list[str] = []  # what the replacement module itself imports from the legacy package
    for name, alias in names:
        bound = alias or name
        located = _home_of(resolver, contract, contracts, source, name)
        if isinstance(located, str):
            notes.append(located)
            continue
        if isinstance(located, _Told):
            notes.append(located.note)
            told_of[name, alias] = located.clause
            continue
        (home, attribute), namesake_of = located
        if importer in (home, attribute if not home else f"{home}.{attribute}"):
            own.append(source if name == "*" else f"{source}.{name}")
            continue
        if namesake_of is not None:
            new = f"{home}.{attribute}" if home else attribute
            missing = _lacking(
                resolver, (importer, statement.line), bound, namesake_of, new, resolver.resolve(home, attribute)
            )
            if missing:
                notes.extend(_move_first(f"{namesake_of}.{used}", contract, new) for used in missing)
                lacking[name, alias] = (new, [f"{bound}.{used}" for used in missing])
                continue
            stand_ins.append((new, namesake_of))
        if not home:  # a top-level module: only ``import x as bound`` binds it
            modules.append(f"import {attribute}" + (f" as {bound}" if bound != attribute else ""))
            rewrites.append(_rewrite(name, alias, attribute, None))
        else:
            by_home.setdefault(home, []).append(attribute if attribute == bound else f"{attribute} as {bound}")
            rewrites.append(_rewrite(name, alias, home, attribute))
    if own:
        notes.append(_move_here(", ".join(own), importer))
    lines = [f"from {home} import {', '.join(parts)}" for home, parts in by_home.items()] + modules + notes
    return lines, rewrites, stand_ins


def _plain_replacement(
    project: Project,
    contract: Legacy,
    importer: str,
    names: list[tuple[str, str | None]],
    file: tuple[Resolver, dict[tuple[str, str | None], tuple[str, list[str]]]] | None = None,
) -> tuple[list[str], list[dict[str, str | None]], list[tuple[str, str]]]:
    """``_replacement`` of ``import legacy.mod [as alias]``: the replacement's module of the same
    name, a namesake only, or what has to move first when there is none (or when it is the
    importer itself). Without ``file`` it reads nothing of the importer but its name, so it can
    be asked of a module that does not exist yet; with it (the resolver and ``lacking``), an
    aliased import's uses in the file are checked as fix checks them."""
    lines: list[str] = []
    rewrites: list[dict[str, str | None]] = []
    stand_ins: list[tuple[str, str]] = []
    for name, alias in names:
        moved = moved_module(project, contract, name)
        if moved is None:
            lines.append(_move_first(name, contract))
        elif moved == importer:
            lines.append(_move_here(name, importer))
        else:
            if file is not None and alias:
                resolver, lacking = file
                missing = _lacking(resolver, (importer, None), alias, name, moved, resolver.module_ref(moved))
                if missing:
                    lines.extend(_move_first(f"{name}.{used}", contract, moved) for used in missing)
                    lacking[name, alias] = (moved, [f"{alias}.{used}" for used in missing])
                    continue
            lines.append(f"import {moved}" + (f" as {alias}" if alias else ""))
            rewrites.append(_rewrite(name, alias, moved, None))
            stand_ins.append((moved, name))
    return lines, rewrites, stand_ins


def _lacking(
    resolver: Resolver, site: tuple[str, int | None], bound: str, legacy: str, module: str, new: Resolved | None
) -> list[str]:
    """The attributes the file reads from ``bound``, the legacy module ``legacy``, that its
    namesake ``module`` (``new`` as the new statement gives it) does not give as the same object,
    by fix's own check of the file's uses (SQLAlchemy's ``future.select``: sqlalchemy.engine has
    no select): that code has to move first. Empty when every use is the same, and when fix would
    refuse the swap for another reason or cannot tell (the namesake's hedge stays). ``site``: the
    importer and the line of its import (None: not told), whose function's uses alone count when
    only it binds the name there, as fix reads them."""
    importer, line = site
    if new is None and resolver.missing_module(module) is None and resolver.project.facts.extension_module(module):
        new = resolver.module_ref(module)  # a compiled namesake: no reading sees its names
    if new is None or not new.is_module:
        return []
    uses = resolver.project.facts.name_uses(importer, bound, line)
    problems = swap_problems(resolver, uses, bound, resolver.module_ref(legacy), new)
    attributes = [problem.attribute for problem in problems if problem.attribute is not None]
    return attributes if len(attributes) == len(problems) else []


def module_advice(project: Project, contract: Legacy, importer: str, module: str) -> tuple[str | None, list[str]]:
    """What ``legacy-import`` tells ``importer`` of a module-level ``import module`` (a module of
    the legacy package): the module to import instead (None when the code has to move first) and
    the rest of its suggestion, sentence by sentence (what has to move, or that the module named
    is a namesake only). ``can-import`` answers with it, so the two never disagree: it had said
    'import from homeassistant.util instead' where check said to move the code there first."""
    lines, rewrites, stand_ins = _plain_replacement(project, contract, importer, [(module, None)])
    instead = next((rewrite["module"] for rewrite in rewrites), None)
    return instead, [*_hedges(stand_ins), *(line for line in lines if not line.startswith(_STATEMENTS))]


def _rewrite(name: str, alias: str | None, module: str, attribute: str | None) -> dict[str, str | None]:
    return {"name": name, "alias": alias, "module": module, "attribute": attribute}


def _home_of(
    resolver: Resolver, contract: Legacy, contracts: ContractSet, source: str, name: str
) -> tuple[tuple[str, str], str | None] | str | _Told:
    """Where the object ``from source import name`` gives really lives, outside the legacy
    package: (module, attribute), ("", module) for a top-level module, with the legacy name it
    only stands in for when it is a namesake in the replacement, not the same object (None when
    it is the same); or a note saying what has to move first; or, when the replacement binds
    the name to another object (pydantic.BaseModel is not pydantic.v1's), what that is."""
    moved_source = moved_module(resolver.project, contract, source) if is_within(source, contract.package) else None
    resolved = resolver.resolve(source, name) if name != "*" else None
    if resolved is None or resolved.external:
        namesake = moved_source or contract.replacement
        if name == "*":
            lost = _lost_by_star(resolver, source, namesake)
            if lost:
                them = "it" if len(lost) == 1 else "them"
                return _Told(
                    note=(
                        f"Move {', '.join(f'{source}.{one}' for one in lost)} into {namesake} first: "
                        f"from {namesake} import * does not bind {them}."
                    ),
                    clause=(
                        f"from {namesake} import * would not bind {', '.join(lost)}: "
                        f"{'it' if len(lost) == 1 else 'they'} should move there first"
                    ),
                )
            return (namesake, name), f"{source}.{name}"
        provided = resolver.provides(namesake, name)
        if provided is not False and (
            resolver.resolve(namesake, name) == resolved
            if resolved
            else resolver.origin(namesake, name) == resolver.origin(source, name)
        ):
            return (namesake, name), None  # the very object, compiled or third-party: not a namesake
        stop = _compiled_in_replacement(resolver, contract, source, name) if resolved is None else None
        if stop is not None:
            return stop, None
        if provided is False:
            return _move_first(f"{source}.{name}", contract)  # an import of it from there would break
        return (namesake, name), f"{source}.{name}"
    if resolved.is_module:
        module = resolved.qualified
        namesake_of = None
        if is_within(module, contract.package):
            moved = moved_module(resolver.project, contract, module)
            if moved is None:
                return _move_first(module, contract)
            module, namesake_of = moved, module
        parent, _, child = module.rpartition(".")
        return (parent, child), namesake_of
    canonical = contracts.canonical_home(leaf(resolved.qualified))
    if canonical is not None and resolver.resolve(canonical.module, canonical.symbol) == resolved:
        return (canonical.module, canonical.symbol), None
    home, _, attribute = resolved.qualified.rpartition(".")
    if is_within(home, contract.package):
        # Still defined in the legacy package, but the replacement may pass the very object on
        # already (attrs' ``from attr import Attribute``): then importing it from there is exact.
        places = list(dict.fromkeys(m for m in (moved_source, contract.replacement) if m))
        for passed_on in places:
            if resolver.resolve(passed_on, name) == resolved:
                return (passed_on, name), None
        for passed_on in places:
            renamed = _passed_on_as(resolver, passed_on, resolved, attribute)
            if renamed is not None:
                return (passed_on, renamed), None
        for passed_on in places:
            other = resolver.resolve(passed_on, name)
            if other is not None:
                return _different_object(contract, name, resolved.qualified, passed_on, other.qualified)
        return _move_first(resolved.qualified, contract)
    return (home, attribute), None


def _passed_on_as(resolver: Resolver, module: str, resolved: Resolved, attribute: str) -> str | None:
    """Another name ``module`` binds the very object ``resolved`` to, by an import or an alias
    of its own name (sklearn.utils.fixes: ``from sklearn.externals._packaging.version import
    parse as parse_version``); the first in name order, None when there is none."""
    for name, bindings in sorted(resolver.namespace(module).items()):
        if (
            any(
                binding.form in ("import", "alias") and (binding.source_name or "").rpartition(".")[2] == attribute
                for binding in bindings
            )
            and resolver.resolve(module, name) == resolved
        ):
            return name
    return None


def _lost_by_star(resolver: Resolver, source: str, namesake: str) -> list[str]:
    """The names ``from source import *`` binds that ``from namesake import *`` does not, when
    both can be told: pydantic.tools names none in ``__all__`` and migrates them through
    ``__getattr__``, which a star import never calls, so it binds only getattr_migration."""
    old, new = resolver.star_exports(source), resolver.star_exports(namesake)
    if old is None or new is None:
        return []
    return sorted(old - new)


def _compiled_in_replacement(resolver: Resolver, contract: Legacy, source: str, name: str) -> tuple[str, str] | None:
    """Where reading of ``from source import name`` stops, when that is a compiled module inside
    the replacement: then the code is there already, and an import from there gives the very
    object (pandas.tseries.offsets passes on every name of the compiled
    pandas._libs.tslibs.offsets). Where reading stops stands for the defining module, as for a
    canonical home; None when it stops anywhere else."""
    module, attribute = resolver.origin(source, name)
    if (
        is_within(module, contract.replacement)
        and not is_within(module, contract.package)
        and resolver.project.facts.extension_module(module)
    ):
        return module, attribute
    return None


def _different_object(contract: Legacy, name: str, legacy: str, module: str, other: str) -> _Told:
    """``module`` of the replacement binds ``name`` to ``other``, not to the legacy object: an
    import from there changes behaviour, and moving the legacy object in under that name would
    replace ``other`` (the non-canonical-import rule's 'a different object')."""
    return _Told(
        note=(
            f"{DIFFERENT_OBJECT}: importing {name} from {module} gives {other}, "
            f"and moving {legacy} into {contract.replacement} under that name would replace it."
        ),
        clause=(
            f"{module}.{name} is {other}, a different object than {legacy}, "
            f"which has no counterpart in {contract.replacement}"
        ),
    )


def _move_first(name: str, contract: Legacy, into: str | None = None) -> str:
    """``into``: the module of the replacement that stands in for ``name``'s module, when there is one."""
    return f"Move {name} into {into or contract.replacement} first: it has no counterpart there yet."


def _move_here(name: str, importer: str) -> str:
    """The replacement module itself imports ``name`` from the legacy package: the statement
    that would import it from the replacement would import ``importer`` from itself (a package
    half-initialised, or a module importing itself), so the code has to move in instead."""
    return f"Move {name} into {importer} itself: it is the replacement, and a module cannot import from itself."


def moved_module(project: Project, contract: Legacy, module: str) -> str | None:
    """``legacy.sub`` -> ``replacement.sub`` when that exists (analysed, a namespace package or
    a compiled module); None when it does not."""
    candidate = contract.replacement + module[len(contract.package) :]
    if candidate in project.modules or candidate in project.namespace_packages:
        return candidate
    # A compiled module is a module of the project too: Python imports it (pandas._libs.tslibs.offsets).
    return (
        candidate if is_within(candidate, contract.replacement) and project.facts.extension_module(candidate) else None
    )
