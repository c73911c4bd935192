"""A source by the name the command line gives it (``--source``)."""

from __future__ import annotations

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

        return SiteSource.from_config(config, limits)
    raise SourceError(f"unknown source {spec!r}: use snapshot, site, dump:PATH or dir:PATH")
