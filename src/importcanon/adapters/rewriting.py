"""Rewriting import statements with libcst, so that formatting and comments survive.

The plan (``application.fixing``) says which imported name becomes which import; this module only
edits text: it removes the name from its statement (the statement goes when nothing is left),
merges the new name into an earlier ``from home import ...`` of the same block when there is one,
and otherwise puts the new statement where the old one was, in the same block, so that an import
inside a function, under ``if TYPE_CHECKING:`` or inside ``try:`` stays exactly there. A
statement that was relative stays relative when the new home is in the same root package.
"""

from __future__ import annotations

import ast
import re
import stat
from collections.abc import Sequence
from pathlib import Path

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from importcanon.adapters.files import write_atomically
from importcanon.adapters.parsing import name_uses
from importcanon.application.fixing import FileChange, ImportEdit, NameUses, RewriteError
from importcanon.domain.errors import ImportcanonError
from importcanon.domain.modules import absolute_import_target


class LibcstEditor:
    """The ``SourceEditor`` over the project's files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._texts: dict[str, tuple[bytes, ast.Module | None]] = {}

    def _read(self, path: str) -> tuple[bytes, ast.Module | None]:
        if path not in self._texts:
            data = (self.root / path).read_bytes()
            try:
                tree: ast.Module | None = ast.parse(data)
            except (SyntaxError, ValueError):
                tree = None
            self._texts[path] = (data, tree)
        return self._texts[path]

    def uses(self, path: str, name: str, line: int | None = None) -> NameUses | None:
        _, tree = self._read(path)
        return None if tree is None else name_uses(tree, name, line)

    def rewrite(self, path: str, module: str, is_package: bool, edits: Sequence[ImportEdit]) -> FileChange:
        data, tree = self._read(path)
        if tree is not None:
            encoding = _encoding(data)
            if encoding is not None:
                before = data.decode(encoding)
                spliced = _Splicer(module, is_package, before, tree).rewrite(edits)
                if spliced is not None:
                    return FileChange(path, module, before, spliced, tuple(edits), encoding)
        return self._rewrite_whole(path, module, is_package, edits, data)

    def _rewrite_whole(
        self, path: str, module: str, is_package: bool, edits: Sequence[ImportEdit], data: bytes
    ) -> FileChange:
        """The general path: the whole file through libcst (statements sharing a line with
        others, one-line blocks, unusual encodings)."""
        try:
            parsed = cst.parse_module(data)
        except cst.ParserSyntaxError as error:
            raise RewriteError(f"the file does not parse (line {error.raw_line}): {error.message}") from None
        wrapper = MetadataWrapper(parsed, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        rewriter = _ImportRewriter(module, is_package, edits, positions)
        updated = parsed.visit(rewriter)
        missing = [edit for edit in edits if edit not in rewriter.done]
        if missing:
            lines = ", ".join(str(edit.line) for edit in missing)
            raise RewriteError(f"the import at line {lines} is not where the scan saw it (was the file edited?)")
        renames = {edit.bound: edit.rename for edit in edits if edit.rename}
        if renames:
            updated = updated.visit(_Renamer(renames))
        before = data.decode(parsed.encoding)
        return FileChange(path, module, before, updated.code, tuple(edits), parsed.encoding)


def _dotted(node: cst.BaseExpression | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        head = _dotted(node.value)
        return f"{head}.{node.attr.value}" if head else None
    return None


def _alias_parts(alias: cst.ImportAlias) -> tuple[str, str | None]:
    name = _dotted(alias.name) or ""
    asname = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else None
    return name, asname


def _dotted_expression(dotted: str) -> cst.Name | cst.Attribute:
    head, *rest = dotted.split(".")
    node: cst.Name | cst.Attribute = cst.Name(head)
    for part in rest:
        node = cst.Attribute(value=node, attr=cst.Name(part))
    return node


def _relative(importer: str, is_package: bool, target: str) -> tuple[int, str | None] | None:
    """``target`` as a relative import from ``importer``: (dots, module), or None across packages."""
    base = importer.split(".") if is_package else importer.split(".")[:-1]
    parts = target.split(".")
    common = 0
    while common < min(len(base), len(parts)) and base[common] == parts[common]:
        common += 1
    if common == 0:
        return None
    rest = ".".join(parts[common:])
    return len(base) - common + 1, rest or None


class _ImportRewriter(cst.CSTTransformer):
    """Apply the edits of one file, block by block."""

    def __init__(self, module: str, is_package: bool, edits: Sequence[ImportEdit], positions: object = None) -> None:
        super().__init__()
        self.module = module
        self.is_package = is_package
        self.positions = positions
        self.by_line: dict[int, list[ImportEdit]] = {}
        for edit in edits:
            self.by_line.setdefault(edit.line, []).append(edit)
        self.done: set[ImportEdit] = set()

    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line  # type: ignore[index,no-any-return]

    # Blocks ---------------------------------------------------------------------------------------

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return updated.with_changes(body=self._block(original.body, updated.body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        body = self._block(original.body, updated.body)
        return updated.with_changes(body=body or [cst.SimpleStatementLine([cst.Pass()])])

    def leave_SimpleStatementSuite(
        self, original: cst.SimpleStatementSuite, updated: cst.SimpleStatementSuite
    ) -> cst.SimpleStatementSuite:
        """``if TYPE_CHECKING: from x import A``: the new import stays on that line."""
        edits = self.by_line.get(self._line(original), [])
        if not edits:
            return updated
        small: list[cst.BaseSmallStatement] = []
        for statement in updated.body:
            kept, new = self._apply(statement, edits)
            small.extend([*([kept] if kept else []), *new])
        return updated.with_changes(body=small or [cst.Pass()])

    def _block(
        self, original: Sequence[cst.BaseStatement], updated: Sequence[cst.BaseStatement]
    ) -> list[cst.BaseStatement]:
        body: list[cst.BaseStatement] = []
        orphaned: list[cst.EmptyLine] = []  # the comments above a statement that went away
        for before, statement in zip(original, updated, strict=True):
            if orphaned and isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                statement = statement.with_changes(leading_lines=[*orphaned, *statement.leading_lines])
                orphaned = []
            edits = self.by_line.get(self._line(before), []) if isinstance(before, cst.SimpleStatementLine) else []
            if not edits or not isinstance(statement, cst.SimpleStatementLine):
                body.append(statement)
                continue
            kept_small: list[cst.BaseSmallStatement] = []
            new_imports: list[cst.Import | cst.ImportFrom] = []
            for small in statement.body:
                kept, new = self._apply(small, edits)
                if kept is not None:
                    kept_small.append(kept)
                new_imports.extend(new)
            fresh = [imp for imp in new_imports if not self._merge(body, imp)]
            lines = [cst.SimpleStatementLine([imp]) for imp in fresh]
            if kept_small:
                last = kept_small[-1]
                if isinstance(last, (cst.Import, cst.ImportFrom)):
                    kept_small[-1] = last.with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
                body.append(statement.with_changes(body=kept_small))
                body.extend(lines)
            elif lines:
                lines[0] = lines[0].with_changes(
                    leading_lines=statement.leading_lines, trailing_whitespace=statement.trailing_whitespace
                )
                body.extend(lines)
            elif any(line.comment for line in statement.leading_lines):
                orphaned = list(statement.leading_lines)
        if orphaned:
            body.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=orphaned))
        return body

    # One statement --------------------------------------------------------------------------------

    def _apply(
        self, small: cst.BaseSmallStatement, edits: list[ImportEdit]
    ) -> tuple[cst.BaseSmallStatement | None, list[cst.Import | cst.ImportFrom]]:
        """The statement without the edited names (None when none is left), and the new imports."""
        if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
            source = absolute_import_target(self.module, self.is_package, len(small.relative), _dotted(small.module))
            relative = bool(small.relative)
            names = list(small.names)
            plain = False
        elif isinstance(small, cst.Import):
            source, relative, names, plain = None, False, list(small.names), True
        else:
            return small, []
        mine = [e for e in edits if e not in self.done and (e.source is None) == plain and e.source == source]
        removed: list[ImportEdit] = []
        kept_names: list[cst.ImportAlias] = []
        for alias in names:
            name, asname = _alias_parts(alias)
            edit = next((e for e in mine if e.name == name and e.alias == asname and e not in removed), None)
            if edit is None:
                kept_names.append(alias)
            else:
                removed.append(edit)
        if not removed:
            return small, []
        self.done.update(removed)
        new = self._new_imports(removed, relative)
        if not kept_names:
            return None, new
        if names[-1] is not kept_names[-1]:  # the last name went: the new last one takes its comma
            kept_names[-1] = kept_names[-1].with_changes(comma=names[-1].comma)
        return small.with_changes(names=kept_names), new

    def _new_imports(self, edits: list[ImportEdit], relative: bool) -> list[cst.Import | cst.ImportFrom]:
        grouped: dict[str, list[cst.ImportAlias]] = {}
        plain: list[cst.Import] = []
        for edit in edits:
            if edit.new_name is None:
                asname = cst.AsName(cst.Name(edit.new_alias)) if edit.new_alias else None
                plain.append(cst.Import([cst.ImportAlias(_dotted_expression(edit.new_module), asname=asname)]))
                continue
            asname = cst.AsName(cst.Name(edit.new_alias)) if edit.new_alias else None
            alias = cst.ImportAlias(cst.Name(edit.new_name), asname=asname)
            if not any(_alias_parts(a) == _alias_parts(alias) for a in grouped.get(edit.new_module, [])):
                grouped.setdefault(edit.new_module, []).append(alias)
        statements: list[cst.Import | cst.ImportFrom] = []
        for home, aliases in grouped.items():
            spaced = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in aliases[:-1]]
            statements.append(self._import_from(home, [*spaced, aliases[-1]], relative))
        return [*statements, *plain]

    def _import_from(self, home: str, aliases: list[cst.ImportAlias], relative: bool) -> cst.ImportFrom:
        form = _relative(self.module, self.is_package, home) if relative else None
        if form is None:
            return cst.ImportFrom(module=_dotted_expression(home), names=aliases)
        dots, rest = form
        return cst.ImportFrom(
            module=_dotted_expression(rest) if rest else None, names=aliases, relative=[cst.Dot()] * dots
        )

    def _merge(self, body: list[cst.BaseStatement], new: cst.Import | cst.ImportFrom) -> bool:
        """Add the names of ``new`` to an earlier ``from home import ...`` of the same block."""
        if not isinstance(new, cst.ImportFrom) or isinstance(new.names, cst.ImportStar):
            return False
        home = absolute_import_target(self.module, self.is_package, len(new.relative), _dotted(new.module))
        for index, statement in enumerate(body):
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for position, small in enumerate(statement.body):
                if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                    continue
                there = absolute_import_target(self.module, self.is_package, len(small.relative), _dotted(small.module))
                if there != home:
                    continue
                merged = _merged_names(small, list(new.names))
                parts = list(statement.body)
                parts[position] = small.with_changes(names=merged)
                body[index] = statement.with_changes(body=parts)
                return True
        return False


def _merged_names(statement: cst.ImportFrom, added: list[cst.ImportAlias]) -> list[cst.ImportAlias]:
    """The statement's names plus the new ones, in the separator style already used (one per line
    in a parenthesised list, keeping a trailing comma)."""
    assert not isinstance(statement.names, cst.ImportStar)
    existing = list(statement.names)
    present = {_alias_parts(alias) for alias in existing}
    fresh = [alias for alias in added if _alias_parts(alias) not in present]
    if not fresh:
        return existing
    separator = _separator(statement, existing)
    trailing = existing[-1].comma
    names = [*existing[:-1], existing[-1].with_changes(comma=separator)]
    for alias in fresh[:-1]:
        names.append(alias.with_changes(comma=separator))
    names.append(fresh[-1].with_changes(comma=trailing))
    return names


def _separator(statement: cst.ImportFrom, existing: list[cst.ImportAlias]) -> cst.Comma:
    """The comma between two names: one already there, else the trailing comma of a one-name
    parenthesised list indented like its first name, else ``, ``."""
    inner = [alias.comma for alias in existing[:-1] if isinstance(alias.comma, cst.Comma)]
    if inner:
        return inner[0]
    last, opening = existing[-1].comma, statement.lpar
    if (
        isinstance(last, cst.Comma)
        and isinstance(last.whitespace_after, cst.ParenthesizedWhitespace)
        and opening is not None
        and isinstance(opening.whitespace_after, cst.ParenthesizedWhitespace)
    ):
        indent = opening.whitespace_after.last_line
        return last.with_changes(whitespace_after=last.whitespace_after.with_changes(last_line=indent))
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


class _Slot:
    """An original import statement (lines ``start``..``end``) and what its lines become."""

    def __init__(self, start: int, end: int, indent: str, node: cst.SimpleStatementLine) -> None:
        self.start, self.end, self.indent = start, end, indent
        self.original = node
        self.nodes: list[cst.SimpleStatementLine] = [node]
        self.changed = False


class _Splicer:
    """The fast path: ``ast`` finds the statements, libcst rewrites only the import statements
    concerned (parsed on their own), and their new text is spliced in place of their lines, so
    the rest of the file is never regenerated. Returns None (use the general path) for an import
    that shares its lines with another statement or sits in a one-line block."""

    def __init__(self, module: str, is_package: bool, text: str, tree: ast.Module) -> None:
        self.module, self.is_package, self.tree = module, is_package, tree
        self.lines = text.splitlines(keepends=True)
        self.newline = "\r\n" if self.lines and self.lines[0].endswith("\r\n") else "\n"
        self.at_line: dict[int, list[tuple[list[ast.stmt], int]]] = {}
        for body in _bodies(tree):
            for index, statement in enumerate(body):
                self.at_line.setdefault(statement.lineno, []).append((body, index))
        self.slots: dict[int, _Slot] = {}

    def rewrite(self, edits: Sequence[ImportEdit]) -> str | None:
        rewriter = _ImportRewriter(self.module, self.is_package, edits)
        by_line: dict[int, list[ImportEdit]] = {}
        for edit in edits:
            by_line.setdefault(edit.line, []).append(edit)
        for line, here in sorted(by_line.items()):
            places = self.at_line.get(line, [])
            if len(places) != 1:
                return None
            body, index = places[0]
            slot = self._slot(body, index)
            if slot is None:
                return None
            kept, new = rewriter._apply(slot.original.body[0], here)
            if kept is None and not new:
                continue  # not found: reported below
            slot.changed = True
            slot.nodes = [slot.original.with_changes(body=[kept])] if kept is not None else []
            fresh = [imp for imp in new if not self._merge(body, index, imp)]
            added = [cst.SimpleStatementLine([imp]) for imp in fresh]
            if added and kept is None:
                added[0] = added[0].with_changes(trailing_whitespace=slot.original.trailing_whitespace)
            slot.nodes.extend(added)
        if any(edit not in rewriter.done for edit in edits):
            return None
        return self._text({edit.bound: edit.rename for edit in edits if edit.rename})

    def _slot(self, body: list[ast.stmt], index: int) -> _Slot | None:
        """The statement at ``body[index]`` as a slot, when it is an import alone on its lines."""
        statement = body[index]
        if statement.lineno in self.slots:
            return self.slots[statement.lineno]
        end = statement.end_lineno or statement.lineno
        if not isinstance(statement, (ast.Import, ast.ImportFrom)) or end > len(self.lines):
            return None
        if index > 0 and (body[index - 1].end_lineno or 0) >= statement.lineno:
            return None
        if index + 1 < len(body) and body[index + 1].lineno <= end:
            return None
        first = self.lines[statement.lineno - 1]
        indent = first.encode("utf-8")[: statement.col_offset].decode("utf-8", "replace")
        last = self.lines[end - 1].encode("utf-8")[statement.end_col_offset or 0 :].decode("utf-8", "replace")
        if indent.strip() or not _REST_OF_LINE.fullmatch(last):
            return None
        snippet = first[len(indent) :] + "".join(self.lines[statement.lineno : end])
        try:
            node = cst.parse_module(snippet).body[0]
        except cst.ParserSyntaxError:
            return None
        if not isinstance(node, cst.SimpleStatementLine) or len(node.body) != 1:
            return None
        slot = _Slot(statement.lineno, end, indent, node)
        self.slots[statement.lineno] = slot
        return slot

    def _merge(self, body: list[ast.stmt], index: int, new: cst.Import | cst.ImportFrom) -> bool:
        """Add the names of ``new`` to an earlier ``from home import ...`` of the same block."""
        if not isinstance(new, cst.ImportFrom):
            return False
        home = _target_of(self.module, self.is_package, new)
        added = [alias for alias in new.names] if not isinstance(new.names, cst.ImportStar) else []
        for earlier in range(index):
            slot = self._slot(body, earlier) if isinstance(body[earlier], ast.ImportFrom) else None
            if slot is None:
                continue
            for position, line in enumerate(slot.nodes):
                small = line.body[0]
                if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                    continue
                if _target_of(self.module, self.is_package, small) == home:
                    merged = small.with_changes(names=_merged_names(small, added))
                    slot.nodes[position] = line.with_changes(body=[merged])
                    slot.changed = True
                    return True
        return False

    def _text(self, renames: dict[str, str]) -> str:
        lines = list(self.lines)
        if renames:
            spans: dict[int, list[tuple[int, int, str]]] = {}
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Name) and node.id in renames:
                    spans.setdefault(node.lineno, []).append(
                        (node.col_offset, node.end_col_offset or 0, renames[node.id])
                    )
            for line, found in spans.items():
                raw = lines[line - 1].encode("utf-8")
                for start, end, new in sorted(found, reverse=True):
                    raw = raw[:start] + new.encode("utf-8") + raw[end:]
                lines[line - 1] = raw.decode("utf-8")
        out: list[str] = []
        number = 1
        while number <= len(lines):
            slot = self.slots.get(number)
            if slot is None or not slot.changed:
                out.append(lines[number - 1])
                number += 1
                continue
            for statement in slot.nodes:
                out.append(slot.indent + cst.Module(body=[statement], default_newline=self.newline).code)
            number = slot.end + 1
        return "".join(out)


_REST_OF_LINE = re.compile(r"[ \t]*(#[^\r\n]*)?(\r?\n)?")


def _bodies(tree: ast.Module) -> list[list[ast.stmt]]:
    """Every statement list of the module: bodies, else and finally blocks, handlers, cases
    (statements only: expressions are never entered)."""
    found: list[list[ast.stmt]] = []
    pending: list[list[ast.stmt]] = [tree.body]
    while pending:
        body = pending.pop()
        found.append(body)
        for statement in body:
            inner: list[object] = [getattr(statement, name, None) for name in ("body", "orelse", "finalbody")]
            inner += [handler.body for handler in getattr(statement, "handlers", ())]
            inner += [case.body for case in getattr(statement, "cases", ())]
            pending.extend(block for block in inner if isinstance(block, list) and block)  # type: ignore[misc]
    return found


def _target_of(module: str, is_package: bool, statement: cst.ImportFrom) -> str | None:
    return absolute_import_target(module, is_package, len(statement.relative), _dotted(statement.module))


def _encoding(data: bytes) -> str | None:
    """UTF-8 when the file is (the fast path splices text); None sends others the general way."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if _CODING.search(data[:200]) else "utf-8"


