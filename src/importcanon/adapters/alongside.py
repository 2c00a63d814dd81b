"""Work that reads the facts of a run, done in a forked copy of it while the run goes on.

An analysis that needs nothing the other analyses compute (the import cycles, the broken
imports) can run beside them on a second core instead of after them. How long each takes
depends on the project (the cycles of one 500-module tangle, the broken imports of thousands of
star imports), so only the first work is the copy's for certain; each later one goes to
whichever process is free for it first. What it learns on the way is the
run's as well: the parses and import kinds it asked for, the results it memorised for the next
runs, the files it could not parse. A child's writes die with it, so it notes them as it makes
them and sends them back with its result; this process then keeps them as if it had made them.

Whichever process did the work, the result and the facts afterwards are the same: where no
second process is usable, or the child fails, the work runs here when its result is asked for,
which is where it ran before it had a process of its own.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from importcanon.adapters.forking import forked, pipe_answers, ticket_pipe, usable_processes

if TYPE_CHECKING:
    from importcanon.adapters.cache import FactCache
    from importcanon.adapters.loading import FactStore

Result = TypeVar("Result")

#: A write to the cache: the method's name and its arguments.
Write = tuple[str, tuple[Any, ...]]
#: A pipe (read end, write end) whose writing end a process holds open while it works.
Signal = tuple[int, int]


@contextmanager
def alongside(
    store: FactStore, works: Sequence[Callable[[], Any]], *, fork: bool = True
) -> Iterator[list[Callable[[], Any]]]:
    """The ``works`` beside the block, when ``fork`` and a core is free: the first in a forked
    copy of the run; each one after it by whichever process is free for it first, the copy once
    it has done the ones before, or this process when the block asks for its result. The
    functions given return each work's result, computed here if no child brought it back.
    ``store.other_core_busy`` says in each process whether the other one works: the copy until
    its works are done, this process until it waits for the copy's results. Meanwhile a batch of
    parses is not shared with a third process (see ``FactStore.parse_ahead``).

    A work after the first is claimed with a ticket: a pipe holding one byte, its writing end
    closed, so that of the two processes reading it exactly one gets the byte and the other
    the pipe's end, at once. A result asked for here that the copy took is waited for only
    once this process has done every later work the copy has not taken yet (in their order),
    rather than sit idle while the copy does them one after the other."""
    if not fork or usable_processes() < 2:
        yield [_once(work) for work in works]
        return
    tickets = [ticket_pipe(1) for _ in works[1:]]  # None: no pipe, the work is this process's
    # Two pipes, each with its writing end held open by one process while it works: the copy's
    # (``copy_works``) and this process's (``run_works``); the other reads whether it still is.
    copy_works = run_works = None
    open_ends: dict[str, int] = {}  # this process's ends of the pipes, closed at the end
    try:
        copy_works, run_works = _signal(), _signal()
        for name, pipe in (("copy", copy_works), ("run", run_works)):
            if pipe is not None:
                open_ends[f"{name} reading"], open_ends[f"{name} writing"] = pipe

        def in_the_copy() -> tuple[list[tuple[bool, Any]], list[Write], dict[str, Any]]:
            store.other_core_busy = _watching(run_works, copy_works)
            return _noted(store, lambda: _share(works, tickets, copy_works))

        with forked(in_the_copy) as child:
            for closed_by_watching in ("copy writing", "run reading"):
                open_ends.pop(closed_by_watching, None)
            store.other_core_busy = _watching(copy_works, run_works)
            brought: list[tuple[bool, Any]] | None = None
            asked = False
            results: dict[int, Any] = {}

            def from_child() -> list[tuple[bool, Any]] | None:
                nonlocal brought, asked
                if not asked:
                    asked = True
                    if "run writing" in open_ends:  # waiting from now on
                        os.close(open_ends.pop("run writing"))
                    answer = child()
                    if answer is not None:
                        brought, writes, failures = answer
                        _keep(store.cache, writes)
                        store.note_parse_failures(failures)
                return brought

            def result_of(index: int) -> Any:
                if index not in results:
                    mine = index > 0 and _claim(tickets[index - 1])
                    if not mine and not asked:  # the copy's to wait for: first what it has not taken
                        for other in range(1, len(works)):
                            if other not in results and other != index and _claim(tickets[other - 1]):
                                results[other] = works[other]()
                    shares = None if mine else from_child()
                    done, value = shares[index] if shares is not None else (False, None)
                    results[index] = value if done else works[index]()
                return results[index]

            yield [partial(result_of, index) for index in range(len(works))]
    finally:
        store.other_core_busy = _idle
        for end in open_ends.values():
            with suppress(OSError):
                os.close(end)
        for ticket in tickets:
            if ticket is not None:
                with suppress(OSError):
                    os.close(ticket)


def _once(work: Callable[[], Any]) -> Callable[[], Any]:
    """``work``, computed the first time it is asked for only."""
    done: list[Any] = []

    def result() -> Any:
        if not done:
            done.append(work())
        return done[0]

    return result


def _claim(ticket: int | None) -> bool:
    """Whether this process takes the work of ``ticket``: the byte, or nothing left to read
    (the other process took it); a missing ticket is always this process's."""
    if ticket is None:
        return True
    try:
        return os.read(ticket, 1) != b""
    except OSError:
        return False


