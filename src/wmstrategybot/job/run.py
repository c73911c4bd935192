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
from pathlib import Path

from wmstrategybot.exits import EXIT_DONE
from wmstrategybot.job import changes
from wmstrategybot.job.context import Serving
from wmstrategybot.job.report import RunReport
from wmstrategybot.job.serve import accepted_since, refused_again, serve
from wmstrategybot.job.state import RunState, load_state
from wmstrategybot.job.store import StateStore, locked_store, store_path
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.options import Options
from wmstrategybot.render.kinds import event_titles
from wmstrategybot.sources.base import Source


def run(
    config: EventConfig,
    source: Source,
    state_path: Path,
    options: Options = Options(),
    *,
    migrate_from: Path | None = None,
) -> RunReport:
    """One scheduled run, its state kept in the store at `state_path` under the event's id.
    A JSON state file of earlier versions (`state_path` itself if it has a ``.json`` name, the
    store then beside it; else `migrate_from`) is migrated into the store. Raises Locked if
    another run holds the store's lock, StateStoreError if it is not a state database."""
    started = time.monotonic()
    report = RunReport(event=config.id, source=source.describe(), dry_run=options.dry_run)
    if state_path.suffix == ".json":
        migrate_from = state_path
    db_path = store_path(state_path)
    with locked_store(db_path, dry_run=options.dry_run) as store:
        state = _load(store, config.id, migrate_from, options.dry_run, report.notes)
        titles = event_titles(config)
        report.pages_checked = len(titles)
        if not options.dry_run:
            # a bot logged in reads 500 titles a request (apihighlimits), not 50
            source.login()
        session = source.begin()  # the wiki's clock at this run's first request, its counts
        clock = options.clock()
        # a local config that now accepts the loss the last run refused: served, though no page changed
        full = options.full_run or accepted_since(state, config)
        found = changes.check(source, state, titles, clock, dry_run=options.dry_run, full_run=full,
                              progress=options.progress)
        report.notes.extend(found.notes)
        report.check = found.how
        if found.how == "watchlist":
            report.changes = found.changes
        if not found.changed:
            report.outcome, report.exit = "nothing-changed", EXIT_DONE
            refused_again(state, report)
            if not options.dry_run and session.server_time:
                # the next watchlist check starts from here, not from the last run that worked
                store.save(config.id, changes.with_watch(
                    state, changes.common_state(source, state, titles, clock, found.check, report.notes)))
        else:
            serve(config, Serving(source, store, options, clock), config.id, state, titles, found.check, report)
    report.warning_count = len(report.warnings)
    report.seconds = round(time.monotonic() - started, 3)
    report.api_requests, report.api_reads = source.counted(session)
    return report


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
