"""The report of a run: what `run` did for its event (`RunReport`), and what `run --all` did for
the job and each of its events (`JobReport`, a `RunReport` per event). Each owns its counters,
its exit code and outcome, its JSON (``--report-json`` and the report file) and its text."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.privacy import write_private
from wmstrategybot.publish.outcome import ApplyResult

#: The exit-code policy of `run --all`: the job's health, not the events'. The job fails only
#: for what its operator must fix: exit 2 (login, the wiki, the state store, the job file: raised,
#: not recorded here), 5 (the lock), 4 (the job's stop page stopped every event), 3 (the job's time
#: budget was spent before every event was served). An event's config problem, refusal or skip is
#: its section's exit and outcome and its status page's, and the job exits 0. `run` serves one
#: event whose config is the operator's own file, so its exit code is that event's outcome.
#: section outcomes that are the job's doing, not the event's
_JOB_OUTCOMES = ("stopped", "deferred")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class RunReport:
    """What a run did for one event, as the JSON report prints it."""

    event: str
    source: str
    outcome: str = "error"  # nothing-changed | done | skipped | refused | stopped | error | paused | deferred
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

    def record_plan(self, changed: list[tuple[str, str]], refused: list[tuple[str, str]], stopped: str | None) -> None:
        """A dry run's plan: (title, action) of the pages it would save, (title, reason) of those refused."""
        self.edited = [{"title": title, "action": f"would {action}", "revision": None} for title, action in changed]
        self.refused = [{"title": title, "reason": reason} for title, reason in refused]
        self.stopped = stopped
        self.settle()

    def record_result(self, result: ApplyResult) -> None:
        """What `apply` did, page by page."""
        self.stopped = result.stopped
        for o in result.outcomes:
            if o.action in ("created", "updated"):
                self.edited.append({"title": o.title, "action": o.action, "revision": o.revision,
                                    **({"merged": True} if o.merged else {})})
            elif o.action == "simulated":  # pywikibot's simulate: not saved, so not "edited"
                self.edited.append({"title": o.title, "action": o.action, "revision": None})
            elif o.action == "skipped":
                self.skipped.append({"title": o.title, "reason": o.reason, **({"lasting": True} if o.lasting else {})})
            elif o.action == "refused":
                self.refused.append({"title": o.title, "reason": o.reason})
        self.settle()

    def settle(self) -> None:
        """The outcome and exit code from what the run recorded."""
        if self.stopped:
            self.outcome, self.exit = "stopped", EXIT_REFUSED
        elif self.refused:
            self.outcome, self.exit = "refused", EXIT_REFUSED
        elif self.skipped:
            self.outcome, self.exit = "skipped", EXIT_SKIPPED
        else:
            self.outcome, self.exit = "done", EXIT_DONE

    def page_lines(self) -> list[str]:
        """A line per page saved (or to save), then per page skipped or refused: what `run` prints."""
        out = [f"{item['action']:>14}  {item['title']}" for item in self.edited]
        out += [f"{'skipped' if item in self.skipped else 'refused':>14}  {item['title']}  ({item['reason']})"
                for item in self.skipped + self.refused]
        return out

    def summary_line(self) -> str:
        """The one line `run` ends with on stderr."""
        simulated = sum(1 for item in self.edited if item["action"] == "simulated")
        edited = (f"{len(self.edited)} to edit (dry run)" if self.dry_run
                  else f"{simulated} simulated (pywikibot's simulate, nothing saved)" if simulated
                  else f"{len(self.edited)} edited")
        requests = self.api_requests if self.api_requests is not None else "-"
        return (f"{self.outcome}: {self.pages_checked} pages checked ({self.check}), {self.pages_parsed} parsed, "
                f"{edited}, {requests} API requests, {self.seconds:.2f} s")


@dataclass
class JobReport:
    """What one `run --all` did: the job's figures, then each event's section."""

    source: str
    dry_run: bool = False
    #: the job's, not the events' (JOB_POLICY): done | stopped | deferred | error | locked
    outcome: str = "error"
    exit: int = EXIT_ERROR
    #: keys of the events whose own run did not end well (their sections say why): no job failure
    events_failed: list[str] = field(default_factory=list)
    events_found: int = 0  # on the wiki (those the operator lets opt in) and local configs
    events_checked: int = 0  # in the change check
    events_changed: int = 0  # found changed by it (read, and served unless paused)
    edited: int = 0  # pages saved (or to save, in a dry run), all events together
    api_requests: int | None = None
    api_reads: int | None = None
    seconds: float = 0.0
    #: pages transcluding the template that the operator's rule does not let opt in (never written)
    refused_pages: list[dict[str, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # events known before, no longer found: not served
    dropped: list[str] = field(default_factory=list)  # of those, gone past the grace: state dropped
    notes: list[str] = field(default_factory=list)
    error: str | None = None  # the one line printed when the job could not run (exit 2 or 5)
    time: str = ""
    events: list[RunReport] = field(default_factory=list)

    def settle(self) -> None:
        """The job's exit code and outcome (JOB_POLICY): what the operator must act on, never an
        event's own outcome, which its section and status page tell."""
        self.edited = sum(len(e.edited) for e in self.events)
        self.events_failed = [e.event for e in self.events
                              if e.exit != EXIT_DONE and e.outcome not in _JOB_OUTCOMES]
        outcomes = {e.outcome for e in self.events}
        if "stopped" in outcomes:
            self.outcome, self.exit = "stopped", EXIT_REFUSED
        elif "deferred" in outcomes:
            self.outcome, self.exit = "deferred", EXIT_SKIPPED
        else:
            self.outcome, self.exit = "done", EXIT_DONE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def lines(self) -> list[str]:
        """The text report: a line per event, then a summary line."""
        out = []
        for e in self.events:
            what = e.error or (f"{len(e.edited)} {'to edit' if self.dry_run else 'edited'}"
                               + (f", {len(e.refused)} refused" if e.refused else "")
                               + (f", {len(e.skipped)} skipped" if e.skipped else ""))
            out.append(f"{e.outcome:>16}  {e.event}  ({what})")
        edited = f"{self.edited} {'to edit (dry run)' if self.dry_run else 'edited'}"
        requests = self.api_requests if self.api_requests is not None else "-"
        failed = f", {len(self.events_failed)} with problems (see their status pages)" if self.events_failed else ""
        out.append(f"{self.outcome}: {self.events_found} events found, {self.events_changed} of "
                   f"{self.events_checked} changed{failed}, {edited}, {requests} API requests, {self.seconds:.2f} s")
        return out


def report_path(state_path: Path) -> Path:
    """Where a run's report is kept: beside the state file."""
    return state_path.with_name(state_path.name + ".report.json")


def write_report(state_path: Path, report: RunReport | JobReport) -> None:
    """Rewrite the report file (0600) for every run, whatever its end: its time, exit and error."""
    if not report.time:
        report.time = _now()
    write_private(report_path(state_path), report.to_json())
