"""Which scope binds a callee's first part, on real files, as ``symtable`` says.

``symtable`` compiles a module's symbol tables without running it: for every name in every
function and class body, whether it is local (and imported), global or free. The collector of
``adapters/parsing.py`` must agree for every call written in a def or class body or at module
level, outside the lambdas and comprehensions and def and class headers (the generated programs
of tests/test_deprecated_scopes.py cover those, line by line): a call is dropped where a scope
binds its first part otherwise than by an import, and else says which scope's imports bind it;
unless that binding is a local alias, the name's one binding in its scope, a plain assignment of
a dotted name (``fn = util.old_fn``: counted here from the tree, where symtable says the name is
local there and neither a parameter nor imported), whose dotted name is then read in that scope.
The corpus is tests/test_parsing_reference.py's (``IMPORTCANON_PARSE_CORPUS`` chooses others).
"""

from __future__ import annotations

import ast
import builtins
import symtable
import warnings

from test_parsing_reference import _corpus

from importcanon.adapters.parsing import module_facts
from importcanon.adapters.scoping import dotted_name
from importcanon.domain.facts import ParsedModule

_BUILTINS = frozenset(dir(builtins))
#: line, callee, scope, (binding scope, the dotted name the callee stands for) or None: dropped
_Calls = set[tuple[int, str, str, tuple[str, str] | None]]


def test_the_collector_reads_the_scopes_as_symtable_on_real_files():
    compared = calls = dropped = 0
    for path in _corpus():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                text = path.read_text(encoding="utf-8")
                tree = ast.parse(text)
                top = symtable.symtable(text, str(path), "exec")
            except (SyntaxError, ValueError, UnicodeDecodeError):
                continue
        parsed = module_facts(tree, with_calls=True)
        expected = _expected(tree, top, parsed)
        lines = {line for line, _, _, _ in expected}
        assert parsed.calls is not None
        actual = {
            (call.line, call.callee, parsed.scopes[call.scope][1], (parsed.scopes[call.binder][1], call.stands_for))
            for call in parsed.calls
            if call.line in lines
        }
        kept = {call for call in expected if call[3] is not None}
        assert actual == kept, (path, sorted(actual ^ kept)[:5])
        compared += 1
        calls += len(expected)
        dropped += len(expected) - len(kept)
    assert compared > 150
    assert 0 < dropped < calls  # calls of parameters (self.method()...) are common, and are met


def _expected(tree: ast.Module, top: symtable.SymbolTable, parsed: ParsedModule) -> _Calls:
    """The calls on the lines that hold only statement-level code, each with the scope whose
    imports bind its first part as symtable says, or None where a scope binds it otherwise."""
    tables = _tables_by_place(top)
    skipped = _lines_of_headers_and_expression_scopes(tree)
    known = {binding.name for binding in parsed.bindings} | _BUILTINS | _assigned_in_bodies(tree)
    for statement in parsed.imports:
        plain = statement.module is None and not statement.level
        known.update(alias or (name.split(".")[0] if plain else name) for name, alias in statement.names)
    expected: _Calls = set()

    def visit(body: list[ast.stmt], blocks: list[tuple[ast.AST, str]]) -> None:
        for statement in body:
            for node in _own_nodes(statement):
                if isinstance(node, ast.Call) and node.lineno not in skipped and (callee := dotted_name(node.func)):
                    head, dot, rest = callee.partition(".")
                    scope = blocks[-1][1] if blocks else "<module>"
                    read = _binder(head, blocks, tables) if head in known or "*" in known else ("<module>", head)
                    expected.add((node.lineno, callee, scope, read and (read[0], read[1] + dot + rest)))
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                qualified = f"{blocks[-1][1]}.{statement.name}" if blocks else statement.name
                visit(statement.body, [*blocks, (statement, qualified)])
            else:
                for field in ("body", "orelse", "finalbody"):
                    visit(getattr(statement, field, []), blocks)
                for inner in (*getattr(statement, "handlers", []), *getattr(statement, "cases", [])):
                    visit(inner.body, blocks)

    visit(tree.body, [])
    return expected


