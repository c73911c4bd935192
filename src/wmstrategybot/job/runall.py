"""`run --all`: one job serving every event that opts in on the wiki, and the local configs of
the job file, under one lock and one state store.

A run: discovery (``list=embeddedin`` of {{Event track bot}}, one request per 500 pages), one
change check for every event's pages (the watchlist request; events new since the last run are
always read), the roots of the events that changed read 50 at a time and their configs parsed,
then each event served on its own, in order of root title: plan, apply, status page, state,
as the single-event `run` does. An event that fails (a config with problems, a page outside
its subtree, its pages missing, any error) is recorded and the job goes on; after
`PAUSE_AFTER` failed runs in a row it is paused until its config is edited. An event whose
template is gone is not served, its pages left as they are, its state dropped after the
job's grace period. A no-op run of any number of events: the discovery and the watchlist
request, nothing read or parsed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from wmstrategybot.job import changes, statuspage
from wmstrategybot.job.changes import EventPages
from wmstrategybot.config.event import SiteConfig
from wmstrategybot.errors import Locked, LoginFailed, SlowDown, StateStoreError, WmError
from wmstrategybot.job.discovery import (
    CONFIG_BATCH,
    JobEvent,
    claim_targets,
    discover,
    leave_nested,
    local_events,
    page_key,
    read_configs,
)
from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.config.job import JobConfig
from wmstrategybot.job.jobreport import JobReport
from wmstrategybot.wikitext.regions import stop_page_allows
from wmstrategybot.privacy import redact
from wmstrategybot.job.run import event_titles
from wmstrategybot.job.run import serve
from wmstrategybot.job.lock import run_lock
from wmstrategybot.job.report import RunReport
from wmstrategybot.job.state import RunState
from wmstrategybot.sources import Source
from wmstrategybot.job.store import PAUSE_AFTER, StateStore
from wmstrategybot.model.titles import namespace_of, target_problem
from wmstrategybot.config.wiki import NOT_CALLED, status_page_for

#: the job value holding each event's titles for the change check (and its config's fingerprint
#: when it was paused), under ``event <key>``
_EVENT_VALUE = "event {}"
#: the job value holding the job's record of the bot's watchlist
WATCH_VALUE = "watch"


def run_all(
    source: Source,
    db_path: Path,
    job: JobConfig = JobConfig(),
    *,
    site: SiteConfig = SiteConfig(),
    dry_run: bool = False,
    allow_shrink: bool = False,
    progress: Callable[[str], None] = lambda _: None,
    clock: Callable[[], float] = time.time,
) -> JobReport:
    """One run of the job over every event; the state in the store at `db_path`. `site`: the
    wiki on-wiki configs are read for. Raises Locked if another run holds the store's lock,
    StateStoreError if it is not a state database, LoginFailed and SlowDown (the account, the
    wiki asking the bot to wait): those are the job's; any other failure is its event's."""
    started = time.monotonic()
    report = JobReport(source=source.describe(), dry_run=dry_run)
    first_request, first_read = source.requests, source.reads
    with run_lock(db_path), StateStore.open(db_path) as store:
        if not dry_run:
            source.login()
        source.server_time = None
        now = clock()
        progress("finding the events that opt in")
        roots = discover(source, job, report.refused_pages)
        events = [JobEvent(page_key(r), root=r) for r in roots]
        local, broken = local_events(job)
        events += local
        events.sort(key=lambda e: e.sort_key)
        report.events_found = len(events) + len(broken)
        discovered = {e.key for e in events if e.root is not None}
        report.removed = [k for k in store.keys() if k.startswith("page:") and k not in discovered]
        if not dry_run:
            store.mark_seen(discovered, now)
            report.dropped = store.forget_unseen(now, job.removal_grace)
            for key in report.dropped:
                store.job_set(_EVENT_VALUE.format(key), None)
        states = {e.key: store.load(e.key, report.notes) for e in events}
        known = {e.key: store.job_get(_EVENT_VALUE.format(e.key)) or {} for e in events}
        pages = [EventPages(e.key, _check_titles(e, known[e.key]), states[e.key]) for e in events]
        watch = RunState.from_json(store.job_get(WATCH_VALUE) or {})
        found = changes.check_events(source, pages, watch, now, dry_run=dry_run, allow_shrink=allow_shrink,
                                     progress=progress)
        report.notes.extend(found.notes)
        report.events_checked = len(pages)
        changed = set(found.changed())
        # saved once every event is served or set to retry: a job stopped halfway (the wiki asking
        # the bot to wait, the login lost) sees the same changes again next run
        watched = changes.job_watch_state(source, watch, now, found) if source.server_time else None
        for e in local:  # a local config whose file was edited since it was served (or paused): served again
            record = store.event(e.key)
            seen = known[e.key].get("paused_at" if record and record.paused else "config")
            if e.key not in changed and record and e.fingerprint != seen:
                changed.add(e.key)
                found.events[e.key] = changes.EventCheck(e.key, changes.Check(True), "none")
        report.events_changed = len(changed)
        stopped = _read_configs(source, [e for e in events if e.key in changed], site, job, progress) if changed else None
        claimed: dict[str, str] = {}
        # every event's root, the local configs' too: a page inside an event nested in another is its own
        all_roots = [*roots, *(e.config.root for e in local if e.config is not None and e.config.root)]
        checked = {p.key: p.titles for p in pages}
        for e in events:
            section = RunReport(event=e.key, source=report.source, dry_run=dry_run)
            titles = checked[e.key]
            check = found.events[e.key]
            before = source.requests
            started_event = time.monotonic()
            if e.key in changed and stopped:
                section.outcome, section.exit, section.stopped = "stopped", EXIT_REFUSED, stopped
            elif e.key in changed and clock() - now >= job.time_budget:
                _defer(e.key, store, states[e.key], titles, section, job, dry_run=dry_run)
            elif e.key not in changed:
                record = store.event(e.key)
                section.outcome, section.exit = ("paused" if record and record.paused else "nothing-changed"), EXIT_DONE
                section.pages_checked = len(titles)
                if not dry_run and source.server_time and (check.how == "revisions" or check.check.log_ids):
                    # what the revision check saw (watched, verified) and the log entries seen
                    store.save(e.key, changes.with_watch(states[e.key], changes.common_state(
                        source, states[e.key], titles, now, check.check, section)))
            else:
                _serve_event(e, source, store, states[e.key], titles, check.check, now, section, claimed, job,
                             known[e.key], all_roots, dry_run=dry_run, allow_shrink=allow_shrink, progress=progress)
            section.check = check.how
            section.warning_count = len(section.warnings)
            section.seconds = round(time.monotonic() - started_event, 3)
            if source.requests is not None:
                section.api_requests = source.requests - (before or 0)
            report.events.append(section)
        if not dry_run and watched is not None:
            store.job_set(WATCH_VALUE, watched.to_json())
        for e in broken:
            report.events.append(RunReport(event=e.key, source=report.source, dry_run=dry_run, outcome="error",
                                           exit=EXIT_ERROR, error=e.problems[0]))
    report.settle()
    report.seconds = round(time.monotonic() - started, 3)
    report.api_requests, report.api_reads = source.counted_since(first_request, first_read)
    return report


def _read_configs(source: Source, changed: list[JobEvent], site: SiteConfig, job: JobConfig,
                  progress: Callable[[str], None]) -> str | None:
    """The roots of the on-wiki events that changed (`CONFIG_BATCH` at a time, the first batch with
    the job's stop page); their configs parsed unless the stop page says stop (then why: no
    event is served)."""
    roots = [e.root for e in changed if e.root is not None]
    wanted = [*roots, *([job.stop_page] if job.stop_page else [])]
    if not wanted:
        return None
    progress(f"reading the configs of {len(roots)} event(s)")
    read = source.read([*([job.stop_page] if job.stop_page else []), *roots[:CONFIG_BATCH]])
    if job.stop_page and not stop_page_allows(read[job.stop_page].text):
        state = "does not exist" if not read[job.stop_page].exists else "does not say 'run'"
        return f"stop page [[{job.stop_page}]] {state}: no edit is made"
    # a batch at a time, each root's text dropped once its config is read: a root may be a page
    # of 2 MiB, and thousands of events may opt in
    by_root = {e.root: e for e in changed if e.root is not None}
    for start in range(0, len(roots), CONFIG_BATCH):
        batch = roots[start:start + CONFIG_BATCH]
        if start:
            read = source.read(batch)
        read_configs([by_root[r] for r in batch], read, site, job)
        read = {}
    return None


def _check_titles(e: JobEvent, known: dict[str, object]) -> list[str]:
    """The titles the change check watches for an event: what its config named last time, its
    root included (an edit to the config is a change); a local config's from the file."""
    if e.config is not None:
        return event_titles(e.config)
    titles = known.get("titles")
    if isinstance(titles, list) and titles:
        return [str(t) for t in titles]
    return [e.root] if e.root is not None else []


