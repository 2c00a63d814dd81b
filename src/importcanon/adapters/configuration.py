"""Reading contracts: import-linter's through its own readers, importcanon's TOML, strictly.

Every problem becomes a :class:`ConfigurationError` naming the file, the line where it can be
known, and what is wrong; tomllib reports no positions for valid TOML with wrong values, so a
small locator finds the line of each table and key in the text.
"""

from __future__ import annotations

import configparser
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from importlinter.adapters.user_options import IniFileUserOptionReader, TomlFileUserOptionReader
from importlinter.configuration import configure as configure_import_linter

from importcanon.adapters.files import read_bounded
from importcanon.domain.contracts import (
    DEFAULT_BASELINE,
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
from importcanon.domain.rules import RULES

CONTRACTS_DIR = "contracts"
PYPROJECT = "pyproject.toml"
# import-linter 2.16 asks its INI reader first (setup.cfg, then .importlinter: the first with an
# [importlinter] section wins), then its TOML reader (pyproject.toml with [tool.importlinter]).
IMPORT_LINTER_FILES = ("setup.cfg", ".importlinter", PYPROJECT)


# import-linter's configuration -------------------------------------------------------------------


def read_import_linter_config(project_dir: Path, config: Path | None = None) -> ImportLinterConfig | None:
    """import-linter's configuration, found exactly as ``lint-imports`` finds it.

    ``config`` names the file explicitly (``--config``), which must then configure import-linter:
    a ``.toml`` file is read as TOML, any other as INI, as ``lint-imports --config`` does.
    """
    configure_import_linter()
    if config is not None:
        shown = _shown(project_dir, config)
        if not config.exists():  # a directory or a FIFO is refused by name when read
            raise ConfigurationError("the import-linter configuration given by --config does not exist", path=shown)
        found = _read_import_linter_file(config, shown, toml=config.name.endswith(".toml"))
        if found is None:
            section = "[tool.importlinter]" if config.name.endswith(".toml") else "[importlinter]"
            raise ConfigurationError(f"no {section} section: this is not an import-linter configuration", path=shown)
        return found
    for name in IMPORT_LINTER_FILES:
        path = project_dir / name
        if path.is_file():
            found = _read_import_linter_file(path, name, toml=name == PYPROJECT)
            if found is not None:
                return found
    return None


def _read_import_linter_file(path: Path, shown: str, *, toml: bool) -> ImportLinterConfig | None:
    text = _read_text(path, shown)
    if toml and not _declares(text, "importlinter", shown):
        return None  # pyproject.toml without [tool.importlinter]
    if not toml and re.search(r"^\s*\[importlinter\s*[]:]", text, re.MULTILINE) is None:
        return None  # no [importlinter] section: configparser would find none either
    if toml:
        _check_import_linter_toml(_parse_toml(text, shown), text, shown)
    reader = TomlFileUserOptionReader() if toml else IniFileUserOptionReader()
    try:
        options = reader.read_options(config_filename=str(path.resolve()))
    except configparser.Error as error:
        raise ConfigurationError(_first_line(str(error)), path=shown, line=getattr(error, "lineno", None)) from None
    except Exception as error:  # import-linter's readers assume well-formed tables
        raise ConfigurationError(
            f"import-linter's configuration cannot be read: {type(error).__name__}: {error}", path=shown
        ) from None
    if options is None:
        return None  # e.g. an empty [tool.importlinter]
    session = dict(options.session_options)
    if not toml:
        _check_import_linter_ini(session, text, shown)
    if "root_packages" not in session and "root_package" in session:
        session["root_packages"] = [session.pop("root_package")]
    contracts = tuple(options.contracts_options)
    return ImportLinterConfig(
        path=shown,
        session_options=session,
        contracts=contracts,
        contract_lines=tuple(_contract_line(text, shown, contract, toml) for contract in contracts),
    )


_IMPORT_LINTER_SESSION: dict[str, Validator] = {
    "root_package": lambda value: _dotted_name(value),
    "root_packages": lambda value: _list_of_dotted_names(value),
    "contract_types": lambda value: _list_of_strings(value),
}


def _check_import_linter_toml(data: dict[str, Any], text: str, shown: str) -> None:
    """The value types import-linter assumes without checking: a wrong one names file, line and key."""
    section = data.get("tool", {}).get("importlinter") if isinstance(data.get("tool"), dict) else None
    if section is None:
        return
    locator = _Locator(text, prefix=("tool", "importlinter"))
    if not isinstance(section, dict):
        raise ConfigurationError("[tool.importlinter] must be a table", path=shown, line=locator.table_line("", 0))
    for key, value in section.items():
        if key == "contracts":
            if not isinstance(value, list):
                raise ConfigurationError(
                    "[tool.importlinter] contracts must be written as [[tool.importlinter.contracts]]",
                    path=shown,
                    line=locator.table_line(key, 0),
                )
            for index, contract in enumerate(value):
                _check_import_linter_contract(contract, index, locator, shown)
            continue
        problem = _IMPORT_LINTER_SESSION.get(key, _option_value)(value)
        if problem:
            raise ConfigurationError(
                f"[tool.importlinter] {key} {problem}, got {value!r}", path=shown, line=locator.key_line("", 0, key)
            )


def _check_import_linter_ini(session: dict[str, Any], text: str, shown: str) -> None:
    """An INI value is a string, or a list when written over several lines: the root packages
    must be the form import-linter expects, named at their line."""
    wanted = {"root_package": _dotted_name, "root_packages": _dotted_names_ini}
    for key, validator in wanted.items():
        if key in session:
            problem = validator(session[key])
            if problem:
                line = re.search(rf"^\s*{key}\s*[=:]", text, re.MULTILINE)
                raise ConfigurationError(
                    f"[importlinter] {key} {problem}, got {session[key]!r}",
                    path=shown,
                    line=text.count("\n", 0, line.start()) + 1 if line else None,
                )


def _dotted_names_ini(value: Any) -> str | None:
    return _list_of_dotted_names(value if isinstance(value, list) else [value])


def _check_import_linter_contract(contract: Any, index: int, locator: _Locator, shown: str) -> None:
    if not isinstance(contract, dict):
        raise ConfigurationError(
            "[[tool.importlinter.contracts]] each contract must be a table",
            path=shown,
            line=locator.table_line("contracts", index),
        )
    for key, value in contract.items():
        problem = _option_value(value)
        if problem:
            raise ConfigurationError(
                f"[[tool.importlinter.contracts]] {key} {problem}, got {value!r}",
                path=shown,
                line=locator.key_line("contracts", index, key),
            )


def _option_value(value: Any) -> str | None:
    """import-linter's options are strings, booleans or lists of strings: anything else crashes it."""
    if isinstance(value, (str, bool)) or (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        return None
    return "must be a string, true/false or a list of strings"


def _contract_line(text: str, name: str, contract: dict[str, Any], toml: bool) -> int | None:
    """Where a contract is declared: its INI section, or the TOML line giving its name."""
    lines = text.splitlines()
    if not toml and "id" in contract:
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


def _rule_ids(value: Any) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return "must be a list of rule ids"
    unknown = [item for item in value if item not in RULES]
    if unknown:
        return f"names the unknown rule {unknown[0]!r} (`importcanon rules` lists them)"
    return None


def _per_path_ignores(value: Any) -> str | None:
    if not isinstance(value, dict) or not all(isinstance(glob, str) and glob for glob in value):
        return "must be a table of path globs, each with a list of rule ids"
    for glob, rules in value.items():
        problem = _rule_ids(rules)
        if problem:
            return f"{glob!r} {problem}"
    return None


class _TableSchema(NamedTuple):
    keys: dict[str, Validator]
    required: frozenset[str] = frozenset()
    array: bool = False  # [[table]] rather than [table]


_SCHEMA: dict[str, _TableSchema] = {
    "settings": _TableSchema(
        keys={
            "root_packages": _list_of_strings,
            "exclude": _list_of_strings,
            "baseline": _string,
            "select": _rule_ids,
            "ignore": _rule_ids,
            "per_path_ignores": _per_path_ignores,
            "namespace_packages": _boolean,
        }
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
    """Merge every ``contracts/*.toml`` of the target and its ``[tool.importcanon]``, if any."""
    sources: list[tuple[str, Path, tuple[str, ...]]] = [
        (f"{CONTRACTS_DIR}/{path.name}", path, ()) for path in _contract_files(project_dir)
    ]
    pyproject = project_dir / PYPROJECT
    if pyproject.is_file() and _declares(_read_text(pyproject, PYPROJECT), "importcanon"):
        sources.append((PYPROJECT, pyproject, ("tool", "importcanon")))
    settings_lines: dict[tuple[str, str], int | None] = {}
    merged: dict[str, list[tuple[dict[str, Any], Origin]]] = {}
    for relpath, path, prefix in sources:
        text = _read_text(path, relpath)
        data: Any = _parse_toml(text, relpath)
        for part in prefix:
            data = data.get(part, {}) if isinstance(data, dict) else data
        locator = _Locator(text, prefix)
        if not isinstance(data, dict):
            raise ConfigurationError("[tool.importcanon] must be a table", path=relpath, line=locator.table_line("", 0))
        for table, value in data.items():
            schema = _SCHEMA.get(table)
            if schema is None:
                known = ", ".join(f"[[{t}]]" if s.array else f"[{t}]" for t, s in _SCHEMA.items())
                raise ConfigurationError(
                    f"unknown table [{'.'.join((*prefix, table))}]; importcanon contracts use {known}",
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
                    settings_lines.update({(relpath, key): locator.key_line(table, index, key) for key in entry})
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
    header = f"[[{table}]]" if schema.array else f"[{table}]"  # as the user wrote it
    if not isinstance(entry, dict):
        raise ConfigurationError(f"{header} must be a table", path=path, line=locator.table_line(table, index))
    for key, value in entry.items():
        validator = schema.keys.get(key)
        if validator is None:
            allowed = ", ".join(schema.keys)
            raise ConfigurationError(
                f"unknown key '{key}' in {header}; allowed keys: {allowed}",
                path=path,
                line=locator.key_line(table, index, key),
            )
        problem = validator(value)
        if problem:
            raise ConfigurationError(
                f"{header} {key} {problem}, got {value!r}", path=path, line=locator.key_line(table, index, key)
            )
    missing = sorted(schema.required - entry.keys())
    if missing:
        raise ConfigurationError(
            f"{header} is missing the required key '{missing[0]}'", path=path, line=locator.table_line(table, index)
        )


def _settings(entries: list[tuple[dict[str, Any], Origin]], lines: dict[tuple[str, str], int | None]) -> Settings:
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for entry, where in entries:
        for key, value in entry.items():
            if key in values:
                raise ConfigurationError(
                    f"[settings] {key} is already set in {origin[key]}",
                    path=where.path,
                    line=lines.get((where.path, key)),
                )
            values[key], origin[key] = value, where.path
    return Settings(
        root_packages=tuple(values["root_packages"]) if "root_packages" in values else None,
        exclude=tuple(values.get("exclude", ())),
        baseline=values.get("baseline", DEFAULT_BASELINE),
        select=tuple(values["select"]) if "select" in values else None,
        ignore=tuple(values.get("ignore", ())),
        per_path_ignores=tuple((glob, tuple(rules)) for glob, rules in values.get("per_path_ignores", {}).items()),
        namespace_packages=values.get("namespace_packages", False),
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


_BARE_OR_QUOTED = r"(?:[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*')"
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_SEGMENT = re.compile(_BARE_OR_QUOTED)


def _segments(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in _SEGMENT.findall(dotted))


class _Locator:
    """Line numbers of tables and keys in a TOML text, by a line scan good enough for messages.

    Every header and every (possibly dotted) key is recorded under its full path, the n-th entry
    of an array of tables as ``name#n``, so that ``[tool.importcanon.settings]``,
    ``settings.baseline = 3`` and ``[[legacy]]`` are all found; ``prefix`` is the table the
    contracts live in (``tool.importcanon`` in pyproject.toml).
    """

    _HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(rf"^\s*({_DOTTED})\s*=")

    def __init__(self, text: str, prefix: tuple[str, ...] = ()) -> None:
        self._prefix = prefix
        self._lines: dict[tuple[str, ...], int] = {}
        arrays: dict[tuple[str, ...], int] = {}  # an array of tables' path -> its last index
        current: tuple[str, ...] = ()
        for number, line in enumerate(text.splitlines(), 1):
            header = self._HEADER.match(line)
            if header:
                current = self._indexed(_segments(header.group(2)), arrays)
                if header.group(1) == "[[":
                    raw = _segments(header.group(2))
                    arrays[raw] = arrays.get(raw, -1) + 1
                    self._record(current, number)  # the array itself, where it first appears
                    current = (*current[:-1], f"{raw[-1]}#{arrays[raw]}")
                self._record(current, number)
                continue
            key = self._KEY.match(line)
            if key:
                self._record((*current, *_segments(key.group(1))), number)

    @staticmethod
    def _indexed(raw: tuple[str, ...], arrays: dict[tuple[str, ...], int]) -> tuple[str, ...]:
        """``[legacy.sub]`` after ``[[legacy]]`` belongs to the last ``legacy`` entry."""
        return tuple(f"{part}#{arrays[raw[: n + 1]]}" if raw[: n + 1] in arrays else part for n, part in enumerate(raw))

    def _record(self, path: tuple[str, ...], number: int) -> None:
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], number)

    def _find(self, *path: str) -> int | None:
        return self._lines.get((*self._prefix, *(part for part in path if part)))

    def table_line(self, table: str, index: int) -> int | None:
        if not table:
            return self._find()
        found = self._find(f"{table}#{index}")
        return found if found is not None else self._find(table)

    def key_line(self, table: str, index: int, key: str) -> int | None:
        if not table:
            found = self._find(key)
        else:
            found = self._find(f"{table}#{index}", key)
            found = found if found is not None else self._find(table, key)
        return found if found is not None else self.table_line(table, index)


# Shared helpers -----------------------------------------------------------------------------------


def _contract_files(project_dir: Path) -> list[Path]:
    """The ``*.toml`` files of ``contracts/``; a ``contracts`` that cannot be listed is an error,
    never silently "no contracts"."""
    directory = project_dir / CONTRACTS_DIR
    if not directory.exists() and not directory.is_symlink():
        return []
    try:
        names = sorted(entry.name for entry in os.scandir(directory))
    except OSError as error:
        reason = "it is not a directory" if isinstance(error, NotADirectoryError) else error.strerror
        raise ConfigurationError(f"cannot list the contracts directory: {reason}", path=CONTRACTS_DIR) from None
    return [directory / name for name in names if name.endswith(".toml")]


def has_configuration(directory: Path) -> bool:
    """Whether ``directory`` holds a project's configuration: what root discovery stops at."""
    if (directory / CONTRACTS_DIR).is_dir() or (directory / ".importlinter").is_file():
        return True
    setup_cfg, pyproject = directory / "setup.cfg", directory / PYPROJECT
    if setup_cfg.is_file() and re.search(r"^\s*\[importlinter\]", _read_text(setup_cfg, str(setup_cfg)), re.M):
        return True
    if pyproject.is_file():
        text = _read_text(pyproject, str(pyproject))
        return _declares(text, "importlinter", str(pyproject)) or _declares(text, "importcanon", str(pyproject))
    return False


def _declares(text: str, tool: str, shown: str = PYPROJECT) -> bool:
    """Whether a pyproject.toml text has a non-empty ``[tool.<tool>]`` table, however written."""
    if re.search(rf"\b{tool}\b", text) is None:
        return False  # the cheap answer for most pyproject.toml files
    section = _parse_toml(text, shown).get("tool", {})
    return bool(section.get(tool)) if isinstance(section, dict) else False


def _parse_toml(text: str, shown: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message, line = _toml_error(error)
        raise ConfigurationError(message, path=shown, line=line) from None


def _shown(root: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


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
