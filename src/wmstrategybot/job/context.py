"""What the events served by one run share."""

from __future__ import annotations

from dataclasses import dataclass, field

from wmstrategybot.config.job import JobConfig
from wmstrategybot.job.store import StateStore
from wmstrategybot.options import Options
from wmstrategybot.sources.base import Source


@dataclass(frozen=True)
class Serving:
    """What every event served by one run shares: the source, the state store, the options, the
    run's clock when it began and the job's settings (the operator, the schedule)."""

    source: Source
    store: StateStore
    options: Options
    now: float
    job: JobConfig = field(default_factory=JobConfig)
