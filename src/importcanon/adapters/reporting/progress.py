"""Progress on standard error: a rich bar for the steps of a check, shown only on a terminal and
only once the run has taken more than a second (a warm run finishes before it would appear)."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import IO, Any

DELAY = 1.0  # seconds before anything is shown


class CheckProgress:
    """``step(name)`` as each stage starts; a context manager that clears the bar on exit."""

    def __init__(self, stream: IO[str], steps: int, delay: float = DELAY) -> None:
        self._stream = stream
        self._steps = steps
        self._done = -1
        self._name = "scanning the sources"
        self._lock = threading.Lock()
        self._bar: Any = None  # rich.progress.Progress, imported only when it is shown
        self._task: Any = None
        self._timer: threading.Timer | None = None
        if _is_terminal(stream):
            self._timer = threading.Timer(delay, self._show)
            self._timer.daemon = True

    def __enter__(self) -> CheckProgress:
        if self._timer is not None:
            self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            if self._bar is not None:
                self._bar.stop()
            self._timer = self._bar = None

    def step(self, name: str) -> None:
        with self._lock:
            self._done += 1
            self._name = name
            self._steps = max(self._steps, self._done + 1)  # a stage nobody counted still fits
            if self._bar is not None:
                self._bar.update(self._task, total=self._steps, completed=self._done, description=name)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with self._lock:
            if self._timer is None:  # the run ended while the timer fired
                return
            self._bar = Progress(
                TextColumn("importcanon: {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(file=self._stream),
                transient=True,
            )
            self._task = self._bar.add_task(self._name, total=self._steps, completed=max(self._done, 0))
            self._bar.start()


def _is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