def _serve_event(
    e: JobEvent,
    source: Source,
    store: StateStore,
    state: RunState,
    checked: list[str],
    check: changes.Check,
    now: float,
    section: RunReport,
    claimed: dict[str, str],
    job: JobConfig,
    known: dict[str, object],
    roots: list[str],
    *,
    dry_run: bool,
    allow_shrink: bool,
    progress: Callable[[str], None],
) -> None:
    """One event that changed: resumed if paused and its config was edited, served, its failure
    recorded (and shown on its status page) if anything goes wrong."""
    record = store.event(e.key)
    if record is not None and record.paused:
        if e.fingerprint is not None and e.fingerprint == known.get("paused_at"):
            section.outcome, section.exit = "paused", EXIT_DONE
            section.error = f"paused after {PAUSE_AFTER} failed runs in a row ({record.paused}); edit its config to resume"
            return
        section.notes.append("resumed: its config was edited since it was paused")
        if not dry_run:
            store.resume(e.key)
    if e.problems or e.config is None:
        why = "; ".join(e.problems) or "no config"
        _fail(e, source, store, state, checked, check, now, section, job, why, dry_run=dry_run,
              problems=e.problems)
        return
    config, refused = leave_nested(e.config, e.root, roots) if e.root is not None else (e.config, [])
    config, taken = claim_targets(config, claimed, e.key)
    refused += taken
    section.refused.extend(refused)  # before the serve: its status page shows them too
    titles = event_titles(config)
    if e.root is not None and e.root not in titles:
        titles = [e.root, *titles]
    if titles != checked:  # the config names other pages than last time: they were not in the check
        check = changes.Check(True, log_ids=check.log_ids, watchlist_failed=check.watchlist_failed)
    section.pages_checked = len(titles)
    try:
        source.check_targets(config, subpages_of=e.root)
        also = {e.root: e.root_revision} if e.root is not None else None
        progress(f"serving {e.key}")
        with store.transaction():  # its state and its record together, or neither
            serve(config, source, store, e.key, state, titles, check, now, section, dry_run=dry_run,
                  allow_shrink=allow_shrink, progress=progress, also_seen=also)
            if not dry_run and section.outcome != "error":
                store.record_success(e.key, e.origin, now)
                store.job_set(_EVENT_VALUE.format(e.key), {"titles": titles, "config": e.fingerprint})
    except (Locked, StateStoreError, LoginFailed, SlowDown):
        raise  # the job's, not the event's: no event counts it
    except WmError as exc:
        _fail(e, source, store, state, checked, check, now, section, job, str(exc).splitlines()[0] if str(exc) else
              type(exc).__name__, dry_run=dry_run, problems=[])
        return
    except Exception as exc:  # a bug met on one event's pages: the others are still served
        _fail(e, source, store, state, checked, check, now, section, job,
              f"internal error: {type(exc).__name__}: {exc}; please report this", dry_run=dry_run, problems=[])
        return
    if refused:
        # a dry run's report of its plan lists the plan's refusals only
        section.refused.extend(r for r in refused if r not in section.refused)
        if section.exit in (EXIT_DONE, EXIT_SKIPPED):
            section.outcome, section.exit = "refused", EXIT_REFUSED


