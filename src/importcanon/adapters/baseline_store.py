"""The baseline file and its history, on disk: strict to read, stable and atomic to write.

The baseline is JSON with one entry per line, sorted by rule then fingerprint, so that a rewrite
of unchanged code is byte-identical and two branches fixing different violations usually touch
lines far apart (fingerprints spread entries of one rule evenly) and merge without conflict.
Writes go through a lock file and an atomic rename: two concurrent updates cannot interleave,
and a failed write leaves the old file exactly as it was.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from importcanon.adapters.files import SafeDirectory, commit_together, read_bounded
from importcanon.domain.baseline import SCHEMA, Baseline, BaselineEntry
from importcanon.domain.errors import ImportcanonError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_FINGERPRINT = re.compile(r"[0-9a-f]{16}")
_DIGEST = re.compile(r"[0-9a-f]{8}")

#: No real project has more violations of one kind; a larger count is a corrupt file.
MAX_COUNT = 2**31 - 1


class BaselineError(ImportcanonError):
    """A baseline or history file that cannot be used as it is."""


def read_baseline(path: Path, shown: str) -> Baseline | None:
    """The baseline at ``path``, None when there is none; BaselineError when it is unusable."""
    text = _read_text(path, shown, "baseline")
    if text is None:
        return None
    document = _json(text, shown, "the baseline is not valid JSON")
    if not isinstance(document, dict) or "schema" not in document:
        raise BaselineError("the baseline has no 'schema': not an importcanon baseline", path=shown)
    schema = document["schema"]
    if schema != SCHEMA:
        detail = (
            "written by a newer importcanon: upgrade importcanon to read it"
            if isinstance(schema, int) and schema > SCHEMA
            else "unknown"
        )
        raise BaselineError(
            f"baseline schema {schema!r} is {detail} (this importcanon reads schema {SCHEMA})", path=shown
        )
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise BaselineError("the baseline's 'entries' must be a list", path=shown)
    parsed: dict[str, BaselineEntry] = {}
    for index, raw in enumerate(entries):
        entry = _entry(raw)
        if entry is None:
            raise BaselineError(
                f"baseline entry {index + 1} is malformed: it needs fingerprint (16 hex digits), rule, "
                f"count (a positive integer up to {MAX_COUNT}) and description",
                path=shown,
                line=_line_of_entry(text, index),
            )
        if entry.fingerprint in parsed:
            raise BaselineError(
                f"fingerprint {entry.fingerprint} appears twice", path=shown, line=_line_of_entry(text, index)
            )
        parsed[entry.fingerprint] = entry
    return Baseline(parsed, _cycle_imports(document.get("cycle_imports"), shown))


def _cycle_imports(raw: Any, shown: str) -> dict[str, str] | None:
    """The optional digest of the [cycles] scope (absent from baselines written before it)."""
    if raw is None:
        return None
    if not (
        isinstance(raw, dict)
        and all(isinstance(v, str) and _DIGEST.fullmatch(k) and _DIGEST.fullmatch(v) for k, v in raw.items())
    ):
        raise BaselineError(
            "the baseline's 'cycle_imports' must map 8-hex-digit keys to 8-hex-digit digests "
            "(delete it to have the next `importcanon baseline update` write it again)",
            path=shown,
        )
    return dict(raw)


def _entry(raw: Any) -> BaselineEntry | None:
    if not isinstance(raw, dict):
        return None
    fingerprint, rule, count, description = (raw.get(k) for k in ("fingerprint", "rule", "count", "description"))
    contract = raw.get("contract")
    if not (isinstance(fingerprint, str) and _FINGERPRINT.fullmatch(fingerprint)):
        return None
    if not (isinstance(rule, str) and isinstance(description, str) and isinstance(count, int)):
        return None
    if isinstance(count, bool) or not 1 <= count <= MAX_COUNT or not (contract is None or isinstance(contract, str)):
        return None
    return BaselineEntry(fingerprint, rule, count, description, contract)


def _line_of_entry(text: str, index: int) -> int | None:
    lines = [number for number, line in enumerate(text.splitlines(), 1) if '"fingerprint"' in line]
    return lines[index] if index < len(lines) else None


def render_baseline(baseline: Baseline) -> str:
    entries = sorted(baseline.entries.values(), key=lambda e: (e.rule, e.fingerprint))
    lines = [_render_entry(entry) for entry in entries]
    body = ",\n".join(f"    {line}" for line in lines)
    entries_text = f"\n{body}\n  " if lines else ""
    digest = ""
    if baseline.cycle_imports is not None:  # one module per line, sorted: merges like the entries
        pairs = ",\n".join(f'    "{key}": "{value}"' for key, value in sorted(baseline.cycle_imports.items()))
        digest = f',\n  "cycle_imports": {{\n{pairs}\n  }}' if pairs else ',\n  "cycle_imports": {}'
    return f'{{\n  "schema": {SCHEMA},\n  "entries": [{entries_text}]{digest}\n}}\n'


def entry_to_json(entry: BaselineEntry) -> dict[str, Any]:
    """An entry as the baseline file and the JSON report's ``fixed`` list both show it."""
    data: dict[str, Any] = {"rule": entry.rule, "fingerprint": entry.fingerprint, "count": entry.count}
    if entry.contract is not None:
        data["contract"] = entry.contract
    data["description"] = entry.description
    return data


def _render_entry(entry: BaselineEntry) -> str:
    return json.dumps(entry_to_json(entry), ensure_ascii=False)


