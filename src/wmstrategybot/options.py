"""How a command runs: one frozen object the command line builds once and hands down, read
where each option matters (as black's `Mode`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass


def _quiet(message: str) -> None:
    """No progress shown."""


def _never() -> bool:
    """Never asked to stop."""
    return False


@dataclass(frozen=True)
class Options:
    """The options of a run."""

    #: plan and report, save nothing, keep the state as it is (and never log in)
    dry_run: bool = False
    #: publish a generated list that gets shorter or empty (the shrink and lost-session guards off)
    allow_shrink: bool = False
    #: read and plan every event, whatever the change check says
    full_run: bool = False
    #: called with a line saying what the run does now (the terminal's progress line)
    progress: Callable[[str], None] = _quiet
    #: the wall clock, in seconds (a test's own clock in tests)
    clock: Callable[[], float] = time.time
    #: asked before each event of `run --all` is begun: True (a signal came) leaves the rest for
    #: the next run, as a spent time budget does
    stopping: Callable[[], bool] = _never
