"""Files that cannot be parsed or read: reported, then left out, so the rest is still checked."""

from __future__ import annotations

from importcanon.application.project import Project
from importcanon.domain.facts import SyntaxProblem
from importcanon.domain.findings import Finding

RULE = "syntax-error"
UNREADABLE = "unreadable-source"


def find_syntax_errors(project: Project) -> list[Finding]:
    return [_finding(problem) for problem in project.problems]


def _finding(problem: SyntaxProblem) -> Finding:
    if not problem.readable:
        return Finding(
            rule=UNREADABLE,
            path=problem.path,
            line=None,
            module=problem.module,
            message=f"cannot read {problem.path}: {problem.message}; the modules in it are not checked",
            suggestion=(
                "Make it readable by the user running importcanon, or leave it out on purpose with [settings] exclude."
            ),
            identity=(problem.path,),
        )
    return Finding(
        rule=RULE,
        path=problem.path,
        line=problem.line,
        module=problem.module,
        message=f"{problem.module} cannot be parsed: {problem.message}",
        suggestion=(
            "Nothing is wrong with the module: report the failure to grimp, and meanwhile exclude "
            "the file or suppress this finding; until then its imports are missing from the graph."
            if problem.scanner_failed
            else "Fix the syntax so the module can be analysed; until then its imports are missing "
            "from the graph and no contract is checked against them."
        ),
        identity=(problem.path,),
    )
