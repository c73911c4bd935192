"""The run report: what a run did, as `run --report-json` prints it and the report file keeps it,
and the exit code and outcome it ends with."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.privacy import write_private
from wmstrategybot.plan.plan import Plan
from wmstrategybot.publish.apply import ApplyResult


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


def report_path(state_path: Path) -> Path:
    """Where a run's report is kept: beside the state file."""
    return state_path.with_name(state_path.name + ".report.json")


def write_report(state_path: Path, report: RunReport) -> None:
    """Rewrite the report file (0600) for every run, whatever its end: its time, exit and error."""
    if not report.time:
        report.time = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    write_private(report_path(state_path), report.to_json())


def describe_plan(report: RunReport, p: Plan) -> None:
    report.edited = [{"title": e.title, "action": f"would {e.action}", "revision": None} for e in p.changed]
    report.refused = [{"title": e.title, "reason": e.reason} for e in p.edits if e.action == "refused"]
    report.stopped = p.stopped
    settle_exit(report)


def describe_result(report: RunReport, result: ApplyResult) -> None:
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
    settle_exit(report)


def settle_exit(report: RunReport) -> None:
    if report.stopped:
        report.outcome, report.exit = "stopped", EXIT_REFUSED
    elif report.refused:
        report.outcome, report.exit = "refused", EXIT_REFUSED
    elif report.skipped:
        report.outcome, report.exit = "skipped", EXIT_SKIPPED
    else:
        report.outcome, report.exit = "done", EXIT_DONE
