"""Small helpers shared by the tests (not fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SNAPSHOT_DIR = REPO / "snapshot"
ROOT = "Wikimedia Conference 2018/Documentation/Movement Strategy track"
SIGNUPS = f"{ROOT}/Working Groups/Sign-up"
NAVBOX = "Template:Wikimedia Conference 2018 Movement Strategy track navigation"
OVERVIEW = f"{ROOT}/Overview"
DATA = f"{ROOT}/Data.json"


def copy_snapshot(dest: Path) -> Path:
    """A writable dir: source holding the snapshot's pages."""
    shutil.copytree(SNAPSHOT_DIR, dest)
    return dest


def page_file(root: Path, title: str) -> Path:
    parts = title.split("/")
    return root.joinpath(*parts[:-1], parts[-1] + ".wikitext")
