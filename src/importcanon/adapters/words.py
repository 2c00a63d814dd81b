"""Where a name occurs as a whole word in a decoded text: found with ``str.find``, not a regex.

The readings of a module's text ask where a name occurs, for hundreds of names a run (the names
a broken-import screen doubts, the first parts of callees): compiling a pattern for each costs
about 0.15 ms, and ``str.find`` skips ahead to each occurrence at C speed anyway.
(:func:`importcanon.adapters.mentions.word_starts` does the same on bytes.)
"""

from __future__ import annotations

from collections.abc import Iterator


def whole_words(text: str, word: str, start: int = 0) -> Iterator[int]:
    """Where ``word`` (an identifier) occurs in ``text`` from ``start`` on with no word
    character touching it on either side: a letter, a digit or ``_``, as ``\\w`` reads them
    (beyond ASCII too)."""
    size, length = len(word), len(text)
    found = text.find(word, start)
    while found >= 0:
        end = found + size
        if not (found and word_character(text[found - 1])) and not (end < length and word_character(text[end])):
            yield found
        found = text.find(word, found + 1)


def word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def line_numbers(text: str, starts: list[int]) -> list[int]:
    """The (1-based) numbers of the lines of ``text`` that the ``starts``, in order, lie on."""
    numbers, line, counted = [], 1, 0
    for start in starts:
        line += text.count("\n", counted, start)
        counted = start
        numbers.append(line)
    return numbers
