"""``pytest --importcanon [PROJECT_DIR]``: the architecture as test items, one per import-linter
contract and one per importcanon rule, each failing with its new findings at ``path:line``.

The baseline is honoured, so a known violation does not fail a test: the "fail before, pass
after" tests a team writes by hand, without writing any. This module is imported by every pytest
run where importcanon is installed, so it imports nothing of importcanon until asked to.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from importcanon.application.check import CheckResult

MARKER = "importcanon"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("importcanon", "architecture contracts checked by importcanon")
    group.addoption(
        "--importcanon",
        nargs="?",
        const=".",
        default=None,
        metavar="PROJECT_DIR",
        help="Collect a test per import-linter contract and per importcanon rule of PROJECT_DIR (default: .), "
        "failing with the new findings.",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", f"{MARKER}: an importcanon contract or rule (collected by --importcanon)")


@pytest.hookimpl(tryfirst=True)  # before -k and -m deselect, so they apply to these items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    option = config.getoption("importcanon")
    if option is None:
        return
    project_dir = Path(config.invocation_params.dir, option)
    collector = ImportcanonProject.from_parent(session, name=MARKER, path=project_dir, nodeid=MARKER)
    items[:0] = list(collector.collect())


class ImportcanonFailure(Exception):
    """New findings, or a project importcanon cannot check: shown as text, never a traceback."""


class ImportcanonProject(pytest.Collector):
    """The project's contracts and rules; the check runs once, when the first item needs it."""

    def collect(self) -> Iterator[pytest.Item]:
        from importcanon.domain.errors import ImportcanonError

        try:
            contracts = self._contract_names()
        except ImportcanonError as error:
            yield ImportcanonItem.from_parent(self, name="configuration", problem=f"importcanon: error: {error}")
            return
        from importcanon.adapters.reporting.junit_report import CONTRACT_RULE
        from importcanon.domain.rules import RULES

        for name in contracts:
            yield ImportcanonItem.from_parent(self, name=f"contract: {name}", contract=name)
        for rule in RULES:
            if rule != CONTRACT_RULE:
                yield ImportcanonItem.from_parent(self, name=rule, rule=rule)

    def _contract_names(self) -> tuple[str, ...]:
        from importcanon.adapters.configuration import read_import_linter_config
        from importcanon.adapters.workspace import project_root
        from importcanon.application.check import contract_names

        return contract_names(read_import_linter_config(project_root(self.path)))

    @cached_property
    def outcome(self) -> CheckResult | str:
        """The check's result, or the error that stopped it."""
        from importcanon.cli import check_project
        from importcanon.domain.errors import ImportcanonError

        try:
            return check_project(self.path)[1]
        except ImportcanonError as error:
            return f"importcanon: error: {error}"


class ImportcanonItem(pytest.Item):
    def __init__(
        self, *, contract: str | None = None, rule: str | None = None, problem: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.contract = contract
        self.rule = rule
        self.problem = problem
        self.add_marker(MARKER)

    def runtest(self) -> None:
        from importcanon.adapters.reporting.junit_report import CONTRACT_RULE, failure_text
        from importcanon.adapters.reporting.text_report import plural
        from importcanon.domain.findings import Status

        assert isinstance(self.parent, ImportcanonProject)
        outcome = self.problem or self.parent.outcome
        if isinstance(outcome, str):
            raise ImportcanonFailure(outcome)
        new = [
            finding
            for finding in outcome.findings
            if finding.status is Status.NEW
            and (
                finding.rule == self.rule
                or (finding.rule == CONTRACT_RULE and str(finding.details.get("contract")) == self.contract)
            )
        ]
        if new:
            raise ImportcanonFailure(f"{plural(len(new), 'new finding')}:\n{failure_text(new)}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ImportcanonFailure):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"importcanon {self.name}"
