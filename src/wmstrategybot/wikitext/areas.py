"""Thematic areas: canonical names and the other names pages use for them. Pure."""

from __future__ import annotations

import html
import re

from wmstrategybot.wikitext.text import plain_line


class AreaIndex:
    """Finds the canonical area for a name or alias, ignoring case, markup and '&'/'and'."""

    def __init__(self, areas: tuple[tuple[str, tuple[str, ...]], ...]):
        self.areas = areas
        self._index: dict[str, str] = {}
        for name, aliases in areas:
            for alias in (name, *aliases):
                self._index[self.key(alias)] = name

    @staticmethod
    def key(text: str) -> str:
        # entities read as the wiki shows them: a heading the bot wrote for an area named
        # "A [b]" holds "A &#91;b&#93;"
        text = plain_line(html.unescape(text)).lower().replace(" and ", " & ")
        return re.sub(r"[^\w&]+", " ", text).strip()

    def canonical(self, text: str) -> str | None:
        return self._index.get(self.key(text))
