"""Baseline invariants on random finding sets."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.baseline_store import read_baseline, render_baseline
from importcanon.domain.baseline import baseline_of, compare, updated
from importcanon.domain.findings import Finding, Status

identities = st.tuples(st.sampled_from(["a.b", "a.c", "d"]), st.sampled_from(["x", "y", "z", "w"]))
rules = st.sampled_from(["legacy-import", "import-cycle", "contract"])


@st.composite
def findings(draw):
    """A multiset of findings: a few identities, repeated, at random lines."""
    result = []
    for rule, identity, line in draw(st.lists(st.tuples(rules, identities, st.integers(1, 500)), max_size=25)):
        result.append(
            Finding(
                rule, f"{identity[0].replace('.', '/')}.py", line, identity[0], f"{rule} {identity}", "fix it", identity
            )
        )
    return result


def counts(items):
    return Counter(finding.fingerprint for finding in items)


@settings(max_examples=300)
@given(before=findings(), now=findings())
def test_new_and_fixed_partition_the_symmetric_difference(before, now):
    diff = compare(baseline_of(before), now)

    new = counts(f for f in diff.findings if f.status is Status.NEW)
    baselined = counts(f for f in diff.findings if f.status is Status.BASELINED)
    fixed = Counter({entry.fingerprint: entry.count for entry in diff.fixed})

    assert new == counts(now) - counts(before)
    assert fixed == counts(before) - counts(now)
    assert baselined == counts(now) & counts(before)
    assert len(diff.findings) == len(now)


@settings(max_examples=300)
@given(before=findings(), now=findings())
def test_update_without_growth_never_adds_an_entry_or_raises_a_count(before, now):
    known = baseline_of(before)

    ratcheted, refused = updated(known, now, allow_growth=False)

    assert set(ratcheted.entries) <= set(known.entries)
    assert all(entry.count <= known.entries[fp].count for fp, entry in ratcheted.entries.items())
    assert sum(1 for f in compare(known, now).findings if f.status is Status.NEW) == len(refused)
    assert not compare(ratcheted, now).fixed  # everything fixed is gone from it


@settings(max_examples=300)
@given(before=findings(), now=findings())
def test_update_with_growth_records_exactly_the_current_findings(before, now):
    ratcheted, refused = updated(baseline_of(before), now, allow_growth=True)

    assert refused == []
    assert ratcheted == baseline_of(now)


@given(finding=findings().filter(bool), shift=st.integers(-400, 400))
def test_line_shifts_never_change_a_fingerprint(finding, shift):
    original = finding[0]
    moved = Finding(
        original.rule,
        original.path,
        max(1, (original.line or 1) + shift),
        original.module,
        original.message,
        original.suggestion,
        original.identity,
    )
    assert moved.fingerprint == original.fingerprint


@settings(max_examples=200)
@given(before=findings())
def test_the_file_format_round_trips_byte_for_byte(before, tmp_path_factory):
    baseline = baseline_of(before)
    path = tmp_path_factory.mktemp("b") / "baseline.json"
    path.write_text(render_baseline(baseline))

    assert read_baseline(path, "baseline.json") == baseline
    assert render_baseline(read_baseline(path, "baseline.json")) == path.read_text()
