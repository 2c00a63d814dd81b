"""Pure work on every core: this process and forked copies of it each take a share of a batch.

A full parse is CPU work in C and Python that one process does one file at a time; a batch known
in advance (the files an analysis is about to parse) can be shared out instead. ``fork`` gives each
child the whole state of the run for free (the file list, the bytes already read), so a child
needs no arguments sent and no start-up: it computes its share, sends the results back through a
pipe (pickled as it goes) and ends with ``os._exit``, never running the parent's clean-up or flushing its
output buffers, nor freeing what it parsed (the operating system takes the memory back at once).

Only for pure work: the results must not depend on which process computed them. A child that
fails in any way (killed, an exception, unreadable output) costs nothing but its share, which
comes back as None for the caller to compute itself.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: More processes than this would hold more memory (each child its own parse trees) for little.
MOST_PROCESSES = 4
#: How long a child forked by :func:`forked` is waited for once its result is asked, beyond all
#: the time it had while this process did its own work: a child still silent then is taken to be
#: stuck (a library's worker threads, which ``fork`` does not copy, waited for forever) and is
#: ended; its work is then done here, with the same result.
PATIENCE_SECONDS = 60.0
#: The head start the children get on this process (see ``_shares``), as a part of a share.
_PARENT_HANDICAP = 0.1


def usable_processes() -> int:
    """How many processes can run at once here: 1 where ``fork`` is unsafe or absent (macOS and
    Windows) or only one core is ours."""
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MOST_PROCESSES))


def map_forked(
    work: Callable[[Item], Result], items: Sequence[Item], weights: Sequence[int], processes: int
) -> list[Result | None]:
    """``work(item)`` for every item, in order; items shared among ``processes`` by ``weights``.

    This process computes the first share while the children compute the others (a share whose
    child cannot be started is computed here too). An item a child did not bring back is None.
    """
    shares = _shares(weights, max(1, min(processes, len(items))))
    mine = shares[0]
    results: list[Result | None] = [None] * len(items)
    children: list[tuple[int, int, list[int]]] = []  # pid, read end of its pipe, its share
    try:
        for share in shares[1:]:
            child = _start(work, items, share)
            if child is None:
                mine = sorted(mine + share)
            else:
                children.append((*child, share))
        for index, result in zip(mine, _compute(work, items, mine), strict=True):
            results[index] = result
        while children:
            pid, read_end, share = children[0]
            for index, result in zip(share, _collect(pid, read_end, len(share)), strict=True):
                results[index] = result
            children.pop(0)
    finally:
        for pid, read_end, _ in children:  # interrupted: no child outlives the run
            _end(pid, read_end)
    return results


@contextmanager
def forked(work: Callable[[], Result]) -> Iterator[Callable[[], Result | None]]:
    """``work()`` in a forked child while this process goes on with the block.

    The function given waits for the child's result: None when it did not end well or could
    not be started (the caller then computes it itself). A child whose result the block never
    asked for is ended with the block.
    """
    child = _start(lambda _: work(), [None], [0])

    def result() -> Result | None:
        nonlocal child
        if child is None:
            return None
        pid, read_end = child
        child = None
        if not pipe_answers(read_end, PATIENCE_SECONDS):
            _end(pid, read_end)
            return None
        results: list[Result | None] = _collect(pid, read_end, 1)
        return results[0]

    try:
        yield result
    finally:
        if child is not None:
            _end(*child)


def pipe_answers(read_end: int, seconds: float) -> bool:
    """Whether the pipe has something to read (a child's results, or its end: no writer left)
    within ``seconds``; True when that cannot be told."""
    try:
        ready, _, _ = select.select([read_end], [], [], seconds)
    except (OSError, ValueError):
        return True  # cannot tell: read as before
    return bool(ready)


def _end(pid: int, read_end: int) -> None:
    """A child whose results are no longer wanted: killed, and waited for."""
    with suppress(OSError):
        os.close(read_end)
    with suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with suppress(OSError):
        os.waitpid(pid, 0)


def _start(work: Callable[[Item], Result], items: Sequence[Item], share: list[int]) -> tuple[int, int] | None:
    """Fork a child computing ``share``: its pid and the read end of its pipe (None if the
    system refuses a pipe or a process)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        with warnings.catch_warnings():  # Python 3.12+ warns of any fork beside threads (grimp's)
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the child: its share, then out, whatever happens
        status = 1
        try:
            os.close(read_end)
            results = _compute(work, items, share)
            with os.fdopen(write_end, "wb") as pipe:  # pickled as it goes: no second copy in memory
                pickle.dump(results, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _compute(work: Callable[[Item], Result], items: Sequence[Item], share: list[int]) -> list[Result]:
    """A share's results, in the order of its indices."""
    return [work(items[index]) for index in share]


def _collect(pid: int, read_end: int, count: int) -> list[Any]:
    """A child's results, or None for each when it did not end well."""
    with os.fdopen(read_end, "rb") as pipe:
        try:
            results = pickle.load(pipe)  # unpickled as it comes: the bytes are never all in memory
        except Exception:  # any damage means: the caller computes it
            results = None
    _, status = os.waitpid(pid, 0)
    if status == 0 and isinstance(results, list) and len(results) == count:
        return results
    return [None] * count


def _shares(weights: Sequence[int], processes: int) -> list[list[int]]:
    """Indices shared out so that every share takes about as long: the heaviest item first, each
    to the lightest share so far (ties to the lowest share), each share in index order. The first
    share, this process's, starts a little loaded: this process also receives the children's
    results, and copies the memory pages it writes to since the fork (measured: 10-20% more
    CPU than a child for the same share)."""
    shares: list[list[int]] = [[] for _ in range(processes)]
    loads = [0.0] * processes
    loads[0] = _PARENT_HANDICAP * sum(weights) / processes
    for index in sorted(range(len(weights)), key=lambda i: (-weights[i], i)):
        lightest = loads.index(min(loads))
        shares[lightest].append(index)
        loads[lightest] += weights[index]
    return [sorted(share) for share in shares]
