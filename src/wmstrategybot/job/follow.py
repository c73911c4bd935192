"""`run --all --follow`: the job kept running, serving what the wiki's change stream says changed
within seconds, the hourly change check as its safety net.

One loop, on one thread, with its clock, its stream (`Feed`) and its run of the job (`serve`,
which is `run_all`: the same lock, guards, state and status pages) given to it:

- a full change check at start and every `full_every` seconds;
- an event of a page the bot cares about (`changefeed.Interest`) waits until the burst is over
  (`debounce` seconds of quiet) and then one run serves every event that changed; an edit that
  may opt a page in does too, at most once every `opt_in_every` seconds;
- the stream down (refused, failing): the change check every `poll_every` seconds until it
  is back, said in the log and on the job's status page;
- the bot's own edits, and events seen before (a replay after a reconnection), start nothing;
- the position (the last event's id) is kept in the state store once what came before it is
  served, so a restart resumes there; a signal stops the loop between events of a run (the
  events not begun are left for the next run) with exit 0.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Protocol

from wmstrategybot.config.job import JobConfig
from wmstrategybot.config.wiki import TEMPLATE
from wmstrategybot.errors import Locked, LoginFailed, StateStoreError, WmError
from wmstrategybot.job.changefeed import OPT_IN, PAGE, Debounce, Interest, Seen
from wmstrategybot.job.report import JobReport
from wmstrategybot.job.store import EVENT_VALUE, StateStore
from wmstrategybot.sources.stream import FeedItem, StreamEvent, StreamState

#: the job value of the follow mode's record (`FollowRecord`)
FOLLOW_VALUE = "follow"


class Feed(Protocol):
    """The change stream as the loop takes it: this wiki's events and the stream's state."""

    def next(self, timeout: float) -> FeedItem | None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class FollowSettings:
    """The follow mode's times, in seconds."""

    debounce: float = 5.0  # quiet after the last change of a burst
    longest: float = 60.0  # a burst is served this long after its first change at the latest
    full_every: float = 3600.0  # the full change check
    poll_every: float = 180.0  # the change check while the stream is down
    opt_in_every: float = 60.0  # a run for edits that may opt a page in, at most this often
    retry_locked: float = 15.0  # another run holds the lock
    retry_failed: float = 60.0  # the wiki failed or asked the bot to wait
    save_every: float = 15.0  # the record (position, heartbeat) kept
    resume_within: float = 86400.0  # an older position is not resumed (the start's check covers it)


@dataclass
class FollowRecord:
    """What the follow mode keeps in the state store, for a restart and the watchdog. Clock
    times in seconds since the epoch; `last_event` is the last event's own time (ISO 8601)."""

    since: float | None = None
    last_id: str | None = None
    last_event: str | None = None
    last_event_at: float | None = None
    last_served: float | None = None
    last_run: float | None = None
    alive: float | None = None
    stream: str = "starting"  # up | down | starting | stopped
    down_since: float | None = None
    down_reason: str | None = None
    runs: int = 0
    pid: int | None = None

    @classmethod
    def from_json(cls, raw: Any) -> FollowRecord:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known}) if isinstance(raw, dict) else cls()


def load_record(store_path: Path) -> FollowRecord:
    with StateStore.open(store_path) as store:
        return FollowRecord.from_json(store.job_get(FOLLOW_VALUE))


def interest_in(store_path: Path, job: JobConfig, user: str | None) -> Interest:
    """The pages the bot cares about, as the job's last run left them in the store: each event's
    titles (its pages, root and stop page), every root, the template, the job's stop page and
    allowlist (an edit there can let a page in)."""
    titles = [f"Template:{TEMPLATE}", *(t for t in (job.stop_page, job.allowlist) if t)]
    with StateStore.open(store_path) as store:
        for key in store.keys():
            if key.startswith("page:"):
                titles.append(key.removeprefix("page:"))
            value = store.job_get(EVENT_VALUE.format(key)) or {}
            titles += [str(t) for t in value.get("titles") or () if isinstance(t, str)]
    return Interest.of(titles, user, job.namespaces)


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def status_line(record: FollowRecord, settings: FollowSettings = FollowSettings()) -> str:
    """What the job's status page says: since when it follows, its last event, its last serve."""
    line = (f"Following the wiki's changes since {_iso(record.since) or 'now'}, "
            f"last event {record.last_event or 'none yet'}, last served {_iso(record.last_served) or 'nothing yet'}.")
    if record.stream == "down":
        line += (f" The change stream is down since {_iso(record.down_since)}: the bot checks for changes "
                 f"every {settings.poll_every / 60:g} minutes.")
    elif record.stream == "stopped":
        line += f" Stopped at {_iso(record.alive)}; the hourly run goes on."
    return line


