"""importcanon's own writes: never through a link, never over a device, all or nothing, no litter.

The repository is untrusted input and CI runs as root, so these run as root (the checkout's user
here) and, where the machine lets an unprivileged user reach the interpreter, as ``nobody`` too.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import run_as_nobody, run_cli, write_project

from importcanon.adapters import files
from importcanon.adapters.files import SafeDirectory, commit_together

PROJECT = {
    "app/__init__.py": "",
    "app/factory.py": "def make():\n    return 1\n",
    "app/users.py": "from app.factory import make\n\n\ndef first():\n    return make()\n",
    "contracts/importcanon.toml": '[[deprecated]]\nname = "app.factory.make"\n',
}
MODULE = [sys.executable, "-m", "importcanon"]


def baseline_of(root: Path) -> Path:
    return root / "contracts" / "baseline.json"


def leftovers(root: Path) -> list[str]:
    """Temporary and lock files anywhere in the project."""
    return sorted(p.name for p in root.rglob(".*") if p.name.endswith((".tmp", ".lock")))


def null_device(path: Path) -> Path:
    """A private twin of /dev/null (a test gone wrong must not break the machine's own)."""
    if os.geteuid() != 0:
        pytest.skip("creating a device needs root")
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return path


# Special files ------------------------------------------------------------------------------------


def test_output_to_a_device_writes_through_it_and_leaves_it_a_device(project, tmp_path):
    root = project(PROJECT)
    device = null_device(tmp_path / "null")

    run = run_cli("check", root, "--output", device)

    assert run.exit_code == 1
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert "2 new" in run.stdout


def test_output_to_a_fifo_is_written_in_place(project, tmp_path):
    root = project(PROJECT)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()

    run = run_cli("check", root, "--output", fifo, "--format", "json")
    reader.join(timeout=30)

    assert run.exit_code == 1
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert json.loads(received[0])["summary"]["new"] == 2


@pytest.mark.parametrize("to_file", [False, True])
def test_output_to_dev_stdout_and_dash_reach_standard_output(project, tmp_path, to_file):
    root = project(PROJECT)
    for target in ("/dev/stdout", "-"):
        command = [*MODULE, "check", str(root), "--format", "json", "--output", target, "--no-cache"]
        if to_file:
            sink = tmp_path / "out.txt"
            with sink.open("w") as stream:
                process = subprocess.run(command, stdout=stream, stderr=subprocess.PIPE, text=True, timeout=60)
            stdout = sink.read_text()
        else:
            process = subprocess.run(command, capture_output=True, text=True, timeout=60)
            stdout = process.stdout
        assert process.returncode == 1, process.stderr
        report, end = json.JSONDecoder().raw_decode(stdout)
        assert report["summary"]["new"] == 2
        summary = stdout[end:].strip()  # after the report, intact; none when the report is standard output
        assert summary.startswith("importcanon: 2 new") if target != "-" else summary == ""
        assert "error" not in process.stderr


def test_a_baseline_on_a_device_is_refused_and_the_device_kept(project, tmp_path):
    root = project(PROJECT)
    device = null_device(tmp_path / "null")

    run = run_cli("baseline", "create", root, "--force", "--baseline", device)

    assert run.exit_code == 2
    assert "not a regular file" in run.stderr
    assert stat.S_ISCHR(device.lstat().st_mode)
    assert not list(tmp_path.glob("*.history.jsonl"))


# Links ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("linked", ["contracts/baseline.json", "contracts/baseline.history.jsonl"])
def test_a_committed_link_for_the_baseline_or_history_is_never_written_through(project, tmp_path, linked):
    root = project(PROJECT)
    assert run_cli("baseline", "create", root).exit_code == 0
    before = {
        name: (root / name).read_bytes() for name in ("contracts/baseline.json", "contracts/baseline.history.jsonl")
    }
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (root / linked).unlink()
    (root / linked).symlink_to(victim)

    run = run_cli("baseline", "create", root, "--force")

    assert run.exit_code == 2
    assert "symbolic link" in run.stderr
    assert victim.read_text() == "precious\n"
    for name, data in before.items():  # both or neither: the other file is untouched as well
        if name != linked:
            assert (root / name).read_bytes() == data
    assert leftovers(root) == []


def test_a_linked_directory_on_the_way_to_the_baseline_is_refused(project, tmp_path):
    root = project(
        {
            **PROJECT,
            "contracts/importcanon.toml": PROJECT["contracts/importcanon.toml"]
            + '\n[settings]\nbaseline = "state/baseline.json"\n',
        }
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "state").symlink_to(outside)

    run = run_cli("baseline", "create", root)

    assert run.exit_code == 2
    assert "'state' on the way to it is a symbolic link" in run.stderr
    assert list(outside.iterdir()) == []


def test_a_linked_lock_file_is_not_followed(project, tmp_path):
    root = project(PROJECT)
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (root / "contracts/.baseline.json.lock").symlink_to(victim)

    run = run_cli("baseline", "create", root)

    assert run.exit_code == 2
    assert "cannot lock the baseline" in run.stderr
    assert victim.read_text() == "precious\n"


def test_a_linked_report_is_refused_rather_than_replaced(project, tmp_path):
    root = project(PROJECT)
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    (tmp_path / "report.txt").symlink_to(victim)

    run = run_cli("check", root, "--output", tmp_path / "report.txt")

    assert run.exit_code == 2
    assert "symbolic link" in run.stderr
    assert victim.read_text() == "precious\n"


def test_a_configured_baseline_outside_the_project_is_written_only_when_named(project, tmp_path):
    settings = '\n[settings]\nbaseline = "../shared/baseline.json"\n'
    root = project({**PROJECT, "contracts/importcanon.toml": PROJECT["contracts/importcanon.toml"] + settings})
    shared = tmp_path / "shared" / "baseline.json"

    refused = run_cli("baseline", "create", root)
    named = run_cli("baseline", "create", root, "--baseline", shared)

    assert refused.exit_code == 2
    assert "outside the project" in refused.stderr and "--baseline" in refused.stderr
    assert named.exit_code == 0, named.stderr
    assert shared.is_file()
    assert run_cli("check", root).exit_code == 0  # reading it stays allowed


# All or nothing, and no litter ---------------------------------------------------------------------


def test_baseline_and_history_change_together_or_not_at_all(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    before = baseline_of(root).read_bytes()
    history = root / "contracts/baseline.history.jsonl"
    history.unlink()
    history.mkdir()  # the history cannot be written

    run = run_cli("baseline", "create", root, "--force", "--no-cache")

    assert run.exit_code == 2
    assert baseline_of(root).read_bytes() == before
    assert leftovers(root) == []


def test_a_failed_second_rename_puts_the_first_file_back(tmp_path, monkeypatch):
    (tmp_path / "a").write_text("old a")
    (tmp_path / "b").write_text("old b")
    real_replace = SafeDirectory.replace

    def failing(self: SafeDirectory, source: str, target: str) -> None:
        if target == "b":
            raise OSError(28, "No space left on device")
        real_replace(self, source, target)

    monkeypatch.setattr(SafeDirectory, "replace", failing)
    with SafeDirectory(tmp_path, base=tmp_path, shown="a") as folder, pytest.raises(files.ImportcanonError):
        commit_together(folder, [("a", "new a"), ("b", "new b")])

    assert (tmp_path / "a").read_text() == "old a"
    assert (tmp_path / "b").read_text() == "old b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_a_failed_write_leaves_no_directory_lock_or_temporary_file(project):
    root = project(PROJECT)

    run = run_cli("baseline", "update", root, "--baseline", root / "new" / "deeper" / "baseline.json")

    assert run.exit_code == 2
    assert not (root / "new").exists()
    assert leftovers(root) == []


def test_stale_lock_and_temporary_files_of_a_killed_run_are_cleaned(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    for name in (".baseline.json.lock", ".baseline.json.0a1b2c3d.tmp", ".baseline.history.jsonl.4e5f6a7b.tmp"):
        (root / "contracts" / name).write_text("left by kill -9")

    run = run_cli("baseline", "update", root)

    assert run.exit_code == 0, run.stderr
    assert leftovers(root) == []


def test_new_files_get_the_usual_mode_and_replaced_files_keep_theirs(project):
    root = project(PROJECT)
    run_cli("baseline", "create", root)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(baseline_of(root).stat().st_mode) == 0o666 & ~umask
    baseline_of(root).chmod(0o640)

    run_cli("baseline", "update", root)

    assert stat.S_IMODE(baseline_of(root).stat().st_mode) == 0o640


# The same as an unprivileged user ------------------------------------------------------------------


def test_as_an_unprivileged_user_dev_null_output_and_linked_baselines_are_safe(shared):
    root = write_project(shared / "project", PROJECT)
    victim = shared / "victim"
    victim.write_text("precious\n")
    (root / "contracts/baseline.json").symlink_to(victim)
    for path in [root, *root.rglob("*"), victim]:
        os.lchown(path, 65534, 65534)

    checked = run_as_nobody([*MODULE, "check", str(root), "--no-baseline", "--output", "/dev/null"], shared)
    created = run_as_nobody([*MODULE, "baseline", "create", str(root), "--force"], shared)
    on_device = run_as_nobody([*MODULE, "baseline", "create", str(root), "--force", "--baseline", "/dev/null"], shared)

    assert checked.returncode == 1, checked.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    assert created.returncode == 2 and "symbolic link" in created.stderr
    assert victim.read_text() == "precious\n"
    assert on_device.returncode == 2 and "not a regular file" in on_device.stderr


def test_both_files_reach_the_disk_before_either_is_renamed_and_the_directory_after(project, monkeypatch):
    root = project(PROJECT)
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append("sync directory" if stat.S_ISDIR(os.fstat(fd).st_mode) else "sync file")
        real_fsync(fd)

    def replace(source: str, target: str, **descriptors: int) -> None:
        events.append(f"rename {target}")
        real_replace(source, target, **descriptors)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    run = run_cli("baseline", "create", root, "--no-cache")

    assert run.exit_code == 0, run.stderr
    assert events == [
        "sync file",
        "sync file",
        "rename baseline.json",
        "rename baseline.history.jsonl",
        "sync directory",
    ]


@pytest.mark.parametrize("command", [["graph"], ["trend"]])
def test_output_to_a_file_says_where_it_went_as_report_does(project, tmp_path, command):
    root = project(PROJECT)
    assert run_cli("baseline", "create", root, "--no-cache").exit_code == 0
    target = tmp_path / "picture.out"

    run = run_cli(*command, root, "--output", target)

    assert run.exit_code == 0, run.stderr
    assert run.stdout == f"wrote {target}\n"
    assert target.read_text().strip()


def test_output_to_dash_is_the_picture_alone(project):
    root = project(PROJECT)

    run = run_cli("graph", root, "--no-cache", "--output", "-")

    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith("digraph") and "wrote" not in run.stdout


def test_report_html_to_dash_is_the_page_alone(project):
    root = project(PROJECT)

    run = run_cli("report", root, "--no-cache", "--html", "-")

    assert run.exit_code == 0, run.stderr
    assert run.stdout.rstrip().endswith("</html>") and "wrote -" not in run.stdout