def _binder(
    head: str, blocks: list[tuple[ast.AST, str]], tables: dict[tuple[str, int], symtable.SymbolTable], depth: int = 0
) -> tuple[str, str] | None:
    """What symtable says: the qualified name of the scope whose import binds ``head``, the
    module's, or None when a scope binds it otherwise; with the dotted name ``head`` stands for
    there (through local aliases)."""
    for index in range(len(blocks) - 1, -1, -1):
        node, qualified = blocks[index]
        table = tables[(node.name, node.lineno)]  # type: ignore[attr-defined]
        if index < len(blocks) - 1 and table.get_type() == "class":
            continue
        if head not in table.get_identifiers():
            continue
        symbol = table.lookup(head)
        if symbol.is_global():
            return "<module>", head
        if symbol.is_local():
            if symbol.is_imported():
                return qualified, head
            source = _alias_source(node, head) if not symbol.is_parameter() and depth < 10 else None
            if source is None:
                return None
            first, dot, rest = source.partition(".")
            read = _binder(first, blocks[: index + 1], tables, depth + 1)
            return read and (read[0], read[1] + dot + rest)
    return "<module>", head


def _assigned_in_bodies(tree: ast.Module) -> set[str]:
    """The names a def or class body assigns a dotted name to, plainly."""
    return {
        statement.targets[0].id
        for scope in ast.walk(tree)
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        for statement in ast.walk(scope)
        if isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and dotted_name(statement.value) is not None
    }


def _alias_source(scope: ast.AST, name: str) -> str | None:
    """The dotted name assigned to ``name`` when that is its one binding in the def or class
    body ``scope`` (symtable has said it is local there, not a parameter, not imported)."""
    bindings: list[ast.AST] = []
    pending: list[ast.AST] = list(scope.body)  # type: ignore[attr-defined]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if node.name == name:
                bindings.append(node)
            pending.extend([*node.decorator_list, *getattr(node, "bases", []), *getattr(node, "keywords", [])])
            if not isinstance(node, ast.ClassDef):
                pending.extend([*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])
            continue
        if isinstance(node, ast.Lambda):
            pending.extend([*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)])
            continue
        if isinstance(node, ast.comprehension):
            pending.extend([node.iter, *node.ifs])  # its target is the comprehension's own
            continue
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            bindings.append(node)
        if isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name == name:
            bindings.append(node)
        if isinstance(node, ast.MatchMapping) and node.rest == name:
            bindings.append(node)
        pending.extend(ast.iter_child_nodes(node))
    if len(bindings) != 1:
        return None
    assignments = [
        node
        for node in ast.walk(scope)
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and node.targets[0] is bindings[0]
    ]
    return dotted_name(assignments[0].value) if assignments else None


def _tables_by_place(top: symtable.SymbolTable) -> dict[tuple[str, int], symtable.SymbolTable]:
    found: dict[tuple[str, int], symtable.SymbolTable] = {}
    pending = [top]
    while pending:
        table = pending.pop()
        pending.extend(table.get_children())
        if table.get_type() in ("function", "class"):
            found[(table.get_name(), table.get_lineno())] = table
    return found


def _lines_of_headers_and_expression_scopes(tree: ast.Module) -> set[int]:
    """The lines a lambda or a comprehension spans, and those of def and class headers with
    their decorators (read in the scope around, not in the body)."""
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            lines.update(range(node.lineno, (node.end_lineno or node.lineno) + 1))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
            lines.update(range(first, node.body[0].lineno + 1))
    return lines


def _own_nodes(statement: ast.stmt) -> list[ast.AST]:
    """Every node of the expressions a statement evaluates itself."""
    nodes: list[ast.AST] = []
    for field, value in ast.iter_fields(statement):
        if field in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                nodes.extend(ast.walk(item))
    return nodes
