"""What the application needs from the outside world, stated as protocols the adapters fulfil."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, NamedTuple, Protocol, TypeVar

from importcanon.domain.facts import ImportKind, NameUses, ParsedModule, TextImport, TextImportRow


class Mention(NamedTuple):
    """The roles a name may play in one module, from its text (see adapters/mentions.py).

    One-sided: a role that is False is certainly not played; a True one may be. ``imports_from``
    holds the modules a plain ``from x import Name`` names (absolute); an import in any other form
    sets ``imports``.
    """

    imports_from: frozenset[str]
    imports: bool
    binds: bool
    aliases: bool
    calls: bool
    #: Each plain ``from x import Name`` as (line, absolute x), when the text shows every one of
    #: them to be a module-level, unconditional statement (in column 0, outside any string) from
    #: a module inside the top-level package; None when it cannot: then only a parse tells where
    #: and how the name is imported.
    module_level_imports: tuple[tuple[int, str], ...] | None = None


Result = TypeVar("Result")


class FactSource(Protocol):
    """Facts beyond the import graph, computed on demand and cached by content.

    Only the modules an analysis asks about are ever parsed; the cheap text facts that decide
    which ones to ask about come from a scan of the raw bytes.
    """

    def parsed(self, module: str, *, calls_of: frozenset[str] = frozenset()) -> ParsedModule | None:
        """The module's parse, or None when its file cannot be parsed; its ``calls`` are
        collected only when asked for (they cost more than the parse): at least the calls of
        dotted names with a word of ``calls_of`` among their parts (see
        ``ParsedModule.call_words``), so that bodies without those words need no parse."""
        ...

    def parse_ahead(self, modules: Iterable[str], *, calls_of: frozenset[str] = frozenset()) -> None:
        """A hint: ``parsed`` is about to be asked for each of these modules. A big batch is
        parsed at once, on every core; the answers of ``parsed`` stay the same either way."""
        ...

    def alongside(
        self, *works: Callable[[], Any], fork: bool = True
    ) -> AbstractContextManager[list[Callable[[], Any]]]:
        """The ``works`` (pure: they read the graph and these facts, nothing a later step
        changes) beside the block, when ``fork`` and a second core allow: the first in another
        process; each later one in that process once it is free, unless the block asks for its
        result first (then it is computed here). The functions given return each work's result.
        The facts a work learned (parses, import kinds, memorised results, parse failures) are
        this source's afterwards, as if it ran here."""
        ...

    def import_kinds(self, module: str, line: int) -> Mapping[int, ImportKind]:
        """The kind of the import statements starting on each line of the module, ``line``
        among them when the file can be read: from a scan of the text where that is unambiguous,
        else from a parse."""
        ...

    def parse_failures(self) -> Mapping[str, tuple[int | None, str]]:
        """Modules grimp could scan but the Python running importcanon could not parse (newer
        syntax), with the line and message: analyses that need a parse skip them."""
        ...

    def note_parse_failures(self, failures: Mapping[str, tuple[int | None, str]]) -> None:
        """Parse failures a remembered check met: this run reports them as if it had met them."""
        ...

    def modules_containing(self, needles: frozenset[str]) -> dict[str, set[str]]:
        """For each needle, the modules whose source contains it as a whole word (a superset of
        the modules that bind, import or call it)."""
        ...

    def module_on_disk(self, module: str) -> bool:
        """Whether Python would find ``module`` in its root package's directory (a file, a
        package or namespace directory, an extension module), even when it is not analysed."""
        ...

    def extension_module(self, module: str) -> bool:
        """Whether Python would import ``module`` from an extension module file in its root
        package's directory: compiled code, which no reading sees."""
        ...

    def may_add_module(self, module: str, name: str) -> bool:
        """Whether the module's code may add a module named ``name`` at run time (an import
        hook, a write into ``sys.modules`` under that name): then the modules below it are not
        only those on the disk. True when its text cannot be read."""
        ...

    def foreign_writers(self, module: str) -> frozenset[str]:
        """The module's top-level functions and classes that may write names into another
        module's namespace (a caller's globals, a module found in ``sys.modules``): a module that
        imports one may have names no reading of it shows. Empty when its text cannot be read."""
        ...

    def writes_modules(self, module: str) -> bool:
        """Whether the module's code may write a module into ``sys.modules`` (itself replaced by
        another, a lazy module): then its names are not all those its text shows. True when its
        text cannot be read."""
        ...

    def imports_expected_to_fail(self, module: str) -> frozenset[int]:
        """The lines of the module's import statements made inside a ``with`` block that expects
        an ImportError (a test that something is not importable); empty when it cannot be read."""
        ...

    def name_uses(self, module: str, name: str, line: int | None = None) -> NameUses | None:
        """How the module's file uses ``name`` anywhere (the attributes read from it, any other
        use, its bindings), as ``importcanon fix`` reads it; None when it cannot be parsed.
        ``line``: the import asked about, whose function's uses alone count when only it binds
        the name there (see ``adapters.parsing.name_uses``)."""
        ...

    def text_imports(self, module: str) -> Sequence[TextImportRow]:
        """The import statements that start a line of the module, read from the text without a
        parse (one inside a string included): a cheap first look that a parse then confirms.
        Rows, not ``TextImport`` objects: a project has tens of thousands of them."""
        ...

    def evident_names(self, module: str) -> frozenset[str]:
        """Names the module plainly binds in column 0 (class, def, assignment, import), read from
        the text: a name here is bound; a name not here needs a parse to tell."""
        ...

    def binds_for_certain(self, module: str, name: str) -> bool:
        """Whether the text shows, without a parse, that the module binds ``name`` at module
        level (a def, class, assignment or import of it in the module's own scope). False says
        nothing: only a parse can tell that a name is not bound."""
        ...

    def may_bind_apart_from_imports(self, module: str, name: str) -> bool:
        """False only when the text shows, without a parse, that nothing at module level binds
        ``name`` except ``from x import name`` statements (a module that only rebinds it inside
        functions, say); True when a parse is needed to tell."""
        ...

    def imports_of(self, module: str, name: str) -> Sequence[TextImport] | None:
        """Every ``from ... import name`` of the module (aliased or not, one per name imported),
        read from the text when it shows each to be an unconditional module-level statement and
        no other import of the name; None when only a parse can tell."""
        ...

    def imports_at(self, module: str, line: int) -> Sequence[TextImport] | None:
        """The import statements that start on ``line`` of the module, read from the text (no
        kind), when it shows them to be simple statements at module level, as the parse would
        give them; None when only a parse can tell."""
        ...

    def may_rebind(self, module: str, name: str) -> bool:
        """False only when the text shows, without a parse, that no module-level statement of
        the module binds another name to ``name`` (``other = name``, ``other = x.name``, ``from x
        import name as other``); True when a parse is needed to tell."""
        ...

    def may_import_or_call(self, module: str, names: frozenset[str]) -> bool:
        """False only when the text shows, without a parse, that the module neither imports one
        of ``names`` (``from m import name``) nor calls a dotted name with one of them as a part;
        True when a parse is needed to tell."""
        ...

    def may_use(self, names: frozenset[str]) -> set[str]:
        """The modules that may import one of ``names`` or call a dotted name with one of them
        as a part (the others certainly do neither, as their text shows): the ones to parse."""
        ...

    def star_imports_for_certain(self, module: str) -> Sequence[tuple[int, str | None]]:
        """(level, module as written) of the module's ``from ... import *`` statements that
        the text shows to be at module level, without a parse; perhaps not all of them."""
        ...

    def top_level(self, module: str) -> tuple[tuple[str, ...] | None, bool] | None:
        """(the module's ``__all__`` as its parse would read it, whether a def or class certainly
        sits at its top level, so that it is no shim), when its text tells ``__all__`` exactly;
        None when only a parse can."""
        ...

    def mentions(self, needle: str) -> Mapping[str, Mention]:
        """For each module whose source contains ``needle`` as a whole word, the roles it may
        play there: what decides which of those modules an analysis has to parse."""
        ...

    def shim_candidates(self) -> set[str]:
        """Modules with no top-level def, class or loop: the only ones that can be shims."""
        ...

    def content_key(self, modules: Iterable[str], extra: Iterable[object] = ()) -> str:
        """A digest of these modules (names and contents), the scan options and ``extra``: equal
        keys mean that an analysis of these modules would give the same answer again."""
        ...

    @property
    def remembers(self) -> bool:
        """Whether what is memorised reaches the next runs (not under ``--no-cache``): a key that
        only :meth:`recall` would read is worth its cost only then."""
        ...

    def recall(self, name: str, key: str) -> Any | None:
        """The result last memorised for analysis ``name`` under ``key``, if the key still matches."""
        ...

    def memorize(self, name: str, key: str, value: Any) -> None:
        """Keep ``value`` (plain data) for the next runs; the few latest keys per name are kept."""
        ...
