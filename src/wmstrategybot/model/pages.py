"""A page as a source read it: the one shape page texts have from the source to the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PageRecord:
    """A page as read: its text (None: the page does not exist) and the revision it was read at."""

    title: str
    text: str | None
    revision: int | str | None = None
    timestamp: str | None = None
    content_model: str = "wikitext"
    user: str | None = None  # who made the revision, where the source knows

    @property
    def exists(self) -> bool:
        return self.text is not None


def existing(records: Mapping[str, PageRecord]) -> dict[str, PageRecord]:
    """The records of the pages that exist (those extraction reads)."""
    return {t: r for t, r in records.items() if r.text is not None}
