"""Errors that end a run with exit code 2 and a message naming the file and line at fault."""

from __future__ import annotations


class ImportcanonError(Exception):
    """A problem the user can fix: bad configuration, a corrupt baseline, a wrong argument."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = self.path or ""
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ConfigurationError(ImportcanonError):
    """A contract file or import-linter configuration that cannot be used."""


class UsageError(ImportcanonError):
    """A command-line argument that does not make sense for this project."""
