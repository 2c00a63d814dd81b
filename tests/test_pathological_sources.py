"""Sources that used to crash, hang or exhaust the run: each is one finding or one warning, and
the rest of the project is still checked."""

from __future__ import annotations

import os

from conftest import run_cli

from importcanon.adapters.scanning import _python_refuses

HEALTHY = {"app/__init__.py": "", "app/a.py": "import app.b\n", "app/b.py": "X = 1\n", "contracts/c.toml": "[cycles]\n"}


def _unreadable(run):
    return [(f["path"], f["message"]) for f in run.findings("unreadable-source")]


def test_a_symlink_loop_is_an_unreadable_source(project):
    root = project(HEALTHY)
    os.symlink("y.py", root / "app/x.py")
    os.symlink("x.py", root / "app/y.py")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.exit_code == 1
    assert [path for path, _ in _unreadable(run)] == ["app/x.py", "app/y.py"]
    assert "Too many levels of symbolic links" in _unreadable(run)[0][1]
    assert run.json["metrics"]["imports"] == 1  # the rest is checked


def test_special_files_named_py_are_never_read(project):
    root = project(HEALTHY)
    os.mkfifo(root / "app/fifo.py")  # reading it would block forever
    os.symlink("/dev/zero", root / "app/zero.py")  # reading it would never end

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert _unreadable(run) == [
        (
            "app/fifo.py",
            "cannot read app/fifo.py: not a regular file, so it is not read; the modules in it are not checked",
        ),
        (
            "app/zero.py",
            "cannot read app/zero.py: not a regular file, so it is not read; the modules in it are not checked",
        ),
    ]
    assert run.json["metrics"]["imports"] == 1


def _syntax_errors(run):
    return {f["path"]: (f["line"], f["message"]) for f in run.findings("syntax-error")}


def test_expressions_too_deep_for_any_parser_are_one_finding_each_and_the_rest_is_checked(project):
    root = project(HEALTHY)
    # 60,000 terms overflowed the stack of grimp's scanner threads (a segfault); 3,000 terms and
    # 5,000 nested operators exhaust CPython's parser (RecursionError, MemoryError).
    (root / "app/huge.py").write_text("import app.b\nx = " + "+".join(["1"] * 60_000) + "\n")
    (root / "app/chain.py").write_text("import app.b\nx = " + "+".join(["1"] * 3_000) + "\n")
    (root / "app/unary.py").write_text("import app.b\nx = " + "-" * 5_000 + "1\n")
    (root / "app/attrs.py").write_text("import app.b\nx = app" + ".b" * 60_000 + "\n")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    errors = _syntax_errors(run)
    assert sorted(errors) == ["app/attrs.py", "app/chain.py", "app/huge.py", "app/unary.py"]
    assert all("nested too deeply" in message for _, message in errors.values())
    assert run.json["metrics"]["imports"] == 1  # app.a -> app.b is still there


def test_files_python_rejects_but_grimp_accepts_are_reported(project):
    root = project(HEALTHY)
    (root / "app/deep.py").write_text(
        "".join("    " * level + "if x:\n" for level in range(101)) + "    " * 101 + "import app.b\n"
    )
    (root / "app/bom.py").write_bytes(b"\xef\xbb\xbf# -*- coding: latin-1 -*-\nimport app.b\n")
    (root / "app/klingon.py").write_text("# coding: klingon\nimport app.b\n")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert _syntax_errors(run) == {
        "app/deep.py": (101, "app.deep cannot be parsed: too many levels of indentation"),
        "app/bom.py": (
            1,
            "app.bom cannot be parsed: the file starts with a UTF-8 byte-order mark but declares another "
            "encoding, which Python refuses",
        ),
        "app/klingon.py": (1, "app.klingon cannot be parsed: unknown encoding: klingon"),
    }


def test_no_parser_message_carries_an_absolute_path(project):
    root = project(HEALTHY)
    (root / "app/broken.py").write_text("def f(:\n")
    (root / "app/unary.py").write_text("x = " + "-" * 5_000 + "1\n")

    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert len(run.findings("syntax-error")) == 2
    assert str(root) not in run.stdout


def test_many_broken_files_cost_a_linear_scan(project):
    files = {"app/__init__.py": "", "contracts/c.toml": "[cycles]\n"}
    for index in range(400):
        broken = "def f(:\n" if index % 2 else ""
        files[f"app/m{index}.py"] = f"import app.m{(index + 1) % 400}\n{broken}"
    root = project(files)

    run = run_cli("check", root, "--format", "json", "--no-cache")

    errors = _syntax_errors(run)
    assert len(errors) == 200
    assert errors["app/m1.py"] == (2, "app.m1 cannot be parsed: invalid syntax")
    assert run.json["metrics"]["imports"] == 200


def test_pythons_verdict_on_a_deep_expression_is_the_same_at_any_depth_of_the_caller():
    """How deeply Python may nest an expression depends on how deep the stack already is: asked
    from the process that reads the files, from the scan, or from a run whose cache knew the file,
    the verdict on a file near that edge must be one (its finding must not come and go)."""

    def at_depth(frames: int, text: str) -> object:
        return at_depth(frames - 1, text) if frames else _python_refuses(text)

    nested = "x = " + "-" * 2700 + "1\n"  # 2,700 levels: under the budget, whatever the caller's depth
    too_deep = "x = " + "-" * 2950 + "1\n"

    assert {at_depth(frames, nested) for frames in (0, 100, 250)} == {None}
    assert {at_depth(frames, too_deep) for frames in (0, 100, 250)} == {
        (None, "Python cannot compile it: an expression is nested too deeply (RecursionError)")
    }
