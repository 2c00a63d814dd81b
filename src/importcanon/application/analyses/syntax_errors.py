"""Files that do not parse: reported, then left out, so the rest of the project is still checked."""

from __future__ import annotations

from importcanon.application.project import Project
from importcanon.domain.findings import Finding

RULE = "syntax-error"


def find_syntax_errors(project: Project) -> list[Finding]:
    return [
        Finding(
            rule=RULE,
            path=problem.path,
            line=problem.line,
            module=problem.module,
            message=f"{problem.module} cannot be parsed: {problem.message}",
            suggestion=(
                "Fix the syntax so the module can be analysed; until then its imports are missing "
                "from the graph and no contract is checked against them."
            ),
            identity=(problem.path,),
        )
        for problem in project.problems
    ]
