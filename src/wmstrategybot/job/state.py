"""The run state: what the last successful run saw (revisions, the watchlist's state, pages
skipped or removed), as a typed RunState. It is kept in the state store (statestore.py) as the
JSON object the state files of earlier versions held; `load_state` reads such a file (validated:
a file of another shape counts as missing) to migrate it."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypedDict

from wmstrategybot.model.settings import EventConfig
from wmstrategybot.sources.base import Source

STATE_VERSION = 1


class RetryLater(TypedDict):
    """Pages skipped for a lasting reason (a block, protection): tried again a day after `at`."""

    titles: list[str]
    at: float


class WatchlistFailed(TypedDict, total=False):
    """The wiki refused to show the bot's watchlist at `at` (runs use the revision check)."""

    at: float
    reason: str


class WatchFailed(TypedDict, total=False):
    """The wiki refused to watch the pages of the titles' `digest` at `at`."""

    digest: str
    at: float
    reason: str


@dataclass(frozen=True)
class RunState:
    """What the last successful run saw. A field left None is not in the file (as a key missing
    from the JSON object of earlier versions)."""

    #: each page's revision as last read (None: the page did not exist)
    revisions: dict[str, int | str | None] | None = None
    #: the status page's record of the last outcome (`statuspage.outcome_record`)
    outcome: dict[str, Any] | None = None
    #: pages skipped for a passing reason: the next run is a full one
    retry: list[str] | None = None
    retry_later: RetryLater | None = None
    #: pages a person deleted or moved away, and why they stay refused
    removed: dict[str, str] | None = None
    #: the wiki's clock at the last check, and this machine's
    checked_at: str | None = None
    checked: float | None = None
    #: the wiki's clock at the last read, less a margin
    read_at: str | None = None
    #: the wiki's spelling of titles the config spells otherwise
    canonical: dict[str, str] | None = None
    #: log entries seen that the watchlist may list again, by id
    logs_seen: dict[str, str] | None = None
    watchlist_failed: WatchlistFailed | None = None
    #: the digest of the titles all on the bot's watchlist, and when that was last seen true
    watching: str | None = None
    verified: float | None = None
    watch_failed: WatchFailed | None = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RunState:
        """A state from the JSON object of the state file (`version` aside; not validated)."""
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})

    def to_json(self) -> dict[str, Any]:
        """The JSON object of the state file, without `version`: the fields that are set."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def default_state_path(config: EventConfig, source: Source) -> Path:
    """The state database: ``$XDG_DATA_HOME/wmstrategybot/<event>--<source>.db``
    (``~/.local/share`` by default)."""
    return legacy_state_path(config, source).with_suffix(".db")


def legacy_state_path(config: EventConfig, source: Source) -> Path:
    """Where earlier versions kept the state file: the default database's name with ``.json``
    (migrated into the database by the first run)."""
    return _data_home() / f"{config.id}--{_slug(source)}.json"


def default_job_state_path(source: Source) -> Path:
    """The state database of `run --all`, beside the single-event default:
    ``$XDG_DATA_HOME/wmstrategybot/all--<source>.db``."""
    return _data_home() / f"all--{_slug(source)}.db"


def _data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "wmstrategybot"


def _slug(source: Source) -> str:
    return "".join(c if c.isalnum() or c in "-." else "-" for c in source.describe()).strip("-")


def load_state(path: Path, notes: list[str] | None = None) -> RunState:
    """The last run's state; a file that is unreadable or of the wrong shape counts as missing
    (it costs one full run), with a note saying why."""
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return RunState()
    except OSError as exc:
        state, why = RunState(), f"cannot be read ({exc.strerror or exc})"
    except ValueError:  # not UTF-8
        state, why = RunState(), "is not valid JSON"
    else:
        state, why = parse_state(text)
    if why is not None and notes is not None:
        notes.append(f"the state file {path} {why}; treated as missing (a full run)")
    return state


def parse_state(text: str) -> tuple[RunState, str | None]:
    """A run state from its JSON text, and None; or an empty state and why (not JSON, another
    shape): the JSON file and the state store read a state the same way."""
    try:
        data = json.loads(text)
    except ValueError:
        return RunState(), "is not valid JSON"
    why = state_problem(data)
    return (RunState.from_json(data) if why is None else RunState()), why


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_str_map(values: type | tuple[type, ...], nullable: bool = False) -> Callable[[Any], bool]:
    def check(v: Any) -> bool:
        return isinstance(v, dict) and all(
            isinstance(k, str) and ((x is None and nullable) or (isinstance(x, values) and not isinstance(x, bool)))
            for k, x in v.items())
    return check


def _is_record(**fields: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda v: isinstance(v, dict) and all(k in v and check(v[k]) for k, check in fields.items())


#: every key a state file may hold, and the shape of its value (see `run` and `changes.common_state`)
_STATE_SHAPE: dict[str, Callable[[Any], bool]] = {
    "version": lambda v: v == STATE_VERSION,
    "revisions": _is_str_map((int, str), nullable=True),
    "outcome": lambda v: isinstance(v, dict),
    "retry": lambda v: isinstance(v, list) and all(map(_is_str, v)),
    "retry_later": _is_record(titles=lambda v: isinstance(v, list) and all(map(_is_str, v)), at=_is_number),
    "removed": _is_str_map(str),
    "checked_at": lambda v: v is None or _is_str(v),
    "checked": _is_number,
    "read_at": lambda v: v is None or _is_str(v),
    "canonical": _is_str_map(str),
    "logs_seen": _is_str_map(str),
    "watchlist_failed": _is_record(at=_is_number),
    "watching": _is_str,
    "verified": _is_number,
    "watch_failed": _is_record(at=_is_number),
}


def state_problem(data: Any) -> str | None:
    """Why `data` (a decoded JSON object, with its `version`) is not a state this version
    wrote, or None (a state file's, or a row of the state store)."""
    if not isinstance(data, dict):
        return f"holds a JSON {type(data).__name__}, not an object"
    if data.get("version") != STATE_VERSION:
        return f"is of another version ({data.get('version')!r}, this bot writes {STATE_VERSION})"
    for key, value in data.items():
        check = _STATE_SHAPE.get(key)
        if check is None:
            return f"has an unknown key {key!r}"
        if not check(value):
            return f"has a {key!r} of the wrong shape"
    return None