def _share(
    works: Sequence[Callable[[], Any]], tickets: Sequence[int | None], copy_works: Signal | None
) -> list[tuple[bool, Any]]:
    """In the child: the first work, then each later one whose ticket it claims first; each as
    (done here, its result). The writing end of ``copy_works`` is closed once they are done."""
    values = [(True, works[0]())]
    for work, ticket in zip(works[1:], tickets, strict=True):
        values.append((True, work()) if ticket is not None and _claim(ticket) else (False, None))
    if copy_works is not None:
        os.close(copy_works[1])
    return values


def _signal() -> Signal | None:
    """A pipe whose writing end a process keeps open while it works (None: no pipe to be had)."""
    try:
        return os.pipe()
    except OSError:
        return None


def _watching(other: Signal | None, own: Signal | None) -> Callable[[], bool]:
    """In a process that just forked or was forked: whether the other process works, read from
    ``other``'s pipe; of ``own``'s pipe, only the writing end is kept. Without a pipe, the
    other is taken to be idle (a batch is shared, as it always was)."""
    if own is not None:
        os.close(own[0])
    if other is None:
        return _idle
    os.close(other[1])
    read_end = other[0]
    return lambda: not pipe_answers(read_end, 0)  # its writing end still open somewhere: nothing to read yet


def _idle() -> bool:
    return False


def _noted(store: FactStore, work: Callable[[], Result]) -> tuple[Result, list[Write], dict[str, Any]]:
    """In the child: the work's result, the cache writes it made and the parse failures it met."""
    writes: list[Write] = []
    cache = store.cache
    for name in _KEEP:  # the child's own copy of the cache: nothing of this outlives the child
        setattr(cache, name, _noting(writes, name, getattr(cache, name)))
    failed_before = set(store.parse_failures())
    value = work()
    failures = {module: failure for module, failure in store.parse_failures().items() if module not in failed_before}
    return value, writes, failures


def _noting(writes: list[Write], name: str, write: Callable[..., None]) -> Callable[..., None]:
    def noted(*args: Any) -> None:
        writes.append((name, args))
        write(*args)

    return noted


def _keep(cache: FactCache, writes: list[Write]) -> None:
    """The child's writes, where they add to what this process learned meanwhile (both are
    facts of the same files: only the more complete of two is kept)."""
    for name, args in writes:
        if _KEEP[name](cache, *args):
            getattr(cache, name)(*args)


def _adds_parse(cache: FactCache, digest: str, parsed: Any) -> bool:
    known = cache.parsed.get(digest)
    # A parse with more calls collected beats one with fewer (every call, or the calls of more
    # words); a failure is a failure either way.
    if known is None:
        return True
    if known[0] == "failed" or parsed[0] == "failed" or parsed[3] is None:
        return False
    if known[3] is None or parsed[3][0] is None:
        return known[3] is None or known[3][0] is not None
    return known[3][0] is not None and set(parsed[3][0]) > set(known[3][0])


def _adds_kinds(cache: FactCache, digest: str, kinds: Any) -> bool:
    known = cache.kinds.get(digest)
    return known is None or len(known) < len(kinds)  # a parse places every import; the text scan fewer


#: The writes a child's work may make, each with when it adds to this process's cache.
_KEEP: dict[str, Callable[..., bool]] = {
    "remember_parsed": _adds_parse,
    "remember_kinds": _adds_kinds,
    "remember_result": lambda cache, name, key, value: True,  # results depend on their key alone
}
