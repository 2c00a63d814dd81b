"""Where an import-linter ``contract_types`` plugin may be imported from.

The configuration names the plugin, and the configuration belongs to the repository being
checked: with the project on ``sys.path`` (an editable install, ``PYTHONPATH=.`` in CI, or the
current directory) a plugin entry would run the repository's own code, which importcanon promises
never to do. So by default a plugin is imported only from the interpreter's installed packages
(its site-packages directories), with every ``sys.path`` entry inside the project or the current
directory set aside. A team that keeps its contract types in the repository says so on the
command line (``--allow-project-plugins``), never in the configuration the repository controls.

Whatever happens while a plugin is imported (an exception, ``SystemExit``, text printed) stays
out of the run: the caller turns failures into a finding, and output goes to standard error so
that a JSON report on standard output stays parseable.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.machinery
import importlib.util
import os
import site
import sys
import sysconfig
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from types import ModuleType


class PluginRefused(Exception):
    """A plugin module that the import policy does not allow; the message says why and what to do."""


def import_plugin_module(name: str, project_root: Path, *, allow_project: bool) -> ModuleType:
    """Import module ``name`` under the policy; raises PluginRefused, or whatever the import raised."""
    untrusted = (project_root.resolve(), Path.cwd().resolve())
    everywhere = [str(project_root), *sys.path]
    with plugin_output_to_stderr():
        if allow_project:
            with _search_path(everywhere):
                return importlib.import_module(name)
        with _search_path([entry for entry in sys.path if _may_search(entry or os.curdir, untrusted)]):
            parts = name.split(".")
            module: ModuleType | None = None
            for depth in range(1, len(parts) + 1):
                prefix = ".".join(parts[:depth])
                _check_installed(prefix, name, everywhere)
                module = importlib.import_module(prefix)
            assert module is not None
            return module


def _check_installed(prefix: str, name: str, everywhere: list[str]) -> None:
    """Refuse ``prefix`` unless every file it would be loaded from is an installed package's."""
    loaded = sys.modules.get(prefix)
    spec = loaded.__spec__ if loaded is not None else importlib.util.find_spec(prefix)
    if spec is None and "." not in prefix:  # not installed: say where it is, if it is in the project
        spec = importlib.machinery.PathFinder.find_spec(prefix, everywhere)
    if spec is None:
        raise ModuleNotFoundError(f"No module named '{prefix}'")
    locations = [spec.origin] if spec.has_location and spec.origin else []
    locations += list(spec.submodule_search_locations or [])
    outside = next((location for location in locations if not _inside(location, _install_directories())), None)
    if outside is not None:
        raise PluginRefused(
            f"'{name}' would be imported from {outside}, which is not an installed package: importcanon "
            "imports contract types only from installed distributions unless run with --allow-project-plugins"
        )


@cache
def _install_directories() -> tuple[Path, ...]:
    """The interpreter's site-packages directories (a virtual environment's own, when in one)."""
    paths = sysconfig.get_paths()
    candidates: list[str] = [paths["purelib"], paths["platlib"], *site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        candidates.append(site.getusersitepackages())
    return tuple(Path(candidate).resolve() for candidate in dict.fromkeys(candidates))


def _may_search(entry: str, untrusted: Iterable[Path]) -> bool:
    """A ``sys.path`` entry outside the project and the current directory, or an installed one
    (a virtual environment kept inside the project is still the interpreter's own)."""
    return not _inside(entry, untrusted) or _inside(entry, _install_directories())


def _inside(location: str, directories: Iterable[Path]) -> bool:
    resolved = Path(location).resolve()
    return any(resolved.is_relative_to(directory) for directory in directories)


@contextlib.contextmanager
def _search_path(entries: list[str]) -> Iterator[None]:
    saved = sys.path[:]
    sys.path[:] = entries
    try:
        yield
    finally:
        sys.path[:] = saved


@contextlib.contextmanager
def plugin_output_to_stderr() -> Iterator[None]:
    """A plugin printing while it is imported or run must not corrupt a report on stdout."""
    with contextlib.redirect_stdout(sys.stderr):
        yield
