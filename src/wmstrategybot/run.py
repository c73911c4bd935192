"""The scheduled entry point: a locked run with a fast no-op path, a state file and a report.

A run first asks whether any source or target page changed since the last successful run
(the state file). On a wiki it asks the bot's watchlist, on which the first run put every
one of those pages: one request, however many pages, whatever else happens on the wiki; an
entry counts if its revision is newer than the one the state holds for that page, or if it
is a log entry (deletion, move, protection...) not seen before. Where the watchlist cannot
be used (a dry run, which never logs in; no grant; titles added to the config; a last check
older than the wiki keeps recent changes) it asks for the latest revision of every page
instead, one request per 500 titles. If nothing changed it stops there: no text fetched,
nothing parsed, no edit. Otherwise it plans and publishes like ``publish``, then records the
revisions it saw and wrote.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from .config import EventConfig
from .errors import Locked, MergeRefused, SourceError, WatchlistUnavailable, WmError
from .exits import EXIT_DONE, EXIT_ERROR, EXIT_LOCKED, EXIT_REFUSED, EXIT_SKIPPED  # the run report's "exit"
from .privacy import write_private
from .publish import Plan, Report, apply, plan
from .published import warning_line
from .sources import Change, PageRecord, Source, normalize_title

STATE_VERSION = 1

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


def default_state_path(config: EventConfig, source: Source) -> Path:
    """``$XDG_DATA_HOME/wmstrategybot/<event>--<source>.json`` (``~/.local/share`` by default)."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    slug = "".join(c if c.isalnum() or c in "-." else "-" for c in source.describe()).strip("-")
    return base / "wmstrategybot" / f"{config.id}--{slug}.json"


@contextmanager
def run_lock(state_path: Path) -> Iterator[None]:
    """An exclusive, non-blocking lock beside the state file; released when the process ends."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = state_path.with_name(state_path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Locked(f"another run holds the lock {lock_path}; not starting") from None
        yield
    finally:
        os.close(fd)


@dataclass
class RunReport:
    """What a run did, as the JSON report prints it."""

    event: str
    source: str
    outcome: str = "error"  # nothing-changed | done | skipped | refused | stopped | error
    exit: int = EXIT_ERROR
    pages_checked: int = 0
    check: str = "none"  # how changes were found: watchlist | revisions | retry (skipped last time) | none
    changes: list[dict[str, Any]] = field(default_factory=list)  # what the watchlist showed
    pages_read: int = 0
    pages_parsed: int = 0
    edited: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)  # about the source pages (the status page shows them)
    notes: list[str] = field(default_factory=list)  # about the bot's own set-up, for its operator
    stopped: str | None = None
    api_requests: int | None = None  # the bot's own (pywikibot's login, tokens and siteinfo apart)
    api_reads: int | None = None  # of which reads (action=query)
    seconds: float = 0.0
    dry_run: bool = False
    error: str | None = None  # the one line printed when the run ended in an error (exit 2 or 5)
    time: str = ""  # when the run ended (UTC)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def load_state(path: Path, notes: list[str] | None = None) -> dict[str, Any]:
    """The last run's state; a file that is unreadable or of the wrong shape counts as missing
    (it costs one full run), with a note saying why."""
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        why = f"cannot be read ({exc.strerror or exc})" if isinstance(exc, OSError) else "is not valid JSON"
    else:
        why = _state_shape_error(data)
        if why is None:
            return data  # type: ignore[no-any-return]
    if notes is not None:
        notes.append(f"the state file {path} {why}; treated as missing (a full run)")
    return {}


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_str_map(values: type | tuple[type, ...], nullable: bool = False) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        return isinstance(v, dict) and all(
            isinstance(k, str) and ((x is None and nullable) or (isinstance(x, values) and not isinstance(x, bool)))
            for k, x in v.items())
    return check


def _is_record(**fields: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, dict) and all(k in v and check(v[k]) for k, check in fields.items())


#: every key a state file may hold, and the shape of its value (see `run` and `_common_state`)
_STATE_SHAPE: dict[str, Callable[[Any], bool]] = {
    "version": lambda v: v == STATE_VERSION,
    "revisions": _is_str_map((int, str), nullable=True),
    "outcome": lambda v: isinstance(v, dict),
    "retry": lambda v: isinstance(v, list) and all(map(_is_str, v)),
    "retry_later": _is_record(titles=lambda v: isinstance(v, list) and all(map(_is_str, v)), at=_is_number),
    "removed": _is_str_map(str),
    "checked_at": lambda v: v is None or _is_str(v),
    "checked": _is_number,
    "read_at": lambda v: v is None or _is_str(v),
    "canonical": _is_str_map(str),
    "logs_seen": _is_str_map(str),
    "watchlist_failed": _is_record(at=_is_number),
    "watching": _is_str,
    "verified": _is_number,
    "watch_failed": _is_record(at=_is_number),
}


def _state_shape_error(data: Any) -> str | None:
    """Why `data` is not a state this version wrote, or None."""
    if not isinstance(data, dict):
        return f"holds a JSON {type(data).__name__}, not an object"
    if data.get("version") != STATE_VERSION:
        return f"is of another version ({data.get('version')!r}, this bot writes {STATE_VERSION})"
    for key, value in data.items():
        check = _STATE_SHAPE.get(key)
        if check is None:
            return f"has an unknown key {key!r}"
        if not check(value):
            return f"has a {key!r} of the wrong shape"
    return None


def save_state(path: Path, state: dict[str, Any]) -> None:
    write_private(path, json.dumps({**state, "version": STATE_VERSION}, indent=1, sort_keys=True) + "\n")


def report_path(state_path: Path) -> Path:
    """Where a run's report is kept: beside the state file."""
    return state_path.with_name(state_path.name + ".report.json")


