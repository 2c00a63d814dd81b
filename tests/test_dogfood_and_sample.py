"""importcanon checks itself, and the sample project shows the migration it was written for."""

from __future__ import annotations

import shutil

from conftest import REPO_ROOT, SAMPLE, run_cli


def test_importcanon_keeps_its_own_contracts(tmp_path):
    run = run_cli("check", REPO_ROOT, "--format", "json", "--cache-dir", tmp_path)

    assert run.exit_code == 0, run.stdout
    assert run.json["findings"] == []
    assert run.json["summary"] == {"new": 0, "baselined": 0, "fixed": 0}
    metrics = run.json["metrics"]
    assert metrics["import_linter_contracts"] == 3
    assert metrics["cycles"]["components"] == 0
    assert {symbol: facts["implementations"] for symbol, facts in metrics["fragmentation"]["symbols"].items()} == {
        "Finding": 1,
        "Project": 1,
        "ImportKind": 1,
    }


SAMPLE_FINDINGS = [
    ("alias-divergence", "app/realtime/connection_manager.py", 5),
    ("alias-divergence", "app/realtime_core/broadcast.py", 14),
    ("contract", "app/db/repository.py", 3),
    ("deprecated-usage", "app/api/routes.py", 7),
    ("deprecated-usage", "app/api/routes.py", 9),
    ("deprecated-usage", "app/api/routes.py", 16),
    ("duplicate-definition", "app/realtime_core/unified_manager.py", 6),
    ("import-cycle", "app/realtime_core/protocols.py", 3),
    ("import-cycle", "app/realtime_core/unified_manager.py", 3),
    ("legacy-import", "app/api/websocket_routes.py", 3),
    ("legacy-import", "app/api/websocket_routes.py", 4),
    ("non-canonical-import", "app/services/chat.py", 3),
    ("shim-module", "app/realtime/__init__.py", 3),
    ("shim-module", "app/realtime/connection_manager.py", 5),
]


def test_the_sample_backend_shows_every_problem_of_the_migration(tmp_path):
    run = run_cli("check", SAMPLE, "--format", "json", "--no-baseline", "--cache-dir", tmp_path)

    assert run.exit_code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in run.findings()] == SAMPLE_FINDINGS
    fragmentation = run.json["metrics"]["fragmentation"]
    assert fragmentation["symbols"]["SessionManager"]["implementations"] == 3
    assert (fragmentation["shims"], fragmentation["legacy_imports"], fragmentation["deprecated_usages"]) == (2, 2, 3)


def test_the_sample_ships_a_baseline_so_its_check_passes_until_something_new_appears(tmp_path):
    project = tmp_path / "chat-backend"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns(".importcanon_cache"))

    clean = run_cli("check", project, "--format", "json")
    presence = project / "app/services/presence.py"
    presence.write_text("from app.realtime import SessionManager\n\nUSERS = [SessionManager]\n" + presence.read_text())
    dirty = run_cli("check", project, "--format", "json")

    assert clean.exit_code == 0
    assert clean.json["summary"] == {"new": 0, "baselined": 14, "fixed": 0}
    assert dirty.exit_code == 1
    assert [(f["rule"], f["path"]) for f in dirty.findings() if f["status"] == "new"] == [
        ("legacy-import", "app/services/presence.py")
    ]