# History: one JSON snapshot per line, beside the baseline ----------------------------------------


def history_path(baseline_path: Path) -> Path:
    return baseline_path.with_name(baseline_path.stem + ".history.jsonl")


def read_history(path: Path, shown: str) -> list[dict[str, Any]]:
    text = _read_text(path, shown, "history")
    if text is None:
        return []
    snapshots = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        snapshot = _json(line, shown, "history line is not valid JSON", number)
        if not _is_snapshot(snapshot):
            raise BaselineError(
                "history line is not an importcanon snapshot: it needs a 'date' (ISO 8601), and a 'total' "
                f"and 'rules' counts that are integers from 0 to {MAX_COUNT}",
                path=shown,
                line=number,
            )
        snapshots.append(snapshot)
    return snapshots


def _is_snapshot(snapshot: Any) -> bool:
    if not (isinstance(snapshot, dict) and isinstance(snapshot.get("date"), str)):
        return False
    try:
        datetime.fromisoformat(snapshot["date"].replace("Z", "+00:00"))
    except ValueError:
        return False
    rules = snapshot.get("rules")
    return (
        isinstance(rules, dict)
        and _is_tally(snapshot.get("total", 0))
        and all(isinstance(rule, str) and _is_tally(count) for rule, count in rules.items())
    )


def _is_tally(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_COUNT


def _read_text(path: Path, shown: str, what: str) -> str | None:
    """The file as text (None when it does not exist): a regular file, bounded, in UTF-8."""
    try:
        return read_bounded(path).decode("utf-8")
    except FileNotFoundError:
        return None
    except OSError as error:
        raise BaselineError(f"cannot read the {what}: {error.strerror or error}", path=shown) from None
    except UnicodeDecodeError as error:
        raise BaselineError(f"the {what} is not UTF-8 text: {error.reason}", path=shown) from None


def _json(text: str, shown: str, problem: str, line: int | None = None) -> Any:
    """Parsed JSON, or a BaselineError: bad syntax, nesting too deep, a number too long to read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{problem}: {error.msg}", path=shown, line=line or error.lineno) from None
    except ValueError:  # an integer past Python's digit limit
        long_number = re.search(rf"\d{{{sys.get_int_max_str_digits()}}}", text)
        at = line or (text.count("\n", 0, long_number.start()) + 1 if long_number else None)
        raise BaselineError(f"{problem}: a number with thousands of digits", path=shown, line=at) from None
    except RecursionError:
        raise BaselineError(f"{problem}: nested too deeply", path=shown, line=line) from None


def write_baseline(folder: SafeDirectory, path: Path, baseline: Baseline, snapshot: dict[str, Any]) -> None:
    """Replace the baseline and append ``snapshot`` to its history: both change, or neither.

    Call it while holding ``locked``; it also clears temporary files a killed run left behind.
    """
    history = history_path(path)
    folder.remove_stale_temporaries([path.name, history.name])
    try:
        existing = folder.read(history.name).decode("utf-8", errors="surrogateescape")
    except FileNotFoundError:
        existing = ""
    except OSError as error:
        raise BaselineError(f"cannot read the history: {error.strerror or error}", path=folder.shown) from None
    if existing and not existing.endswith("\n"):
        existing += "\n"
    lines = (existing + json.dumps(snapshot, sort_keys=True) + "\n").encode("utf-8", errors="surrogateescape")
    commit_together(folder, [(path.name, render_baseline(baseline)), (history.name, lines)])


# Locking --------------------------------------------------------------------------------------------


@contextmanager
def locked(baseline_path: Path, shown: str, *, base: Path | None, timeout: float = 60.0) -> Iterator[SafeDirectory]:
    """Hold an exclusive lock on the baseline for a read-modify-write; yields its directory.

    The lock file is removed afterwards; a process that locked a file another one has just
    removed notices (the name no longer names its file) and tries again, so three concurrent
    runs cannot slip past each other either. A lock file left by a killed run is harmless (the
    kernel released its lock with the process) and is removed by the next run. Should the
    block fail, directories created for the baseline are removed again.
    """
    name = f".{baseline_path.name}.lock"
    deadline = time.monotonic() + timeout
    with SafeDirectory(baseline_path.parent, base=base, shown=shown) as folder:
        folder.check_target(baseline_path.name)  # a link or a device: refused before any lock file is made
        try:
            while True:
                handle = os.open(name, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o644, dir_fd=folder.fd)
                try:
                    _lock(handle, deadline, shown)
                    if os.fstat(handle).st_ino == os.stat(name, dir_fd=folder.fd, follow_symlinks=False).st_ino:
                        break
                except FileNotFoundError:
                    pass
                except BaseException:
                    os.close(handle)
                    raise
                os.close(handle)
        except OSError as error:
            raise BaselineError(f"cannot lock the baseline: {error.strerror}", path=shown) from None
        try:
            yield folder
        finally:
            try:
                folder.unlink(name)
            finally:
                os.close(handle)


def _lock(handle: int, deadline: float, shown: str) -> None:
    if sys.platform == "win32":  # msvcrt locks a byte range instead
        import msvcrt

        while True:
            try:
                msvcrt.locking(handle, msvcrt.LK_NBLCK, 1)
                return
            except OSError:
                if time.monotonic() > deadline:
                    raise BaselineError("another importcanon holds the baseline lock", path=shown) from None
                time.sleep(0.05)
    import fcntl

    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise BaselineError("another importcanon holds the baseline lock", path=shown) from None
            time.sleep(0.05)
