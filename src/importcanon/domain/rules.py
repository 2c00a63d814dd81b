"""Every rule importcanon reports, by the id users cite in configuration, suppressions and CI.

One registry, so that ``importcanon rules``, rule selection, suppressions and every report
format (SARIF's ``tool.driver.rules``, JUnit's test cases) name the same set.
"""

from __future__ import annotations

from typing import NamedTuple


class Rule(NamedTuple):
    id: str
    summary: str  # one line: what a finding of this rule means
    help: str  # what to do about it
    baselinable: bool = True  # False: a finding of this rule is always new (a mistake, not a debt)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule(
            "contract",
            "An import chain breaks an import-linter contract, or a contract cannot be checked at all.",
            "Remove or invert the first import of the chain, or change the contract if the architecture changed.",
        ),
        Rule(
            "syntax-error",
            "A file cannot be parsed; its imports are missing from the graph.",
            "Fix the syntax so the module can be analysed, or exclude the file on purpose.",
        ),
        Rule(
            "unreadable-source",
            "A file or directory under the root packages cannot be read.",
            "Make it readable by the user running importcanon, or exclude it with [settings] exclude.",
        ),
        Rule(
            "import-cycle",
            "An import closes a cycle between modules of a [cycles] contract's scope.",
            "Remove, defer or invert the import named by the finding.",
        ),
        Rule(
            "legacy-import",
            "An import from a [[legacy]] package, from outside it.",
            "Import from the replacement the suggestion names instead.",
        ),
        Rule(
            "non-canonical-import",
            "A contracted symbol imported from somewhere other than its [[canonical]] home.",
            "Import it from its canonical home.",
        ),
        Rule(
            "alias-divergence",
            "A contracted name is bound to another object than the canonical one.",
            "Give the other object its own name, or bind the canonical one.",
        ),
        Rule(
            "duplicate-definition",
            "A contracted name is defined (class/def) outside its canonical home.",
            "Delete the second definition and import the canonical one.",
        ),
        Rule(
            "shim-module",
            "A module whose top level only re-binds names defined elsewhere: a second import path.",
            "Import from the real home and delete the shim, or declare it a [[canonical]] home.",
        ),
        Rule(
            "deprecated-usage",
            "An import or call of a [[deprecated]] name, through any alias or re-export.",
            "Use the replacement the contract names.",
        ),
        Rule(
            "broken-import",
            "An import of a module of the project that does not exist, or of a name its target does not provide.",
            "Import it from where it lives (the suggestion names the likely module), or remove the import.",
        ),
        Rule(
            "stale-contract",
            "A [[legacy]] package, [[deprecated]] name, [cycles] package or [[canonical]] module that does not exist.",
            "If the migration removed it, delete this contract; if it is a typo, fix it. Never baselined.",
            baselinable=False,
        ),
        Rule(
            "missing-canonical",
            "A [[canonical]] contract whose home does not exist or does not bind the symbol.",
            "Fix the contract, or create the canonical home.",
        ),
        Rule(
            "unused-suppression",
            "An `# importcanon: ignore[...]` comment that suppresses nothing on its line, or cannot be read.",
            "Delete the comment, or the rule ids in it that no longer apply.",
        ),
    )
}
