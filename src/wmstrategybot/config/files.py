"""The TOML files a user names: an event config and a job file, read from the disk (the one
module of the config layer that reads it)."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from wmstrategybot.config.event import parse_config
from wmstrategybot.config.job import JobConfig, job_from_dict
from wmstrategybot.errors import ConfigError
from wmstrategybot.model.settings import EventConfig

DEFAULT_CONFIG = "wmcon2018.toml"


def load_config(path: str | Path | None = None) -> EventConfig:
    """Read an event config file; ``None`` means the bundled 2018 config."""
    if path is None:
        text = resources.files("wmstrategybot").joinpath("events", DEFAULT_CONFIG).read_text("utf-8")
        origin = f"<bundled {DEFAULT_CONFIG}>"
    else:
        p = Path(path)
        try:
            text = p.read_text("utf-8")
        except FileNotFoundError:
            raise ConfigError(f"config file not found: {p}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read config {p}: {exc}") from None
        origin = str(p)
    return parse_config(text, origin)


def load_job(path: str | Path | None) -> JobConfig:
    """The job file at `path` (None: no job file, the defaults); ConfigError (one line) if it
    cannot be read or a key is wrong."""
    if path is None:
        return JobConfig()
    p = Path(path)
    try:
        raw = tomllib.loads(p.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"job file not found: {p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read job file {p}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: malformed TOML: {exc}") from None
    return job_from_dict(raw, str(p), p.parent)
