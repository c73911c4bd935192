"""Where page texts come from and go to: the protocols a source offers (base.py: reading,
saving, the watchlist and changes, finding opted-in events) with the per-run ``Session`` that
``begin()`` returns, and one module per source: the bundled snapshot, an XML export, a folder, a
wiki (site.py, imported only when asked for: it needs pywikibot), and pages in memory for tests.
open.py opens a source by its ``--source`` name.

The only package that touches page storage. This face hands on the names scripts use.
"""

from __future__ import annotations

from wmstrategybot.errors import (
    EditConflict,
    PageDeleted,
    SourceError,
    WatchlistUnavailable,
)
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.titles import normalize_title
from wmstrategybot.sources.base import Change, SaveResult, Source
from wmstrategybot.sources.dump import (
    EXPORT_NAMESPACE_PREFIX,
    MAX_EXPORT_BYTES,
    DumpSource,
    export_xml,
)
from wmstrategybot.sources.folder import DirSource, dir_titles
from wmstrategybot.sources.memory import MemorySource
from wmstrategybot.sources.open import open_source
from wmstrategybot.sources.snapshot import SNAPSHOT_FILE, SnapshotSource

__all__ = [
    "EXPORT_NAMESPACE_PREFIX", "MAX_EXPORT_BYTES", "SNAPSHOT_FILE", "Change", "DirSource", "DumpSource",
    "EditConflict", "MemorySource", "PageDeleted", "PageRecord", "SaveResult", "SnapshotSource", "Source",
    "SourceError", "WatchlistUnavailable", "dir_titles", "export_xml", "normalize_title", "open_source",
]


