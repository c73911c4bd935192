"""Where comments, closed tags and the bot's regions begin and end, in one linear pass. Pure.

These were lazy regular expressions (``<pre>.*?</pre>``), which search on to the end of the
page again for every opening tag that is never closed: 40,000 unclosed ``<pre>`` took
minutes. Here each opening tag looks its closing tag up in a table of the page's closing
tags, built once. The spans found are the ones the expressions found (the expressions are
kept in tests/wikitext_reference.py, and the tests compare the two).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable


def blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """`text` with every character of the spans but newlines turned into a space."""
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(text[pos:start])
        out.append("\n".join(" " * len(piece) for piece in text[start:end].split("\n")))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _fold(name: str) -> str:
    """A tag name as a case-insensitive back-reference compares it (``İ`` is ``i``)."""
    return name.lower().replace("i\u0307", "i")


class Positions:
    """The positions of a pattern's matches in a text, asked for the first at or after a point."""

    def __init__(self, pattern: re.Pattern[str], text: str):
        self.starts = [m.start() for m in pattern.finditer(text)]

    def first(self, pos: int) -> int:
        """The first match at or after `pos`, or -1."""
        k = bisect_left(self.starts, pos)
        return self.starts[k] if k < len(self.starts) else -1


GT = re.compile(">")


class TagBlocks:
    """Spans of ``<!--...-->`` (optional; an unclosed one runs to the end), ``<tag .../>`` (optional)
    and ``<tag ...>...</tag>`` for the given tag names, leftmost first, none inside another.

    The same spans as ``re.finditer`` of ``<!--.*?(?:-->|\\Z)|<(?:TAGS)\\b[^>]*?/>|<(TAGS)\\b[^>]*>.*?</\\1\\s*>``
    (DOTALL, IGNORECASE) with the parts asked for.
    """

    def __init__(self, tags: Iterable[str], *, comments: bool, self_closing: bool):
        names = "|".join(tags)
        # '<' once before the alternatives: the search skips to each '<' instead of trying each
        self.opener = re.compile(r"<(?:" + (r"!--|" if comments else "") + rf"({names})\b)", re.I)
        self.closer = re.compile(rf"</({names})\s*>", re.I)
        self.self_closing = self_closing

    def spans(self, text: str) -> list[tuple[int, int]]:
        if "<" not in text:
            return []
        closes: dict[str, tuple[list[int], list[int]]] = {}
        for m in self.closer.finditer(text):
            starts, ends = closes.setdefault(_fold(m.group(1)), ([], []))
            starts.append(m.start())
            ends.append(m.end())
        gts: list[Positions] = []  # of '>': found at the first tag (not comment) met
        found: list[tuple[int, int]] = []
        pos = 0
        for m in self.opener.finditer(text):
            i = m.start()
            if i < pos:
                continue
            name = m.group(1)
            if name is None:  # a comment
                end = text.find("-->", i + 4)
                pos = len(text) if end < 0 else end + 3
                found.append((i, pos))
                continue
            if not gts:
                gts.append(Positions(GT, text))
            gt = gts[0].first(m.end())
            if gt < 0:
                continue
            if self.self_closing and gt > m.end() and text[gt - 1] == "/":
                pos = gt + 1
                found.append((i, pos))
                continue
            close = closes.get(_fold(name))
            if close is None:
                continue
            k = bisect_left(close[0], gt + 1)
            if k < len(close[0]):
                pos = close[1][k]
                found.append((i, pos))
        return found


#: the end markers' names, a character a level ("" marks where a name ends)
_Trie = dict[str, "_Trie"]
#: the name of a bot region, as its markers write it (merge.MARKER reads the same)
REGION_NAME = r"[a-z0-9-]+"
_BEGIN = re.compile(rf"<!-- wmstrategybot:begin ({REGION_NAME})")
_END = re.compile(rf"<!-- wmstrategybot:end ({REGION_NAME}) -->")


def region_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the bot's regions, leftmost first: those of ``re.finditer`` of
    ``<!-- wmstrategybot:begin ([a-z0-9-]+)[^>]*?-->.*?<!-- wmstrategybot:end \\1 -->`` (DOTALL).

    A begin marker's name may end before its run of name characters does (``begin a-->``
    names ``a``): every prefix that some end marker names is tried, longest first.
    """
    if "wmstrategybot:begin" not in text:
        return []
    ends: dict[str, tuple[list[int], list[int]]] = {}
    trie: _Trie = {}
    for m in _END.finditer(text):
        starts, stops = ends.setdefault(m.group(1), ([], []))
        starts.append(m.start())
        stops.append(m.end())
    for name in ends:
        node = trie
        for ch in name:
            node = node.setdefault(ch, {})
        node[""] = {}
    gts = Positions(GT, text)
    found: list[tuple[int, int]] = []
    pos = 0
    for m in _BEGIN.finditer(text):
        if m.start() < pos:
            continue
        gt = gts.first(m.start(1))
        if gt < 0:
            continue
        limit = gt - 2 - m.start(1)  # "--" must stand between the name and ">"
        if limit < 1 or text[gt - 2: gt] != "--":
            continue
        run = m.group(1)[:limit]
        lengths: list[int] = []
        node = trie
        for k, ch in enumerate(run):
            child = node.get(ch)
            if child is None:
                break
            node = child
            if "" in node:
                lengths.append(k + 1)
        for length in reversed(lengths):
            starts, stops = ends[run[:length]]
            k = bisect_left(starts, gt + 1)
            if k < len(starts):
                pos = stops[k]
                found.append((m.start(), pos))
                break
    return found
