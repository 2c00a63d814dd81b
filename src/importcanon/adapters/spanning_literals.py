"""The text with every string literal or comment that spans lines folded into one line, so that
a reading of lines (``evident_names``) never takes a line inside a docstring for code.

A line starts inside a literal only when a literal before it spans a line break: a triple-quoted
string, a string continued by a backslash-newline, or (for ``str.splitlines``, which the reading
of text with other line breaks uses) a string or comment holding ``\\v``, ``\\f``, ``\\x1c``...
Text with no triple quote, no backslash-newline and none of those line breaks holds no such
literal and is returned as it is, at the cost of a few substring searches.

Otherwise only the lines that may open one are read, each from a point known to be code: other
strings and comments end on their line, so every line up to the next triple quote or
backslash-newline starts in code, and a line holding one is read from its start, token by
token, by one regex match (:data:`_LINE`). A literal it finds spanning lines becomes ``""`` (a
comment ``#``), so the line that opens it and the line that closes it become one line, as they
are one logical line to Python.

Where the reading cannot follow Python's, the text is cut: an f-string whose replacement
fields are not plain (Python 3.12 nests quotes of the f-string's own kind in them, and this
reading would end the string there), a quote that opens no literal this reading knows (a string
left open). What follows the cut is unknown, and a name read there must not be trusted; the
lines before it start where Python's do.
"""

from __future__ import annotations

import re
from functools import cache

#: What ``str.splitlines`` breaks lines at besides ``\n`` and ``\r``: inside a literal to Python.
_OTHER_BREAKS = "\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_BREAKS = r"\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"  # the same with \n and \r, in a character class
#: Not after an f-string's (or a t-string's) prefix letter: ``f"``, ``rf"``, ``fR"``...
_NOT_FORMATTED = r"(?<![fFtT])(?<![fFtT][rR])"
_QUOTES = {'"': "'", "'": '"'}  # each quote, and the other


def _field(quotes: str, breaks: str = _BREAKS) -> str:
    """A plain replacement field of an f-string: names, operators, one level of nested braces
    (``{x:>{width}}``), strings opened by one of ``quotes`` with no brace, backslash or break in
    them; nothing this reading could take for the end of the string (a quote of its own kind, a
    backslash) or that hides a brace. A line break inside only where ``breaks`` lets it."""
    plain = rf"[^\"'{{}}\\#{breaks}]"
    nested = "|".join(rf"{quote}[^\"'{{}}\\{_BREAKS}]*+{quote}" for quote in quotes)
    return rf"\{{(?:{plain}++|{nested}|\{{{plain}*+\}})*+\}}"


def _one_line(quote: str) -> str:
    """A string opened by ``quote`` that holds no line break (possessive: no backtracking). In
    a triple-quoted f-string's field, a string of either quote; in another's, of the other."""
    other, triple = _QUOTES[quote], quote * 3
    plain = rf"[^{quote}\\{_BREAKS}]++|\\[^{_BREAKS}]"
    formatted = rf"[^{quote}\\{{}}{_BREAKS}]++|\\[^{_BREAKS}]|\{{\{{|\}}\}}"
    return (
        rf"{_NOT_FORMATTED}{triple}(?:{plain}|{quote}(?!{quote}{quote}))*+{triple}"
        rf"|{_NOT_FORMATTED}{quote}(?!{quote}{quote})(?:{plain})*+{quote}"
        rf"|{triple}(?:{formatted}|{_field(quote + other)}|{quote}(?!{quote}{quote}))*+{triple}"
        rf"|{quote}(?!{quote}{quote})(?:{formatted}|{_field(other)})*+{quote}"
    )


def _spanning(quote: str) -> str:
    """A string opened by ``quote`` that may span lines, other than a triple-quoted one that is
    no f-string (tried after :func:`_one_line`): a triple-quoted f-string, whose fields may span
    lines too, or a string continued by a backslash-newline."""
    other, triple = _QUOTES[quote], quote * 3
    escape = r"\\(?:\r\n|[\s\S])"
    formatted = rf"{escape}|\{{\{{|\}}\}}"
    return (
        rf"{_NOT_FORMATTED}{quote}(?:[^{quote}\\\n\r]++|{escape})*+{quote}"
        rf"|{triple}(?:[^{quote}\\{{}}]++|{formatted}|{_field(quote + other, '')}|{quote}(?!{quote}{quote}))*+{triple}"
        rf"|{quote}(?:[^{quote}\\{{}}\n\r]++|{formatted}|{_field(other)})*+{quote}"
    )


