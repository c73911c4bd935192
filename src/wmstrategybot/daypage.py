"""A documentation page read line by line into session, part and appendix blocks. Pure.

The scan runs on a masked copy (comments, <nowiki>, <pre>, <syntaxhighlight>, <math> and bot
regions blanked, positions kept), so a marker inside them opens nothing and line numbers are
the page's. A session marker opens a session; a part marker inside a session opens a part. A
plain heading closes the session when it stands at the session's level or above (for a bold,
tag or template marker: at the level of the heading the session stands under, or ``==``);
what follows it until the next session is an appendix of the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .markers import MarkerLine, Markers, marker_line
from .wikitext import mask, reader_text


@dataclass
class Block:
    """A session, part or appendix: its marker line, the lines it owns and where it ends."""

    kind: str  # "session" | "part" | "appendix"
    number: int
    title: str
    line: int  # 0-based index of the marker or heading line
    level: int | None  # heading level; None for a bold, tag or template marker
    close_level: int = 2
    day: int | None = None
    code: str = ""
    anchor: str | None = None
    end: int = 0  # 0-based index of the first line after the block
    body: list[int] = field(default_factory=list)  # 0-based line indexes, marker lines excluded
    parts: list[Block] = field(default_factory=list)
    marker_lines: list[int] = field(default_factory=list)  # continuation lines of a multi-line template marker

    @property
    def lines(self) -> list[int]:
        """Every line of the block: marker, body, and its parts' markers and bodies."""
        own = [self.line, *self.marker_lines, *self.body]
        for p in self.parts:
            own.extend(p.lines)
        return sorted(own)


@dataclass
class PageScan:
    sessions: list[Block]
    appendices: list[Block]
    notices: list[tuple[int, str]]  # (0-based line, message)
    masked: list[str]

    @property
    def first_session_line(self) -> int:
        return self.sessions[0].line if self.sessions else len(self.masked)


def template_end(masked: list[str], i: int, limit: int = 30) -> int:
    """The last line of a template call that opens line i and closes on a later line, else i."""
    if not masked[i].lstrip().startswith("{{"):
        return i
    depth = 0
    for k in range(i, min(len(masked), i + limit)):
        depth += masked[k].count("{{") - masked[k].count("}}")
        if depth <= 0:
            return k if k > i and masked[k].rstrip().endswith("}}") else i
    return i


def _has_text(masked: list[str], indexes: list[int]) -> bool:
    return any(reader_text(masked[i]) for i in indexes)


def scan_page(text: str, markers: Markers) -> PageScan:
    """Sessions (with parts), appendices and what could not be placed, of one page."""
    scanner = _Scanner(markers, mask(text).split("\n"))
    i = 0
    while i < len(scanner.masked):
        j = template_end(scanner.masked, i)
        if j > i and scanner.multiline_marker(i, j):
            i = j + 1
            continue
        scanner.line(i, scanner.masked[i])
        i += 1
    scanner.close(len(scanner.masked))
    kept = [a for a in scanner.appendices if _has_text(scanner.masked, a.body)]
    return PageScan(scanner.sessions, kept, scanner.notices, scanner.masked)


class _Scanner:
    def __init__(self, markers: Markers, masked: list[str]):
        self.markers = markers
        self.masked = masked
        self.sessions: list[Block] = []
        self.appendices: list[Block] = []
        self.notices: list[tuple[int, str]] = []
        self.current: Block | None = None
        self.part: Block | None = None
        self.appendix: Block | None = None
        self.section_level = 0  # the last heading outside sessions: what a bold/template session stands under
        self.section_anchor: str | None = None

    def close(self, i: int) -> None:
        for b in (self.part, self.current, self.appendix):
            if b is not None and b.end == 0:
                b.end = i
        self.current = self.part = self.appendix = None

    def body(self, i: int) -> None:
        b = self.part or self.current or self.appendix
        if b is not None:
            b.body.append(i)

    def line(self, i: int, mline: str) -> None:
        ml = marker_line(mline)
        if ml is None:
            if self.current is None and self.markers.unstyled_session(mline):
                message = (f"{reader_text(mline)!r} looks like a session marker but is an ordinary line"
                           " (not a heading, bold line, styled tag or template); read as text")
                self.notices.append((i, message))
            self.body(i)
            return
        if self.session(i, ml) or self.part_marker(i, ml):
            return
        if self.markers.half_session(ml):
            message = f"{ml.text!r} looks like a session marker but its number or title cannot be read; read as text"
            self.notices.append((i, message))
        if ml.level is None:
            self.body(i)
        else:
            self.heading(i, ml.level, ml.text)

    def multiline_marker(self, i: int, j: int) -> bool:
        """Lines i..j are one template call: a session or part marker, or (False) lines of text."""
        ml = marker_line("\n".join(self.masked[i: j + 1]))
        if ml is None or not ml.template:
            return False
        if self.markers.session_marker(ml) is None and (self.current is None or self.markers.part_marker(ml) is None):
            return False
        self.session(i, ml) or self.part_marker(i, ml)
        block = self.part or self.current
        if block is not None:
            block.marker_lines.extend(range(i + 1, j + 1))
        return True

    def session(self, i: int, ml: MarkerLine) -> bool:
        sm = self.markers.session_marker(ml)
        if not sm:
            return False
        self.close(i)
        self.current = Block(
            "session", sm.number, sm.title, i, ml.level,
            close_level=ml.level or self.section_level or 2,
            day=sm.day, code=sm.code,
            anchor=ml.text if ml.level else self.section_anchor,
        )
        self.sessions.append(self.current)
        return True

    def part_marker(self, i: int, ml: MarkerLine) -> bool:
        pm = self.markers.part_marker(ml)
        if not pm:
            return False
        cur = self.current
        if cur is None:
            if self.appendix is None:
                self.notices.append((i, f"part marker {ml.text!r} outside any session; read as text"))
            return False
        if ml.level is not None and cur.level is not None and ml.level <= cur.level:
            return False
        if self.part is not None:
            self.part.end = i
        if pm.session is not None and pm.session != cur.number:
            self.notices.append((i, f"part {pm.session}.{pm.number} stands under session {cur.number}"))
        self.part = Block("part", pm.number, pm.title, i, ml.level, code=pm.code,
                          anchor=ml.text if ml.level else cur.anchor)
        cur.parts.append(self.part)
        return True

    def heading(self, i: int, level: int, text: str) -> None:
        """A plain heading: body of the open block, or the end of it and the start of an appendix."""
        if self.current is not None and level > self.current.close_level:
            self.body(i)
            return
        if self.current is None and self.appendix is not None and level > (self.appendix.level or 0):
            self.body(i)
            return
        self.close(i)
        self.section_level, self.section_anchor = level, text
        if self.sessions:
            self.appendix = Block("appendix", 0, text, i, level, anchor=text)
            self.appendices.append(self.appendix)
