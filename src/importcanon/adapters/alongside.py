"""Work that reads the facts of a run, done in a forked copy of it while the run goes on.

An analysis of the graph alone (the import cycles) needs nothing the other analyses compute, so
on a second core it can run beside them instead of after them. What it learns on the way is the
run's as well: the parses and import kinds it asked for, the results it memorised for the next
runs, the files it could not parse. A child's writes die with it, so it notes them as it makes
them and sends them back with its result; this process then keeps them as if it had made them.

Whichever process did the work, the result and the facts afterwards are the same: where no
second process is usable, or the child fails, the work runs here when its result is asked for,
which is where it ran before it had a process of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from importcanon.adapters.forking import forked, usable_processes

if TYPE_CHECKING:
    from importcanon.adapters.cache import FactCache
    from importcanon.adapters.loading import FactStore

Result = TypeVar("Result")

#: A write to the cache: the method's name and its arguments.
Write = tuple[str, tuple[Any, ...]]


@contextmanager
def alongside(store: FactStore, work: Callable[[], Result], *, fork: bool = True) -> Iterator[Callable[[], Result]]:
    """``work()`` on another core while the block runs (when ``fork`` and a core is free); the
    function given returns its result, computed here if no child brought it back."""
    if not fork or usable_processes() < 2:
        yield work
        return
    with forked(lambda: _noted(store, work)) as child:

        def result() -> Result:
            brought = child()
            if brought is None:
                return work()
            value, writes, failures = brought
            _keep(store.cache, writes)
            store.note_parse_failures(failures)
            return value

        yield result


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
