"""`run --all`: one job serving every event that opts in on the wiki, and the local configs of
the job file, under one lock and one state store.

A run: discovery (``list=embeddedin`` of {{Event track bot}}, one request per 500 pages), one
change check for every event's pages (the watchlist request; events new since the last run are
always read), the roots of the events that changed read 50 at a time and their configs parsed,
then each event served on its own, in order of root title: plan, apply, status page, state,
as the single-event `run` does. An event that fails (a config with problems, a page outside
its subtree, its pages missing, any error) is recorded and the job goes on; after
`PAUSE_AFTER` failed runs in a row it is paused until what caused it changes (failures.py: a
new revision of its pages, or its config). A stop page that says stop at any read of a run
stops every later save and event, status pages included. An event whose
template is gone is not served, its pages left as they are, its state dropped after the
job's grace period. A no-op run of any number of events: the discovery and the watchlist
request, nothing read or parsed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from wmstrategybot.config.job import JobConfig
from wmstrategybot.config.wiki import status_page_for
from wmstrategybot.errors import ConfigError, Locked, LoginFailed, SlowDown, StateStoreError, WmError
from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.job import changes
from wmstrategybot.job.changes import EventPages
from wmstrategybot.job.context import Serving
from wmstrategybot.job.discovery import (
    CONFIG_BATCH,
    JobEvent,
    claim_targets,
    discover,
    local_events,
    page_key,
    read_configs,
)
from wmstrategybot.job.failures import CONFIG, PAGES, fail, pause_lifted, pause_says
from wmstrategybot.job.owners import Ownership
from wmstrategybot.job.report import JobReport, RunReport
from wmstrategybot.job.serve import refused_again, serve
from wmstrategybot.job.state import RunState
from wmstrategybot.job.store import EVENT_VALUE, EventRecord, StateStore, locked_store, owner_key
from wmstrategybot.model.settings import SiteConfig
from wmstrategybot.options import Options
from wmstrategybot.plan.guards import stop_page_allows
from wmstrategybot.render.kinds import event_titles, target_titles
from wmstrategybot.sources.base import Source

#: the job value holding the job's record of the bot's watchlist
WATCH_VALUE = "watch"


@dataclass
class _Job:
    """What the serving of each event of one job run shares."""

    how: Serving
    job: JobConfig
    #: who owns which page: the first event to write it (job/owners.py)
    ownership: Ownership
    #: title -> the key of the event that names it first in this run (one save per page per run)
    claimed: dict[str, str] = field(default_factory=dict)
    #: why the stop page stopped the run once an event's read of it said stop (mid-run): no
    #: later event is begun, not even its status page saved
    stopped: str | None = None

    @property
    def dry_run(self) -> bool:
        return self.how.options.dry_run


def run_all(
    source: Source,
    db_path: Path,
    job: JobConfig = JobConfig(),
    *,
    site: SiteConfig = SiteConfig(),
    options: Options = Options(),
) -> JobReport:
    """One run of the job over every event; the state in the store at `db_path`. `site`: the
    wiki on-wiki configs are read for. Raises Locked if another run holds the store's lock,
    StateStoreError if it is not a state database, LoginFailed and SlowDown (the account, the
    wiki asking the bot to wait): those are the job's; any other failure is its event's."""
    started = time.monotonic()
    dry_run = options.dry_run
    report = JobReport(source=source.describe(), dry_run=dry_run)
    with locked_store(db_path, dry_run=dry_run) as store:
        if not dry_run:
            source.login()
        session = source.begin()
        now = options.clock()
        options.progress("finding the events that opt in")
        roots = discover(source, job, report.refused_pages)
        events, local, broken = _events(roots, job, store, now, report)
        states = {e.key: store.load(e.key, report.notes) for e in events}
        known = {e.key: store.job_get(EVENT_VALUE.format(e.key)) or {} for e in events}
        ownership = _ownership(store, now, events, known, job, report)
        pages = [EventPages(e.key, _check_titles(e, known[e.key]), states[e.key]) for e in events]
        watch = RunState.from_json(store.job_get(WATCH_VALUE) or {})
        found = changes.check_events(source, pages, watch, now, dry_run=dry_run, full_run=options.full_run,
                                     progress=options.progress)
        report.notes.extend(found.notes)
        report.events_checked = len(pages)
        changed = set(found.changed())
        # saved once every event is served or set to retry: a job stopped halfway (the wiki asking
        # the bot to wait, the login lost) sees the same changes again next run
        watched = changes.job_watch_state(source, watch, now, found) if session.server_time else None
        for e in local:  # a local config whose file was edited since it was served (or paused): served again
            record = store.event(e.key)
            seen = known[e.key].get("paused_at" if record and record.paused else "config")
            if e.key not in changed and record and e.fingerprint != seen:
                changed.add(e.key)
                found.events[e.key] = changes.EventCheck(e.key, changes.Check(True), "none")
        for e in events:  # refused a page another event owned, which is free now: served again
            if e.key not in changed and _freed(ownership, e.key, known[e.key]):
                changed.add(e.key)
                found.events[e.key] = changes.EventCheck(e.key, changes.Check(True), "none")
        report.events_changed = len(changed)
        stopped = _read_configs(source, [e for e in events if e.key in changed], site, job, options) if changed else None
        for e in events:  # what each event names this run: its config as read, if it was
            if e.config is not None:
                ownership.names(e.key, target_titles(e.config))
        ctx = _Job(Serving(source, store, options, now, job), job, ownership)
        checked = {p.key: p.titles for p in pages}
        for e in events:
            report.events.append(_one(ctx, e, states[e.key], checked[e.key], found.events[e.key], known[e.key],
                                      e.key in changed, stopped))
        if not dry_run and watched is not None:
            store.job_set(WATCH_VALUE, watched.to_json())
        for e in broken:
            report.events.append(RunReport(event=e.key, source=report.source, dry_run=dry_run, outcome="error",
                                           exit=EXIT_ERROR, error=e.problems[0]))
    report.settle()
    report.seconds = round(time.monotonic() - started, 3)
    report.api_requests, report.api_reads = source.counted(session)
    return report


def _ownership(store: StateStore, now: float, events: list[JobEvent], known: dict[str, dict[str, object]],
               job: JobConfig, report: JobReport) -> Ownership:
    """Who owns which page as this run begins: the store's record, the job file's [handover]
    applied, what each event named last run, and each event's root and status page reserved."""
    if not report.dry_run:
        store.mark_first_seen([e.key for e in events], now)
    ownership = Ownership.load(store, now)
    keys: dict[str, str] = {}
    for e in events:
        targets = known[e.key].get("targets", known[e.key].get("titles"))
        ownership.names(e.key, [str(t) for t in targets] if isinstance(targets, list) else [])
        root = e.root if e.root is not None else (e.config.root if e.config is not None else None)
        status = e.config.bot.status_page if e.config is not None else None
        if root:
            keys.setdefault(owner_key(root), e.key)
            ownership.reserve(e.key, [root, *([status_page_for(root)] if e.root is not None else [])])
        if status:
            ownership.reserve(e.key, [status])
        # the pages it reads (its Day pages): never another event's target; an on-wiki event's
        # config is read later, so as its last run named them
        if e.config is not None:
            ownership.reserve(e.key, e.config.source_pages)
        else:
            watched = known[e.key].get("titles")
            named = set(targets) if isinstance(targets, list) else set()
            if isinstance(watched, list):
                ownership.reserve(e.key, [str(t) for t in watched if t not in named and t != root])
        if root:
            ownership.roots[e.key] = owner_key(root)
        keys[e.key] = e.key
    if job.handover:
        ownership.hand_over(None if report.dry_run else store, dict(job.handover), keys, report.notes)
    return ownership


