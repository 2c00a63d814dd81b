"""The ``importcanon`` command's entry point: the collector is off before the command line's
modules are imported.

Importing them leaves some 42,000 objects the collector tracks (typer, rich, import-linter,
grimp, importcanon itself), none of them garbage, and it walked them 61 times meanwhile: 8 ms of
every run's start-up (25 interleaved runs, 111 ms against 119 ms). ``cli.main`` keeps it off for
the run (see there); ``python -m importcanon`` does the same in ``__main__``.
"""

import gc

gc.disable()

from importcanon.cli import console  # noqa: E402  # only now, with the collector off

__all__ = ["console"]
