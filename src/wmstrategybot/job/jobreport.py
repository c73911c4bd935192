"""The report of a `run --all` job: the job's figures and a section per event (each a
`RunReport`, as the single-event `run` writes it); its exit code is the worst of the events'."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from wmstrategybot.exits import EXIT_DONE, EXIT_ERROR, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.job.report import RunReport

#: exit codes from the worst down (the exit table's order): error, refused, skipped, done
_WORST_FIRST = (EXIT_ERROR, EXIT_REFUSED, EXIT_SKIPPED, EXIT_DONE)
_OUTCOME = {EXIT_ERROR: "error", EXIT_REFUSED: "refused", EXIT_SKIPPED: "skipped", EXIT_DONE: "done"}


def worst_exit(codes: list[int]) -> int:
    """The worst of these exit codes (2 > 4 > 3 > 0); 0 for none."""
    for code in _WORST_FIRST:
        if code in codes:
            return code
    return max(codes, default=EXIT_DONE)


@dataclass
class JobReport:
    """What one `run --all` did: the job's figures, then each event's section."""

    source: str
    dry_run: bool = False
    outcome: str = "error"  # done | skipped | refused | error (the worst event's) | locked
    exit: int = EXIT_ERROR
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
        """The job's exit code and outcome: the worst of its events'."""
        self.exit = worst_exit([e.exit for e in self.events])
        self.outcome = _OUTCOME.get(self.exit, "error")
        self.edited = sum(len(e.edited) for e in self.events)

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
        out.append(f"{self.outcome}: {self.events_found} events found, {self.events_changed} of "
                   f"{self.events_checked} changed, {edited}, {requests} API requests, {self.seconds:.2f} s")
        return out
