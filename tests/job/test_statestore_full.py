"""A full disk under the state store (issue #20): one line that says "disk full", the state kept
as it was, never the advice to move the database away (which throws the state away)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import wmstrategybot
from wmstrategybot.errors import StateStoreError
from wmstrategybot.job.state import RunState
from wmstrategybot.job.store import StateStore

#: the package under test, for the child process
SRC = Path(wmstrategybot.__file__).resolve().parents[1]

BIG = RunState(outcome={"outcome": "done", "text": "x" * 200_000})


def test_a_write_sqlite_refuses_as_disk_full_says_disk_full_and_keeps_the_state(tmp_path):
    path = tmp_path / "state.db"
    with StateStore.open(path) as store:
        store.save("page:A", RunState(outcome={"outcome": "done"}))
    with StateStore.open(path) as store:
        # SQLite's own "database or disk is full" (SQLITE_FULL): no page more may be added
        pages = store._db.execute("PRAGMA page_count").fetchone()[0]
        store._db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StateStoreError) as caught:
            store.save("page:A", BIG)
    message = str(caught.value)
    assert message.startswith("disk full:") and "\n" not in message and "move it away" not in message
    assert str(path) in message and "kept" in message
    with StateStore.open(path) as store:
        assert store.load("page:A") == RunState(outcome={"outcome": "done"})


#: run in a filesystem of its own (tmpfs in a user and mount namespace), filled to the last byte
_FULL_DISK = textwrap.dedent('''
    import os, sys
    sys.path.insert(0, sys.argv[2])
    from pathlib import Path
    from wmstrategybot.errors import StateStoreError
    from wmstrategybot.job.state import RunState
    from wmstrategybot.job.store import StateStore
    disk = Path(sys.argv[1])
    path = disk / "state.db"
    with StateStore.open(path) as store:
        store.save("page:A", RunState(outcome={"outcome": "done"}))
    size = path.stat().st_size
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
    for chunk in (65536, 4096, 512, 1):  # every byte left taken: ENOSPC from here on
        try:
            while True:
                os.write(fd, b"\\0" * chunk)
        except OSError as exc:
            assert exc.errno == 28, exc
    os.close(fd)
    for attempt in ("open", "save"):
        try:
            with StateStore.open(path) as store:
                store.save("page:A", RunState(outcome={"outcome": "changed", "text": "x" * 100_000}))
        except StateStoreError as exc:
            print(exc)
            break
    else:
        print("saved")
    assert path.stat().st_size == size
    os.unlink(disk / "filler")
    with StateStore.open(path) as store:
        print(store.load("page:A").outcome)
''')


def _namespaced() -> bool:
    if not shutil.which("unshare"):
        return False
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    return done.returncode == 0


@pytest.mark.skipif(not _namespaced(), reason="needs unshare(1) with user and mount namespaces for a small tmpfs")
def test_a_really_full_disk_says_disk_full_and_keeps_the_state(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "full.py"
    script.write_text(_FULL_DISK, "utf-8")
    shell = (f"mount -t tmpfs -o size=256k tmpfs {disk} && "
             f"exec {sys.executable} {script} {disk} {SRC}")
    done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", shell],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    line, kept = done.stdout.strip().splitlines()
    assert line.startswith("disk full:") and "move it away" not in line and "kept" in line, line
    assert kept == "{'outcome': 'done'}"
