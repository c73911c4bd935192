#!/usr/bin/env python3
"""Build the bundled snapshot (a Special:Export XML file) from the page files in snapshot/.

    python scripts/build_snapshot.py          # write src/wmstrategybot/data/wmcon2018-snapshot.xml
    python scripts/build_snapshot.py --check  # exit 1 if the bundled file is out of date

Revision ids and timestamps are fixed per title, so the output is byte-identical each time.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wmstrategybot.sources import (
    SNAPSHOT_FILE,
    DirSource,
    PageRecord,
    dir_titles,
    export_xml,
)

#: Revision ids and timestamps of the snapshot, as if exported from Meta-Wiki in June 2018.
FIRST_REVISION = 18070001


def build(folder: Path = ROOT / "snapshot") -> bytes:
    source = DirSource(folder)
    records = []
    for i, title in enumerate(dir_titles(folder)):
        page = source.read([title])[title]
        records.append(
            PageRecord(
                title=title,
                text=page.text,
                revision=FIRST_REVISION + i,
                timestamp=f"2018-06-{1 + i:02d}T12:00:00Z",
                content_model=page.content_model,
            )
        )
    return export_xml(records)


def main(argv: list[str]) -> int:
    target = ROOT / "src" / "wmstrategybot" / "data" / SNAPSHOT_FILE
    data = build()
    if "--check" in argv:
        if not target.is_file() or target.read_bytes() != data:
            print(f"{target} is out of date: run python scripts/build_snapshot.py", file=sys.stderr)
            return 1
        return 0
    target.write_bytes(data)
    print(f"wrote {target} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
