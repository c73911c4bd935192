"""What the events served by one run share."""

from __future__ import annotations

from dataclasses import dataclass

from wmstrategybot.job.store import StateStore
from wmstrategybot.options import Options
from wmstrategybot.sources.base import Source


@dataclass(frozen=True)
class Serving:
    """What every event served by one run shares: the source, the state store, the options and
    the run's clock when it began."""

    source: Source
    store: StateStore
    options: Options
    now: float
