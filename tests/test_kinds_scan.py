"""The text scan for import kinds agrees with Python's parser whenever it answers at all."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from kinds_reference import ReferenceBlocks

from importcanon.adapters.kinds import _Blocks, import_kinds, import_lines, logical_starts
from importcanon.adapters.parsing import parse_module

IMPORTS = [
    "import pkg.one",
    "from pkg import two",
    "from . import three",
    "from pkg.deep import (\n    four,\n    five,\n)",
    "import pkg.six as alias; x = 1",
]
NOISE = [
    "x = '(' + \"[\" + '{'",
    "text = '''\nimport not_code\n  ( unbalanced [\n'''",
    'doc = """\n"""',
    "# import commented_out",
    "values = [1,\n    2,\n]",
    "total = 1 + \\\n    2",
    "call(f'{x}', r'\\d')",
    "pass",
]
HEADERS = [
    ("def function():", None),
    ("async def coroutine():", None),
    ("class Holder:", None),
    ("if TYPE_CHECKING:", "else:"),
    ("if typing.TYPE_CHECKING:", None),
    ("if flag:", "elif TYPE_CHECKING:"),
    ("if (\n    TYPE_CHECKING\n):", None),
    ('if __name__ == "__main__":', "else:"),
    ("if flag:", "elif '__main__' == __name__:  # pragma: no cover"),
    ("if __name__.endswith('.cli'):", None),
    ("try:", "except (\n    ValueError,\n    ImportError,\n):"),
    ("try:", "except ImportError:"),
    ("try:", "except (ValueError, ModuleNotFoundError) as error:"),
    ("try:", "except ValueError:"),
    ("try:", "except:"),
    ("try:", "finally:"),
    ("with manager():", None),
    ("for item in items:", "else:"),
    ("while flag:", None),
]


def _indent(text: str, level: int) -> list[str]:
    return [("    " * level + line) if line else line for line in text.split("\n")]


@st.composite
def programs(draw, level: int = 0) -> list[str]:
    lines: list[str] = ["    " * level + "pass"] if level else []  # a body never holds only comments
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["import", "noise", "block"] if level < 3 else ["import", "noise"]))
        if kind == "import":
            lines += _indent(draw(st.sampled_from(IMPORTS)), level)
        elif kind == "noise":
            noise = draw(st.sampled_from(NOISE))
            # A multi-line string keeps its own layout: only its first line is indented.
            first, *rest = noise.split("\n")
            lines += ["    " * level + first, *rest] if "'''" in noise or '"""' in noise else _indent(noise, level)
        else:
            header, follower = draw(st.sampled_from(HEADERS))
            lines.append("    " * level + header)
            lines += draw(programs(level + 1))
            if follower:
                lines.append("    " * level + follower)
                lines += draw(programs(level + 1))
    return lines


@settings(max_examples=400, deadline=None)
@given(programs())
def test_the_text_scan_gives_the_parsers_kind_for_every_import(lines):
    source = "\n".join(lines) + "\n"
    expected = parse_module(source, "generated.py").kinds_by_line()

    scanned = import_kinds(source)

    assert scanned is not None, source
    assert scanned == expected, source


def test_the_text_scan_agrees_with_the_parser_on_importcanons_own_source():
    compared = 0
    for path in sorted(Path(__file__).resolve().parent.parent.joinpath("src").rglob("*.py")):
        source = path.read_text()
        scanned = import_kinds(source)
        if scanned is not None:
            assert scanned == parse_module(source, str(path)).kinds_by_line(), path
            compared += 1
    assert compared > 30


def test_the_text_scan_declines_what_it_cannot_read_plainly():
    assert import_kinds("if TYPE_CHECKING: import x\n") == {}  # not a line starting with import
    assert import_kinds("x = '''never closed\nimport y\n") is None
    assert import_kinds("if not TYPE_CHECKING:\n    import y\n") is None
    assert import_kinds("call(\n") is None


ANY_LINE = [
    "import pkg.one",
    "from pkg import two",
    "def function():",
    "class Holder:",
    "if TYPE_CHECKING:",
    "if TYPE_CHECKING or flag:",
    "elif TYPE_CHECKING:",
    'if __name__ == "__main__":',
    "if __name__ in ('__main__',):",
    'if __name__ != "__main__":',
    'if __name__ == "__main__" and flag:',
    "if flag:",
    "else:",
    "try:",
    "except ImportError:",
    "except (ValueError, ImportError) as error:",
    "except ValueError:",
    "except:",
    "finally:",
    "with manager():",
    "for item in items:",
    "x = 1",
    "values = [1,\n2]",
    "",
    "# a comment",
]


@settings(max_examples=500, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(["", " ", "  ", "    ", "\t", "        ", "\t    "]), st.sampled_from(ANY_LINE)))
)
def test_the_block_reader_answers_as_the_reference_on_any_indentation(rows):
    """Text of any shape, most of which the reader declines: it answers as before, None included."""
    text = "\n".join(indent + line for indent, line in rows) + "\n"
    starts = logical_starts(text)
    if starts is None:
        return
    lines = text.split("\n")
    ours, theirs = _Blocks(lines, starts), ReferenceBlocks(lines, starts)
    for line, indented, _ in import_lines(text):
        if indented and line in ours.position:
            assert ours.classify(line) == theirs.classify(line), text