def write_report(state_path: Path, report: RunReport) -> None:
    """Rewrite the report file (0600) for every run, whatever its end: its time, exit and error."""
    if not report.time:
        report.time = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_private(report_path(state_path), report.to_json())


def _titles(config: EventConfig) -> list[str]:
    titles = [*config.source_pages, *(t for _, t in config.targets.items())]
    if config.bot.stop_page:
        titles.append(config.bot.stop_page)
    return titles


def run(
    config: EventConfig,
    source: Source,
    state_path: Path,
    *,
    dry_run: bool = False,
    allow_shrink: bool = False,
    progress: Callable[[str], None] = lambda _: None,
) -> RunReport:
    """One scheduled run. Raises Locked if another run is going on."""
    started = time.monotonic()
    report = RunReport(event=config.id, source=source.describe(), dry_run=dry_run)
    first_request = source.requests
    first_read = source.reads
    with run_lock(state_path):
        state = load_state(state_path, report.notes)
        titles = _titles(config)
        report.pages_checked = len(titles)
        if not dry_run:
            # a bot logged in reads 500 titles a request (apihighlimits), not 50
            source.login()
        source.server_time = None  # the wiki's clock at this run's first request
        clock = time.time()
        check = _check(source, state, titles, clock, report, dry_run=dry_run,
                       allow_shrink=allow_shrink, progress=progress)
        if not check.changed:
            report.outcome, report.exit = "nothing-changed", EXIT_DONE
            if not dry_run and source.server_time:
                # the next watchlist check starts from here, not from the last run that worked
                new = {k: v for k, v in state.items() if k not in _WATCH_KEYS}
                new.update(_common_state(source, state, titles, clock, check, report))
                save_state(state_path, new)
        else:
            progress("reading and parsing the pages")
            removed = state.get("removed") or {}
            p = plan(config, source, allow_shrink=allow_shrink, seen=state.get("revisions"), removed=removed)
            report.pages_read = len(titles)
            report.pages_parsed = len(config.source_pages) + (config.targets.signups is not None)
            report.warnings = [warning_line(w) for w in (p.event.warnings if p.event else ())]
            if dry_run:
                _describe_plan(report, p)
            else:
                progress(f"publishing {len(p.changed)} changed page(s)")
                total = len(p.changed)
                result = apply(p, source, config, on_save=lambda done, _total, title: progress(_bar(done, total, title)))
                _describe_result(report, result)
                if any(o.action == "simulated" for o in result.outcomes):
                    # pywikibot's simulate blocked the saves: the state stays as it was, so the
                    # next real run sees the same changes
                    report.outcome = "simulated"
                    report.notes.append("pywikibot's simulate is set (user-config.py): no edit was saved, "
                                        "the state file is kept as it was")
                if report.outcome in ("done", "refused", "stopped", "skipped"):
                    # Refusals and the stop page wait for a person, whose edit will show up as a
                    # new revision; skipped pages (conflicts, rate limits, protection) make the
                    # next run a full one ("retry"), whatever else it finds.
                    seen = _jsonable(check.latest if check.latest is not None
                                     else {t: r.revision for t, r in p.records.items()})
                    # pages read again before a save: what the later plans were made from
                    seen.update(_jsonable({t: r.revision for t, r in result.reread.items()}))
                    for o in result.outcomes:
                        if o.action not in ("created", "updated"):
                            continue
                        if o.merged or o.stale:
                            # saved merged with a newer revision the plan did not see, or from
                            # pages that changed later in the run: keep the revision read, so that
                            # the next run reads the page again
                            why = ("the wiki merged the bot's edit with a newer revision" if o.merged
                                   else "saved before a page it derives from changed")
                            report.notes.append(f"{o.title}: {why}; the next run reads it again")
                        else:
                            seen[o.title] = o.revision
                    outcome = _outcome(report)
                    if config.bot.status_page:
                        _update_status_page(config, source, report)
                    new_state: dict[str, Any] = {"revisions": seen, "outcome": outcome}
                    retry = sorted({item["title"] for item in report.skipped if not item.get("lasting")})
                    lasting = sorted({item["title"] for item in report.skipped if item.get("lasting")})
                    if retry:
                        new_state["retry"] = retry
                    if lasting:  # tried again a day later anyway: an unblock leaves no trace on the pages
                        new_state["retry_later"] = {"titles": lasting, "at": clock}
                    # pages a person deleted or moved away stay refused until they exist again
                    gone = {**removed, **p.removed}
                    new_state["removed"] = {t: why for t, why in gone.items()
                                            if t in titles and not p.records.get(t, _MISSING).exists}
                    new_state.update(_common_state(source, state, titles, clock, check, report))
                    save_state(state_path, new_state)
    report.warning_count = len(report.warnings)
    report.seconds = round(time.monotonic() - started, 3)
    if first_request is not None:
        report.api_requests = (source.requests or 0) - first_request
    if first_read is not None:
        report.api_reads = (source.reads or 0) - first_read
    return report


