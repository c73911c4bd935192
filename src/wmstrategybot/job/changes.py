"""Change detection: did any source or target page change since the last successful run?

On a wiki the bot's watchlist answers (one request, however many pages): an entry counts if
its revision is newer than the one the state holds for that page, or if it is a log entry
(deletion, move, protection...) not seen before. Where the watchlist cannot be used (a dry run,
which never logs in; no grant; titles added to the config; a last check older than the wiki
keeps recent changes) the latest revision of every page is asked for instead, one request per
500 titles. This module also keeps the state's record of the bot's watchlist.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from wmstrategybot.errors import SourceError, WatchlistUnavailable
from wmstrategybot.job.state import RunState, WatchlistFailed
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.titles import title_key
from wmstrategybot.sources.base import Change, Source

#: The watchlist check looks back this far before the last check: a wiki writes its recent
#: changes after the edit (deferred updates, replica lag), so an edit saved just before the last
#: check may show up only now. Entries already seen are told apart by their revision or log id.
WATCH_MARGIN = 15 * 60
#: Past this since the last check, the revision check: a wiki keeps recent changes only
#: $wgRCMaxAge (90 days by default, 30 on Wikimedia's wikis).
WATCH_MAX_AGE = 7 * 24 * 3600
#: A read may come from a database replica up to maxlag (5 s) behind: log entries this close
#: before a run's read may not be in what it read, and still count on the next run.
READ_LAG = 60
#: Log entries the bot's own edits make (creating a page with a content model other than
#: wikitext logs one); they are no change to act on.
OWN_LOG_TYPES = frozenset({"contentmodel"})
#: After the wiki refused to let the bot watch its pages, the next try is this much later.
WATCH_RETRY = 24 * 3600


@dataclass
class Check:
    changed: bool
    latest: dict[str, Any] | None = None  # the revision of every page, when the check read them
    log_ids: dict[str, str] = field(default_factory=dict)  # log entries on our pages the watchlist listed
    watchlist_failed: str | None = None  # why the watchlist could not be read


@dataclass(frozen=True)
class EventPages:
    """One event in a change check: its key, its pages (sources, targets, stop page) and its state."""

    key: str
    titles: list[str]
    state: RunState


@dataclass
class EventCheck:
    """What the change check found for one event."""

    key: str
    check: Check
    how: str = "none"  # watchlist | revisions | retry (skipped last time) | none (a full run anyway)
    changes: list[dict[str, Any]] = field(default_factory=list)  # the watchlist's entries that count
    notes: list[str] = field(default_factory=list)  # for the operator (a watchlist refused...)

    @property
    def changed(self) -> bool:
        return self.check.changed


@dataclass
class EventsCheck:
    """What one change check found for many events, by key, and the notes for the job's report."""

    events: dict[str, EventCheck]
    notes: list[str] = field(default_factory=list)
    watchlist_failed: str | None = None  # why the watchlist could not be read

    def changed(self) -> list[str]:
        """The keys of the events that changed, in the order given."""
        return [key for key, e in self.events.items() if e.changed]


