"""The state store (statestore.py): one SQLite database for every event's run state and
bookkeeping; the migration of JSON state files; a file that is not a state database; two
processes at once."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from dataclasses import fields

import pytest
from click.testing import CliRunner
from helpers import copy_snapshot, stored_state

from wmstrategybot.cli.main import cli
from wmstrategybot.config.files import load_config
from wmstrategybot.config.job import REMOVAL_GRACE
from wmstrategybot.job.lock import run_lock
from wmstrategybot.job.state import RunState, legacy_state_path
from wmstrategybot.job.store import PAUSE_AFTER, SCHEMA_VERSION, StateStore
from wmstrategybot.sources import DirSource

#: a state with every field set (the test below checks that none is left out)
FULL = RunState(
    revisions={"Event/Day 1": 10, "Event/Day 2": "2026-11-25T10:00:00Z", "User:Bot/stop": None},
    outcome={"outcome": "done", "exit": 0}, retry=["Event/Day 3"],
    retry_later={"titles": ["Event/Day 2"], "at": 5.0}, removed={"Event/Old": "deleted by Alice"},
    checked_at="2026-11-25T10:00:00Z", checked=7.5, read_at="2026-11-25T09:59:00Z",
    canonical={"Project:Event": "TestWiki:Event"}, logs_seen={"40": "2026-11-25T10:00:00Z"},
    watchlist_failed={"at": 3.0, "reason": "no grant"}, watching="d1g35t", verified=8.25,
    watch_failed={"digest": "d", "at": 3.0, "reason": "no grant"})


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_field_of_a_run_state_comes_back_as_saved(tmp_path):
    assert all(getattr(FULL, f.name) is not None for f in fields(RunState))
    with StateStore.open(tmp_path / "s.db") as store:
        store.save("event", FULL)
    with StateStore.open(tmp_path / "s.db") as store:  # another connection: what the file holds
        notes = []
        assert store.load("event", notes) == FULL and notes == []
        assert store.load("another", notes) == RunState() and notes == []


def test_two_events_states_are_independent(tmp_path):
    with StateStore.open(tmp_path / "s.db") as store:
        store.save("a", FULL)
        store.save("b", RunState(revisions={"B/Day 1": 1}))
        store.save("a", RunState(revisions={"A/Day 1": 2}))
        store.record_failure("b", "B", "its pages are missing", 10.0)
        assert store.load("a") == RunState(revisions={"A/Day 1": 2})
        assert store.load("b") == RunState(revisions={"B/Day 1": 1})
        assert store.event("a").failures == 0 and store.event("b").failures == 1
        store.forget("a")
        assert store.keys() == ["b"] and store.load("a") == RunState() and store.load("b").revisions == {"B/Day 1": 1}


def test_failures_in_a_row_pause_an_event_at_the_third_and_a_success_or_resume_resets_them(tmp_path):
    assert PAUSE_AFTER == 3
    with StateStore.open(tmp_path / "s.db") as store:
        assert store.event("e") is None
        one = store.record_failure("e", "Event", "bad config", 1.0)
        assert (one.key, one.origin, one.failures, one.paused, one.last_failure) == ("e", "Event", 1, None, "bad config")
        assert store.record_failure("e", None, "bad config", 2.0).paused is None
        ok = store.record_success("e", None, 3.0)
        assert (ok.failures, ok.paused, ok.origin, ok.last_run) == (0, None, "Event", 3.0)  # origin kept
        store.record_failure("e", "Event", "first", 4.0)
        assert store.record_failure("e", "Event", "second", 5.0).paused is None
        third = store.record_failure("e", "Event", "third", 6.0)
        assert third.failures == 3 and third.paused == "third"
        fourth = store.record_failure("e", "Event", "fourth", 7.0)
        assert fourth.failures == 4 and fourth.paused == "third" and fourth.last_failure == "fourth"
        store.resume("e")
        resumed = store.event("e")
        assert resumed.failures == 0 and resumed.paused is None
        assert store.record_failure("e", "Event", "again", 8.0).paused is None


def test_an_event_unseen_for_longer_than_the_grace_period_is_forgotten(tmp_path):
    now = 1_000_000.0
    with StateStore.open(tmp_path / "s.db") as store:
        for key in ("gone", "kept", "local"):
            store.save(key, RunState(revisions={f"{key}/Day 1": 1}))
        store.mark_seen(["gone", "kept", "new"], now)
        store.mark_seen(["kept"], now + REMOVAL_GRACE)
        assert store.forget_unseen(now + REMOVAL_GRACE, REMOVAL_GRACE) == []  # not longer than the grace yet
        assert store.forget_unseen(now + REMOVAL_GRACE + 1) == ["gone", "new"]
        # never marked seen (a local config's event): kept
        assert store.keys() == ["kept", "local"] and store.load("gone") == RunState()
        assert store.event("kept").last_seen == now + REMOVAL_GRACE and store.load("kept").revisions


def test_job_values_are_json_and_none_removes_one(tmp_path):
    with StateStore.open(tmp_path / "s.db") as store:
        assert store.job_get("watchlist") is None
        store.job_set("watchlist", {"checked_at": "2026-11-25T10:00:00Z", "ids": [1, 2]})
    with StateStore.open(tmp_path / "s.db") as store:
        assert store.job_get("watchlist") == {"checked_at": "2026-11-25T10:00:00Z", "ids": [1, 2]}
        store.job_set("watchlist", None)
        assert store.job_get("watchlist") is None and store.keys() == []


def test_a_stored_state_of_the_wrong_shape_counts_as_missing_with_a_note(tmp_path):
    db = tmp_path / "s.db"
    with StateStore.open(db) as store:
        store.save("e", FULL)
    with sqlite3.connect(db) as raw:
        raw.execute("UPDATE event SET state = ? WHERE key = 'e'", (json.dumps({"version": 1, "retry": "A"}),))
    with StateStore.open(db) as store:
        notes = []
        assert store.load("e", notes) == RunState()
        assert len(notes) == 1 and "'retry' of the wrong shape" in notes[0] and "treated as missing" in notes[0]


def test_the_database_and_its_wal_files_are_private(tmp_path):
    db = tmp_path / "s.db"
    with StateStore.open(db) as store:
        store.save("e", FULL)
        assert store._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        made = [p for p in (db, tmp_path / "s.db-wal", tmp_path / "s.db-shm") if p.exists()]
        assert len(made) == 3
        assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in made} == {p.name: 0o600 for p in made}
        assert store._db.execute("SELECT version FROM schema_version").fetchall() == [(SCHEMA_VERSION,)]


def _dir_run(tmp_path, *args: str, env: dict | None = None):
    wiki = tmp_path / "wiki"
    if not wiki.exists():
        copy_snapshot(wiki)
    return CliRunner(env=env).invoke(cli, ["--source", f"dir:{wiki}", "run", *args])


def test_the_json_state_file_at_the_old_default_path_is_migrated_once(tmp_path):
    first = _dir_run(tmp_path, "--state", str(tmp_path / "first.db"))
    assert first.exit_code == 0, first.output
    state = stored_state(tmp_path / "first.db")
    assert state["revisions"]
    xdg = tmp_path / "xdg"
    legacy = legacy_state_path(load_config(), DirSource(tmp_path / "wiki"))
    legacy = xdg / legacy.relative_to(legacy.parents[1])  # the same name under this XDG_DATA_HOME
    legacy.parent.mkdir(parents=True)
    legacy.write_text(json.dumps({**state, "version": 1}))
    env = {"XDG_DATA_HOME": str(xdg)}
    migrated = _dir_run(tmp_path, env=env)
    assert migrated.exit_code == 0, migrated.output
    # the migrated state is the one used: nothing changed since the first run
    assert "nothing-changed" in migrated.stderr, migrated.stderr
    assert f"the state file {legacy} was migrated into" in migrated.stderr
    db = legacy.with_suffix(".db")
    assert not legacy.exists() and json.loads(legacy.with_name(legacy.name + ".migrated").read_text())["revisions"]
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    assert stored_state(db)["revisions"] == state["revisions"]
    again = _dir_run(tmp_path, env=env)
    assert again.exit_code == 0 and "migrated" not in again.stderr and "nothing-changed" in again.stderr
    # a JSON state file put back later does not replace the store's state; it is set aside again
    legacy.write_text(json.dumps({"version": 1, "revisions": {}}))
    back = _dir_run(tmp_path, env=env)
    assert back.exit_code == 0 and "was not migrated" in back.stderr and "nothing-changed" in back.stderr
    assert not legacy.exists() and stored_state(db)["revisions"] == state["revisions"]


def test_a_dry_run_reads_the_json_state_file_and_leaves_it(tmp_path):
    assert _dir_run(tmp_path, "--state", str(tmp_path / "first.db")).exit_code == 0
    given = tmp_path / "old.json"
    given.write_text(json.dumps({**stored_state(tmp_path / "first.db"), "version": 1}))
    dry = _dir_run(tmp_path, "--dry-run", "--state", str(given))
    assert dry.exit_code == 0 and "nothing-changed" in dry.stderr and "migrates it" in dry.stderr
    assert given.is_file() and stored_state(tmp_path / "old.db") == {}
    real = _dir_run(tmp_path, "--state", str(given))
    assert real.exit_code == 0 and "nothing-changed" in real.stderr and not given.exists()


@pytest.mark.parametrize(("content", "says"), [
    (b"\x00garbage\xff" * 200, "is not a state database"),
    (b"SQLite format 3\x00" + b"\x00" * 84 + b"broken" * 100, "is not a state database"),
    (b'{"version": 1, "revisions": {}}', "a JSON state file? give it a .json name"),
    ("foreign", "an SQLite database of another program"),
    ("newer", "written by a newer version of the bot"),
])
def test_a_file_that_is_not_a_state_database_is_one_error_line_and_exit_2(tmp_path, content, says):
    db = tmp_path / "s.db"
    if content == "foreign":
        with sqlite3.connect(db) as raw:
            raw.execute("CREATE TABLE photos (id INTEGER)")
    elif content == "newer":
        with StateStore.open(db):
            pass
        with sqlite3.connect(db) as raw:
            raw.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    else:
        db.write_bytes(content)
    before = db.read_bytes()
    result = _dir_run(tmp_path, "--state", str(db))
    assert result.exit_code == 2, (result.output, result.exception)
    assert "Traceback" not in result.output and result.stderr.count("\n") == 1, result.stderr
    assert f"the state database {db}" in result.stderr and says in result.stderr, result.stderr
    assert db.read_bytes() == before  # left as it was, for a person to look at
    report = json.loads((tmp_path / "s.db.report.json").read_text())
    assert report["exit"] == 2 and says in report["error"]


_READER = """
import json, sys
from wmstrategybot.job.store import StateStore
with StateStore.open(__import__("pathlib").Path(sys.argv[1])) as store:
    print(json.dumps(store.load("e").to_json()))
