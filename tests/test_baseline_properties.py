"""Baseline invariants on random finding sets."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from importcanon.adapters.baseline_store import read_baseline, render_baseline
from importcanon.domain.baseline import Baseline, BaselineEntry, baselinable, baseline_of, compare, updated
from importcanon.domain.findings import Finding, Status, fingerprint_of

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


@st.composite
def findings_with_covers(draw):
    """Findings of either status, some covering others (as a new import covers the cycle's imports)."""
    result = []
    for finding in draw(findings()):
        covered = tuple(f.with_status(draw(st.sampled_from(Status))) for f in draw(findings())[:3])
        result.append(replace(finding, status=draw(st.sampled_from(Status)), covers=covered))
    return result


def reference_compare(baseline, findings):
    """``compare`` as it was first written, every finding copied with its status: the oracle."""
    tops = list(findings)
    flat = [(top, index) for top, finding in enumerate(tops) for index in range(len(finding.covers) + 1)]

    def atom(position):
        top, index = position
        return tops[top] if index == 0 else tops[top].covers[index - 1]

    remaining = {fp: entry.count for fp, entry in baseline.entries.items()}
    status = {}
    for position in sorted(flat, key=lambda p: atom(p).sort_key):
        fingerprint = atom(position).fingerprint
        if baselinable(atom(position)) and remaining.get(fingerprint, 0) > 0:
            remaining[fingerprint] -= 1
            status[position] = Status.BASELINED
        else:
            status[position] = Status.NEW
    marked = [
        replace(
            finding,
            status=status[(top, 0)],
            covers=tuple(c.with_status(status[(top, i + 1)]) for i, c in enumerate(finding.covers)),
        )
        for top, finding in enumerate(tops)
    ]
    return sorted(marked, key=lambda f: f.sort_key)


def observed(finding):
    return (
        finding.rule,
        finding.path,
        finding.line,
        finding.message,
        finding.identity,
        finding.status,
        finding.fingerprint,
        dict(finding.details),
        tuple(observed(covered) for covered in finding.covers),
    )


@settings(max_examples=200, deadline=None)
@given(before=findings(), now=findings_with_covers())
def test_a_finding_whose_status_stands_is_kept_and_every_other_is_copied_with_its_new_status(before, now):
    diff = compare(baseline_of(before), now)

    assert [observed(f) for f in diff.findings] == [observed(f) for f in reference_compare(baseline_of(before), now)]
    assert all(f.fingerprint == fingerprint_of(f.rule, f.identity) for f in diff.findings)


@st.composite
def crowded_findings(draw):
    """Findings on a few lines (equal sort keys: file order decides), of baselinable rules and
    one that is not, some covering others, of either status."""
    result = []
    for rule, identity, line in draw(
        st.lists(
            st.tuples(st.sampled_from(["legacy-import", "contract", "stale-contract"]), identities, st.integers(1, 3)),
            max_size=20,
        )
    ):
        covered = tuple(f.with_status(draw(st.sampled_from(Status))) for f in draw(findings())[:2])
        finding = Finding(rule, "a/b.py", line, "a.b", f"{rule} {identity}", "", identity, covers=covered)
        result.append(finding.with_status(draw(st.sampled_from(Status))))
    return result


@settings(max_examples=300, deadline=None)
@given(now=crowded_findings(), data=st.data())
def test_any_baseline_marks_findings_as_the_reference_does(now, data):
    """Recorded counts of any size (zero and negative ones too, as a hand-edited file may say),
    for fingerprints found now and not."""
    fingerprints = sorted({atom.fingerprint for finding in now for atom in (finding, *finding.covers)}) + ["0" * 16]
    chosen = data.draw(st.lists(st.sampled_from(fingerprints), unique=True))
    baseline = Baseline({fp: BaselineEntry(fp, "contract", data.draw(st.integers(-1, 3)), "recorded") for fp in chosen})

    diff = compare(baseline, now)

    assert [observed(f) for f in diff.findings] == [observed(f) for f in reference_compare(baseline, now)]
    remaining = Counter({fp: entry.count for fp, entry in baseline.entries.items()})
    for atom in (atom for finding in diff.findings for atom in (finding, *finding.covers)):
        if atom.status is Status.BASELINED:
            remaining[atom.fingerprint] -= 1
    assert [(entry.fingerprint, entry.count) for entry in diff.fixed] == sorted(
        ((fp, count) for fp, count in remaining.items() if count > 0), key=lambda item: item[0]
    )