def _defer(key: str, store: StateStore, state: RunState, titles: list[str], section: RunReport, job: JobConfig,
           *, dry_run: bool) -> None:
    """An event that changed, not begun: the job's time budget is spent. Served next run (its
    state says retry: the change check would not see this change again); no failure counted."""
    section.outcome, section.exit = "deferred", EXIT_SKIPPED
    section.notes.append(f"not served this run: the job's time budget ({job.time_budget:g} s) was spent; "
                         "served next run")
    if not dry_run and titles:
        store.save(key, replace(state, retry=[titles[0]]))


def _fail(
    e: JobEvent,
    source: Source,
    store: StateStore,
    state: RunState,
    titles: list[str],
    check: changes.Check,
    now: float,
    section: RunReport,
    job: JobConfig,
    reason: str,
    *,
    dry_run: bool,
    problems: list[str],
) -> None:
    """A failed run of the event: reported, counted (paused at the `PAUSE_AFTER`th in a row),
    shown on its status page, its state saved to try again next run (unless now paused). The
    reason redacted: an error's message may quote a request (a password, a token), and the
    status page is public."""
    reason = redact(reason)
    section.outcome, section.exit, section.error = "error", EXIT_ERROR, reason
    if dry_run:
        return
    before = store.event(e.key)
    # paused by this failure (recorded below, with the state, in one transaction)
    paused = before is not None and before.paused is None and before.failures + 1 >= PAUSE_AFTER
    where = e.root if e.root is not None else str(e.path)
    stopped = None
    if paused:
        section.notes.append(f"paused after {PAUSE_AFTER} failed runs in a row: edit its config to resume")
        stopped = (f"paused after {PAUSE_AFTER} failed runs in a row (the last: {reason}). The bot does not "
                   f"serve this event until its config is edited: to resume, edit the config on {where} "
                   "(the parameters of the Event track bot template, or the TOML file); the next run serves it again")
    status = status_page_for(e.root) if e.root is not None else (e.config.bot.status_page if e.config else None)
    if status and e.root is not None and target_problem(status, namespace_of(e.root), user_page=True, subpages_of=e.root):
        status = None  # a root where the bot may not write at all (a talk page): the report says it
    if e.root is not None and (e.root_revision is None or NOT_CALLED in problems):
        # the root deleted or moved since discovery, or not calling the template itself (a template
        # it uses calls it: thousands of pages may): nothing is created below it
        status = None
    if status:
        refused = ([{"title": where, "reason": f"its config is not acted on: {p}"} for p in problems]
                   or [{"title": where, "reason": f"the event was not served: {reason}"}])
        _write_status(source, status, job, refused, stopped, section)
    fingerprint = e.fingerprint
    with store.transaction():
        store.record_failure(e.key, e.origin, reason, now)
        # tried again next run (the change check would not see this change again), unless paused
        retry = None if paused else [titles[0]] if titles else None
        seen = dict(state.revisions or {})
        if e.root is not None:
            seen[e.root] = e.root_revision  # its config as read: a person's next edit is a change
        if paused and check.latest is not None:
            seen.update(check.latest)  # the pages as they are now: only a new edit wakes it up
        seen = {t: r for t, r in seen.items() if t in titles}
        store.save(e.key, changes.with_watch(replace(state, retry=retry, revisions=changes.jsonable(seen) or None),
                                             changes.common_state(source, state, titles, now, check, section)))
        value = {"titles": titles}
        if paused:
            value["paused_at"] = fingerprint  # type: ignore[assignment]
        store.job_set(_EVENT_VALUE.format(e.key), value)


def _write_status(source: Source, title: str, job: JobConfig, refused: list[dict[str, str]], stopped: str | None,
                  section: RunReport) -> None:
    """The event's status page says why it was not served (saved only when it says otherwise,
    and not while the job's stop page says stop)."""
    wanted = [title, *([job.stop_page] if job.stop_page else [])]
    try:
        records = source.read(wanted)
        if job.stop_page and not stop_page_allows(records[job.stop_page].text):
            return
        current = records[title]
        when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        edit = statuspage.status_edit(title, current, "error", refused, stopped, [], when)
        if edit.changed and edit.new_text is not None and \
                statuspage.status_says(current.text) != statuspage.status_says(edit.new_text):
            source.save(edit.page, edit.new_text, "wmstrategybot: the event is not served, see why")
    except WmError as exc:
        section.warnings.append(f"status page {title} not updated: {exc}")
