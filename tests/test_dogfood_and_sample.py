"""importcanon checks itself, and the sample project shows the migration it was written for."""

from __future__ import annotations

from conftest import REPO_ROOT, SAMPLE, run_cli


def test_importcanon_keeps_its_own_contracts(tmp_path):
    run = run_cli("check", REPO_ROOT, "--format", "json", "--cache-dir", tmp_path)

    assert run.exit_code == 0, run.stdout
    assert run.json["metrics"]["import_linter_contracts"] == 3
    assert run.json["findings"] == []


def test_the_sample_backend_reports_its_layering_violation(tmp_path):
    run = run_cli("check", SAMPLE, "--format", "json", "--cache-dir", tmp_path)

    contract = run.findings("contract")
    assert [(f["path"], f["line"]) for f in contract] == [("app/db/repository.py", 3)]
    assert contract[0]["contract"] == "Endpoints above services above the realtime core above the database"
