"""Facts about source files, derived statically and cached by content."""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple


class ImportKind(str, Enum):
    """When an import statement runs, which decides whether it can break start-up.

    Ordered by precedence when contexts nest: an import under ``if TYPE_CHECKING:`` inside a
    function is ``type-checking``; one inside a function inside ``try:`` is ``deferred``.
    """

    MODULE = "module"  # module level, unconditional: runs at import time
    DEFERRED = "deferred"  # inside a function or method: runs when called
    TYPE_CHECKING = "type-checking"  # under ``if TYPE_CHECKING:``: never runs
    GUARDED = "guarded"  # inside ``try`` with an ``except ImportError``: failure tolerated

    @property
    def runs_at_import(self) -> bool:
        """Whether the statement runs while its module is being imported. A guarded import does:
        a cycle through it can still fail at start-up, and the ``except`` swallows the failure."""
        return self is ImportKind.MODULE or self is ImportKind.GUARDED


#: Exceptions whose handler makes the imports in its ``try`` body guarded: they catch ImportError.
IMPORT_ERROR_CATCHERS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


def describe_kind(kind: str) -> str:
    """``module`` reads badly in prose ("a module import"); everything else reads as it is."""
    return "module-level" if kind == ImportKind.MODULE.value else kind


class ImportSite(NamedTuple):
    """One import statement behind an edge of the import graph."""

    importer: str
    imported: str
    line: int
    statement: str
    kind: ImportKind


class SourceModule(NamedTuple):
    """A module of the target and the file it lives in (``path`` relative to the project, ``/``)."""

    name: str
    path: str
    is_package: bool


class SyntaxProblem(NamedTuple):
    """A file that could not be parsed (or, when ``readable`` is False, read at all: a file or a
    whole directory); the rest of the project is checked without it."""

    module: str
    path: str
    line: int | None
    message: str
    readable: bool = True

    @property
    def scanner_failed(self) -> bool:
        """Whether Python parses the file and the import scanner failed on it all the same."""
        return self.message.startswith(SCANNER_FAILED)


#: How the message of a :class:`SyntaxProblem` starts when the file is no syntax error at all:
#: the import scanner (grimp's) failed on a file Python parses.
SCANNER_FAILED = "grimp's import scanner "


class ImportStatement(NamedTuple):
    """An import statement as written, with the context it runs in.

    ``names`` pairs each imported name with its ``as`` alias: for ``from m import a as b`` that is
    ``(("a", "b"),)``; for ``import a.b as c`` it is ``(("a.b", "c"),)`` with ``module`` None.
    ``conditional`` marks a module-level import that may not be the binding in force (inside an
    ``if``, an ``except`` fallback, a loop).
    """

    line: int
    kind: ImportKind
    level: int
    module: str | None
    names: tuple[tuple[str, str | None], ...]
    scope: int  # 0 at module level, otherwise the id of the enclosing def or class body
    conditional: bool = False

    @property
    def is_star(self) -> bool:
        return self.names == (("*", None),)


class TextImport(NamedTuple):
    """An import statement as read from the text alone (no context, no kind): ``names`` as in
    ``ImportStatement``; ``module`` None for ``import a.b``."""

    line: int
    level: int
    module: str | None
    names: tuple[tuple[str, str | None], ...]


#: A ``TextImport``'s fields as a plain tuple, (line, level, module, names): how the statements
#: of a whole project are listed for the broken-import screen, with no object built for each.
TextImportRow = tuple[int, int, str | None, tuple[tuple[str, str | None], ...]]


class BindingKind(str, Enum):
    """How a module-level name that is not an import gets its value."""

    CLASS = "class"
    FUNCTION = "function"
    ALIAS = "alias"  # ``Name = other.name``: the value of another name
    VALUE = "value"  # ``Name = <any other expression>``


class Binding(NamedTuple):
    """A module-level name bound by a class, a def or an assignment (imports are separate)."""

    name: str
    line: int
    kind: BindingKind
    source: str | None  # for ALIAS, the dotted name whose value is taken
    conditional: bool = False
    #: Made under ``if TYPE_CHECKING:``: what type checkers see, never in force at run time.
    type_checking: bool = False


class Call(NamedTuple):
    """A call of a plain or dotted name (``f()``, ``mod.f()``), in the scope it happens in.

    ``binder``: the scope whose imports bind the callee's first part there, 0 for the module's
    namespace. A call whose first part a scope binds otherwise (a parameter, a local) is none:
    it calls no name a module can name. Nor does a first part that the module binds nowhere
    (no module-level binding, no import anywhere, no star import) and that is no builtin: such a
    call is kept, with 0, whatever the scopes around it bind (``self.method()``).

    ``through``: for a call through a local alias (``fn = util.old_fn`` in the function, then
    ``fn()``), the dotted name the callee stands for, read where ``binder`` says
    (``util.old_fn``); None for a callee read as written."""

    line: int
    callee: str
    scope: int
    binder: int = 0
    through: str | None = None

    @property
    def stands_for(self) -> str:
        """The dotted name called, as ``binder`` reads it."""
        return self.callee if self.through is None else self.through


class NameUses(NamedTuple):
    """How a file uses one name: the attributes read from it (``m.Thing``), and the lines where it
    is used or bound any other way (passed around, assigned, a parameter...)."""

    attributes: frozenset[str]
    other_lines: tuple[int, ...]
    bindings: int  # import statements and other bindings of the name in the file


class ParsedModule(NamedTuple):
    """What a full parse of one file yields; computed only for the files an analysis asks about.

    ``scopes[i]`` is ``(parent scope, qualified name, is a class body)`` of scope ``i``; scope 0
    is the module itself. ``shim_shaped`` is True when the top level holds nothing but imports,
    re-bindings, ``__all__``, ``warnings.warn`` calls and ``try/except ImportError`` around those.
    """

    imports: tuple[ImportStatement, ...]
    bindings: tuple[Binding, ...] = ()
    all_names: tuple[str, ...] | None = None
    calls: tuple[Call, ...] | None = None  # None: not collected (see FactSource.parsed)
    scopes: tuple[tuple[int, str, bool], ...] = ((0, "<module>", False),)
    shim_shaped: bool = False
    #: When ``calls`` holds only the calls of dotted names with one of these words among their
    #: parts (``a.b.c``: ``a``, ``b`` or ``c``), the words; None when it holds every call.
    call_words: frozenset[str] | None = None
    #: With the calls: each (name, dotted name) a function or class body assigns, ``fn = old_fn``,
    #: whose dotted name holds one of ``call_words`` (any, when it is None), in the order of the
    #: statements. Asked for the calls of ``fn`` too, a parse finds those through the alias.
    local_aliases: tuple[tuple[str, str], ...] = ()

    def kinds_by_line(self) -> dict[int, ImportKind]:
        """The kind of the import statement starting on each line (the most exposed one wins)."""
        kinds: dict[int, ImportKind] = {}
        for statement in self.imports:
            known = kinds.get(statement.line)
            if known is None or _EXPOSURE[statement.kind] < _EXPOSURE[known]:
                kinds[statement.line] = statement.kind
        return kinds


_EXPOSURE = {
    ImportKind.MODULE: 0,
    ImportKind.GUARDED: 1,
    ImportKind.DEFERRED: 2,
    ImportKind.TYPE_CHECKING: 3,
}
