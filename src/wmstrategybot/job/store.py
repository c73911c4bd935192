"""The state store: one SQLite database (WAL, mode 0600) holding every event's run state and
bookkeeping (failures in a row, paused, last seen on the wiki) and what the whole job shares.

Tables: ``schema_version`` (one row), ``event`` (one row per event key: its origin, failures,
paused reason, first and last seen, and its `RunState` as the JSON object the state files held),
``owner`` (a generated page -> the event that wrote it first: job/owners.py) and ``job``
(name -> JSON value). A database of schema version 1 is migrated in place (`_migrate_v1`). Every write is one transaction. A state of the wrong shape counts
as missing, with a note (as `runstate.load_state` does for a file); a file that is not a state
database raises `StateStoreError` (one line, exit 2). A database that cannot be opened or
written for a full disk (or another fault of the disk) says so and is left as it is: its state
is kept for the next run, never "move it away". JSON state files of earlier versions are
migrated once (`migrate_json`), the file kept renamed ``.migrated``.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from wmstrategybot.config.job import REMOVAL_GRACE
from wmstrategybot.errors import StateStoreError
from wmstrategybot.job.lock import run_lock
from wmstrategybot.job.state import STATE_VERSION, RunState, load_state, parse_state
from wmstrategybot.model.titles import title_key

#: the version of the tables; a database of another version is refused (one line, exit 2)
SCHEMA_VERSION = 2
#: failed runs in a row after which an event is paused (until `resume`)
PAUSE_AFTER = 3
#: the job value holding each event's titles for the change check (and, when it was paused, its
#: config's fingerprint, the cause and the revisions of the pages that caused it: `failures`),
#: under ``event <key>``
EVENT_VALUE = "event {}"
#: what a JSON state file becomes once migrated
MIGRATED_SUFFIX = ".migrated"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS event (
    key TEXT PRIMARY KEY,
    origin TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    paused TEXT,
    last_seen REAL,
    last_run REAL,
    last_failure TEXT,
    state TEXT,
    first_seen REAL
);
CREATE TABLE IF NOT EXISTS job (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS owner (page TEXT PRIMARY KEY, title TEXT NOT NULL, event TEXT NOT NULL, since REAL);
"""
#: what schema version 2 added to version 1
_V2 = ("ALTER TABLE event ADD COLUMN first_seen REAL",
       "CREATE TABLE IF NOT EXISTS owner (page TEXT PRIMARY KEY, title TEXT NOT NULL, event TEXT NOT NULL, since REAL)")
_EVENT_COLUMNS = "key, origin, failures, paused, last_seen, last_run, last_failure"
#: SQLite's primary result codes for a file that is not (or no longer) a database: only these say
#: "move it away"; any other error (a full disk, an I/O error, no permission) leaves the state be
_NOT_A_DATABASE = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_SQLITE_FULL = 13
#: free bytes under which a failing database is taken to have failed for a full disk (SQLite
#: reports some writes the disk refused, such as its -shm file's, as an I/O error)
_FULL_BELOW = 1 << 20


def _disk_full(path: Path, exc: BaseException) -> bool:
    """Whether the database at `path` failed for want of space."""
    if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == _SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        return True
    try:
        disk = os.statvfs(path.parent)
    except OSError:
        return False
    return disk.f_bavail * disk.f_frsize < _FULL_BELOW


def _cannot(path: Path, what: str, exc: BaseException) -> StateStoreError:
    """The one line of a state database that cannot be opened, read or written."""
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
    if _disk_full(path, exc):
        return StateStoreError(f"disk full: the state database {path} cannot be {what} ({reason}); its state is "
                               f"kept as it was: free some space in {path.parent} and run again")
    return StateStoreError(f"the state database {path} cannot be {what} ({reason})")


def owner_key(title: str) -> str:
    """A page as the owner table keys it: the title as MediaWiki compares titles (namespace
    number, underscores as spaces, first letter capitalised), so variants of one title are one."""
    ns, rest = title_key(title)
    return f"{ns}:{rest}"


@dataclass(frozen=True)
class EventRecord:
    """An event's bookkeeping: where its config came from, failed runs in a row, why it is
    paused (None: it is not), when discovery last saw it (seconds since the epoch)."""

    key: str
    origin: str | None
    failures: int
    paused: str | None
    last_seen: float | None
    #: when its last run ended (success or failure), and the last failure's reason
    last_run: float | None = None
    last_failure: str | None = None


def store_path(path: Path) -> Path:
    """The database a ``--state`` path names: itself, or for a ``.json`` name (a state file of
    earlier versions) the ``.db`` beside it, into which that file is migrated."""
    return path.with_suffix(".db") if path.suffix == ".json" else path


