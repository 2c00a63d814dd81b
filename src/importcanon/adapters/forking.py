"""Pure work on every core: this process and forked copies of it share out a batch.

A full parse is CPU work in C and Python that one process does one file at a time; a batch known
in advance (the files an analysis is about to parse) can be shared out instead. ``fork`` gives each
child the whole state of the run for free (the file list, the bytes already read), so a child
needs no arguments sent and no start-up: it takes chunks of the batch until none is left, sends
the results back through a pipe (pickled as it goes) and ends with ``os._exit``, never running
the parent's clean-up or flushing its output buffers, nor freeing what it parsed (the operating
system takes the memory back at once).

Only for pure work: the results must not depend on which process computed them. A child that
fails in any way (killed, an exception, unreadable output) costs nothing but the chunks it took,
whose items come back as None for the caller to compute itself.
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
#: Chunks per process that ``map_forked`` cuts a batch into: enough that processes which run at
#: different speeds end close together, few enough that taking one costs nothing.
_CHUNKS_PER_PROCESS = 24
#: Tickets are single bytes.
_MOST_TICKETS = 256


def usable_processes() -> int:
    """How many processes can run at once here: 1 where ``fork`` is unsafe or absent (macOS and
    Windows) or only one core is ours."""
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(len(os.sched_getaffinity(0)), MOST_PROCESSES))


def map_forked(
    work: Callable[[Item], Result], items: Sequence[Item], weights: Sequence[int], processes: int
) -> list[Result | None]:
    """``work(item)`` for every item, in order; items shared among ``processes`` as they go.

    The items are cut into chunks of about equal weight, heaviest first, and every process
    (this one and the children) takes the next chunk whenever it is done with its last: a
    process that runs slower (a child copying the pages it writes to, a core shared with
    another program) takes fewer, so that all of them end together. An item a child did not
    bring back is None; a child that cannot be started leaves its chunks to the others.
    """
    processes = max(1, min(processes, len(items)))
    if processes == 1:
        return list(_compute(work, items, list(range(len(items)))))
    chunks = _chunks(weights, processes)
    tickets = ticket_pipe(len(chunks))
    if tickets is None:  # no pipe to hand chunks out with: every item here
        return list(_compute(work, items, list(range(len(items)))))
    results: list[Result | None] = [None] * len(items)
    children: list[tuple[int, int]] = []  # pid, read end of its pipe
    try:
        for _ in range(processes - 1):
            child = _start(lambda _: _take_chunks(work, items, chunks, tickets), [None], [0])
            if child is not None:
                children.append(child)
        for chunk, chunk_results in _take_chunks(work, items, chunks, tickets):
            _place(results, chunks[chunk], chunk_results)
        while children:
            pid, read_end = children[0]
            taken = _collect(pid, read_end, 1)[0]
            for chunk, chunk_results in taken or ():
                _place(results, chunks[chunk], chunk_results)
            children.pop(0)
    finally:
        os.close(tickets)
        for pid, read_end in children:  # interrupted: no child outlives the run
            _end(pid, read_end)
    return results


def _chunks(weights: Sequence[int], processes: int) -> list[list[int]]:
    """Indices cut into runs of about ``1 / (processes * _CHUNKS_PER_PROCESS)`` of the total
    weight (an item heavier than that alone), heaviest run first: the last ones taken are the
    lightest, so that no process waits long for another's last."""
    weights = [max(1, weight) for weight in weights]  # an empty file still takes a moment
    count = min(len(weights), processes * _CHUNKS_PER_PROCESS)
    target = sum(weights) / count
    chunks: list[list[int]] = [[]]
    load = 0.0
    for index, weight in enumerate(weights):
        if chunks[-1] and load + weight > target:
            chunks.append([])
            load = 0.0
        chunks[-1].append(index)
        load += weight
    while len(chunks) > _MOST_TICKETS:  # never more chunks than one byte can name
        chunks = [chunks[i] + chunks[i + 1] if i + 1 < len(chunks) else chunks[i] for i in range(0, len(chunks), 2)]
    return sorted(chunks, key=lambda chunk: (-sum(weights[i] for i in chunk), chunk[0]))


def ticket_pipe(count: int) -> int | None:
    """The read end of a pipe holding ``count`` one-byte tickets, 0 to ``count - 1``, whose write
    end is closed: each read of one byte takes the next ticket, in any process that shares it,
    and an empty read says that none is left. None when the system refuses a pipe (or the
    tickets: never more than a pipe holds, :data:`_MOST_TICKETS`)."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        os.write(write_end, bytes(range(count)))
    except OSError:
        os.close(read_end)
        return None
    finally:
        os.close(write_end)
    return read_end


def _take_chunks(
    work: Callable[[Item], Result], items: Sequence[Item], chunks: list[list[int]], tickets: int
) -> list[tuple[int, list[Result]]]:
    """The results of every chunk this process takes a ticket for, with the chunk's number."""
    taken = []
    while ticket := os.read(tickets, 1):
        chunk = ticket[0]
        taken.append((chunk, _compute(work, items, chunks[chunk])))
    return taken


def _place(results: list[Any], indices: list[int], chunk_results: list[Any]) -> None:
    for index, result in zip(indices, chunk_results, strict=True):
        results[index] = result


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