@dataclass
class _Check:
    changed: bool
    latest: dict[str, Any] | None = None  # the revision of every page, when the check read them
    log_ids: dict[str, str] = field(default_factory=dict)  # log entries on our pages the watchlist listed
    watchlist_failed: str | None = None  # why the watchlist could not be read


def _check(
    source: Source,
    state: dict[str, Any],
    titles: list[str],
    clock: float,
    report: RunReport,
    *,
    dry_run: bool,
    allow_shrink: bool,
    progress: Callable[[str], None],
) -> _Check:
    """Did any source or target page change since the last successful run?

    The bot's watchlist answers in one request for any number of pages; the revision check
    (one request per 500 titles) is the fallback: no state of the watchlist, a check older than
    the wiki keeps recent changes, a dry run (which never logs in), or a watchlist refused.
    """
    if allow_shrink or not state.get("revisions"):
        # --allow-shrink is a person overriding a refusal: always a full run. With no state (a
        # first run) there is nothing to compare: the read gives the revisions.
        report.check = "none"
        return _Check(True)
    later = state.get("retry_later") or {}
    if state.get("retry") or (later and not 0 <= clock - float(later.get("at") or 0) < WATCH_RETRY):
        report.check = "retry"  # pages the last run skipped: try them again
        return _Check(True)
    failed = None
    if not dry_run and _watchlist_usable(source, state, titles, clock):
        progress(f"checking the bot's watchlist for changes to {len(titles)} pages")
        try:
            entries = source.changes(_since(state["checked_at"]))
        except WatchlistUnavailable as exc:
            failed = str(exc)
            report.notes.append(f"{exc}; used the revision check instead, and will for a day")
        else:
            report.check = "watchlist"
            report.changes = _news(entries, titles, state, source.user)
            logs = _our_logs(entries, titles, state)
            if report.changes:
                return _Check(True, log_ids=logs)
            # A page that does not exist can come back without an entry under its title (moved
            # there from a page the bot does not watch): ask for those pages' revisions too.
            revisions = state.get("revisions") or {}
            absent = [t for t in titles if revisions.get(t) is None]
            if absent:
                now = source.revisions(absent)
                back = [t for t in absent if now.get(t) is not None]
                report.changes = [{"title": t, "revision": now[t], "timestamp": ""} for t in back]
            return _Check(bool(report.changes), log_ids=logs)
    progress(f"checking {len(titles)} pages for changes")
    report.check = "revisions"
    latest = _jsonable(source.revisions(titles))
    return _Check(state.get("revisions") != latest, latest, watchlist_failed=failed)