_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*(?!utf-?8)[-\w.]+", re.MULTILINE | re.IGNORECASE)


class _Renamer(cst.CSTTransformer):
    """Rename the references of names whose import was swapped for a drop-in replacement."""

    def __init__(self, renames: dict[str, str]) -> None:
        super().__init__()
        self.renames = renames

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.renames[original.value]) if original.value in self.renames else updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)


def write_changes(root: Path, package_paths: Sequence[str], changes: Sequence[FileChange]) -> list[tuple[str, str]]:
    """Write (or delete) each changed file atomically, one by one, and only inside the root
    packages and never through a symbolic link; the files that were left, with the reason."""
    problems = []
    for change in changes:
        problem = _unsafe(root, package_paths, change.path)
        if problem is None:
            try:
                target = root / change.path
                if change.after is None:
                    target.unlink()
                else:
                    write_atomically(target, change.after.encode(change.encoding), shown=change.path, base=root)
            except (OSError, ImportcanonError) as error:
                problem = f"cannot write it: {getattr(error, 'strerror', None) or error}"
        if problem is not None:
            problems.append((change.path, problem))
    return problems


def _unsafe(root: Path, package_paths: Sequence[str], path: str) -> str | None:
    if not any(path == package or path.startswith(package.rstrip("/") + "/") for package in package_paths):
        return "it lies outside the root packages"
    current = root
    for part in Path(path).parts:
        current = current / part
        try:
            if stat.S_ISLNK(current.lstat().st_mode):
                return (
                    f"{current.relative_to(root).as_posix()} is a symbolic link: importcanon never writes through one"
                )
        except OSError as error:
            return f"cannot inspect it: {error.strerror}"
    return None
