"""The job file of `run --all` (TOML, the bot operator's settings): what holds for every event
the job serves, and which pages may opt in at all.

```
[job]
stop_page = "User:ExampleBot/Stop"        # any editor can stop every event's saves
throttle = 10                              # seconds between edits, for the whole job
maxlag = 5
allowlist = "User:ExampleBot/Allowed"      # a page listing the pages that may opt in
namespaces = [0, 4]                        # where opt-in pages may be
configs = ["events/summit.toml"]           # local TOML configs, served beside the on-wiki ones
removal_grace_days = 30                    # an event gone this long: its state is dropped
time_budget = 2700                         # seconds: events not begun by then wait for the next run
operator = "User:ExampleOperator"          # whom the status pages tell organisers to ask
run_every = 3600                           # seconds between scheduled runs: the status page's "next run"
status_page = "User:ExampleBot/Bot status" # the job's own health (run --all --follow writes it)

[handover]                                 # a generated page -> the root of its new owner
"Template:Summit/Navigation" = "Summit 2027"
```
Every key is optional; a job file is optional too. Relative config paths are read from the
job file's folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wmstrategybot.errors import ConfigError
from wmstrategybot.model.titles import title_problem

_KEYS = ("stop_page", "throttle", "maxlag", "allowlist", "namespaces", "configs", "removal_grace_days",
         "time_budget", "operator", "run_every", "status_page")
#: seconds an event no longer found is remembered (its state dropped after that)
REMOVAL_GRACE = 30 * 86400.0
#: seconds of a run after which no further event is begun (those left are served next run): an
#: hourly job ends before the next one starts, however many events are slow to read
TIME_BUDGET = 2700.0
#: seconds between scheduled runs (deploy/toolforge/jobs.yaml: @hourly)
RUN_EVERY = 3600.0


@dataclass(frozen=True)
class JobConfig:
    """The operator's settings of a `run --all` job (the defaults: no job file)."""

    stop_page: str | None = None
    throttle: float | None = None  # None: pywikibot's put_throttle
    maxlag: int = 5
    allowlist: str | None = None  # the page listing the pages that may opt in (`* [[Title]]`)
    namespaces: frozenset[int] | None = None  # None: any namespace
    configs: tuple[Path, ...] = ()
    removal_grace_days: float = REMOVAL_GRACE / 86400
    time_budget: float = TIME_BUDGET
    #: whom organisers ask: the operator's wiki page, named on every status page
    operator: str | None = None
    #: seconds between the scheduler's runs (the status page's "next run")
    run_every: float = RUN_EVERY
    status_page: str | None = None  # None: User:<the bot's account>/Bot status
    #: ``[handover]``: (generated page, the root or config:<id> of the event it is handed to)
    handover: tuple[tuple[str, str], ...] = ()

    @property
    def removal_grace(self) -> float:
        """The grace period in seconds."""
        return self.removal_grace_days * 86400


def job_from_dict(raw: dict[str, Any], origin: str = "<job>", base: Path = Path(".")) -> JobConfig:
    """The job's settings from the parsed TOML (its ``[job]`` table)."""
    extra = sorted(set(raw) - {"job", "handover"})
    if extra:
        raise ConfigError(f"{origin}: unknown table or key {extra[0]!r} (a job file has a [job] table "
                          "and a [handover] table)")
    handover = raw.get("handover", {})
    if not isinstance(handover, dict) or not all(
            isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip() for k, v in handover.items()):
        raise ConfigError(f"{origin}: [handover] must map page titles to the root title (or config:<id>) "
                          'of their new owner, such as "Template:Summit/Navigation" = "Summit 2027"')
    job = raw.get("job", {})
    if not isinstance(job, dict):
        raise ConfigError(f"{origin}: [job] must be a table")
    unknown = sorted(set(job) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{origin} [job]: unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")

    def text(key: str) -> str | None:
        value = job.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise ConfigError(f"{origin} [job]: {key} must be a page title")
        if value is None:
            return None
        problem = title_problem(value)
        if problem:
            raise ConfigError(f"{origin} [job]: {key} {value.strip()[:80]!r} {problem}")
        return value.strip()

    def number(key: str, default: float | None, low: float) -> float | None:
        value = job.get(key, default)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < low):
            raise ConfigError(f"{origin} [job]: {key} must be a number, at least {low:g}")
        return value

    namespaces = job.get("namespaces")
    if namespaces is not None and (not isinstance(namespaces, list)
                                   or not all(isinstance(n, int) and not isinstance(n, bool) for n in namespaces)):
        raise ConfigError(f"{origin} [job]: namespaces must be a list of namespace numbers, such as [0, 4]")
    configs = job.get("configs", [])
    if not isinstance(configs, list) or not all(isinstance(c, str) and c.strip() for c in configs):
        raise ConfigError(f"{origin} [job]: configs must be a list of paths of TOML event configs")
    maxlag = number("maxlag", 5, 1)
    grace = number("removal_grace_days", REMOVAL_GRACE / 86400, 0)
    budget = number("time_budget", TIME_BUDGET, 1)
    every = number("run_every", RUN_EVERY, 60)
    assert maxlag is not None and grace is not None and budget is not None and every is not None
    return JobConfig(
        stop_page=text("stop_page"),
        throttle=number("throttle", None, 0),
        maxlag=int(maxlag),
        allowlist=text("allowlist"),
        namespaces=frozenset(namespaces) if namespaces is not None else None,
        configs=tuple(base / c for c in configs),
        removal_grace_days=float(grace),
        time_budget=float(budget),
        operator=text("operator"),
        run_every=float(every),
        status_page=text("status_page"),
        handover=tuple((k.strip(), v.strip()) for k, v in handover.items()),
    )
