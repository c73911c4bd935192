"""The scheduled entry point: a locked run with a fast no-op path, a state file and a report.

A run first asks the source for the latest revision of every source and target page (one
request per 50 titles on a wiki). If they are the revisions the last successful run saw
(the state file), it stops there: no text fetched, nothing parsed, no edit. Otherwise it
plans and publishes like ``publish``, then records the revisions it saw and wrote.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import EventConfig
from .errors import WmError
from .publish import Plan, Report, apply, plan
from .sources import Source

STATE_VERSION = 1

#: Exit codes of `run` (and the report's "exit").
EXIT_DONE = 0
EXIT_ERROR = 2
EXIT_SKIPPED = 3
EXIT_REFUSED = 4
EXIT_LOCKED = 5


class Locked(WmError):
    """Another run holds the lock."""


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
    pages_read: int = 0
    pages_parsed: int = 0
    edited: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stopped: str | None = None
    api_requests: int | None = None
    seconds: float = 0.0
    dry_run: bool = False

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n"


def load_state(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        return {}  # a broken state file only costs one full run
    return data if isinstance(data, dict) and data.get("version") == STATE_VERSION else {}


def save_state(path: Path, revisions: dict[str, Any], outcome: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"version": STATE_VERSION, "revisions": revisions, "outcome": outcome},
                              indent=1, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, path)


def _titles(config: EventConfig) -> list[str]:
    titles = [*config.source_pages, *(t for _, t in config.targets.items())]
    if config.bot.stop_page:
        titles.append(config.bot.stop_page)
    return titles


def _requests(source: Source) -> int | None:
    return getattr(source, "requests", None)


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
    first_request = _requests(source)
    with run_lock(state_path):
        state = load_state(state_path)
        titles = _titles(config)
        report.pages_checked = len(titles)
        progress(f"checking {len(titles)} pages for changes")
        if not dry_run and hasattr(source, "login"):
            # a bot logged in reads 500 titles a request (apihighlimits), not 50
            source.login()
        # With no state (a first run) there is nothing to compare: the read gives the revisions.
        latest = source.revisions(titles) if state.get("revisions") else None
        # --allow-shrink is a person overriding a refusal: always a full run
        if latest is not None and not allow_shrink and state.get("revisions") == _jsonable(latest):
            report.outcome, report.exit = "nothing-changed", EXIT_DONE
        else:
            progress("reading and parsing the pages")
            p = plan(config, source, allow_shrink=allow_shrink)
            report.pages_read = len(titles)
            report.pages_parsed = len(config.source_pages) + 1
            report.warnings = [
                f"{w.page}" + (f":{w.line}" if w.line else "") + f": {w.message}" for w in (p.event.warnings if p.event else ())
            ]
            if dry_run:
                _describe_plan(report, p)
            else:
                progress(f"publishing {len(p.changed)} changed page(s)")
                total = len(p.changed)
                _describe_result(report, apply(
                    p, source, config, on_save=lambda done, _total, title: progress(_bar(done, total, title))))
                if report.outcome in ("done", "refused", "stopped"):
                    # Skipped pages (conflicts, rate limits, protection) are retried next run;
                    # refusals and the stop page wait for a person, whose edit will show up
                    # as a new revision.
                    seen = _jsonable(latest if latest is not None else {t: r.revision for t, r in p.records.items()})
                    for item in report.edited:
                        seen[item["title"]] = item["revision"]
                    outcome = _outcome(report)
                    if config.bot.status_page and outcome != state.get("outcome"):
                        _update_status_page(config, source, report)
                    save_state(state_path, seen, outcome)
    report.seconds = round(time.monotonic() - started, 3)
    if first_request is not None:
        report.api_requests = (_requests(source) or 0) - first_request
    return report


def _bar(done: int, total: int, title: str, width: int = 20) -> str:
    filled = width * done // max(total, 1)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} saving {title}"


def _outcome(report: RunReport) -> dict[str, Any]:
    """What the status page shows: changes only when the run's outcome changes."""
    return {
        "outcome": report.outcome,
        "refused": report.refused,
        "stopped": report.stopped,
        "warnings": report.warnings,
    }


def _update_status_page(config: EventConfig, source: Source, report: RunReport) -> None:
    """Tell editors, on the wiki, why the bot left a page alone (only when that changes)."""
    from .publish import status_edit

    title = config.bot.status_page
    assert title
    edit = status_edit(title, source.read([title])[title], report.outcome, report.refused, report.stopped,
                       report.warnings, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    if edit.changed and edit.new_text is not None:
        try:
            source.save(edit.page, edit.new_text, "wmstrategybot: run outcome changed")
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
            report.edited.append({"title": o.title, "action": o.action, "revision": o.revision})
        elif o.action == "skipped":
            report.skipped.append({"title": o.title, "reason": o.reason})
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
