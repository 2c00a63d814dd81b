"""The cache can make a run faster, never change its findings, fail it, or be written through a link."""

from __future__ import annotations

import json
import marshal
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from importcanon.adapters import cache as cache_module
from tests.conftest import run_cli

SAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chat-backend"


def findings(root: Path, *options: str) -> list[dict[str, object]]:
    run = run_cli("check", root, "--no-baseline", "--format", "json", *options)
    assert run.exit_code == 1, run.stderr
    return json.loads(run.stdout)["findings"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, object]], dict[str, bytes]]:
    """A copy of the sample project (every contract kind), its findings, and its warm cache's bytes."""
    root = tmp_path_factory.mktemp("cache") / "project"
    shutil.copytree(SAMPLE, root)
    expected = findings(root, "--no-cache")
    assert findings(root) == expected  # writes the cache
    cache = root / ".importcanon_cache"
    pristine = {path.name: path.read_bytes() for path in cache.iterdir() if path.name.endswith(".marshal")}
    assert len(pristine) > 3  # split: meta, results and shards
    return root, expected, pristine


def restore(root: Path, pristine: dict[str, bytes]) -> Path:
    cache = root / ".importcanon_cache"
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir()
    for name, data in pristine.items():
        (cache / name).write_bytes(data)
    return cache


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    truncate=st.booleans(),
    flips=st.lists(
        st.tuples(st.integers(min_value=0), st.integers(min_value=1, max_value=255)), min_size=1, max_size=4
    ),
)
def test_flipped_or_truncated_cache_bytes_never_change_the_findings(sample, data, truncate, flips):
    root, expected, pristine = sample
    cache = restore(root, pristine)
    name = data.draw(st.sampled_from(sorted(pristine)))
    damaged = bytearray(pristine[name])
    if truncate:
        del damaged[flips[0][0] % len(damaged) :]
    else:
        for position, mask in flips:
            damaged[position % len(damaged)] ^= mask
    (cache / name).write_bytes(bytes(damaged))

    assert findings(root) == expected
    assert findings(root) == expected  # and the rebuilt cache is right too


def test_a_well_formed_cache_of_the_wrong_shape_is_discarded(sample):
    """A checksum vouches for bytes, not for meaning: entries of the wrong shape are learnt again."""
    root, expected, pristine = sample
    cache = restore(root, pristine)
    wrong = [
        ("meta.marshal", ("options", [("app", "yes")])),
        ("results.marshal", {"cycles": [("key", None, "extra")]}),
        *[
            (name, ({"x.py": (1, 2)}, {}, {}, {}, {}, {}, {}, {}, {}, {}))
            for name in pristine
            if name.startswith("facts-")
        ],
    ]
    for name, payload in wrong:
        (cache / name).write_bytes(cache_module.encode(payload))
    assert findings(root) == expected

    restore(root, pristine)  # sections marshalled apart, as written: each is checked on its own
    for name in (name for name in pristine if name.startswith("facts-")):
        sections = (
            {"x.py": (1, 2)},
            {},
            {},
            {},
            {},
            {"digest": {"needle": "roles"}},
            {},
            {},
            {"d": [1]},
            {"digest": None},
        )
        (cache / name).write_bytes(cache_module.encode_shard(sections))
    assert findings(root) == expected

    restore(root, pristine)
    for name in (name for name in pristine if name.startswith("facts-")):
        parts = cache_module.decode(pristine[name])
        files, scans, parsed, textfacts, kinds, mentions, statements, evident, toplevel, same = map(
            marshal.loads, parts
        )
        parsed = {digest: (["not", "a", "parse"], 1, 2, 3, 4, 5) for digest in parsed}
        kinds = {digest: [(1, "no-such-kind")] for digest in kinds}
        statements = {digest: [(1, 0, None, [("a", "b", "c")])] for digest in statements}
        evident = {digest: ["a", 1] for digest in evident}
        toplevel = {digest: (("a", 1), True) for digest in textfacts}
        same = {digest: 1 for digest in files}
        sections = (files, scans, parsed, textfacts, kinds, mentions, statements, evident, toplevel, same)
        (cache / name).write_bytes(cache_module.encode_shard(sections))
    assert findings(root) == expected


def test_a_cache_of_another_format_is_ignored(sample):
    root, expected, pristine = sample
    cache = restore(root, pristine)
    (cache / "meta.marshal").write_bytes(marshal.dumps({"version": 1}))
    (cache / "facts.marshal").write_bytes(b"an old single-file cache")

    assert findings(root) == expected
    assert not (cache / "facts.marshal").exists()  # the obsolete file is cleaned away


def test_a_symlinked_cache_directory_is_absent_and_never_written_through(sample, tmp_path):
    root, expected, _ = sample
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = root / ".importcanon_cache"
    shutil.rmtree(cache)
    cache.symlink_to(elsewhere, target_is_directory=True)
    try:
        run = run_cli("check", root, "--no-baseline", "--format", "json")
        assert json.loads(run.stdout)["findings"] == expected
        assert any("is a symbolic link" in warning for warning in json.loads(run.stdout)["warnings"])
        assert list(elsewhere.iterdir()) == []
    finally:
        cache.unlink()


def test_a_symlinked_cache_file_is_not_read_and_its_target_not_written(sample, tmp_path):
    root, expected, pristine = sample
    cache = restore(root, pristine)
    victim = tmp_path / "bashrc"
    victim.write_bytes(pristine["meta.marshal"])  # even a valid cache file is not read through a link
    (cache / "meta.marshal").unlink()
    (cache / "meta.marshal").symlink_to(victim)

    run = run_cli("check", root, "--no-baseline", "--format", "json")

    assert json.loads(run.stdout)["findings"] == expected
    assert any("is a symbolic link" in warning for warning in json.loads(run.stdout)["warnings"])
    assert victim.read_bytes() == pristine["meta.marshal"]
    assert (cache / "meta.marshal").is_symlink()


def test_editing_one_file_rewrites_a_few_cache_files_not_all(sample):
    root, _, pristine = sample
    cache = restore(root, pristine)
    edited = root / "app" / "services" / "chat.py"
    original = edited.read_bytes()
    try:
        edited.write_bytes(original + b"# a comment\n")
        findings(root)
    finally:
        edited.write_bytes(original)
    changed = {name for name in pristine if (cache / name).read_bytes() != pristine[name]}
    shards = {name for name in changed if name.startswith("facts-")}
    assert 0 < len(shards) <= 4, changed
    assert changed - shards <= {"results.marshal", "check.marshal"}, changed  # the analyses' results


def test_an_unwritable_cache_directory_costs_only_speed(sample, tmp_path):
    root, expected, _ = sample
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert findings(root, "--cache-dir", str(blocker / "cache")) == expected
    assert os.listdir(tmp_path) == ["a-file"]
