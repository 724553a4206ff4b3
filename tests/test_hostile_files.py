"""Files written by a process that dies (issue #17): the atomic writer leaves the old file
intact, removes its temporary file on any exception, and the temporary file of a process
killed outright (which it cannot remove itself) is removed by the next write to the target."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from relations.formats.atomic import atomic_write

SRC = str(Path(__file__).parents[1] / "src")


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".relations-tmp"))


def test_exception_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")

    def interrupted() -> None:
        with atomic_write(target) as f:
            f.write("half")
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted()
    assert target.read_text() == "old\n"
    assert temps(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")
def test_temporary_file_of_a_killed_writer_is_removed_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("old\n")
    code = textwrap.dedent(
        f"""
        import sys, time
        from relations.formats.atomic import atomic_write
        with atomic_write({str(target)!r}) as f:
            f.write("partial" * 1000)
            f.flush()
            print("writing", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    orphans = temps(tmp_path)
    assert len(orphans) == 1  # a killed process cannot clean up after itself...
    assert orphans[0].startswith(f".out.jsonl.{proc.pid}.")
    assert target.read_text() == "old\n"  # ...but the target is intact
    with atomic_write(target) as f:
        f.write("new\n")
    assert target.read_text() == "new\n"
    assert temps(tmp_path) == []  # ...and the next write to it removed the orphan


def test_temporary_files_of_live_processes_and_other_targets_are_kept(tmp_path: Path) -> None:
    live = tmp_path / f".out.jsonl.{os.getppid()}.abc.relations-tmp"
    other = tmp_path / ".other.jsonl.999999999.abc.relations-tmp"
    mine = tmp_path / f".out.jsonl.{os.getpid()}.abc.relations-tmp"
    for p in (live, other, mine):
        p.write_text("x")
    with atomic_write(tmp_path / "out.jsonl") as f:
        f.write("new\n")
    assert live.exists() and other.exists() and mine.exists()
