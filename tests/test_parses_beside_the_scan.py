"""The files that may call a deprecated name are parsed while grimp scans, in a forked process,
and the check reports exactly what parsing them on demand reports.

Those parses collect the calls of the deprecated names as the contracts write them; the names
they are re-exported under (``from pkg.lib import old as legacy_old``) are found only later.
Such a parse still answers for such a name in a file whose text is ASCII and holds the name
nowhere; every other file is parsed again. Compared here through the CLI: a check that parses
beside the scan and one on a single process, with and without a cache, on generated projects
whose files call the name directly, through its aliases, and through spellings beyond ASCII
that Python reads as an alias (``ｌegacy_old`` is ``legacy_old`` to the parser).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_cli, write_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters import loading

BASE = {
    "pkg/__init__.py": "",
    "pkg/lib.py": "def old():\n    pass\n\n\ndef other():\n    pass\n",
    "pkg/alias.py": "from pkg.lib import old as legacy_old\n\nrenamed = legacy_old\n",
    "contracts/importcanon.toml": '[settings]\nroot_packages = ["pkg"]\n\n[[deprecated]]\nname = "pkg.lib.old"\n',
}

#: What a user file may hold: an import, then calls at module level or in a function.
IMPORTS = [
    "from pkg.lib import old",
    "from pkg.lib import old, other",
    "from pkg.alias import legacy_old",
    "from pkg.alias import renamed",
    "from pkg.alias import ｌegacy_old",  # NFKC: legacy_old
    "import pkg.lib",
]
CALLS = [
    "old()",
    "legacy_old()",
    "ｌegacy_old()",
    "renamed()",
    "pkg.lib.old()",
    "other()",
    "# legacy_old() in a comment",
]


@st.composite
def users(draw: st.DrawFn) -> dict[str, str]:
    files = {}
    for number in range(draw(st.integers(min_value=1, max_value=6))):
        imports = draw(st.lists(st.sampled_from(IMPORTS), min_size=1, max_size=3, unique=True))
        calls = draw(st.lists(st.sampled_from(CALLS), min_size=1, max_size=3))
        in_function = draw(st.booleans())
        body = "".join(f"    {call}\n" for call in calls) if in_function else "".join(f"{call}\n" for call in calls)
        files[f"pkg/user{number}.py"] = "\n".join(imports) + "\n\n\n" + ("def f():\n" if in_function else "") + body
    return files


def _usages(root: Path, *options: str) -> list[tuple[str, int, str]]:
    run = run_cli("check", root, "--no-baseline", "--format", "json", *options)
    assert run.exit_code in (0, 1), run.stderr
    return sorted(
        (finding["path"], finding["line"], finding["message"])
        for finding in run.json["findings"]
        if finding["rule"] == "deprecated-usage"
    )


def _beside(patch: pytest.MonkeyPatch, processes: int) -> None:
    """Every batch worth a process (two cores), or none (one core)."""
    patch.setattr(loading, "PARALLEL_READ_WEIGHT", 0 if processes > 1 else 1 << 62)
    patch.setattr(loading, "PARSED_BESIDE_THE_SCAN_BYTES", 0)
    patch.setattr(loading, "usable_processes", lambda: processes)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(users())
def test_parsing_beside_the_scan_reports_what_parsing_on_demand_does(monkeypatch, files):
    with tempfile.TemporaryDirectory() as directory:
        root = write_project(Path(directory), {**BASE, **files})
        with monkeypatch.context() as patch:
            _beside(patch, 1)
            expected = _usages(root, "--no-cache")
        with monkeypatch.context() as patch:
            _beside(patch, 2)
            assert _usages(root, "--no-cache") == expected
            assert _usages(root) == expected  # into an empty cache
            (root / "pkg" / "lib.py").write_text(BASE["pkg/lib.py"] + "\n")  # the check is not remembered whole
            assert _usages(root) == expected  # the parses from the cache
        with monkeypatch.context() as patch:
            _beside(patch, 1)
            assert _usages(root) == expected


def test_only_the_files_holding_an_alias_are_parsed_again(project, monkeypatch):
    """The parses made beside the scan are the ones the check uses: the process of the run parses
    only the file that calls the alias (and the alias module, to learn it), not the ten that call
    the name as the contract writes it, nor the one whose alias is spelled beyond ASCII."""
    files = {f"pkg/direct{number}.py": "from pkg.lib import old\n\n\ndef f():\n    old()\n" for number in range(10)}
    files["pkg/through.py"] = "from pkg.alias import legacy_old\nfrom pkg.lib import old\n\nlegacy_old()\nold()\n"
    files["pkg/spelled.py"] = "from pkg.alias import ｌegacy_old\nfrom pkg.lib import old\n\nｌegacy_old()\nold()\n"
    root = project({**BASE, **files})
    parsed_here: list[str] = []
    run = os.getpid()

    def counted(parse: Callable[..., object]) -> Callable[..., object]:
        def parse_counted(text: str, filename: str, **options: object) -> object:
            if os.getpid() == run:  # not in a forked process
                parsed_here.append(filename)
            return parse(text, filename, **options)

        return parse_counted

    with monkeypatch.context() as patch:
        _beside(patch, 2)
        patch.setattr(loading, "parse_module", counted(loading.parse_module))
        patch.setattr(loading, "parse_plainly", counted(loading.parse_plainly))
        usages = _usages(root, "--no-cache")

    assert sorted(set(parsed_here)) == ["pkg/alias.py", "pkg/spelled.py", "pkg/through.py"]
    assert [(path, line) for path, line, _ in usages] == [
        ("pkg/alias.py", 1),
        *((f"pkg/direct{number}.py", line) for number in range(10) for line in (1, 5)),
        ("pkg/spelled.py", 1),
        ("pkg/spelled.py", 2),
        ("pkg/spelled.py", 4),
        ("pkg/spelled.py", 5),
        ("pkg/through.py", 1),
        ("pkg/through.py", 2),
        ("pkg/through.py", 4),
        ("pkg/through.py", 5),
    ]


def test_a_file_whose_bytes_decode_to_an_alias_is_parsed_again(project, monkeypatch):
    """A coding cookie may make other bytes a word: ``legacy+AF8-old`` in utf-7 is ``legacy_old``
    to Python, though the bytes hold no ``legacy_old`` and the decoded text is ASCII. Such a file
    is parsed again for the alias, in the run and from the cache a later run reads."""
    user = "# coding: utf-7\nimport pkg.alias\nfrom pkg.lib import old\n\nold()\npkg.alias.legacy+AF8-old()\n"
    root = project({**BASE, "pkg/user.py": user})
    with monkeypatch.context() as patch:
        _beside(patch, 1)
        expected = _usages(root, "--no-cache")
    assert ("pkg/user.py", 6) in [(path, line) for path, line, _ in expected]
    with monkeypatch.context() as patch:
        _beside(patch, 2)
        assert _usages(root, "--no-cache") == expected
        assert _usages(root) == expected  # into an empty cache
    (root / "pkg" / "lib.py").write_text(BASE["pkg/lib.py"] + "\n")  # the check is not remembered whole
    with monkeypatch.context() as patch:
        _beside(patch, 1)
        assert _usages(root) == expected  # the parses from the cache
