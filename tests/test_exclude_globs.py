"""Exclude globs: the same answers as the glob-to-regex translation, in linear time."""

from __future__ import annotations

import re
import time

from conftest import run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.globs import ExcludeGlobs


def reference(patterns: list[str]) -> re.Pattern[str]:
    """The backtracking translation importcanon used before: right, but exponential in ``**``."""

    def translate(pattern: str) -> str:
        out, i = [], 0
        while i < len(pattern):
            for token, regex in (("**/", "(?:.*/)?"), ("**", ".*"), ("*", "[^/]*"), ("?", "[^/]")):
                if pattern.startswith(token, i):
                    out.append(regex)
                    i += len(token)
                    break
            else:
                out.append(re.escape(pattern[i]))
                i += 1
        return "".join(out)

    return re.compile("(?:" + "|".join(translate(p) for p in patterns) + ")(?:/.*)?")


PATTERN = st.lists(st.sampled_from(["a", "b", "/", ".", "*", "?", "**", "**/"]), max_size=7).map("".join)
PATH = st.text(alphabet="ab/.", max_size=10)


@settings(max_examples=600, deadline=None)
@given(st.lists(PATTERN, min_size=1, max_size=3), st.lists(PATH, min_size=1, max_size=5))
def test_the_matcher_agrees_with_the_regex_translation(patterns, paths):
    globs, regex = ExcludeGlobs(patterns), reference(patterns)
    for path in paths * 2:  # the second time through, from the learnt transitions
        assert globs.matches(path) == (regex.fullmatch(path) is not None), (patterns, path)


def test_many_double_stars_match_in_linear_time():
    pattern = "/".join(["**"] * 6 + ["a**"] * 6 + ["**.py"])  # twelve "**" and a tail that never matches
    path = "/".join(["a"] * 200) + "/b"

    started = time.perf_counter()
    matched = ExcludeGlobs([pattern]).matches(path)

    assert not matched
    assert time.perf_counter() - started < 0.5


def test_a_pathological_exclude_does_not_stall_a_check(project):
    deep = "/".join(f"d{i}" for i in range(24))
    files = {"app/__init__.py": "", f"app/{deep}/__init__.py": "", f"app/{deep}/m.py": "import app\n"}
    for i in range(1, 24):
        files["app/" + "/".join(f"d{j}" for j in range(i)) + "/__init__.py"] = ""
    exclude = "**/" * 6 + "d**" * 6 + ".pyi"
    files["contracts/c.toml"] = f'[settings]\nroot_packages = ["app"]\nexclude = ["{exclude}", "**/m.py"]\n[cycles]\n'
    root = project(files)

    started = time.perf_counter()
    run = run_cli("check", root, "--format", "json", "--no-cache")

    assert run.exit_code == 0, run.stderr
    assert run.json["metrics"]["modules"] == 25  # m.py excluded by the second pattern, the rest kept
    assert time.perf_counter() - started < 20
