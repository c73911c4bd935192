"""The bundled offline copy of the 2018 track's pages (an export shipped in the package)."""

from __future__ import annotations

from importlib import resources

from wmstrategybot.sources.dump import DumpSource

SNAPSHOT_FILE = "wmcon2018-snapshot.xml"


class SnapshotSource(DumpSource):
    """The bundled offline copy of the 2018 track's pages."""

    def __init__(self) -> None:
        data = resources.files("wmstrategybot").joinpath("data", SNAPSHOT_FILE).read_bytes()
        super().__init__(SNAPSHOT_FILE, name="snapshot", data=data)
