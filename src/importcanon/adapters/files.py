"""Reading and writing importcanon's own files without being led astray by the file system.

A repository is untrusted input: it can commit a symbolic link where importcanon keeps a file
(``contracts/baseline.json -> ~/.bashrc``), a FIFO or a device where it reads one, and CI often
runs as root. So:

* reads take regular files only, up to a size bound, and never block on a FIFO;
* writes go to a temporary file in the target's directory, flushed to disk, then renamed over
  the target: readers see the old file or the new one, never half of one, and a failed write
  leaves the old file exactly as it was, with no temporary file or new directory left behind;
* below a trusted base (the project root) no symbolic link is ever followed, neither for the file
  nor for the directories leading to it, and the file must be absent or a regular file.

These helpers use directory file descriptors (``openat``-style calls), which POSIX systems have.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

from importcanon.domain.errors import ImportcanonError

#: The most a configuration file or a baseline may hold; more is a mistake (or ``/dev/zero``).
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


class UnsafeFile(OSError):
    """A path importcanon will not read or write as it is; ``strerror`` says why."""


def read_bounded(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path`` (links followed), at most ``limit`` of them.

    Raises FileNotFoundError when there is none, UnsafeFile for a device, FIFO, socket or
    directory (opened without blocking, so a FIFO cannot hang the run) or a file over the bound.
    """
    return _read_descriptor(os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC), limit)


