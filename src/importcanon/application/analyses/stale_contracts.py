"""Contracts that name nothing: a mistake to fix now, never a debt to record.

A ``[[legacy]]`` package, ``[[deprecated]]`` name, ``[cycles]`` package or ``[[canonical]]``
module that does not exist checks nothing, so the check would pass while the violations it was
written for go unseen, and ``baseline update`` would drop them as "fixed". Each is a
``stale-contract`` finding, which the baseline never records (see :mod:`importcanon.domain.rules`).
A name inside a file that cannot be read or parsed is not judged (its syntax error is reported),
nor one its module may provide unseen (a module ``__getattr__``, ``globals()`` writes).
"""

from __future__ import annotations

from collections.abc import Iterator

from importcanon.application.definitions import defined, replacement_exists, unknowable
from importcanon.application.project import Project
from importcanon.application.symbols import Resolver
from importcanon.domain.contracts import ContractSet, CycleContract, Origin
from importcanon.domain.findings import Finding
from importcanon.domain.modules import is_within

RULE = "stale-contract"
ADVICE = "if the migration removed it, delete this contract; if it is a typo, fix it"

# The rules whose baseline entries a stale contract's violations were recorded under: while the
# contract names nothing, ``baseline update`` keeps them (the violations are unseen, not fixed).
RECORDED_UNDER = {
    "legacy": ("legacy-import",),
    "deprecated": ("deprecated-usage",),
    "cycles": ("import-cycle",),
    "canonical": ("non-canonical-import", "alias-divergence", "duplicate-definition", "missing-canonical"),
}


def find_stale_contracts(resolver: Resolver, contracts: ContractSet) -> list[Finding]:
    project = resolver.project
    findings = [
        _finding("legacy", "package", contract.package, contract.origin)
        for contract in contracts.legacy
        if not _exists(project, contract.package)
    ]
    findings.extend(
        _finding("deprecated", "name", contract.name, contract.origin)
        for contract in contracts.deprecated
        if not defined(resolver, contract.name)
    )
    findings.extend(
        _missing_replacement(contract.name, contract.replacement, contract.origin)
        for contract in contracts.deprecated
        if contract.replacement is not None and not replacement_exists(resolver, contract.replacement)
    )
    if contracts.cycles is not None and contracts.cycles.origin is not None:
        origin = contracts.cycles.origin
        findings.extend(
            _finding("cycles", "package", package, origin)
            for package in _missing_cycle_packages(project, contracts.cycles)
        )
    findings.extend(
        _finding("canonical", "module", contract.module, contract.origin)
        for contract in contracts.canonical
        if not _exists(project, contract.module)
    )
    return findings


def live_cycle_contract(project: Project, contract: CycleContract | None) -> CycleContract | None:
    """The ``[cycles]`` contract without the packages that do not exist (reported as stale);
    None when it named packages and none of them exists."""
    if contract is None or contract.packages is None:
        return contract
    missing = set(_missing_cycle_packages(project, contract))
    packages = tuple(package for package in contract.packages if package not in missing)
    return contract._replace(packages=packages) if packages else None


def _missing_cycle_packages(project: Project, contract: CycleContract) -> Iterator[str]:
    return (package for package in contract.packages or () if not _exists(project, package))


def _exists(project: Project, name: str) -> bool:
    """A module or package of the project, or one hidden behind a file that cannot be read."""
    if name in project.namespace_packages or any(is_within(module, name) for module in project.modules):
        return True
    return unknowable(project, name)


def _missing_replacement(name: str, replacement: str, origin: Origin) -> Finding:
    """The usages of the deprecated name are still found; only the advice to use the
    replacement would name nothing (an import that fails): nothing goes unseen."""
    return Finding(
        rule=RULE,
        path=origin.path,
        line=origin.line,
        module=None,
        message=(
            f"[[deprecated]] replacement {replacement} (for {name}) names nothing: there is no such definition "
            "in the project, so its usages are told to stop, not to use it"
        ),
        suggestion=f"Correct the replacement's name, or leave replacement out until {replacement} exists.",
        identity=("deprecated-replacement", replacement),
        details={"table": "deprecated", "names": replacement, "recorded_under": []},
    )


def _finding(table: str, key: str, name: str, origin: Origin) -> Finding:
    form = f"[{table}]" if table == "cycles" else f"[[{table}]]"
    return Finding(
        rule=RULE,
        path=origin.path,
        line=origin.line,
        module=None,
        message=f"{form} {key} {name} names nothing: there is no such {_kind(key)} in the project; {ADVICE}",
        suggestion=(
            f"Delete the {form} contract for {name} or correct the name; until then the violations "
            "recorded for it stay in the baseline."
        ),
        identity=(table, name),
        details={"table": table, "names": name, "recorded_under": list(RECORDED_UNDER[table])},
    )


def _kind(key: str) -> str:
    return {"package": "package", "module": "module", "name": "definition"}[key]
