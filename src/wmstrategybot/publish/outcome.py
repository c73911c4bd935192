"""What applying a plan did, page by page: the values the run report is built from."""

from __future__ import annotations

from dataclasses import dataclass, field

from wmstrategybot.model.pages import PageRecord


@dataclass
class Outcome:
    title: str
    action: str  # created | updated | unchanged | refused | skipped | simulated (pywikibot's simulate)
    reason: str = ""
    revision: int | str | None = None
    merged: bool = False  # the wiki merged the edit with a newer revision (see SaveResult)
    #: saved from pages that changed before the run ended (a re-plan would write it otherwise):
    #: not to be recorded as seen, so the next run reads it again
    stale: bool = False
    #: skipped for a reason that will not pass by itself (protection, a filter, a block): a
    #: person must act, and their act shows as a change; the other skips are retried next run
    lasting: bool = False


@dataclass
class ApplyResult:
    """What apply() did, page by page (the run report is built from it)."""

    outcomes: list[Outcome] = field(default_factory=list)
    stopped: str | None = None
    #: the pages read again right before a save (the page and the stop page): what the run's
    #: later plans were made from
    reread: dict[str, PageRecord] = field(default_factory=dict)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def ok(self) -> bool:
        return not self.stopped and not any(o.action in ("refused", "skipped") for o in self.outcomes)
