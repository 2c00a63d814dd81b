"""Inline suppressions: ``# importcanon: ignore[rule-id, ...] -- reason`` on the reported line.

A comment on the first line of a multi-line statement covers the whole statement, so a finding
reported on any of its lines (a call inside a long expression) is covered too.
"""

from __future__ import annotations

import re
from typing import NamedTuple

#: What marks a comment as ours; also the cheap needle that picks the files worth reading.
MARKER = "importcanon"

#: ``importcanon: ignore[a, b] -- why`` inside a comment; anything else after ``importcanon:`` is
#: a suppression importcanon cannot understand, and is reported as such rather than ignored.
_DIRECTIVE = re.compile(r"#\s*importcanon\s*:(?P<body>.*)$")
_IGNORE = re.compile(r"\s*ignore\[(?P<rules>[^\]]*)\](?:\s*--\s*(?P<reason>.*?))?\s*(?:#.*)?$")


class Suppression(NamedTuple):
    """One suppression comment: lines ``line`` to ``last_line`` of ``path`` (relative, ``/``)."""

    path: str
    line: int
    last_line: int
    rules: tuple[str, ...]  # empty: the comment is not a well-formed ignore[...]
    reason: str
    comment: str  # as written, for messages

    def covers(self, rule: str, path: str | None, line: int | None) -> bool:
        return rule in self.rules and path == self.path and line is not None and self.line <= line <= self.last_line


def parse_comment(comment: str) -> tuple[tuple[str, ...], str] | None:
    """The rule ids and reason of a comment, ``((), "")`` for a malformed directive of ours, or
    None when the comment is not ours at all."""
    directive = _DIRECTIVE.search(comment)
    if directive is None:
        return None
    ignore = _IGNORE.match(directive.group("body"))
    if ignore is None:
        return (), ""
    rules = tuple(dict.fromkeys(rule.strip() for rule in ignore.group("rules").split(",") if rule.strip()))
    return rules, (ignore.group("reason") or "").strip()
