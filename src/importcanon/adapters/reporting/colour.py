"""Colour for the text report on a terminal, through rich, without changing a character of it."""

from __future__ import annotations

from rich.console import Console
from rich.highlighter import RegexHighlighter
from rich.theme import Theme


class _ReportHighlighter(RegexHighlighter):
    base_style = "report."
    highlights = [  # noqa: RUF012 (rich's API: a class attribute)
        r"(?m)^(?P<location>[^\s:][^:]*:\d+): (?P<rule>[a-z-]+)",
        r"(?P<baselined>\[baselined\])",
        r"(?m)^\s+(?P<help>help:)",
        r"(?m)^(?P<warning>warning:)",
        r"(?m)^importcanon: (?P<new>[1-9]\d* new)",
        r"(?m)^importcanon: (?P<clean>0 new)",
    ]


_THEME = Theme(
    {
        "report.location": "cyan",
        "report.rule": "bold red",
        "report.baselined": "dim",
        "report.help": "green",
        "report.warning": "yellow",
        "report.new": "bold red",
        "report.clean": "bold green",
    }
)


def print_coloured(report: str) -> None:
    console = Console(highlighter=_ReportHighlighter(), theme=_THEME, soft_wrap=True)
    console.print(report, end="", markup=False, emoji=False)
