"""Finding the target's root packages and module files on disk, without importing anything.

The walk mirrors grimp's own module finder (regular and namespace packages, directories that are
not identifiers skipped, ``a.b.py`` files skipped, no descent into directories without
``__init__.py`` inside a regular package) so the module set is the one grimp would build, and adds
what grimp lacks: exclude globs and the stat data the content cache keys on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from stat import S_ISREG
from typing import NamedTuple

from importcanon.adapters.globs import ExcludeGlobs
from importcanon.domain.errors import ConfigurationError

#: Where root packages are looked for, in order: the ``src/`` layout first, then flat.
PACKAGE_BASES = ("src", ".")


class SourceFile(NamedTuple):
    module: str
    path: str  # absolute
    relpath: str  # relative to the project, with "/"
    is_package: bool
    package: str  # the root package it belongs to
    mtime_ns: int
    size: int


class LeftOut(NamedTuple):
    """The directories without ``__init__.py`` inside a regular package, which grimp (and so the
    scan) leaves out, each with its listing: the warning that names them counts the Python files
    below them, one ``scandir`` per directory, when :meth:`warning` is asked. django's locale and
    static trees take 17 ms of a 0.45 s check to count (none is Python), so a check counts them
    while grimp scans."""

    root: str
    exclude: ExcludeGlobs | None
    directories: tuple[tuple[str, tuple[os.DirEntry[str], ...]], ...] = ()  # (relpath, its entries), in walk order

    def warning(self) -> tuple[str, str] | None:
        """(path, why) for the warning, as ``SourceListing.skipped`` holds them; None when no
        Python file lies below them."""
        orphans = [
            (relpath, count)
            for relpath, entries in self.directories
            if (count := _python_files_below(entries, self.root, self.exclude))
        ]
        return _orphans_warning(orphans) if orphans else None


class SourceListing(NamedTuple):
    packages: dict[str, str]  # root package -> absolute directory
    files: tuple[SourceFile, ...]  # sorted by module name
    namespace_packages: dict[str, frozenset[str]]  # root package -> namespace modules in it
    unreadable: tuple[tuple[str, str, str], ...] = ()  # (module, relpath, why) of what cannot be read
    skipped: tuple[tuple[str, str], ...] = ()  # (path, why) of files that are not modules, in walk order
    #: Packages with a module file of the same name beside them: grimp's own file lookup would
    #: read that dead file, so these are scanned from the text of their ``__init__.py``.
    shadowing: frozenset[str] = frozenset()
    left_out: LeftOut | None = None  # the directories the walk left out, for the warning after ``skipped``


def locate_packages(project_dir: Path, names: Sequence[str]) -> dict[str, str]:
    """Map each root package name to its directory under ``src/`` or the project itself."""
    located: dict[str, str] = {}
    for name in names:
        parts = name.split(".")
        if not all(part.isidentifier() for part in parts):
            raise ConfigurationError(f"root package '{name}' is not a valid dotted module name")
        for base in PACKAGE_BASES:
            candidate = project_dir.joinpath(base, *parts)
            if candidate.is_dir():
                # Not resolved: a symlinked package keeps its path inside the project.
                located[name] = str(candidate.absolute())
                break
            if candidate.with_suffix(".py").is_file():
                raise ConfigurationError(
                    f"root package '{name}' is a module ({candidate.with_suffix('.py')}), "
                    "not a package: name the package that contains it"
                )
        else:
            raise ConfigurationError(
                f"root package '{name}' not found: looked for {project_dir / 'src' / Path(*parts)}"
                f" and {project_dir / Path(*parts)}"
            )
    return located


def discover_packages(project_dir: Path) -> list[str]:
    """The top-level regular packages under ``src/`` (when it has any) or the project itself."""
    for base in PACKAGE_BASES:
        directory = project_dir / base
        if not directory.is_dir():
            continue
        found = sorted(
            entry.name
            for entry in os.scandir(directory)
            if entry.is_dir() and entry.name.isidentifier() and os.path.isfile(os.path.join(entry.path, "__init__.py"))
        )
        if found:
            return found
    return []


def compile_excludes(patterns: Iterable[str]) -> ExcludeGlobs | None:
    """The exclude globs, matched in linear time (see ``globs``); None when there are none.

    ``**`` spans directories, ``*`` and ``?`` do not; a pattern that matches a directory excludes
    everything below it.
    """
    globs = ExcludeGlobs(pattern.strip().strip("/") for pattern in patterns if pattern.strip())
    return globs if globs else None


def list_sources(
    project_dir: Path,
    packages: dict[str, str],
    exclude: ExcludeGlobs | None,
    namespace_directories: bool = False,
) -> SourceListing:
    """Every module file of the root packages, with the stat data the cache keys on.

    A directory without ``__init__.py`` inside a regular package is a namespace package to
    Python, but grimp (and so import-linter) leaves it out. By default importcanon does the same,
    so that its graph and lint-imports' agree, and warns about what is left out; with
    ``namespace_directories`` such directories are walked as namespace packages.
    """
    root = str(project_dir.resolve())
    files: list[SourceFile] = []
    namespaces: dict[str, frozenset[str]] = {}
    unreadable: list[tuple[str, str, str]] = []
    skipped: list[tuple[str, str]] = []
    shadowing: set[str] = set()
    left_out: list[tuple[str, tuple[os.DirEntry[str], ...]]] = []
    for package, directory in packages.items():
        walker = _PackageWalker(root, package, exclude, namespace_directories)
        walker.walk(directory, package, in_regular_package=False)
        files.extend(walker.files)
        namespaces[package] = frozenset(walker.namespace_packages)
        unreadable.extend(walker.unreadable)
        skipped.extend(walker.skipped)
        shadowing.update(walker.shadowing)
        left_out.extend(walker.left_out)
    files.sort(key=lambda source: source.module)
    return SourceListing(
        packages=dict(packages),
        files=tuple(files),
        namespace_packages=namespaces,
        unreadable=tuple(unreadable),
        skipped=tuple(skipped),
        shadowing=frozenset(shadowing),
        left_out=LeftOut(root, exclude, tuple(left_out)),
    )


def _orphans_warning(orphans: list[tuple[str, int]]) -> tuple[str, str]:
    files = sum(count for _, count in orphans)
    shown = ", ".join(relpath for relpath, _ in orphans[:_ORPHANS_SHOWN])
    more = f" and {len(orphans) - _ORPHANS_SHOWN} more" if len(orphans) > _ORPHANS_SHOWN else ""
    return (
        f"{files} Python file{'s' if files != 1 else ''} in {len(orphans)} "
        f"director{'ies' if len(orphans) != 1 else 'y'} without __init__.py inside a package",
        f"{shown}{more}; Python imports them as namespace packages but grimp and import-linter skip them, "
        "so their imports and syntax are not checked: set [settings] namespace_packages = true to check them, "
        "or add the __init__.py files",
    )


_ORPHANS_SHOWN = 20


class _PackageWalker:
    def __init__(
        self, root: str, package: str, exclude: ExcludeGlobs | None, namespace_directories: bool = False
    ) -> None:
        self.root = root
        self.package = package
        self.exclude = exclude
        self.namespace_directories = namespace_directories
        self.left_out: list[tuple[str, tuple[os.DirEntry[str], ...]]] = []  # (relpath, listing) of skipped directories
        self.files: list[SourceFile] = []
        self.namespace_packages: list[str] = []
        self._visited: set[tuple[int, int]] = set()  # (device, inode): a symlink loop ends here
        self.unreadable: list[tuple[str, str, str]] = []
        self.skipped: list[tuple[str, str]] = []
        self.shadowing: list[str] = []

    def _relpath(self, path: str) -> str:
        return _relative(self.root, path)

    def _excluded(self, relpath: str) -> bool:
        return self.exclude is not None and self.exclude.matches(relpath)

    def walk(self, directory: str, module: str, in_regular_package: bool) -> bool:
        """Collect modules below ``directory``; True when any Python file was found.

        Names resolve as Python's path finder resolves them: for a name ``a``, a package
        ``a/__init__.py`` wins over a module ``a.py``, which wins over a namespace directory ``a/``.
        The loser is never a module: it is left out, with a warning naming what shadows it.
        """
        try:
            identity = os.stat(directory)
            if (identity.st_dev, identity.st_ino) in self._visited:
                return False
            self._visited.add((identity.st_dev, identity.st_ino))
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            self.unreadable.append((module, self._relpath(directory), error.strerror or str(error)))
            return False
        names = {entry.name for entry in entries}
        is_regular = "__init__.py" in names
        if in_regular_package and not is_regular and not self.namespace_directories:
            # grimp skips it: say so, but do not scan it (its listing kept for the count, not made again)
            self.left_out.append((self._relpath(directory), tuple(entries)))
            return False
        entries.sort(key=lambda entry: entry.name)
        directories = {entry.name for entry in entries if _is_directory(entry)}
        found_any = False
        for entry in entries:
            name = entry.name
            if name in directories:
                if not name.isidentifier() or self._excluded(self._relpath(entry.path)):
                    continue
                if f"{name}.py" in names and not _is_package_directory(entry.path):
                    if _holds_python(entry.path):  # a data directory beside a module is no news
                        self._shadowed(entry.path, f"{name}.py", "directory")
                    continue
                found_any |= self.walk(entry.path, f"{module}.{name}", is_regular)
            elif name.endswith(".py") and not name.startswith(".") and name.count(".") == 1:
                relpath = self._relpath(entry.path)
                if self._excluded(relpath):
                    continue
                if not _is_utf8(name):
                    self.skipped.append(
                        (_shown(relpath), "its name is not valid UTF-8, so it is not an importable module: skipped")
                    )
                    continue
                if name[:-3] in directories and _is_package_directory(entry.path[:-3]):
                    self._shadowed(entry.path, f"{name[:-3]}/__init__.py", "module")
                    self.shadowing.append(f"{module}.{name[:-3]}")
                    continue
                found_any |= self._add_file(entry, module, relpath)
        if found_any and not is_regular:
            self.namespace_packages.append(module)
        return found_any

    def _add_file(self, entry: os.DirEntry[str], module: str, relpath: str) -> bool:
        name = entry.name
        try:
            stat = entry.stat()
            mtime_ns, size = stat.st_mtime_ns, stat.st_size
        except OSError:  # a dangling symlink or a symlink loop: still a module, reported unreadable later
            mtime_ns, size = -1, -1
        else:
            if not S_ISREG(stat.st_mode):  # a FIFO would hang the read, /dev/zero never end it
                self.unreadable.append((module, relpath, "not a regular file, so it is not read"))
                return False
        is_init = name == "__init__.py"
        self.files.append(
            SourceFile(
                module=module if is_init else f"{module}.{name[:-3]}",
                path=entry.path,
                relpath=relpath,
                is_package=is_init,
                package=self.package,
                mtime_ns=mtime_ns,
                size=size,
            )
        )
        return True

    def _shadowed(self, path: str, winner: str, what: str) -> None:
        """Record a file or directory that Python never imports because ``winner`` (a sibling)
        takes its name."""
        directory = os.path.dirname(self._relpath(path))
        shown = f"{directory}/{winner}" if directory else winner
        if what == "module":
            reason = f"shadowed by the package {shown}: Python imports the package, never this file"
        else:
            reason = f"shadowed by the module {shown}: Python imports the module, never this directory"
        self.skipped.append((_shown(self._relpath(path)), f"{reason}; it is not checked (delete or rename it)"))


def _python_files_below(entries: Iterable[os.DirEntry[str]], root: str, exclude: ExcludeGlobs | None) -> int:
    """The Python files below a directory the walk skips, whose listing is ``entries``, counted
    as ``os.walk`` would see them (a link to a directory is not followed, so no loop; an
    unreadable directory counts none).

    One ``scandir`` per directory and no path built unless an exclude glob must see it: data
    directories (a locale tree, static files) can hold more entries than the package itself.
    """

    def excluded(path: str) -> bool:
        return exclude is not None and exclude.matches(_relative(root, path))

    count = 0
    pending: list[str] = []
    while True:
        for entry in entries:
            if _is_directory(entry):
                if not _is_link(entry) and not excluded(entry.path):
                    pending.append(entry.path)
            elif entry.name.endswith(".py") and not excluded(entry.path):
                count += 1
        if not pending:
            return count
        try:
            with os.scandir(pending.pop()) as listing:
                entries = list(listing)
        except OSError:
            entries = []


def _relative(root: str, path: str) -> str:
    """``path`` relative to ``root``, with "/": every path here lies under the root, so slicing
    is exact and far cheaper than ``os.path.relpath``."""
    return path[len(root) + 1 :].replace(os.sep, "/")


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a symlink loop: not a directory; as a *.py it is reported unreadable
        return False


def _is_link(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # as os.path.islink answers it
        return False


def _is_package_directory(path: str) -> bool:
    return os.path.isfile(os.path.join(path, "__init__.py"))


def _holds_python(path: str) -> bool:
    try:
        return any(name.endswith(".py") for name in os.listdir(path))
    except OSError:
        return False


def _is_utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (which Python decodes to surrogates)."""
    if name.isascii():
        return True
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(relpath: str) -> str:
    """A path fit for a message: undecodable bytes escaped as ``\\xe9``."""
    return relpath.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