def _freed(ownership: Ownership, key: str, known: dict[str, object]) -> bool:
    """Whether a page the event was refused last run, owned by another, is free for it now."""
    refused = known.get("owned_elsewhere")
    if not isinstance(refused, list) or not refused:
        return False
    return len(ownership.still_refused(refused, key)) < len(refused)


def _events(roots: list[str], job: JobConfig, store: StateStore, now: float,
            report: JobReport) -> tuple[list[JobEvent], list[JobEvent], list[JobEvent]]:
    """The job's events (the roots found and the job file's configs, by root title), its local
    configs, and those of them that do not load; events no longer found are told and, past the
    grace period, forgotten."""
    events = [JobEvent(page_key(r), root=r) for r in roots]
    local, broken = local_events(job)
    events += local
    events.sort(key=lambda e: e.sort_key)
    report.events_found = len(events) + len(broken)
    discovered = {e.key for e in events if e.root is not None}
    report.removed = [k for k in store.keys() if k.startswith("page:") and k not in discovered]
    if not report.dry_run:
        store.mark_seen(discovered, now)
        report.dropped = store.forget_unseen(now, job.removal_grace)
        for key in report.dropped:
            store.job_set(EVENT_VALUE.format(key), None)
    return events, local, broken


def _one(ctx: _Job, e: JobEvent, state: RunState, titles: list[str], check: changes.EventCheck,
         known: dict[str, object], changed: bool, stopped: str | None) -> RunReport:
    """One event of the job: served if it changed (unless the job is stopped or out of time)."""
    how = ctx.how
    section = RunReport(event=e.key, source=how.source.describe(), dry_run=ctx.dry_run)
    before = how.source.requests
    started = time.monotonic()
    if changed and (stopped or ctx.stopped):
        section.outcome, section.exit, section.stopped = "stopped", EXIT_REFUSED, stopped or ctx.stopped
    elif changed and how.options.clock() - how.now >= ctx.job.time_budget:
        _defer(ctx, e.key, state, titles, section, f"the job's time budget ({ctx.job.time_budget:g} s) was spent")
    elif changed and how.options.stopping():
        _defer(ctx, e.key, state, titles, section, "the job was asked to stop")
    elif not changed:
        record = how.store.event(e.key)
        section.outcome, section.exit = "nothing-changed", EXIT_DONE
        if record and record.paused:  # in the report every run, with what lifts it
            section.outcome, section.exit, section.error = "paused", EXIT_ERROR, _paused(e, record, known)
        if section.outcome == "nothing-changed":
            refused_again(state, section)  # a refusal stands until a person acts: told every run
        section.pages_checked = len(titles)
        held = known.get("owned_elsewhere")
        still = ctx.ownership.still_refused(held, e.key) if isinstance(held, list) else []
        if still:  # told every run, not only the run that first met it
            section.refused.extend(still)
            if section.outcome == "nothing-changed":
                section.outcome, section.exit = "refused", EXIT_REFUSED
        if not ctx.dry_run and how.source.session.server_time and (check.how == "revisions" or check.check.log_ids):
            # what the revision check saw (watched, verified) and the log entries seen
            how.store.save(e.key, changes.with_watch(state, changes.common_state(
                how.source, state, titles, how.now, check.check, section.notes)))
    else:
        _serve_event(ctx, e, state, titles, check.check, section, known)
        ctx.stopped = ctx.stopped or section.stopped  # the stop page said stop while it was served
    section.check = check.how
    section.warning_count = len(section.warnings)
    section.seconds = round(time.monotonic() - started, 3)
    if how.source.requests is not None:
        section.api_requests = how.source.requests - (before or 0)
    return section


