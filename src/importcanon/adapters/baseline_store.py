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
from pathlib import Path
from typing import Any

from importcanon.adapters.files import write_atomically
from importcanon.domain.baseline import SCHEMA, Baseline, BaselineEntry
from importcanon.domain.errors import ImportcanonError

_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


class BaselineError(ImportcanonError):
    """A baseline or history file that cannot be used as it is."""


def read_baseline(path: Path, shown: str) -> Baseline | None:
    """The baseline at ``path``, None when there is none; BaselineError when it is unusable."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"cannot read the baseline: {error}", path=shown) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"the baseline is not valid JSON: {error.msg}", path=shown, line=error.lineno) from None
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
                "count (a positive integer) and description",
                path=shown,
                line=_line_of_entry(text, index),
            )
        if entry.fingerprint in parsed:
            raise BaselineError(
                f"fingerprint {entry.fingerprint} appears twice", path=shown, line=_line_of_entry(text, index)
            )
        parsed[entry.fingerprint] = entry
    return Baseline(parsed)


def _entry(raw: Any) -> BaselineEntry | None:
    if not isinstance(raw, dict):
        return None
    fingerprint, rule, count, description = (raw.get(k) for k in ("fingerprint", "rule", "count", "description"))
    contract = raw.get("contract")
    if not (isinstance(fingerprint, str) and _FINGERPRINT.fullmatch(fingerprint)):
        return None
    if not (isinstance(rule, str) and isinstance(description, str) and isinstance(count, int)):
        return None
    if isinstance(count, bool) or count < 1 or not (contract is None or isinstance(contract, str)):
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
    return f'{{\n  "schema": {SCHEMA},\n  "entries": [{entries_text}]\n}}\n'


def entry_to_json(entry: BaselineEntry) -> dict[str, Any]:
    """An entry as the baseline file and the JSON report's ``fixed`` list both show it."""
    data: dict[str, Any] = {"rule": entry.rule, "fingerprint": entry.fingerprint, "count": entry.count}
    if entry.contract is not None:
        data["contract"] = entry.contract
    data["description"] = entry.description
    return data


def _render_entry(entry: BaselineEntry) -> str:
    return json.dumps(entry_to_json(entry), ensure_ascii=False)


def write_baseline(path: Path, baseline: Baseline, shown: str) -> None:
    write_atomically(path, render_baseline(baseline), shown=shown)


# History: one JSON snapshot per line, beside the baseline ----------------------------------------


def history_path(baseline_path: Path) -> Path:
    return baseline_path.with_name(baseline_path.stem + ".history.jsonl")


def read_history(path: Path, shown: str) -> list[dict[str, Any]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"cannot read the history: {error}", path=shown) from None
    snapshots = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            snapshot = json.loads(line)
        except json.JSONDecodeError as error:
            raise BaselineError(f"history line is not valid JSON: {error.msg}", path=shown, line=number) from None
        if not (
            isinstance(snapshot, dict)
            and isinstance(snapshot.get("date"), str)
            and isinstance(snapshot.get("rules"), dict)
        ):
            raise BaselineError("history line is not an importcanon snapshot", path=shown, line=number)
        snapshots.append(snapshot)
    return snapshots


def append_snapshot(path: Path, snapshot: dict[str, Any], shown: str) -> None:
    """Rewrite the history with one more line (atomically: never a half-written history)."""
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = ""
    except OSError as error:
        raise BaselineError(f"cannot read the history: {error.strerror}", path=shown) from None
    if existing and not existing.endswith("\n"):
        existing += "\n"
    write_atomically(path, existing + json.dumps(snapshot, sort_keys=True) + "\n", shown=shown)


# Locking --------------------------------------------------------------------------------------------


@contextmanager
def locked(baseline_path: Path, shown: str, timeout: float = 60.0) -> Iterator[None]:
    """Hold an exclusive lock on the baseline for a read-modify-write.

    The lock file is removed afterwards; a process that locked a file another one has just
    removed notices (the path no longer names its file) and tries again, so three concurrent
    runs cannot slip past each other either.
    """
    lock_path = baseline_path.with_name(f".{baseline_path.name}.lock")
    deadline = time.monotonic() + timeout
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            _lock(handle, deadline, shown)
            try:
                if os.fstat(handle).st_ino == os.stat(lock_path).st_ino:
                    break
            except FileNotFoundError:
                pass
            os.close(handle)
    except OSError as error:
        raise BaselineError(f"cannot lock the baseline: {error.strerror}", path=shown) from None
    try:
        yield
    finally:
        try:
            os.unlink(lock_path)
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