_MISSING = PageRecord("", None)
_WATCH_KEYS = ("watching", "verified", "watch_failed", "watchlist_failed", "canonical", "logs_seen",
               "checked_at", "checked", "read_at")


def _common_state(
    source: Source, state: dict[str, Any], titles: list[str], clock: float, check: _Check, report: RunReport
) -> dict[str, Any]:
    """What every saving run records: when it checked, the log entries seen, the watchlist's state."""
    checked_at = source.server_time  # the first request of the run: the check, or the read
    out: dict[str, Any] = {"checked_at": checked_at, "checked": clock}
    # A run that read the pages (or their revisions) saw the effect of every log entry before
    # its first request: those need not count when the watchlist lists them later.
    read = check.changed or check.latest is not None
    out["read_at"] = _minus(checked_at, READ_LAG) if read and checked_at else state.get("read_at")
    canonical = {**(state.get("canonical") or {}), **source.canonical}
    out["canonical"] = {t: c for t, c in canonical.items() if t in titles and c != t}
    # Log entries the watchlist may list again (those inside the next check's margin): a late
    # one with a lower id than one already seen still counts.
    logs = {**(state.get("logs_seen") or {}), **check.log_ids}
    if checked_at:
        horizon = _since(checked_at)
        logs = {i: ts for i, ts in logs.items() if ts >= horizon}
    out["logs_seen"] = logs
    if check.watchlist_failed:
        out["watchlist_failed"] = {"at": clock, "reason": check.watchlist_failed}
    elif state.get("watchlist_failed") and 0 <= clock - float(state["watchlist_failed"].get("at") or 0) < WATCH_RETRY:
        out["watchlist_failed"] = state["watchlist_failed"]
    out.update(_watch_state(source, {**state, **out}, titles, clock, report))
    return out


def _key(title: str) -> str:
    """A title as the wiki compares it, near enough: namespace prefix in any case, _ as space."""
    title = normalize_title(title)
    ns, sep, rest = title.partition(":")
    return f"{ns.lower()}:{normalize_title(rest)}" if sep and rest else title


def _digest(titles: list[str]) -> str:
    return hashlib.sha1("\n".join(sorted({_key(t) for t in titles})).encode()).hexdigest()


def _since(checked_at: str) -> str:
    """The start of the watchlist check: the last check, less a margin for late recent-changes rows."""
    return _minus(checked_at, WATCH_MARGIN)


