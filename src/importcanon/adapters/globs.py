"""Exclude globs matched in time linear in the path, however many ``**`` a pattern has.

A glob translated to a backtracking regex (``**`` as ``.*``) takes time exponential in the number
of ``**``: twelve of them took 455 s on one path. Here every pattern is a small automaton whose
set of live states advances one character at a time (a lazily built DFA, so a path costs one
dictionary lookup per character once the transitions it needs are known).

The language: ``**/`` matches any number of whole directories (none included), ``**`` any text
including ``/``, ``*`` any text within one name, ``?`` one character other than ``/``; anything
else is literal. A pattern that matches a directory excludes everything below it.
"""

from __future__ import annotations

from collections.abc import Iterable

_LITERAL, _ONE, _STAR, _ANY, _DIRECTORIES = range(5)

#: The state after a whole match, consuming ``/...``: everything below a matched directory.
_BELOW = (-1, 0)

#: Known transitions are forgotten past this many state sets (a pathological set of patterns
#: could otherwise make the table grow with every new path); each path stays linear regardless.
_MAX_STATE_SETS = 4096


State = tuple[int, int]  # (pattern index, 2 * token position, + 1 when inside a ``**/``)


class ExcludeGlobs:
    """A set of exclude globs; ``matches`` says whether a project-relative path is excluded."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self._patterns = [_tokens(pattern) for pattern in patterns]
        self._start = self._closure((index, 0) for index in range(len(self._patterns)))
        self._transitions: dict[frozenset[State], dict[str, frozenset[State]]] = {}
        self._directories: dict[str, frozenset[State]] = {}

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def matches(self, path: str) -> bool:
        directory, slash, name = path.rpartition("/")
        states = (
            self._advance(self._after_directory(directory), slash + name) if slash else self._advance(self._start, name)
        )
        return any(self._accepts(state) for state in states)

    def _after_directory(self, directory: str) -> frozenset[State]:
        """The states after ``directory``, remembered: a walk asks about every file of a directory,
        so a file costs the characters of its own name."""
        pending: list[str] = []
        known = directory
        while known and known not in self._directories:
            pending.append(known)
            known = known.rpartition("/")[0]
        states = self._directories[known] if known else self._start
        if len(self._directories) > _MAX_STATE_SETS:
            self._directories.clear()
        for prefix in reversed(pending):
            states = self._directories[prefix] = self._advance(states, prefix[len(known) :])
            known = prefix
        return states

    def _advance(self, states: frozenset[State], text: str) -> frozenset[State]:
        for char in text:
            if not states:
                break
            known = self._transitions.get(states)
            if known is None:
                if len(self._transitions) > _MAX_STATE_SETS:
                    self._transitions.clear()
                known = self._transitions[states] = {}
            following = known.get(char)
            if following is None:
                following = known[char] = self._step(states, char)
            states = following
        return states

    def _accepts(self, state: State) -> bool:
        index, position = state
        return state == _BELOW or position == 2 * len(self._patterns[index])

    def _step(self, states: frozenset[State], char: str) -> frozenset[State]:
        reached: list[State] = []
        for state in states:
            if state == _BELOW:
                reached.append(_BELOW)
                continue
            index, position = state
            tokens = self._patterns[index]
            token, inside = divmod(position, 2)
            if token == len(tokens):  # a whole match: what follows a "/" is below it
                if char == "/":
                    reached.append(_BELOW)
                continue
            kind, literal = tokens[token]
            after = (index, 2 * token + 2)
            if inside or kind == _DIRECTORIES:  # in "**/": any text, and a "/" may end it
                reached.append((index, 2 * token + 1))
                if char == "/":
                    reached.append(after)
            elif kind == _LITERAL:
                if char == literal:
                    reached.append(after)
            elif kind == _ONE:
                if char != "/":
                    reached.append(after)
            elif kind == _STAR:
                if char != "/":
                    reached.append(state)
            else:  # _ANY
                reached.append(state)
        return self._closure(reached)

    def _closure(self, states: Iterable[State]) -> frozenset[State]:
        """Add the states reachable without a character: ``*``, ``**`` and ``**/`` may match nothing."""
        result: set[State] = set()
        pending = list(states)
        while pending:
            state = pending.pop()
            if state in result:
                continue
            result.add(state)
            index, position = state
            if state == _BELOW or position % 2:
                continue
            tokens = self._patterns[index]
            token = position // 2
            if token < len(tokens) and tokens[token][0] in (_STAR, _ANY, _DIRECTORIES):
                pending.append((index, position + 2))
        return frozenset(result)


def _tokens(pattern: str) -> list[tuple[int, str]]:
    tokens: list[tuple[int, str]] = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            kind, width = _DIRECTORIES, 3
        elif pattern.startswith("**", i):
            kind, width = _ANY, 2
        elif pattern[i] == "*":
            kind, width = _STAR, 1
        elif pattern[i] == "?":
            kind, width = _ONE, 1
        else:
            kind, width = _LITERAL, 1
        if not (tokens and kind in (_STAR, _ANY) and tokens[-1][0] == kind):  # "***" is "**" then "*"
            tokens.append((kind, pattern[i] if kind == _LITERAL else ""))
        i += width
    return tokens
