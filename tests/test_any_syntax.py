"""Files in syntax newer than the running Python still give their facts (through libcst), at the
same lines; what no parser can read is named in a warning by every command it could change."""

from __future__ import annotations

from conftest import run_cli

NEWER = {
    "app/__init__.py": "",
    "app/core/__init__.py": "",
    "app/core/session.py": "class SessionManager:\n    pass\n",
    "app/core/factory.py": "def get_factory():\n    return 1\n",
    "app/legacy/__init__.py": "",
    # PEP 701 (3.12): the same quotes inside the braces; Python 3.11's parser rejects the file.
    "app/legacy/session.py": (
        "from app.core.factory import get_factory\n"
        "\n"
        'BANNER = f"""\n'
        "{'\\n'.join(['a', 'b'])}\n"
        '"""\n'
        'LABEL = f"{ {"k": 1}["k"] }"\n'
        "\n"
        "\n"
        "class SessionManager:\n"
        '    name = f"{get_factory()}"\n'
        "\n"
        "\n"
        "type Handler = SessionManager\n"
        "\n"
        "\n"
        "def first[T](items: list[T]) -> T:\n"
        '    return f"{get_factory()!r:>{len(items)}}"\n'
    ),
    "contracts/importcanon.toml": """
        [settings]
        root_packages = ["app"]

        [[deprecated]]
        name = "app.core.factory.get_factory"
    """,
}


def test_where_counts_a_class_in_a_file_only_a_newer_python_parses(project):
    run = run_cli("where", "SessionManager", project(NEWER), "--format", "json", "--no-cache")

    report = run.json
    assert [(b["path"], b["line"], b["kind"]) for b in report["bindings"]] == [
        ("app/core/session.py", 1, "definition"),
        ("app/legacy/session.py", 9, "definition"),
    ]
    assert report["implementations"] == 2
    assert run.stderr == ""  # nothing was skipped, so nothing to warn about


def test_type_statements_bind_their_name_at_their_line(project):
    run = run_cli("where", "Handler", project(NEWER), "--format", "json", "--no-cache")

    assert [(b["path"], b["line"]) for b in run.json["bindings"]] == [("app/legacy/session.py", 13)]


def test_calls_inside_new_f_strings_are_found_at_their_lines(project):
    run = run_cli("check", project(NEWER), "--format", "json", "--no-cache")

    usages = [(f["path"], f["line"]) for f in run.findings("deprecated-usage")]
    assert usages == [("app/legacy/session.py", 1), ("app/legacy/session.py", 10), ("app/legacy/session.py", 17)]
    assert run.json["warnings"] == []


def test_a_file_no_parser_accepts_is_named_by_every_command_it_could_change(project):
    files = dict(NEWER)
    # 201 nested parentheses: grimp scans it, but CPython refuses it on every version.
    files["app/legacy/deep.py"] = (
        "from app.core.factory import get_factory\n"
        + "x = "
        + "(" * 201
        + "1"
        + ")" * 201
        + "\n\n\nclass SessionManager:\n    pass\n"
    )
    root = project(files)

    where = run_cli("where", "SessionManager", root, "--no-cache")
    check = run_cli("check", root, "--format", "json", "--no-cache")

    expected = "app/legacy/deep.py:2: grimp scanned this file's imports, but neither Python"
    assert expected in where.stderr
    assert "too many nested parentheses" in where.stderr
    assert any(warning.startswith(expected) for warning in check.json["warnings"])


def test_type_parameters_spaced_or_over_lines_keep_the_file_and_its_lines(project):
    """black's tests/data/cases/type_params.py (``def func  [T ](): pass``, ``class C[ T ] :``):
    a space after the type parameters made the rewrite fail, and the file was called one no
    parser reads; type parameters over several lines moved every line below them up."""
    files = {
        "contracts/c.toml": '[settings]\nroot_packages = ["app"]\n[cycles]\n',
        "app/__init__.py": "",
        "app/generic.py": (
            "def spaced [T] (): pass\n"
            "class Spaced [ T ] : pass\n"
            "class Based[T] (object): pass\n"
            "def over_lines[\n"
            "    T,\n"
            "](): pass\n"
            "class Also[\n"
            "    T,\n"
            "]: pass\n"
            "from app.gone import thing\n"  # 10
        ),
    }
    run = run_cli("check", project(files), "--format", "json", "--no-cache")

    assert [(f["path"], f["line"]) for f in run.findings("broken-import")] == [("app/generic.py", 10)]
    assert run.json["warnings"] == []