@dataclass
class Follower:
    """The loop (`run`) and what it was given."""

    #: opens the stream from a position (the last event's id, or an ISO 8601 time; None: now)
    open_feed: Callable[[str | None, str | None], Feed]
    #: one run of the job (`run_all`), for a reason said in the log
    serve: Callable[[str], JobReport]
    store_path: Path
    #: the pages the bot cares about, read again after each run (`interest_in`)
    interest: Callable[[], Interest]
    clock: Callable[[], float] = time.time
    stopping: Callable[[], bool] = lambda: False
    say: Callable[[str], None] = lambda _: None
    #: writes `status_line` on the job's status page (None: no page)
    status: Callable[[str], None] | None = None
    settings: FollowSettings = FollowSettings()
    record: FollowRecord = field(default_factory=FollowRecord)
    pages: Debounce = field(init=False)
    opt_ins: Debounce = field(init=False)
    seen: Seen = field(default_factory=Seen)

    def __post_init__(self) -> None:
        s = self.settings
        self.pages, self.opt_ins = Debounce(s.debounce, s.longest), Debounce(s.debounce, s.longest)
        self._wanted = Interest(frozenset())
        self._safe_id: str | None = None  # the last event whose changes (if any) are served
        self._next_full = self._next_poll = self._retry_at = self._saved = 0.0
        self._last_opt_in_run = float("-inf")
        self._full_due = True
        self._announced: tuple[object, ...] | None = None

    # -- the loop

    def run(self) -> int:
        """Follow until asked to stop; 0. Raises what the operator must fix (LoginFailed,
        StateStoreError): the job's errors, as `run --all` raises them."""
        now = self.clock()
        self.record = load_record(self.store_path)
        old = self.record
        fresh = old.last_id and old.last_event_at is not None and 0 <= now - old.last_event_at < self.settings.resume_within
        self._safe_id = old.last_id if fresh else None
        self.record = FollowRecord(since=now, last_id=self._safe_id, last_event=old.last_event if fresh else None,
                                   last_event_at=old.last_event_at if fresh else None, last_served=old.last_served,
                                   alive=now, runs=old.runs, pid=os.getpid())
        self.say(f"following the wiki's changes{' from event ' + self._safe_id if self._safe_id else ''}")
        self._wanted = self.interest()
        feed = self.open_feed(self._safe_id, None)
        try:
            self._serve("the start's full change check", full=True)
            self._announce()
            while not self.stopping():
                item = feed.next(self._wait())
                if item is not None:
                    self._take(item)
                if self.stopping():
                    break
                self._due()
                self._keep()
        finally:
            feed.close()
            self.record.stream, self.record.alive = "stopped", self.clock()
            self._keep(force=True)
        self._announce()
        self.say("stopped")
        return 0

    def _wait(self) -> float:
        """Seconds until something is due (at most 1: a signal is seen within a second)."""
        now = self.clock()
        times = [self._next_full, self._retry_at or None, self.pages.due_at(), self._opt_in_due_at(),
                 self._next_poll if self.record.stream == "down" else None]
        soonest = min((t for t in times if t is not None), default=now + 1.0)
        return min(max(soonest - now, 0.0), 1.0)

    def _opt_in_due_at(self) -> float | None:
        at = self.opt_ins.due_at()
        return None if at is None else max(at, self._last_opt_in_run + self.settings.opt_in_every)

    def _take(self, item: FeedItem) -> None:
        now = self.clock()
        if isinstance(item, StreamState):
            self._stream_state(item, now)
            return
        assert isinstance(item, StreamEvent)
        data = item.data
        if item.id:
            self.record.last_id = item.id
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        self.record.last_event, self.record.last_event_at = str(meta.get("dt") or _iso(now)), now
        if not self.seen.first_time(data):
            return  # sent again after a reconnection: counted the first time
        wanted = self._wanted.wants(data)
        if wanted == PAGE:
            self.pages.add(now)
            self.say(f"changed: {data.get('title')} ({data.get('type')} by {data.get('user')})")
        elif wanted == OPT_IN:
            self.opt_ins.add(now)
        elif self.pages.first is None and self.opt_ins.first is None:
            self._safe_id = item.id or self._safe_id  # nothing before it waits to be served

    def _stream_state(self, item: StreamState, now: float) -> None:
        if item.lost:
            self.say(f"note: {item.reason}; a full change check is due")
            self._full_due = True
        if item.up and self.record.stream != "up":
            if self.record.stream == "down":
                self.say("the change stream is back")
                self._full_due = True  # what happened while it was down: the check finds it
            self.record.stream, self.record.down_since, self.record.down_reason = "up", None, None
            self._keep(force=True)
            self._announce()
        elif not item.up and self.record.stream != "down":
            self.record.stream, self.record.down_since, self.record.down_reason = "down", now, item.reason
            self._next_poll = now + self.settings.poll_every
            self.say(f"the change stream is down ({item.reason}); checking for changes every "
                     f"{self.settings.poll_every:g} s until it is back")
            self._keep(force=True)
            self._announce()

    def _due(self) -> None:
        now = self.clock()
        if self._retry_at and now < self._retry_at:
            return
        if self._full_due or now >= self._next_full:
            self._serve("the hourly full change check" if not self._full_due else "a full change check", full=True)
            self._announce()
        elif self.pages.due(now):
            self._serve(f"{self.pages.count} change(s) to the events' pages")
        elif self.opt_ins.first is not None and now >= (self._opt_in_due_at() or now):
            self._serve(f"{self.opt_ins.count} edit(s) that may opt a page in")
        elif self.record.stream == "down" and now >= self._next_poll:
            self._serve("the change check while the stream is down")

    def _serve(self, why: str, full: bool = False) -> None:
        """One run of the job; what waited is served by it (its change check sees every change
        made before it began). The lock held by another run, or the wiki failing: tried again."""
        position = self.record.last_id
        self.say(f"run: {why}")
        try:
            report = self.serve(why)
        except Locked:
            self._retry(self.settings.retry_locked, "another run holds the lock")
            return
        except (LoginFailed, StateStoreError):
            raise  # the operator's to fix: the job ends, as `run --all` does
        except WmError as exc:
            self._retry(self.settings.retry_failed, str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
            return
        now = self.clock()
        self._retry_at = 0.0
        self.pages.clear()
        self.opt_ins.clear()
        self._last_opt_in_run = now
        if full:
            self._full_due, self._next_full = False, now + self.settings.full_every
        if report.events_changed:
            self.record.last_served = now
        if self.record.stream == "down":
            self._next_poll = now + self.settings.poll_every
        self._safe_id = position
        self.record.runs += 1
        self.record.last_run = now
        self.say(f"served: {report.events_changed} of {report.events_found} event(s) changed, "
                 f"{report.api_requests if report.api_requests is not None else '?'} request(s), exit {report.exit}")
        self._wanted = self.interest()
        self._keep(force=True)

    def _retry(self, seconds: float, why: str) -> None:
        self._retry_at = self.clock() + seconds
        self.say(f"not served now: {why}; trying again in {seconds:g} s")

    def _keep(self, force: bool = False) -> None:
        """The record in the store: the position served up to, and a heartbeat for the watchdog."""
        now = self.clock()
        if not force and now - self._saved < self.settings.save_every:
            return
        self._saved = self.record.alive = now
        kept = asdict(self.record)
        kept["last_id"] = self._safe_id
        with StateStore.open(self.store_path) as store:
            store.job_set(FOLLOW_VALUE, kept)

    def _announce(self) -> None:
        """The status line on the wiki at the start and the stop, when the stream goes down or
        comes back, and at the hourly check if something was served since: never for an event
        seen, so a quiet hour costs no request for it, nor a serve an edit of its own."""
        said = (self.record.since, self.record.stream, self.record.last_served)
        if self.status is None or said == self._announced:
            return
        self._announced = said
        try:
            self.status(status_line(self.record, self.settings))
        except WmError as exc:
            self.say(f"note: the job's status page not updated: {str(exc).splitlines()[0] if str(exc) else exc!r}")


def check_follow(record: FollowRecord, latest_change: str | None, now: float, quiet: float) -> str | None:
    """The watchdog's finding (None: healthy): the follow job not alive for `quiet` seconds, or
    the wiki's newest change (`latest_change`, ISO 8601) `quiet` seconds newer than the last
    event the stream brought."""
    if record.alive is None:
        return "no follow job has run with this state database"
    if record.stream == "stopped":
        return f"the follow job stopped at {_iso(record.alive)}"
    if now - record.alive > quiet:
        return f"the follow job has not been alive since {_iso(record.alive)}"
    if latest_change:
        from datetime import datetime

        try:
            latest = datetime.fromisoformat(latest_change.replace("Z", "+00:00")).timestamp()
            last = (datetime.fromisoformat(record.last_event.replace("Z", "+00:00")).timestamp()
                    if record.last_event else record.since or now)
        except ValueError:
            return None
        if latest - last > quiet:
            return (f"no stream event since {record.last_event or _iso(record.since)} while the wiki had edits "
                    f"(the latest at {latest_change})")
    return None