def _minus(timestamp: str, seconds: int) -> str:
    then = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    return (then - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _watchlist_usable(source: Source, state: dict[str, Any], titles: list[str], clock: float) -> bool:
    if not source.watchlist or not state.get("checked_at"):
        return False
    if state.get("watching") != _digest(titles):
        return False  # titles added to the config (or never watched): they may not be watched yet
    failed = state.get("watchlist_failed") or {}
    if failed and 0 <= clock - float(failed.get("at") or 0) < WATCH_RETRY:
        return False  # the wiki refused to show the watchlist lately: not every run asks again
    try:
        _since(state["checked_at"])
    except (TypeError, ValueError):
        return False
    # the last check within what the wiki keeps of recent changes, and a read or revision check
    # in the last week that saw every page still on the watchlist
    return all(0 <= clock - float(state.get(k) or 0) < WATCH_MAX_AGE for k in ("checked", "verified"))


def _ours(titles: list[str], state: dict[str, Any]) -> dict[str, str]:
    """Our titles by the key of their spelling on the wiki (and of the config's spelling)."""
    canonical = state.get("canonical") or {}
    out = {_key(t): t for t in titles}
    out.update({_key(canonical[t]): t for t in titles if t in canonical})
    return out


def _our_logs(entries: list[Change], titles: list[str], state: dict[str, Any]) -> dict[str, str]:
    ours = _ours(titles, state)
    return {_log_key(c): c.timestamp for c in entries
            if c.kind == "log" and (_key(c.title) in ours or (c.target and _key(c.target) in ours))}


def _log_key(c: Change) -> str:
    """A log entry's id; the wiki hides it for a log entry whose action is hidden."""
    return str(c.log) if c.log else f"{c.title}@{c.timestamp}"


def _news(entries: list[Change], titles: list[str], state: dict[str, Any], user: str | None) -> list[dict[str, Any]]:
    """The entries for our pages that the last run has not seen: a newer revision, a new log entry."""
    ours = _ours(titles, state)
    revisions = state.get("revisions") or {}
    logs_seen = state.get("logs_seen") or {}
    read_at = state.get("read_at") or ""
    news = []
    for c in entries:
        title = ours.get(_key(c.title))
        if c.kind == "log":
            # a move counts for the page moved and for the title it was moved to
            moved_to = ours.get(_key(c.target)) if c.target else None
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


def _watch_state(
    source: Source, state: dict[str, Any], titles: list[str], clock: float, report: RunReport
) -> dict[str, Any]:
    """Keep every source and target page on the bot's watchlist; the state's record of it.

    Every read or revision check (logged in) says which of the pages it read are watched, at
    no cost; those that are not (all of them on a first run, new titles in the config, a
    watchlist a person cleared) are watched then, 500 titles a request. Only a run that read
    every page can say the whole watchlist is right.
    """
    kept = {k: state[k] for k in ("watching", "verified", "watch_failed") if k in state}
    flags = source.watched
    if not source.watchlist or not flags:
        return kept  # nothing read this run (the watchlist check): nothing new to know
    digest = _digest(titles)
    unwatched = [t for t in titles if t in flags and not flags[t]]
    if unwatched:
        failed = state.get("watch_failed") or {}
        if failed.get("digest") == digest and 0 <= clock - float(failed.get("at") or 0) < WATCH_RETRY:
            return {"watch_failed": failed}
        how = f"runs use the revision check ({-(-len(titles) // 500)} or more requests) until then"
        try:
            confirmed = {_key(t) for t in source.watch(unwatched)}
        except SourceError as exc:  # no grant, or the wiki failing: the edits are saved, try later
            report.notes.append(f"{exc}; {how}")
            return {"watch_failed": {"digest": digest, "at": clock, "reason": str(exc)}}
        canonical = state.get("canonical") or {}
        still = [t for t in unwatched if _key(t) not in confirmed and _key(canonical.get(t, t)) not in confirmed]
        if still:
            reason = f"the wiki did not confirm watching {len(still)} page(s), e.g. {still[0]!r}"
            report.notes.append(f"{reason}; {how}")
            return {"watch_failed": {"digest": digest, "at": clock, "reason": reason}}
    if all(t in flags for t in titles):
        return {"watching": digest, "verified": clock}
    return kept  # only some pages were read (those that did not exist); they are watched now


def _bar(done: int, total: int, title: str, width: int = 20) -> str:
    filled = width * done // max(total, 1)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} saving {title}"


def _outcome(report: RunReport) -> dict[str, Any]:
    """What the status page shows: changes only when the run's outcome changes."""
    return {
        "outcome": report.outcome,
        "refused": [dict(r) for r in report.refused],
        # titles only: a skip's message may differ every time (request ids, lag seconds)
        "skipped": sorted({s["title"] for s in report.skipped}),
        "stopped": report.stopped,
        "warnings": list(report.warnings),
    }


_SINCE = re.compile(r"Outcome of the bot's runs since (?P<when>.+?): '''(?P<outcome>[a-z-]+)'''")
#: a skip's reason may differ every run (request ids, lag seconds): not a reason to edit the page
_SKIP_REASON = re.compile(r"^(\* \[\[[^\]]*\]\] not saved this time, tried again next run:).*$", re.M)


def _status_says(text: str | None) -> str | None:
    """What a status page's region says, without its 'since' date and skip reasons (None: no region)."""
    from .merge import find_regions

    try:
        region = find_regions(text or "").get("status")
    except MergeRefused:
        return None
    if region is None or text is None:
        return None
    said = text[region.content_start : region.content_end].strip("\n")
    return _SKIP_REASON.sub(r"\1", _SINCE.sub(lambda m: f"since: '''{m['outcome']}'''", said))


def _update_status_page(config: EventConfig, source: Source, report: RunReport) -> None:
    """Tell editors, on the wiki, why the bot left a page alone: saved whenever the page says
    something else than this run's outcome (a first run, a page deleted or never written), and
    not when it already says it."""
    from .publish import status_edit

    title = config.bot.status_page
    assert title
    current = source.read([title])[title]
    edit = status_edit(title, current, report.outcome, report.refused, report.stopped,
                       report.warnings, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), report.skipped)
    if edit.changed and edit.new_text is not None and _status_says(current.text) != _status_says(edit.new_text):
        try:
            source.save(edit.page, edit.new_text, f"wmstrategybot: run outcome {report.outcome}")
        except WmError as exc:
            report.warnings.append(f"status page {title} not updated: {exc}")