@contextmanager
def locked_store(path: Path, *, dry_run: bool = False) -> Iterator[StateStore]:
    """The store at `path`, under the run's lock. A dry run where no database exists yet gets an
    empty store in memory and takes no lock: it creates no file at all."""
    if dry_run and not path.exists():
        with StateStore.in_memory(path) as store:
            yield store
        return
    with run_lock(path), StateStore.open(path, dry_run=dry_run) as store:
        yield store


class StateStore:
    """One open state database. Use `StateStore.open` as a context manager."""

    def __init__(self, path: Path, db: sqlite3.Connection, dry_run: bool = False):
        self.path = path
        self._db = db
        self._depth = 0
        #: a dry run's: a database of an older schema is upgraded in a copy in memory, not on disk
        self._dry_run = dry_run

    @classmethod
    def open(cls, path: Path, *, dry_run: bool = False) -> StateStore:
        """Open (creating it, mode 0600) the database at `path`; StateStoreError if the file
        is not one this bot wrote or cannot be opened."""
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise _cannot(path, "opened", exc) from None
        os.close(fd)
        old = os.umask(0o077)  # the -wal and -shm files SQLite creates beside it
        try:
            db = sqlite3.connect(path, isolation_level=None, timeout=5.0)
        except sqlite3.Error as exc:
            raise _cannot(path, "opened", exc) from None
        finally:
            os.umask(old)
        store = cls(path, db, dry_run)
        try:
            store._prepare()
        except BaseException:
            db.close()
            raise
        return store

    @classmethod
    def in_memory(cls, path: Path) -> StateStore:
        """An empty store never written to disk (a dry run's, where no database exists yet);
        `path` is where a real run would keep it."""
        store = cls(path, sqlite3.connect(":memory:", isolation_level=None))
        store._prepare()
        return store

    def _prepare(self) -> None:
        """Check the tables (a foreign file is left untouched), create them in a new file, then
        switch to the WAL journal."""
        try:
            names = {r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except sqlite3.DatabaseError as exc:
            if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF not in _NOT_A_DATABASE:
                raise _cannot(self.path, "opened", exc) from None  # a full disk, an I/O error: not a foreign file
            raise StateStoreError(self._foreign(f"is not a state database ({exc})")) from None
        if names:
            self._check_version(names)
        old = os.umask(0o077)
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error as exc:
            raise _cannot(self.path, "used", exc) from None
        finally:
            os.umask(old)
        if not names:  # a new file (another process may be creating it too: IF NOT EXISTS)
            with self.transaction():
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        self._db.execute(statement)
                self._db.execute("INSERT INTO schema_version SELECT ? WHERE NOT EXISTS (SELECT 1 FROM schema_version)",
                                 (SCHEMA_VERSION,))

    def _check_version(self, names: set[str]) -> None:
        if "schema_version" not in names:
            raise StateStoreError(self._foreign("is an SQLite database of another program (no schema_version table)"))
        row = self._read("SELECT max(version) FROM schema_version")
        version = row[0][0] if row else None
        if version == 1 and {"event", "job"} <= names:
            if self._dry_run:  # the file stays as it is: the upgrade is made on a copy in memory
                copy = sqlite3.connect(":memory:", isolation_level=None)
                self._db.backup(copy)
                self._db.close()
                self._db = copy
            self._migrate_v1()
            return
        if version != SCHEMA_VERSION or not {"event", "job"} <= names:
            newer = isinstance(version, int) and version > SCHEMA_VERSION
            raise StateStoreError(self._foreign(
                f"is of schema version {version!r}, this bot reads {SCHEMA_VERSION}"
                + ("; written by a newer version of the bot" if newer else "")))

    def _migrate_v1(self) -> None:
        """Schema version 1 to 2, nothing lost: an event's first sighting is its earliest record
        (last seen, last run), and each page the store shows one event and no other holding (a
        page its config named, with a revision in its state: a page it wrote or read) becomes
        that event's. A page two events held stays unowned: the earliest opt-in takes it."""
        with self.transaction() as db:
            for statement in _V2:
                db.execute(statement)
            db.execute("UPDATE event SET first_seen = min(coalesce(last_seen, last_run), coalesce(last_run, last_seen))")
            holders: dict[str, list[tuple[str, str]]] = {}
            for key, text in db.execute("SELECT key, state FROM event WHERE state IS NOT NULL ORDER BY key"):
                state, why = parse_state(text)
                if why is not None:
                    continue
                row = db.execute("SELECT value FROM job WHERE name = ?", (EVENT_VALUE.format(key),)).fetchone()
                try:
                    titles = json.loads(row[0]).get("titles") if row else None
                except (ValueError, AttributeError):
                    titles = None
                for title in titles if isinstance(titles, list) else []:
                    if isinstance(title, str) and (state.revisions or {}).get(title) is not None:
                        holders.setdefault(owner_key(title), []).append((key, title))
            for page, held in holders.items():
                if len({k for k, _ in held}) == 1:
                    db.execute("INSERT OR IGNORE INTO owner (page, title, event) VALUES (?, ?, ?)",
                               (page, held[0][1], held[0][0]))
            db.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION,))

    def _foreign(self, why: str) -> str:
        hint = ""
        try:
            with self.path.open("rb") as fh:
                if fh.read(1) == b"{":
                    hint = "; a JSON state file? give it a .json name to migrate it"
        except OSError:
            pass
        return f"the state database {self.path} {why}{hint}; move it away to start afresh (a full run)"

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (nested calls join the outer one); rolled back on an error."""
        if self._depth:
            self._depth += 1
            try:
                yield self._db
            finally:
                self._depth -= 1
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _cannot(self.path, "written", exc) from None
        self._depth = 1
        try:
            yield self._db
        except BaseException as exc:
            self._depth = 0
            with suppress(sqlite3.Error):
                self._db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _cannot(self.path, "written", exc) from None
            raise
        self._depth = 0
        try:
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _cannot(self.path, "written", exc) from None

    def _read(self, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.Error as exc:
            raise _cannot(self.path, "read", exc) from None

    # -- run state -------------------------------------------------------------------------

    def keys(self) -> list[str]:
        """Every event the store holds a row for, sorted."""
        return [r[0] for r in self._read("SELECT key FROM event ORDER BY key")]

    def has_state(self, key: str) -> bool:
        """Whether the store holds a run state for `key` (of any shape)."""
        return bool(self._read("SELECT 1 FROM event WHERE key = ? AND state IS NOT NULL", (key,)))

    def load(self, key: str, notes: list[str] | None = None) -> RunState:
        """The event's last run state; none yet, or one of the wrong shape, is an empty state
        (it costs one full run), the latter with a note saying why."""
        rows = self._read("SELECT state FROM event WHERE key = ?", (key,))
        if not rows or rows[0][0] is None:
            return RunState()
        state, why = parse_state(rows[0][0])
        if why is not None and notes is not None:
            notes.append(f"the state of {key!r} in {self.path} {why}; treated as missing (a full run)")
        return state

    def save(self, key: str, state: RunState) -> None:
        """Replace the event's run state, in one transaction."""
        text = json.dumps({**state.to_json(), "version": STATE_VERSION}, sort_keys=True)
        with self.transaction() as db:
            db.execute("INSERT INTO event (key, state) VALUES (?, ?) "
                       "ON CONFLICT (key) DO UPDATE SET state = excluded.state", (key, text))

    def forget(self, key: str) -> None:
        """Drop the event's row: its state and bookkeeping (its next run is a full one)."""
        with self.transaction() as db:
            db.execute("DELETE FROM event WHERE key = ?", (key,))
            db.execute("DELETE FROM owner WHERE event = ?", (key,))

    # -- per-event bookkeeping --------------------------------------------------------------

    def event(self, key: str) -> EventRecord | None:
        rows = self._read(f"SELECT {_EVENT_COLUMNS} FROM event WHERE key = ?", (key,))
        return EventRecord(*rows[0]) if rows else None

    def _touch(self, db: sqlite3.Connection, key: str, origin: str | None) -> None:
        db.execute("INSERT INTO event (key, origin) VALUES (?, ?) ON CONFLICT (key) DO UPDATE "
                   "SET origin = coalesce(excluded.origin, event.origin)", (key, origin))

    def record_success(self, key: str, origin: str | None, now: float) -> EventRecord:
        """A run of the event worked: failures back to 0, not paused."""
        with self.transaction() as db:
            self._touch(db, key, origin)
            db.execute("UPDATE event SET failures = 0, paused = NULL, last_run = ? WHERE key = ?", (now, key))
        return self._record(key)

    def record_failure(self, key: str, origin: str | None, reason: str, now: float) -> EventRecord:
        """A run of the event failed; the `PAUSE_AFTER`th failure in a row pauses it (the
        reason kept in `paused`)."""
        with self.transaction() as db:
            self._touch(db, key, origin)
            db.execute("UPDATE event SET failures = failures + 1, last_run = ?, last_failure = ? WHERE key = ?",
                       (now, reason, key))
            db.execute("UPDATE event SET paused = ? WHERE key = ? AND paused IS NULL AND failures >= ?",
                       (reason, key, PAUSE_AFTER))
        return self._record(key)

    def resume(self, key: str, *, keep_failures: bool = False) -> None:
        """Serve a paused event again: its failures counted from 0, or with `keep_failures` kept
        (a pause lifted by an edit: its next failure pauses it again at once, so an edit that
        does not fix it costs one try, not `PAUSE_AFTER`)."""
        with self.transaction() as db:
            if keep_failures:
                db.execute("UPDATE event SET paused = NULL WHERE key = ?", (key,))
            else:
                db.execute("UPDATE event SET failures = 0, paused = NULL WHERE key = ?", (key,))

    def mark_seen(self, keys: Iterable[str], now: float) -> None:
        """Discovery found these events on the wiki at `now`."""
        with self.transaction() as db:
            for key in keys:
                self._touch(db, key, None)
                db.execute("UPDATE event SET last_seen = ? WHERE key = ?", (now, key))

    def forget_unseen(self, now: float, grace: float = REMOVAL_GRACE) -> list[str]:
        """Drop the events discovery has not seen for more than `grace` seconds (their pages
        are left as they are); the keys dropped, sorted. Events never marked seen (a local
        config's) are kept."""
        with self.transaction() as db:
            gone = [r[0] for r in db.execute(
                "SELECT key FROM event WHERE last_seen IS NOT NULL AND last_seen < ? ORDER BY key", (now - grace,))]
            db.executemany("DELETE FROM event WHERE key = ?", [(k,) for k in gone])
            db.executemany("DELETE FROM owner WHERE event = ?", [(k,) for k in gone])
        return gone

    def mark_first_seen(self, keys: Iterable[str], now: float) -> None:
        """The job met these events at `now`: their first sighting, unless one is recorded."""
        with self.transaction() as db:
            for key in keys:
                self._touch(db, key, None)
                db.execute("UPDATE event SET first_seen = ? WHERE key = ? AND first_seen IS NULL", (now, key))

    def first_seen(self) -> dict[str, float]:
        """When the job first met each event (seconds since the epoch)."""
        return {k: v for k, v in self._read("SELECT key, first_seen FROM event WHERE first_seen IS NOT NULL")}

    # -- who owns a generated page (job/owners.py) ----------------------------------------------

    def owners(self) -> dict[str, tuple[str, str]]:
        """Each owned page (by `owner_key`) -> (its title as written, the owning event's key)."""
        return {page: (title, event) for page, title, event in self._read("SELECT page, title, event FROM owner")}

    def set_owner(self, title: str, key: str, now: float) -> None:
        """`title` is `key`'s page from now on."""
        with self.transaction() as db:
            db.execute("INSERT INTO owner (page, title, event, since) VALUES (?, ?, ?, ?) ON CONFLICT (page) "
                       "DO UPDATE SET title = excluded.title, event = excluded.event, since = excluded.since",
                       (owner_key(title), title, key, now))

    def release(self, title: str, key: str) -> None:
        """`title` is no longer `key`'s (its config dropped it): any event may take it."""
        with self.transaction() as db:
            db.execute("DELETE FROM owner WHERE page = ? AND event = ?", (owner_key(title), key))

    def _record(self, key: str) -> EventRecord:
        record = self.event(key)
        assert record is not None  # written in the transaction just committed
        return record

    # -- what the whole job shares ------------------------------------------------------------

    def job_get(self, name: str) -> Any:
        """A job-level value (None if unset or unreadable)."""
        rows = self._read("SELECT value FROM job WHERE name = ?", (name,))
        if not rows:
            return None
        try:
            return json.loads(rows[0][0])
        except ValueError:
            return None

    def job_set(self, name: str, value: Any) -> None:
        """Set a job-level value (JSON); None removes it."""
        with self.transaction() as db:
            if value is None:
                db.execute("DELETE FROM job WHERE name = ?", (name,))
            else:
                db.execute("INSERT INTO job (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE "
                           "SET value = excluded.value", (name, json.dumps(value, sort_keys=True)))

    # -- JSON state files of earlier versions ---------------------------------------------------

    def migrate_json(self, key: str, json_path: Path, notes: list[str]) -> bool:
        """Move the JSON state file into the store as `key`'s state, once: the file is renamed
        ``.migrated``; if the store already holds a state for `key`, that one is kept. False if
        there is no such file."""
        if not json_path.is_file():
            return False
        done = json_path.with_name(json_path.name + MIGRATED_SUFFIX)
        if self.has_state(key):
            notes.append(f"the state file {json_path} was not migrated: {self.path} already holds "
                         f"the state of {key!r}; the file is kept as {done}")
        else:
            state = load_state(json_path, notes)
            self.save(key, state)
            notes.append(f"the state file {json_path} was migrated into {self.path}; kept as {done}")
        os.replace(json_path, done)
        return True