def _read_configs(source: Source, changed: list[JobEvent], site: SiteConfig, job: JobConfig,
                  options: Options) -> str | None:
    """The roots of the on-wiki events that changed (`CONFIG_BATCH` at a time, the first batch with
    the job's stop page); their configs parsed unless the stop page says stop (then why: no
    event is served)."""
    roots = [e.root for e in changed if e.root is not None]
    wanted = [*roots, *([job.stop_page] if job.stop_page else [])]
    if not wanted:
        return None
    options.progress(f"reading the configs of {len(roots)} event(s)")
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


def _serve_event(ctx: _Job, e: JobEvent, state: RunState, checked: list[str], check: changes.Check,
                 section: RunReport, known: dict[str, object]) -> None:
    """One event that changed: resumed if paused and its config was edited, served, its failure
    recorded (and shown on its status page) if anything goes wrong."""
    how = ctx.how
    store = how.store
    record = store.event(e.key)
    if record is not None and record.paused:
        lifted = pause_lifted(how.source, e, record, known, check)
        if lifted is None:
            section.outcome, section.exit, section.error = "paused", EXIT_ERROR, _paused(e, record, known)
            return
        section.notes.append(f"resumed: {lifted}")
        if not ctx.dry_run:
            store.resume(e.key, keep_failures=True)
    if e.problems or e.config is None:
        fail(how, ctx.job, e, state, checked, check, section, "; ".join(e.problems) or "no config", CONFIG)
        return
    config, owned = ctx.ownership.keep(e.config, e.key)
    config, taken = claim_targets(config, ctx.claimed, e.key)
    refused = [*owned, *taken]
    section.refused.extend(refused)  # before the serve: its status page shows them too
    titles = event_titles(config)
    if e.root is not None and e.root not in titles:
        titles = [e.root, *titles]
    if titles != checked:  # the config names other pages than last time: they were not in the check
        check = changes.Check(True, log_ids=check.log_ids, watchlist_failed=check.watchlist_failed)
    section.pages_checked = len(titles)
    try:
        how.source.check_targets(config, subpages_of=e.root)
        also = {e.root: e.root_revision} if e.root is not None else None
        how.options.progress(f"serving {e.key}")
        with store.transaction():  # its state and its record together, or neither
            serve(config, how, e.key, state, titles, check, section, also_seen=also)
            if section.outcome not in ("error", "stopped", "simulated") and not section.stopped:
                left = {r["title"] for r in [*section.refused, *section.skipped]}
                ctx.ownership.after_serve(None if ctx.dry_run else store, e.key, e.config,
                                          [t for t in target_titles(config) if t not in left])
            if not ctx.dry_run and section.outcome != "error":
                store.record_success(e.key, e.origin, how.now)
                store.job_set(EVENT_VALUE.format(e.key), {"titles": titles, "config": e.fingerprint,
                                                          "targets": target_titles(e.config),
                                                          "owned_elsewhere": owned})
    except (Locked, StateStoreError, LoginFailed, SlowDown):
        raise  # the job's, not the event's: no event counts it
    except WmError as exc:
        # its pages as its config names them: the change check watches them while it is paused
        fail(how, ctx.job, e, state, titles, check, section, str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
             CONFIG if isinstance(exc, ConfigError) else PAGES)
        return
    except Exception as exc:  # a bug met on one event's pages: the others are still served
        fail(how, ctx.job, e, state, titles, check, section,
             f"internal error: {type(exc).__name__}: {exc}; please report this")
        return
    if refused:
        # a dry run's report of its plan lists the plan's refusals only
        section.refused.extend(r for r in refused if r not in section.refused)
        if section.exit in (EXIT_DONE, EXIT_SKIPPED):
            section.outcome, section.exit = "refused", EXIT_REFUSED


def _paused(e: JobEvent, record: EventRecord, known: dict[str, object]) -> str:
    """A paused event's line in the report: what paused it and what lifts it."""
    return pause_says(e, record.paused or "", dict(known), bool(known.get("paused_again")))


def _defer(ctx: _Job, key: str, state: RunState, titles: list[str], section: RunReport, why: str) -> None:
    """An event that changed, not begun: the job's time budget is spent, or a signal asked the job
    to stop. Served next run (its state says retry: the change check would not see this change
    again); no failure counted."""
    section.outcome, section.exit = "deferred", EXIT_SKIPPED
    section.notes.append(f"not served this run: {why}; served next run")
    if not ctx.dry_run and titles:
        ctx.how.store.save(key, replace(state, retry=[titles[0]]))
