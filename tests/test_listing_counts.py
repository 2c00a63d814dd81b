"""The count of Python files in a directory the listing skips (a directory without
``__init__.py`` inside a package, which grimp leaves out) is the count ``os.walk`` gives: links to
directories are not followed, excluded paths are left out, unreadable directories count none.

The oracle below is the ``os.walk`` reading the listing used before it walked with one
``scandir`` per directory; random trees with links, loops and excludes must agree with it.
"""

from __future__ import annotations

import os
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.sources import _python_files_below, compile_excludes, list_sources

NAMES = ["a", "b", "c.py", "d.py", "e.txt", ".f.py", "g.h.py", "py"]
PATTERNS = ["app/x/a", "**/b", "**/c.py", "app/x/*/d.py", "app/x/a/**", "*.txt"]


def oracle_count(root: str, directory: str, patterns: list[str]) -> int:
    """The Python files below ``directory`` as ``os.walk`` lists them (the reference reading)."""
    exclude = compile_excludes(patterns)

    def excluded(path: str) -> bool:
        return exclude is not None and exclude.matches(path[len(root) + 1 :].replace(os.sep, "/"))

    count = 0
    for path, directories, names in os.walk(directory):
        directories[:] = [name for name in directories if not excluded(f"{path}/{name}")]
        count += sum(1 for name in names if name.endswith(".py") and not excluded(f"{path}/{name}"))
    return count


paths = st.lists(st.sampled_from(NAMES), min_size=1, max_size=4).map("/".join)
entries = st.lists(
    st.tuples(paths, st.sampled_from(["dir", "file", "link-up", "link-dir", "link-file", "dangling"])),
    max_size=25,
)


def build(directory: str, spec: list[tuple[str, str]]) -> None:
    """Make what it can of ``spec`` below ``directory`` (an entry whose parent is a file is skipped)."""
    for relative, kind in spec:
        path = os.path.join(directory, relative)
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if kind == "dir":
                os.makedirs(path, exist_ok=True)
            elif kind == "file":
                with open(path, "x") as handle:
                    handle.write("X = 1\n")
            elif kind == "link-up":  # a loop back to the skipped directory itself
                os.symlink(directory, path)
            elif kind == "link-dir":
                os.symlink(os.path.dirname(directory), path)
            elif kind == "link-file":
                os.symlink(os.path.join(directory, "..", "__init__.py"), path)
            else:
                os.symlink(os.path.join(directory, "missing.py"), path)
        except OSError:
            continue


@settings(max_examples=60, deadline=None)
@given(spec=entries, patterns=st.lists(st.sampled_from(PATTERNS), max_size=3, unique=True))
def test_the_count_below_a_skipped_directory_is_what_os_walk_sees(spec, patterns):
    with tempfile.TemporaryDirectory() as root:
        root = os.path.realpath(root)
        skipped = os.path.join(root, "app", "x")
        os.makedirs(skipped)
        with open(os.path.join(root, "app", "__init__.py"), "w") as handle:
            handle.write("")
        build(skipped, spec)

        with os.scandir(skipped) as listing:
            entries = list(listing)

        assert _python_files_below(entries, root, compile_excludes(patterns)) == oracle_count(root, skipped, patterns)


def test_the_warning_counts_the_files_of_every_skipped_directory(tmp_path):
    (tmp_path / "app" / "jobs" / "deep").mkdir(parents=True)
    (tmp_path / "app" / "locale" / "fr" / "LC_MESSAGES").mkdir(parents=True)
    for name in ("app/__init__.py", "app/jobs/a.py", "app/jobs/deep/b.py", "app/jobs/notes.txt"):
        (tmp_path / name).write_text("")
    (tmp_path / "app" / "locale" / "fr" / "LC_MESSAGES" / "django.po").write_text("")

    listing = list_sources(tmp_path, {"app": str(tmp_path / "app")}, None)
    warning = listing.left_out.warning() if listing.left_out else None

    assert [module.module for module in listing.files] == ["app"]
    assert warning is not None
    assert warning[0] == "2 Python files in 1 directory without __init__.py inside a package"
