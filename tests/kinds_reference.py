"""The block reader of ``importcanon.adapters.kinds`` before its walk up jumped over known
parents (main 9b6e56b), kept as the oracle the faster one must equal on any text, the texts it
declines (None) included (tests/test_kinds_scan.py)."""

from __future__ import annotations

import re

from importcanon.adapters.kinds import _HANDLER, _KEYWORD, _MAIN_GUARD_TEST, _TYPE_CHECKING_TEST
from importcanon.domain.facts import IMPORT_ERROR_CATCHERS, ImportKind


class ReferenceBlocks:
    """Reads the blocks around a line from the indentation of the logical lines above it."""

    def __init__(self, lines: list[str], starts: list[int]) -> None:
        self.lines = lines
        self.starts = starts
        self.position = {number: index for index, number in enumerate(starts)}
        self._indents: dict[int, int | None] = {}

    def indent(self, number: int) -> int | None:
        """The indentation of a logical line, None for a blank or comment-only one."""
        if number not in self._indents:
            line = self.lines[number - 1]
            stripped = line.lstrip(" \t\f")
            code = bool(stripped) and not stripped.startswith("#") and stripped != "\r"
            self._indents[number] = len(line[: len(line) - len(stripped)].expandtabs(8)) if code else None
        return self._indents[number]

    def logical_text(self, number: int) -> str:
        """The whole logical line starting at ``number``, its physical lines joined."""
        index = self.position[number] + 1
        end = self.starts[index] if index < len(self.starts) else len(self.lines) + 1
        return " ".join(line.strip() for line in self.lines[number - 1 : end - 1])

    def classify(self, number: int) -> ImportKind | None:
        in_function = type_checking = guarded = False
        bound = self.indent(number)
        index = self.position[number] - 1
        while bound and index >= 0:
            header_line = self.starts[index]
            index -= 1
            indent = self.indent(header_line)
            if indent is None or indent >= bound:
                continue
            bound = indent
            keyword = _KEYWORD.match(self.lines[header_line - 1].strip())
            if keyword is None:
                return None  # a less-indented line that opens no block: not the shape we read
            word = keyword.group().split()[-1]
            header = self.logical_text(header_line) if word in ("if", "elif") else ""
            if word == "def":
                in_function = True
            elif word in ("if", "elif") and "TYPE_CHECKING" in header:
                if not _TYPE_CHECKING_TEST.match(header):
                    return None
                type_checking = True
            elif word in ("if", "elif") and "__main__" in header:
                if not _MAIN_GUARD_TEST.match(header):
                    return None
                in_function = True
            elif word == "try":
                handlers = self.catches_import_error(header_line, indent)
                if handlers is None:
                    return None
                guarded = guarded or handlers
        if bound:
            return None
        if type_checking:
            return ImportKind.TYPE_CHECKING
        if in_function:
            return ImportKind.DEFERRED
        return ImportKind.GUARDED if guarded else ImportKind.MODULE

    def catches_import_error(self, try_line: int, indent: int) -> bool | None:
        """Whether the ``try`` at ``try_line`` has a handler that catches ImportError (or wider)."""
        for following in self.starts[self.position[try_line] + 1 :]:
            level = self.indent(following)
            if level is None or level > indent:
                continue
            if level < indent:
                return False
            header = self.logical_text(following)
            if header.startswith("except"):
                handler = _HANDLER.match(header)
                if handler is None:
                    return None
                types = handler.group("types")
                if types is None or IMPORT_ERROR_CATCHERS.intersection(re.findall(r"\w+", types.split(" as ")[0])):
                    return True
            elif not header.startswith(("else", "finally")):
                return False
        return False