"""


def test_a_second_process_during_an_open_transaction_reads_the_last_commit_and_a_run_is_locked(tmp_path):
    db = tmp_path / "s.db"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with run_lock(db), StateStore.open(db) as store:
        store.save("e", RunState(revisions={"A": 1}))
        with store.transaction():
            store.save("e", RunState(revisions={"A": 2}))  # not committed yet
            reader = subprocess.run([sys.executable, "-c", _READER, str(db)], capture_output=True, text=True,
                                    env=env, timeout=60)
            assert reader.returncode == 0, reader.stderr
            assert json.loads(reader.stdout) == {"revisions": {"A": 1}}
            wiki = copy_snapshot(tmp_path / "wiki")
            locked = subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "--source", f"dir:{wiki}", "run",
                                     "--state", str(db)], capture_output=True, text=True, env=env, timeout=120)
            assert locked.returncode == 5, locked.stderr
            assert "lock" in locked.stderr and "Traceback" not in locked.stderr
    with StateStore.open(db) as store:
        assert store._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.load("e") == RunState(revisions={"A": 2}) and store.keys() == ["e"]


def test_two_events_under_documentation_have_their_own_state_files():
    """First-hour trial (issue 12)."""
    from wmstrategybot.config.event import parse_config
    from wmstrategybot.job.state import default_state_path
    from wmstrategybot.sources import SnapshotSource

    paths = {default_state_path(parse_config(f'[event]\nroot = "Wikimedia Summit {y}/Documentation"\n'
                                             'days = ["Day 1"]\n'), SnapshotSource()) for y in (2019, 2022)}
    assert len(paths) == 2