def _jsonable(revisions: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(revisions))


def _describe_plan(report: RunReport, p: Plan) -> None:
    report.edited = [{"title": e.title, "action": f"would {e.action}", "revision": None} for e in p.changed]
    report.refused = [{"title": e.title, "reason": e.reason} for e in p.edits if e.action == "refused"]
    report.stopped = p.stopped
    _exit(report)


def _describe_result(report: RunReport, result: Report) -> None:
    report.stopped = result.stopped
    for o in result.outcomes:
        if o.action in ("created", "updated"):
            report.edited.append({"title": o.title, "action": o.action, "revision": o.revision,
                                  **({"merged": True} if o.merged else {})})
        elif o.action == "simulated":  # pywikibot's simulate: not saved, so not "edited"
            report.edited.append({"title": o.title, "action": o.action, "revision": None})
        elif o.action == "skipped":
            report.skipped.append({"title": o.title, "reason": o.reason, **({"lasting": True} if o.lasting else {})})
        elif o.action == "refused":
            report.refused.append({"title": o.title, "reason": o.reason})
    _exit(report)


def _exit(report: RunReport) -> None:
    if report.stopped:
        report.outcome, report.exit = "stopped", EXIT_REFUSED
    elif report.refused:
        report.outcome, report.exit = "refused", EXIT_REFUSED
    elif report.skipped:
        report.outcome, report.exit = "skipped", EXIT_SKIPPED
    else:
        report.outcome, report.exit = "done", EXIT_DONE