def _read_descriptor(handle: int, limit: int) -> bytes:
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise UnsafeFile(0, "not a regular file")
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(handle, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnsafeFile(0, f"larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(handle)


def is_within(path: Path, base: Path) -> bool:
    """Whether absolute ``path`` lies in ``base``, by their names (links are not followed)."""
    return Path(os.path.normpath(path)).is_relative_to(os.path.normpath(base))


class SafeDirectory:
    """An open directory reached without following links below ``base``, created if need be.

    Directories from the file system root down to ``base`` are trusted as they are (the user
    chose them); every component below ``base`` must be a real directory. When ``base`` is None
    (a path outside the project, named on the command line) the nearest existing ancestor is the
    base. Directories this object created are removed again by ``discard_created`` when the
    write they were made for fails.
    """

    def __init__(self, directory: Path, *, base: Path | None, shown: str) -> None:
        directory = Path(os.path.abspath(directory))
        if base is None or not is_within(directory, base):
            base = directory
            while not base.exists() and base != base.parent:
                base = base.parent
        base = Path(os.path.abspath(base))
        self.shown = shown
        self.created: list[tuple[int, str]] = []  # (parent descriptor, name), outermost first
        self._opened: list[int] = []
        try:
            self.fd = self._track(os.open(base, os.O_RDONLY | _DIRECTORY | _CLOEXEC))
            for part in directory.relative_to(base).parts:
                self.fd = self._step(part)
        except OSError as error:
            self.__exit__(OSError, None, None)
            raise self.error(f"cannot open the directory {directory}: {_reason(error)}") from None
        except ImportcanonError:
            self.__exit__(ImportcanonError, None, None)
            raise

    def _track(self, fd: int) -> int:
        self._opened.append(fd)
        return fd

    def _step(self, name: str) -> int:
        """Open (or create) the subdirectory ``name`` of the current one, never through a link."""
        try:
            os.mkdir(name, 0o777, dir_fd=self.fd)
            self.created.append((self.fd, name))
        except FileExistsError:
            pass
        try:
            return self._track(os.open(name, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=self.fd))
        except OSError:
            if stat.S_ISLNK(os.stat(name, dir_fd=self.fd, follow_symlinks=False).st_mode):
                raise self.error(
                    f"'{name}' on the way to it is a symbolic link: importcanon never writes through one"
                ) from None
            raise

    def error(self, message: str) -> ImportcanonError:
        return ImportcanonError(message, path=self.shown)

    def check_target(self, name: str) -> os.stat_result | None:
        """The target's own status (None when absent); an error when it is a link or not a file."""
        try:
            status = os.stat(name, dir_fd=self.fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        if stat.S_ISLNK(status.st_mode):
            raise self.error(
                "the file is a symbolic link: importcanon never writes through one (remove the link, "
                "or name the file it points to)"
            )
        if not stat.S_ISREG(status.st_mode):
            raise self.error("the file is not a regular file: importcanon will not replace it")
        return status

    def read(self, name: str, limit: int = MAX_TEXT_FILE_BYTES) -> bytes:
        """The regular file ``name`` in this directory, not through a link (see ``read_bounded``)."""
        try:
            handle = os.open(name, os.O_RDONLY | _NONBLOCK | _NOFOLLOW | _CLOEXEC, dir_fd=self.fd)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise UnsafeFile(error.errno, "a symbolic link: importcanon never follows one here") from None
            raise
        return _read_descriptor(handle, limit)

    def stage(self, name: str, data: bytes, mode: int) -> str:
        """Write ``data`` to a new temporary file beside ``name``, flushed to disk; its name."""
        temporary = f".{name}.{os.urandom(4).hex()}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC
        handle = os.open(temporary, flags, 0o600, dir_fd=self.fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view) :]
            os.fchmod(handle, mode)
            os.fsync(handle)
        except BaseException:
            os.close(handle)
            self.unlink(temporary)
            raise
        os.close(handle)
        return temporary

    def replace(self, source: str, target: str) -> None:
        os.replace(source, target, src_dir_fd=self.fd, dst_dir_fd=self.fd)

    def unlink(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name, dir_fd=self.fd)

    def sync(self) -> None:
        """Make the renames durable: without it a crash can bring the old directory entry back."""
        with contextlib.suppress(OSError):  # some file systems cannot sync a directory
            os.fsync(self.fd)

    def remove_stale_temporaries(self, names: Sequence[str]) -> None:
        """Temporary files a killed run left beside ``names``; call only while holding the lock."""
        stale = re.compile("|".join(rf"\.{re.escape(name)}\.[0-9a-f]{{8}}\.tmp" for name in names))
        for entry in os.listdir(self.fd):
            if stale.fullmatch(entry):
                self.unlink(entry)

    def discard_created(self) -> None:
        """Remove the directories this object created (they are empty after a failed write)."""
        for parent, name in reversed(self.created):
            try:
                os.rmdir(name, dir_fd=parent)
            except OSError:
                break
        self.created.clear()

    def close(self) -> None:
        for fd in reversed(self._opened):
            os.close(fd)
        self._opened.clear()

    def __enter__(self) -> SafeDirectory:
        return self

    def __exit__(self, kind: object, value: object, trace: object) -> None:
        if kind is not None:
            self.discard_created()
        self.close()


def write_atomically(path: Path, data: bytes | str, *, shown: str | None = None, base: Path | None = None) -> None:
    """Replace the regular file ``path`` with ``data``; raises ImportcanonError naming ``shown``.

    No link below ``base`` is followed; a link or a special file at ``path`` is an error.
    """
    write_together([(path, data)], shown=shown or str(path), base=base)


def write_together(files: Sequence[tuple[Path, bytes | str]], *, shown: str, base: Path | None = None) -> None:
    """Replace several files of one directory so that all of them change or none does.

    Every new content is staged and flushed first; only then are the files renamed into place,
    and should a rename fail, the ones already replaced get their old content back.
    """
    directory = Path(os.path.abspath(files[0][0])).parent
    with SafeDirectory(directory, base=base, shown=shown) as folder:
        commit_together(folder, [(Path(path).name, data) for path, data in files])


def commit_together(folder: SafeDirectory, files: Sequence[tuple[str, bytes | str]]) -> None:
    """``write_together`` within an already opened directory (see ``SafeDirectory``)."""
    staged: list[tuple[str, str, str | None]] = []  # (target, new temporary, backup of the old file)
    try:
        for name, data in files:
            status = folder.check_target(name)
            mode = stat.S_IMODE(status.st_mode) if status is not None else _default_mode()
            payload = data.encode("utf-8") if isinstance(data, str) else data
            backup = _backup(folder, name) if status is not None and len(files) > 1 else None
            staged.append((name, folder.stage(name, payload, mode), backup))
        done: list[tuple[str, str | None]] = []
        try:
            for name, temporary, backup in staged:
                folder.replace(temporary, name)
                done.append((name, backup))
        except BaseException:
            for name, backup in reversed(done):
                if backup is not None:
                    folder.replace(backup, name)
                else:
                    folder.unlink(name)
            raise
        folder.sync()
    except OSError as error:
        raise folder.error(f"cannot write the file: {_reason(error)}") from None
    finally:
        for _, temporary, backup in staged:
            folder.unlink(temporary)
            if backup is not None:
                folder.unlink(backup)


def _backup(folder: SafeDirectory, name: str) -> str:
    """A second name for the current file, to put back if a later rename of the set fails."""
    backup = f".{name}.{os.urandom(4).hex()}.tmp"
    os.link(name, backup, src_dir_fd=folder.fd, dst_dir_fd=folder.fd, follow_symlinks=False)
    return backup


def write_output(path: Path, data: str, *, shown: str) -> None:
    """A report the user asked for on the command line: ``-`` or standard output itself, a
    device or FIFO written in place (``/dev/null`` stays a device), else a regular file replaced
    atomically. A link to a regular file is refused rather than replaced."""
    if is_standard_output(path):
        sys.stdout.write(data)
        sys.stdout.flush()
        return
    try:
        status = os.stat(path)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise ImportcanonError(f"cannot write the file: {_reason(error)}", path=shown) from None
    if status is not None and not stat.S_ISREG(status.st_mode) and not stat.S_ISDIR(status.st_mode):
        try:
            with open(path, "w", encoding="utf-8") as stream:
                stream.write(data)
        except OSError as error:
            raise ImportcanonError(f"cannot write to it: {_reason(error)}", path=shown) from None
        return
    write_atomically(path, data, shown=shown)


def is_standard_output(path: Path) -> bool:
    """``-``, or a path that names the very file standard output already is (``/dev/stdout``)."""
    if str(path) == "-":
        return True
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no such file, or no real standard output
        return False


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (temporary files get 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
