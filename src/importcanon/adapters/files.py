"""Atomic writes: a temporary file in the same directory, then a rename over the target.

Readers (and a second concurrent run) see either the old file or the new one, never half of one,
and a failed write leaves the old file exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from importcanon.domain.errors import ImportcanonError


def write_atomically(path: Path, data: bytes | str, *, shown: str | None = None) -> None:
    """Replace ``path`` with ``data``; raises ImportcanonError naming ``shown`` (or the path)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = path.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise ImportcanonError(f"cannot write the file: {error.strerror}", path=shown or str(path)) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, target.stat().st_mode & 0o777 if target.exists() else _default_mode())
        os.replace(temporary, target)
    except OSError as error:
        os.unlink(temporary)
        raise ImportcanonError(f"cannot write the file: {error.strerror}", path=shown or str(path)) from None
    except BaseException:
        os.unlink(temporary)
        raise


def _default_mode() -> int:
    """What ``open()`` would give a new file: 0o666 less the umask (mkstemp uses 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
