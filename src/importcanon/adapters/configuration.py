"""Reading contracts: import-linter's through its own readers, importcanon's TOML, strictly.

Every problem becomes a :class:`ConfigurationError` naming the file, the line where it can be
known, and what is wrong; tomllib reports no positions for valid TOML with wrong values, so a
small locator finds the line of each table and key in the text.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from importlinter.adapters.user_options import IniFileUserOptionReader, TomlFileUserOptionReader
from importlinter.configuration import configure as configure_import_linter

from importcanon.adapters.files import read_bounded
from importcanon.domain.contracts import (
    Canonical,
    ContractSet,
    CycleContract,
    Deprecated,
    ImportLinterConfig,
    Legacy,
    Origin,
    Settings,
)
from importcanon.domain.errors import ConfigurationError
from importcanon.domain.modules import is_within

CONTRACTS_DIR = "contracts"
IMPORT_LINTER_FILES = (".importlinter", "setup.cfg", "pyproject.toml")


# import-linter's configuration -------------------------------------------------------------------


def read_import_linter_config(project_dir: Path) -> ImportLinterConfig | None:
    """The first of ``.importlinter``, ``setup.cfg``, ``pyproject.toml`` that configures it."""
    configure_import_linter()
    for name in IMPORT_LINTER_FILES:
        path = project_dir / name
        if not path.is_file():
            continue
        text = _read_text(path, name)
        if not _mentions_import_linter(name, text):
            continue
        reader = TomlFileUserOptionReader() if name == "pyproject.toml" else IniFileUserOptionReader()
        try:
            options = reader.read_options(config_filename=str(path.resolve()))
        except configparser.Error as error:
            raise ConfigurationError(_first_line(str(error)), path=name, line=getattr(error, "lineno", None)) from None
        except tomllib.TOMLDecodeError as error:
            message, line = _toml_error(error)
            raise ConfigurationError(message, path=name, line=line) from None
        except Exception as error:  # import-linter's readers assume well-formed tables
            raise ConfigurationError(
                f"import-linter's configuration cannot be read: {type(error).__name__}: {error}", path=name
            ) from None
        if options is None:
            continue  # e.g. setup.cfg without an [importlinter] section
        session = dict(options.session_options)
        if "root_packages" not in session and "root_package" in session:
            session["root_packages"] = [session.pop("root_package")]
        contracts = tuple(options.contracts_options)
        return ImportLinterConfig(
            path=name,
            session_options=session,
            contracts=contracts,
            contract_lines=tuple(_contract_line(text, name, contract) for contract in contracts),
        )
    return None


def _mentions_import_linter(name: str, text: str) -> bool:
    if name == "pyproject.toml":
        return re.search(r"^\s*\[+\s*tool\.importlinter", text, re.MULTILINE) is not None
    return re.search(r"^\s*\[importlinter", text, re.MULTILINE) is not None


def _contract_line(text: str, name: str, contract: dict[str, Any]) -> int | None:
    """Where a contract is declared: its INI section, or the TOML line giving its name."""
    lines = text.splitlines()
    if name != "pyproject.toml" and "id" in contract:
        header = f"[importlinter:contract:{contract['id']}]"
        return next((n for n, line in enumerate(lines, 1) if line.strip() == header), None)
    wanted = re.compile(r"^\s*name\s*=\s*([\"'])" + re.escape(str(contract.get("name", ""))) + r"\1\s*$")
    return next((n for n, line in enumerate(lines, 1) if wanted.match(line)), None)


# importcanon's contracts ---------------------------------------------------------------------------

Validator = Callable[[Any], str | None]


def _list_of_strings(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "must be a list of strings"
    return None


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _boolean(value: Any) -> str | None:
    return None if isinstance(value, bool) else "must be true or false"


def _list_of_dotted_names(value: Any) -> str | None:
    if not isinstance(value, list) or any(_dotted_name(item) for item in value):
        return "must be a list of dotted Python names"
    return None


def _dotted_name(value: Any) -> str | None:
    if isinstance(value, str) and value and all(part.isidentifier() for part in value.split(".")):
        return None
    return "must be a dotted Python name such as 'app.core.models'"


def _qualified_name(value: Any) -> str | None:
    problem = _dotted_name(value)
    if problem is None and "." not in value:
        return "must name a module and a name in it, such as 'app.core.factory.make_thing'"
    return problem


def _identifier(value: Any) -> str | None:
    return None if isinstance(value, str) and value.isidentifier() else "must be a Python identifier"


@dataclass(frozen=True)
class _TableSchema:
    keys: dict[str, Validator]
    required: frozenset[str] = frozenset()
    array: bool = False  # [[table]] rather than [table]


_SCHEMA: dict[str, _TableSchema] = {
    "settings": _TableSchema(
        keys={"root_packages": _list_of_strings, "exclude": _list_of_strings, "baseline": _string}
    ),
    "canonical": _TableSchema(
        keys={"symbol": _identifier, "module": _dotted_name},
        required=frozenset({"symbol", "module"}),
        array=True,
    ),
    "legacy": _TableSchema(
        keys={"package": _dotted_name, "replacement": _dotted_name},
        required=frozenset({"package", "replacement"}),
        array=True,
    ),
    "deprecated": _TableSchema(
        keys={"name": _qualified_name, "replacement": _qualified_name, "drop_in": _boolean},
        required=frozenset({"name"}),
        array=True,
    ),
    "cycles": _TableSchema(keys={"packages": _list_of_dotted_names, "exclude_type_checking": _boolean}),
}


def read_contracts(project_dir: Path) -> ContractSet:
    """Merge every ``contracts/*.toml`` of the target; no directory means no contracts."""
    directory = project_dir / CONTRACTS_DIR
    files = sorted(directory.glob("*.toml")) if directory.is_dir() else []
    settings_lines: dict[str, int | None] = {}
    merged: dict[str, list[tuple[dict[str, Any], Origin]]] = {}
    for path in files:
        relpath = f"{CONTRACTS_DIR}/{path.name}"
        text = _read_text(path, relpath)
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            message, line = _toml_error(error)
            raise ConfigurationError(message, path=relpath, line=line) from None
        locator = _Locator(text)
        for table, value in data.items():
            schema = _SCHEMA.get(table)
            if schema is None:
                known = ", ".join(f"[[{t}]]" if s.array else f"[{t}]" for t, s in _SCHEMA.items())
                raise ConfigurationError(
                    f"unknown table [{table}]; importcanon contracts use {known}",
                    path=relpath,
                    line=locator.table_line(table, 0),
                )
            entries = value if schema.array and isinstance(value, list) else [value]
            if schema.array != isinstance(value, list):
                form = f"[[{table}]]" if schema.array else f"[{table}]"
                raise ConfigurationError(
                    f"'{table}' must be written as {form}", path=relpath, line=locator.table_line(table, 0)
                )
            for index, entry in enumerate(entries):
                _validate_entry(table, index, entry, schema, relpath, locator)
                origin = Origin(relpath, locator.table_line(table, index))
                merged.setdefault(table, []).append((entry, origin))
                if table == "settings":
                    settings_lines.update({key: locator.key_line(table, index, key) for key in entry})
    canonical = tuple(Canonical(e["symbol"], e["module"], o) for e, o in merged.get("canonical", []))
    legacy = tuple(Legacy(e["package"], e["replacement"], o) for e, o in merged.get("legacy", []))
    deprecated = tuple(
        Deprecated(e["name"], e.get("replacement"), o, e.get("drop_in", False)) for e, o in merged.get("deprecated", [])
    )
    _once(canonical, lambda c: c.symbol, "[[canonical]]", "a symbol has one canonical home")
    _once(legacy, lambda c: c.package, "[[legacy]]", "declare each legacy package once")
    _once(deprecated, lambda c: c.name, "[[deprecated]]", "declare each deprecated name once")
    for entry in deprecated:
        if entry.drop_in and entry.replacement is None:
            raise ConfigurationError(
                f"[[deprecated]] {entry.name}: drop_in = true needs a replacement to drop in",
                path=entry.origin.path,
                line=entry.origin.line,
            )
    for contract in legacy:
        if is_within(contract.replacement, contract.package):
            raise ConfigurationError(
                f"[[legacy]] the replacement {contract.replacement} lies inside the legacy package "
                f"{contract.package}: code cannot move out of a package into itself",
                path=contract.origin.path,
                line=contract.origin.line,
            )
    cycles = merged.get("cycles", [])
    if len(cycles) > 1:
        raise ConfigurationError(
            f"[cycles] is declared again (first in {cycles[0][1].path}:{cycles[0][1].line}); declare it once",
            path=cycles[1][1].path,
            line=cycles[1][1].line,
        )
    return ContractSet(
        settings=_settings(merged.get("settings", []), settings_lines),
        cycles=_cycles(*cycles[0]) if cycles else None,
        canonical=canonical,
        legacy=legacy,
        deprecated=deprecated,
    )


def _validate_entry(table: str, index: int, entry: Any, schema: _TableSchema, path: str, locator: _Locator) -> None:
    if not isinstance(entry, dict):
        raise ConfigurationError(f"[{table}] must be a table", path=path, line=locator.table_line(table, index))
    for key, value in entry.items():
        validator = schema.keys.get(key)
        if validator is None:
            allowed = ", ".join(schema.keys)
            raise ConfigurationError(
                f"unknown key '{key}' in [{table}]; allowed keys: {allowed}",
                path=path,
                line=locator.key_line(table, index, key),
            )
        problem = validator(value)
        if problem:
            raise ConfigurationError(
                f"[{table}] {key} {problem}, got {value!r}", path=path, line=locator.key_line(table, index, key)
            )
    missing = sorted(schema.required - entry.keys())
    if missing:
        raise ConfigurationError(
            f"[{table}] is missing the required key '{missing[0]}'", path=path, line=locator.table_line(table, index)
        )


def _settings(entries: list[tuple[dict[str, Any], Origin]], lines: dict[str, int | None]) -> Settings:
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for entry, where in entries:
        for key, value in entry.items():
            if key in values:
                raise ConfigurationError(
                    f"[settings] {key} is already set in {origin[key]}", path=where.path, line=lines.get(key)
                )
            values[key], origin[key] = value, where.path
    return Settings(
        root_packages=tuple(values["root_packages"]) if "root_packages" in values else None,
        exclude=tuple(values.get("exclude", ())),
        baseline=values.get("baseline", Settings.baseline),
    )


def _once(contracts: Iterable[Any], key: Callable[[Any], str], table: str, rule: str) -> None:
    """Each symbol, package or name is declared by one entry: a second one is a mistake."""
    first: dict[str, Any] = {}
    for contract in contracts:
        if key(contract) in first:
            earlier = first[key(contract)].origin
            raise ConfigurationError(
                f"{table} {key(contract)} is already declared at {earlier.path}:{earlier.line}; {rule}",
                path=contract.origin.path,
                line=contract.origin.line,
            )
        first[key(contract)] = contract


def _cycles(entry: dict[str, Any], origin: Origin) -> CycleContract:
    packages = entry.get("packages")
    return CycleContract(
        packages=tuple(packages) if packages is not None else None,
        exclude_type_checking=entry.get("exclude_type_checking", True),
        origin=origin,
    )


class _Locator:
    """Line numbers of tables and keys in a TOML text, by a line scan good enough for messages."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')\s*=")

    def __init__(self, text: str) -> None:
        self._headers: list[tuple[str, int]] = []  # (table, line) in order
        self._keys: dict[tuple[str, int, str], int] = {}
        self._top_level: dict[str, int] = {}  # keys before any header, such as ``settings = 3``
        seen: dict[str, int] = {}
        current: tuple[str, int] | None = None
        for number, line in enumerate(text.splitlines(), 1):
            header = self._HEADER.match(line)
            if header:
                table = header.group(2).strip("\"' ")
                index = seen.get(table, -1) + 1
                seen[table] = index
                current = (table, index)
                self._headers.append((table, number))
                continue
            key = self._KEY.match(line)
            if key and current is not None:
                self._keys.setdefault((*current, key.group(1).strip("\"'")), number)
            elif key:
                self._top_level.setdefault(key.group(1).strip("\"'"), number)

    def table_line(self, table: str, index: int) -> int | None:
        matches = [line for name, line in self._headers if name == table]
        return matches[index] if index < len(matches) else self._top_level.get(table)

    def key_line(self, table: str, index: int, key: str) -> int | None:
        return self._keys.get((table, index, key), self.table_line(table, index))


# Shared helpers -----------------------------------------------------------------------------------


def _read_text(path: Path, shown: str) -> str:
    """A configuration file: a regular file of bounded size (never /dev/zero or a FIFO), UTF-8."""
    try:
        return read_bounded(path).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigurationError(f"not UTF-8 text: {error.reason}", path=shown) from None
    except OSError as error:
        raise ConfigurationError(f"cannot read the file: {error.strerror}", path=shown) from None


_TOML_POSITION = re.compile(r" ?\(at line (\d+), column \d+\)")


def _toml_error(error: tomllib.TOMLDecodeError) -> tuple[str, int | None]:
    position = _TOML_POSITION.search(str(error))
    line = int(position.group(1)) if position else None
    return "invalid TOML: " + _TOML_POSITION.sub("", str(error)), line


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid configuration"
