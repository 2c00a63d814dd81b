"""GitHub Actions workflow commands: an error annotation per new finding, a notice per fixed
violation still recorded in the baseline. Baselined findings stay silent: they are known."""

from __future__ import annotations

from importcanon.adapters.reporting.formats import ReportContext
from importcanon.adapters.reporting.text_report import summary_line
from importcanon.domain.findings import Status


def render(context: ReportContext) -> str:
    result = context.result
    lines = []
    for finding in result.findings:
        if finding.status is not Status.NEW:
            continue
        properties = {"title": f"importcanon {finding.rule}"}
        path = context.repo_path(finding)
        if path is not None:
            properties = {"file": path, **({"line": str(finding.line)} if finding.line else {}), **properties}
        text = finding.message + (f"\nhelp: {finding.suggestion}" if finding.suggestion else "")
        lines.append(command("error", properties, text))
    for entry in result.fixed:
        count = f" (x{entry.count})" if entry.count > 1 else ""
        lines.append(
            command(
                "notice",
                {"title": f"importcanon {entry.rule} fixed"},
                f"{entry.description}{count}: no longer found, still in the baseline "
                "(run `importcanon baseline update` to ratchet it down)",
            )
        )
    lines.append(summary_line(result, context.elapsed))
    return "\n".join(lines) + "\n"


def command(name: str, properties: dict[str, str], message: str) -> str:
    """``::name key=value,...::message`` with GitHub's escaping, so newlines, commas and colons
    in a message or a path cannot end the command early."""
    listed = ",".join(f"{key}={_escape_property(value)}" for key, value in properties.items())
    return f"::{name} {listed}::{_escape_data(message)}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
