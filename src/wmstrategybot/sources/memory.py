"""Pages in a dict: a real, writable source for tests of planning and saving (the dir: source
is the one people use)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .base import PageRecord, SaveResult, Source


class MemorySource(Source):
    """Pages held in memory; a page's revision is the hash of its text. A save overwrites."""

    name = "memory"
    writable = True

    def __init__(self, pages: Mapping[str, str]):
        self.pages = dict(pages)

    def read(self, titles: Iterable[str]) -> dict[str, PageRecord]:
        return {t: PageRecord(t, self.pages.get(t), hash(self.pages.get(t))) for t in titles}

    def save(self, page: PageRecord, text: str, edit_summary: str, content_model: str | None = None) -> SaveResult:
        self.pages[page.title] = text
        return SaveResult(page.title, hash(text), created=not page.exists)