def check(
    source: Source,
    state: RunState,
    titles: list[str],
    clock: float,
    *,
    dry_run: bool,
    full_run: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> EventCheck:
    """Did any source or target page change since the last successful run?

    The bot's watchlist answers in one request for any number of pages; the revision check
    (one request per 500 titles) is the fallback: no state of the watchlist, a check older than
    the wiki keeps recent changes, a dry run (which never logs in), or a watchlist refused.
    (`check_events` for one event whose state is also the watchlist's; the notes for the
    operator are the event check's.)
    """
    found = check_events(source, [EventPages("", titles, state)], state, clock, dry_run=dry_run,
                         full_run=full_run, progress=progress)
    one = found.events[""]
    one.notes = found.notes
    return one


def check_events(
    source: Source,
    events: Sequence[EventPages],
    watch: RunState,
    clock: float,
    *,
    dry_run: bool,
    full_run: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> EventsCheck:
    """Which of these events changed since their last successful run: one watchlist request for
    them all, or one revision check over the union of their titles (500 titles a request).

    `watch` is the job's record of the bot's watchlist: its `checked_at`, `checked` and
    `watchlist_failed` stand for every event's (the other fields are each event's own). The
    job's watchlist state moves on after every check (`job_watch_state`): an event that changed
    but was not served must be saved with `retry`, or the next check will not see it again.
    """
    states = {e.key: replace(e.state, checked_at=watch.checked_at, checked=watch.checked,
                             watchlist_failed=watch.watchlist_failed) for e in events}
    out: dict[str, EventCheck] = {}
    on_watchlist: list[EventPages] = []
    by_revisions: list[EventPages] = []
    for e in events:
        state = states[e.key]
        later = state.retry_later
        if full_run or not state.revisions:
            # a full run asked for (--allow-shrink: a person overriding a refusal), or no state (a
            # first run): nothing to compare, the read gives the revisions
            out[e.key] = EventCheck(e.key, Check(True), "none")
        elif state.retry or (later and not 0 <= clock - float(later.get("at") or 0) < WATCH_RETRY):
            out[e.key] = EventCheck(e.key, Check(True), "retry")  # pages the last run skipped: try them again
        elif not dry_run and watchlist_usable(source, state, e.titles, clock):
            on_watchlist.append(e)
        else:
            by_revisions.append(e)
    found = EventsCheck(out)
    if on_watchlist:
        progress(f"checking the bot's watchlist for changes to {len(_union(on_watchlist))} pages")
        try:
            entries = source.changes(watch_since(watch.checked_at or ""))
        except WatchlistUnavailable as exc:
            found.watchlist_failed = str(exc)
            found.notes.append(f"{exc}; used the revision check instead, and will for a day")
            by_revisions = [*on_watchlist, *by_revisions]
        else:
            _from_watchlist(source, on_watchlist, states, entries, out)
    if by_revisions:
        progress(f"checking {len(_union(by_revisions))} pages for changes")
        latest = jsonable(source.revisions(_union(by_revisions)))
        for e in by_revisions:
            mine = {t: latest[t] for t in e.titles}
            out[e.key] = EventCheck(e.key, Check(states[e.key].revisions != mine, mine,
                                                 watchlist_failed=found.watchlist_failed), "revisions")
    found.events = {e.key: out[e.key] for e in events}
    return found


def _union(events: Sequence[EventPages]) -> list[str]:
    return list(dict.fromkeys(t for e in events for t in e.titles))


def _from_watchlist(source: Source, events: Sequence[EventPages], states: dict[str, RunState],
                    entries: list[Change], out: dict[str, EventCheck]) -> None:
    """Each event's check from the watchlist's entries (into `out`)."""
    quiet: dict[str, tuple[dict[str, str], list[str]]] = {}  # key -> (log ids, titles not there)
    for e in events:
        state = states[e.key]
        news = new_entries(entries, e.titles, state, source.user)
        logs = _our_logs(entries, e.titles, state)
        if news:
            out[e.key] = EventCheck(e.key, Check(True, log_ids=logs), "watchlist", news)
            continue
        revisions = state.revisions or {}
        quiet[e.key] = logs, [t for t in e.titles if revisions.get(t) is None]
    # A page that does not exist can come back without an entry under its title (moved there
    # from a page the bot does not watch): ask for those pages' revisions too, all in one.
    absent = list(dict.fromkeys(t for _, titles in quiet.values() for t in titles))
    now = source.revisions(absent) if absent else {}
    for key, (logs, titles) in quiet.items():
        back = [{"title": t, "revision": now[t], "timestamp": ""} for t in titles if now.get(t) is not None]
        out[key] = EventCheck(key, Check(bool(back), log_ids=logs), "watchlist", back)


MISSING = PageRecord("", None)
WATCH_KEYS = ("watching", "verified", "watch_failed", "watchlist_failed", "canonical", "logs_seen",
              "checked_at", "checked", "read_at")
_WATCHING = ("watching", "verified", "watch_failed")  # `watch_state`'s


def common_state(
    source: Source, state: RunState, titles: list[str], clock: float, check: Check, notes: list[str]
) -> RunState:
    """What every saving run records: when it checked, the log entries seen, the watchlist's state
    (the fields of WATCH_KEYS; the others are left None)."""
    checked_at = source.session.server_time  # the first request of the run: the check, or the read
    # A run that read the pages (or their revisions) saw the effect of every log entry before
    # its first request: those need not count when the watchlist lists them later.
    read = check.changed or check.latest is not None
    read_at = _minus(checked_at, READ_LAG) if read and checked_at else state.read_at
    canonical = {**(state.canonical or {}), **source.session.canonical}
    # Log entries the watchlist may list again (those inside the next check's margin): a late
    # one with a lower id than one already seen still counts.
    logs = {**(state.logs_seen or {}), **check.log_ids}
    if checked_at:
        horizon = watch_since(checked_at)
        logs = {i: ts for i, ts in logs.items() if ts >= horizon}
    out = RunState(checked_at=checked_at, checked=clock, read_at=read_at,
                   canonical={t: c for t, c in canonical.items() if t in titles and c != t},
                   logs_seen=logs, watchlist_failed=_watchlist_failed(state, check.watchlist_failed, clock))
    watch = watch_state(source, replace(state, **{k: getattr(out, k) for k in WATCH_KEYS if k not in _WATCHING}),
                        titles, clock, notes)
    return replace(out, **{k: getattr(watch, k) for k in _WATCHING})


def job_watch_state(source: Source, watch: RunState, clock: float, found: EventsCheck) -> RunState:
    """The job's record of the bot's watchlist after `check_events` (`checked_at`, `checked`,
    `watchlist_failed`; the others are left None): the next check starts from this one."""
    return RunState(checked_at=source.session.server_time or watch.checked_at, checked=clock,
                    watchlist_failed=_watchlist_failed(watch, found.watchlist_failed, clock))


def _watchlist_failed(state: RunState, failed: str | None, clock: float) -> WatchlistFailed | None:
    """The watchlist's refusal to remember: this check's, or the last one for a day."""
    if failed:
        return {"at": clock, "reason": failed}
    last = state.watchlist_failed
    if last and 0 <= clock - float(last.get("at") or 0) < WATCH_RETRY:
        return last
    return None


def with_watch(state: RunState, watch: RunState) -> RunState:
    """`state` with the fields of WATCH_KEYS as `watch` has them (`common_state`'s)."""
    return replace(state, **{k: getattr(watch, k) for k in WATCH_KEYS})


def titles_digest(titles: list[str]) -> str:
    return hashlib.sha1("\n".join(sorted({f"{ns}:{rest}" for ns, rest in map(title_key, titles)})).encode()).hexdigest()


def watch_since(checked_at: str) -> str:
    """The start of the watchlist check: the last check, less a margin for late recent-changes rows."""
    return _minus(checked_at, WATCH_MARGIN)


def _minus(timestamp: str, seconds: int) -> str:
    then = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (then - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def watchlist_usable(source: Source, state: RunState, titles: list[str], clock: float) -> bool:
    if not source.watchlist or not state.checked_at:
        return False
    if state.watching != titles_digest(titles):
        return False  # titles added to the config (or never watched): they may not be watched yet
    failed = state.watchlist_failed
    if failed and 0 <= clock - float(failed.get("at") or 0) < WATCH_RETRY:
        return False  # the wiki refused to show the watchlist lately: not every run asks again
    try:
        watch_since(state.checked_at)
    except (TypeError, ValueError):
        return False
    # the last check within what the wiki keeps of recent changes, and a read or revision check
    # in the last week that saw every page still on the watchlist
    return all(0 <= clock - float(t or 0) < WATCH_MAX_AGE for t in (state.checked, state.verified))


def _ours(titles: list[str], state: RunState) -> dict[str, str]:
    """Our titles by the key of their spelling on the wiki (and of the config's spelling)."""
    canonical = state.canonical or {}
    out = {title_key(t): t for t in titles}
    out.update({title_key(canonical[t]): t for t in titles if t in canonical})
    return out


def _our_logs(entries: list[Change], titles: list[str], state: RunState) -> dict[str, str]:
    ours = _ours(titles, state)
    return {_log_key(c): c.timestamp for c in entries
            if c.kind == "log" and (title_key(c.title) in ours or (c.target and title_key(c.target) in ours))}


def _log_key(c: Change) -> str:
    """A log entry's id; the wiki hides it for a log entry whose action is hidden."""
    return str(c.log) if c.log else f"{c.title}@{c.timestamp}"


def new_entries(entries: list[Change], titles: list[str], state: RunState, user: str | None) -> list[dict[str, Any]]:
    """The entries for our pages that the last run has not seen: a newer revision, a new log entry."""
    ours = _ours(titles, state)
    revisions = state.revisions or {}
    logs_seen = state.logs_seen or {}
    read_at = state.read_at or ""
    news = []
    for c in entries:
        title = ours.get(title_key(c.title))
        if c.kind == "log":
            # a move counts for the page moved and for the title it was moved to
            moved_to = ours.get(title_key(c.target)) if c.target else None
            if title is None and moved_to is None:
                continue  # another page on the bot's watchlist
            if c.log_type in OWN_LOG_TYPES and user and c.user == user:
                continue  # the log entry of the bot's own creation of a JSON page
            # An entry from well before the last read (READ_LAG): what it did was in what that
            # run read. One closer to the read may not have been: it counts (at worst one full
            # run more).
            if _log_key(c) not in logs_seen and not (read_at and c.timestamp and c.timestamp < read_at):
                news.append({"title": title or moved_to, "log": c.log, "timestamp": c.timestamp})
            continue
        if title is None:
            continue
        try:
            seen = int(revisions.get(title) or 0)
        except (TypeError, ValueError):
            seen = -1
        if c.revision > seen or seen < 0:
            news.append({"title": title, "revision": c.revision, "timestamp": c.timestamp})
    return news


def watch_state(
    source: Source, state: RunState, titles: list[str], clock: float, notes: list[str]
) -> RunState:
    """Keep every source and target page on the bot's watchlist; the state's record of it (the
    fields `watching`, `verified` and `watch_failed`; the others are left None).

    Every read or revision check (logged in) says which of the pages it read are watched, at
    no cost; those that are not (all of them on a first run, new titles in the config, a
    watchlist a person cleared) are watched then, 500 titles a request. Only a run that read
    every page can say the whole watchlist is right.
    """
    kept = RunState(watching=state.watching, verified=state.verified, watch_failed=state.watch_failed)
    flags = source.session.watched
    if not source.watchlist or not flags:
        return kept  # nothing read this run (the watchlist check): nothing new to know
    digest = titles_digest(titles)
    unwatched = [t for t in titles if t in flags and not flags[t]]
    if unwatched:
        failed = state.watch_failed
        if failed and failed.get("digest") == digest and 0 <= clock - float(failed.get("at") or 0) < WATCH_RETRY:
            return RunState(watch_failed=failed)
        how = f"runs use the revision check ({-(-len(titles) // 500)} or more requests) until then"
        try:
            confirmed = {title_key(t) for t in source.watch(unwatched)}
        except SourceError as exc:  # no grant, or the wiki failing: the edits are saved, try later
            notes.append(f"{exc}; {how}")
            return RunState(watch_failed={"digest": digest, "at": clock, "reason": str(exc)})
        canonical = state.canonical or {}
        still = [t for t in unwatched if title_key(t) not in confirmed and title_key(canonical.get(t, t)) not in confirmed]
        if still:
            reason = f"the wiki did not confirm watching {len(still)} page(s), e.g. {still[0]!r}"
            notes.append(f"{reason}; {how}")
            return RunState(watch_failed={"digest": digest, "at": clock, "reason": reason})
    if all(t in flags for t in titles):
        return RunState(watching=digest, verified=clock)
    return kept  # only some pages were read (those that did not exist); they are watched now


def jsonable(revisions: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(revisions))
