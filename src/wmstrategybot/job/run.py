"""The scheduled entry point: a locked run with a fast no-op path, a state store and a report.

A run first asks whether any source or target page changed since the last successful run
(its state in the state store, statestore.py, under the event's id). On a wiki it asks the bot's watchlist, on which the first run put every
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

import time
from collections.abc import Callable
from pathlib import Path

from wmstrategybot.job import changes, report as runreport, statuspage
from wmstrategybot.config.event import EventConfig
from wmstrategybot.render.kinds import target_titles
from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_LOCKED, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.publish.read import plan
from wmstrategybot.publish.apply import apply
from wmstrategybot.plan.lost import warning_line
from wmstrategybot.job.lock import run_lock
from wmstrategybot.job.report import RunReport, report_path, write_report
from wmstrategybot.job.state import RunState, default_state_path, legacy_state_path, load_state
from wmstrategybot.sources import Source
from wmstrategybot.job.store import StateStore, store_path


def event_titles(config: EventConfig) -> list[str]:
    """Every page a run of the event checks: its source pages, its targets, the stop page."""
    titles = [*config.source_pages, *target_titles(config)]
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
    migrate_from: Path | None = None,
) -> RunReport:
    """One scheduled run, its state kept in the store at `state_path` under the event's id.
    A JSON state file of earlier versions (`state_path` itself if it has a ``.json`` name, the
    store then beside it; else `migrate_from`) is migrated into the store. Raises Locked if
    another run holds the store's lock, StateStoreError if it is not a state database."""
    started = time.monotonic()
    report = RunReport(event=config.id, source=source.describe(), dry_run=dry_run)
    first_request = source.requests
    first_read = source.reads
    if state_path.suffix == ".json":
        migrate_from = state_path
    db_path = store_path(state_path)
    with run_lock(db_path), StateStore.open(db_path) as store:
        state = _load(store, config.id, migrate_from, dry_run, report.notes)
        titles = event_titles(config)
        report.pages_checked = len(titles)
        if not dry_run:
            # a bot logged in reads 500 titles a request (apihighlimits), not 50
            source.login()
        source.server_time = None  # the wiki's clock at this run's first request
        clock = time.time()
        check = changes.check(source, state, titles, clock, report, dry_run=dry_run,
                              allow_shrink=allow_shrink, progress=progress)
        if not check.changed:
            report.outcome, report.exit = "nothing-changed", EXIT_DONE
            if not dry_run and source.server_time:
                # the next watchlist check starts from here, not from the last run that worked
                store.save(config.id, changes.with_watch(
                    state, changes.common_state(source, state, titles, clock, check, report)))
        else:
            serve(config, source, store, config.id, state, titles, check, clock, report,
                  dry_run=dry_run, allow_shrink=allow_shrink, progress=progress)
    report.warning_count = len(report.warnings)
    report.seconds = round(time.monotonic() - started, 3)
    report.api_requests, report.api_reads = source.counted_since(first_request, first_read)
    return report


def serve(
    config: EventConfig,
    source: Source,
    store: StateStore,
    key: str,
    state: RunState,
    titles: list[str],
    check: changes.Check,
    clock: float,
    report: RunReport,
    *,
    dry_run: bool,
    allow_shrink: bool,
    progress: Callable[[str], None] = lambda _: None,
    also_seen: dict[str, int | str | None] | None = None,
) -> None:
    """An event whose pages changed: plan, publish (not in a dry run), status page, and its new
    state saved in the store under `key` (`run`'s, and `run --all`'s for each event).
    `also_seen`: revisions of pages read before (an on-wiki config's root) to record as seen."""
    progress("reading and parsing the pages")
    removed = state.removed or {}
    p = plan(config, source, allow_shrink=allow_shrink, seen=state.revisions, removed=removed)
    report.pages_read = len(titles)
    report.pages_parsed = p.pages_parsed
    report.warnings = [warning_line(w) for w in p.warnings]
    if dry_run:
        runreport.describe_plan(report, p)
    else:
        progress(f"publishing {len(p.changed)} changed page(s)")
        total = len(p.changed)
        result = apply(p, source, config, on_save=lambda done, _total, title: progress(_bar(done, total, title)))
        runreport.describe_result(report, result)
        if any(o.action == "simulated" for o in result.outcomes):
            # pywikibot's simulate blocked the saves: the state stays as it was, so the
            # next real run sees the same changes
            report.outcome = "simulated"
            report.notes.append("pywikibot's simulate is set (user-config.py): no edit was saved, "
                                "the state is kept as it was")
        if report.outcome in ("done", "refused", "stopped", "skipped"):
            # Refusals and the stop page wait for a person, whose edit will show up as a
            # new revision; skipped pages (conflicts, rate limits, protection) make the
            # next run a full one ("retry"), whatever else it finds.
            seen = changes.jsonable(check.latest if check.latest is not None
                                    else {t: r.revision for t, r in p.records.items()})
            # pages read again before a save: what the later plans were made from
            seen.update(changes.jsonable({t: r.revision for t, r in result.reread.items()}))
            for t, r in changes.jsonable(also_seen or {}).items():
                seen.setdefault(t, r)
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
            outcome = statuspage.outcome_record(report)
            if config.bot.status_page:
                statuspage.update_status_page(config, source, report)
            retry = sorted({item["title"] for item in report.skipped if not item.get("lasting")})
            lasting = sorted({item["title"] for item in report.skipped if item.get("lasting")})
            # pages a person deleted or moved away stay refused until they exist again
            gone = {**removed, **p.removed}
            new_state = RunState(
                revisions=seen, outcome=outcome, retry=retry or None,
                # tried again a day later anyway: an unblock leaves no trace on the pages
                retry_later={"titles": lasting, "at": clock} if lasting else None,
                removed={t: why for t, why in gone.items()
                         if t in titles and not p.records.get(t, changes.MISSING).exists})
            store.save(key, changes.with_watch(
                new_state, changes.common_state(source, state, titles, clock, check, report)))


def _load(store: StateStore, key: str, json_path: Path | None, dry_run: bool, notes: list[str]) -> RunState:
    """The event's state, after migrating its JSON state file of earlier versions if there is
    one (a dry run reads that file and leaves it where it is)."""
    if json_path is not None and json_path.is_file():
        if dry_run:
            if not store.has_state(key):
                notes.append(f"the state file {json_path} is read; a run that is not dry migrates it into {store.path}")
                return load_state(json_path, notes)
        else:
            store.migrate_json(key, json_path, notes)
    return store.load(key, notes)


def _bar(done: int, total: int, title: str, width: int = 20) -> str:
    filled = width * done // max(total, 1)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} saving {title}"