#: From a point in code, the rest of its line read token by token: code, comments and strings
#: that end on the line; then the opening quotes of a triple-quoted string, no f-string, that
#: spans lines (group ``triple``: its end is found with ``str.find``, faster than any regex
#: reads a long docstring), another literal that spans lines (group ``spanning``: a comment
#: does only by the other line breaks), else a quote that opens nothing known (group
#: ``unsure``), else the end of the line. Python ends a comment at ``\r`` as at ``\n``.
_LINE_PATTERN = (
    rf"(?:[^\"'#\n]++|#[^{_BREAKS}]*+(?![^\n\r])|{_one_line(chr(34))}|{_one_line(chr(39))})*+"
    rf"(?:(?P<triple>{_NOT_FORMATTED}(?:\"\"\"|'''))"
    rf"|(?P<spanning>{_spanning(chr(34))}|{_spanning(chr(39))}|#[^\n\r]*+)|(?P<unsure>[\"'])|\n|\Z)"
)
#: What may open a literal that spans lines besides triple double quotes (rarer): where each
#: next occurs is found once, and again only once passed.
_RARER_OPENERS = ("'''", "\\\n", "\\\r")


@cache
def _line() -> re.Pattern[str]:
    """:data:`_LINE_PATTERN`, compiled when first asked for: its compilation is the largest of
    a run's start-up (5 ms), and most runs ask for none (a warm run; a cold one reads its
    literals in a forked process, which then compiles it)."""
    return re.compile(_LINE_PATTERN)


def fold_spanning_literals(text: str) -> str:
    """``text`` with each literal that spans lines made ``""`` (a comment ``#``), cut where
    the literals cannot be told (see the module docstring); ``text`` itself when none spans."""
    every_line = any(character in text for character in _OTHER_BREAKS)  # then every line is read
    # Where each occurs next; a single character is found fastest, so none is looked for whose
    # first character the text lacks (or, for backslash-carriage-return, whose second).
    rarer = {
        opener: at
        for opener in _RARER_OPENERS
        if opener[0] in text and opener[-1] in text and (at := text.find(opener)) >= 0
    }
    if not every_line and not rarer and '"""' not in text:
        return text
    pieces: list[str] = []
    position = kept = 0
    size, find, rfind, match_line = len(text), text.find, text.rfind, _line().match
    nearest_rarer = min(rarer.values(), default=size)
    while position < size:
        if not every_line:  # jump to the line of the next opener: every line before starts in code
            if nearest_rarer < position:
                for opener, at in list(rarer.items()):
                    if at < position:
                        if (at := find(opener, position)) >= 0:
                            rarer[opener] = at
                        else:
                            del rarer[opener]
                nearest_rarer = min(rarer.values(), default=size)
            at = find('"""', position, nearest_rarer)
            if at < 0:
                at = nearest_rarer
                if at == size:
                    break
            line_start = rfind("\n", 0, at) + 1
            if line_start > position:
                position = line_start
        while True:
            match = match_line(text, position)
            kind = match.lastgroup  # type: ignore[union-attr]  # it always matches: a quote is unsure
            position = match.end()  # type: ignore[union-attr]
            if kind is None:
                break
            start = match.start(kind)  # type: ignore[union-attr]
            pieces.append(text[kept:start])
            if kind == "triple":
                position = _triple_end(text, start)
            if kind == "unsure" or position < 0:
                return "".join(pieces)
            pieces.append("#" if text[start] == "#" else '""')
            kept = position
    if not pieces:
        return text
    pieces.append(text[kept:])
    return "".join(pieces)


def _triple_end(text: str, start: int) -> int:
    """Just past the quotes that close the triple-quoted string (no f-string) opened at
    ``start``: the first three of its quote that no backslash escapes; -1 when none does."""
    quotes = text[start : start + 3]
    end = text.find(quotes, start + 3)
    while end >= 0 and text[end - 1] == "\\":
        escaped = False
        before = end - 1
        while text[before] == "\\":
            escaped, before = not escaped, before - 1
        if not escaped:
            break
        end = text.find(quotes, end + 1)
    return end + 3 if end >= 0 else -1
