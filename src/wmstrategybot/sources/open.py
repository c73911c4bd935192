"""A source by the name the command line gives it (``--source``)."""

from __future__ import annotations

import os
from pathlib import Path

from wmstrategybot.errors import SourceError
from wmstrategybot.sources.base import Source
from wmstrategybot.sources.dump import DumpSource
from wmstrategybot.sources.folder import DirSource
from wmstrategybot.sources.snapshot import SnapshotSource


def open_source(spec: str, config: object | None = None, *, limits: tuple[int, float | None] | None = None) -> Source:
    """``snapshot`` | ``dump:PATH`` | ``dir:PATH`` | ``site``: the wiki the config names, or without
    one pywikibot's configured site; `limits`: a job's maxlag and throttle (wikis only)."""
    if spec == "snapshot":
        return SnapshotSource()
    kind, colon, arg = spec.partition(":")
    if kind in ("dump", "dir") and not arg.strip():
        what = "an export file" if kind == "dump" else "a folder"
        raise SourceError(f"--source {kind}: needs a path: {kind}:PATH, PATH being {what}")
    if kind == "dump":
        return DumpSource(arg)
    if kind == "dir":
        return DirSource(arg)
    if spec == "site":
        from wmstrategybot.sources.site import SiteSource

        _need_user_config()
        return SiteSource.from_config(config, limits)
    raise SourceError(f"unknown source {spec!r}: use snapshot, site, dump:PATH or dir:PATH")


def _need_user_config() -> None:
    """pywikibot without a user-config.py falls back to test.wikipedia.org and fails there, far from
    the cause: say which file is missing, where pywikibot looks for it, before it is loaded."""
    if os.environ.get("PYWIKIBOT_NO_USER_CONFIG"):
        return
    given = os.environ.get("PYWIKIBOT_DIR")
    if given:
        folder = Path(given)
    elif (Path.cwd() / "user-config.py").is_file():
        return
    else:
        folder = Path.home() / ".pywikibot"
    if not (folder / "user-config.py").is_file():
        where = f"PYWIKIBOT_DIR={given}" if given else f"PYWIKIBOT_DIR is not set, and neither {folder} nor the current folder has one"
        raise SourceError(f"--source site: no pywikibot user-config.py in {folder} ({where}); copy "
                          "user-config.py.example there, or set PYWIKIBOT_DIR to the folder that holds yours")
