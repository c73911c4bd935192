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


class MemorySource:
    """Pages in a dict, for unit tests of planning and merging (the dir: source is the real one)."""

    name = "memory"
    writable = True
    user = None

    def __init__(self, pages: dict[str, str]):
        self.pages = dict(pages)

    def describe(self) -> str:
        return self.name

    def read(self, titles):
        from wmstrategybot.sources import PageRecord

        return {t: PageRecord(t, self.pages.get(t), hash(self.pages.get(t))) for t in titles}

    def save(self, page, text, summary, content_model=None):
        from wmstrategybot.sources import SaveResult

        self.pages[page.title] = text
        return SaveResult(page.title, hash(text), created=not page.exists)


SIGNUP_CONFIG = """
[event]
root = "E"
days = ["Day 1"]
[targets]
summary = "E/Overview"
navbox = "Template:E nav"
signups = "E/Sign-up"
data = "E/Data.json"
[areas]
"Roles & Responsibilities" = ["Roles"]
"Resource Allocation" = ["Resources"]
"Community" = ["Community Health"]
"Technology" = []
"""
DAY = "== D1.01 / Opening ==\nIntro.\n=== 01 . Welcome ===\nText.\n"


def regenerate_signups(text: str) -> tuple[str | None, object]:
    """The signup page as the bot would save it over `text`, and the planned edit."""
    from wmstrategybot.config import parse_config
    from wmstrategybot.publish import plan

    config = parse_config(SIGNUP_CONFIG)
    source = MemorySource({"E/Day 1": DAY, "E/Sign-up": text})
    edit = next(e for e in plan(config, source).edits if e.kind == "signups")
    return edit.new_text, edit
