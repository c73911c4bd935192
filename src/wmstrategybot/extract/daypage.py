"""A documentation page read line by line into session, part and appendix blocks. Pure.

The scan runs on a masked copy (comments, <nowiki>, <pre>, <syntaxhighlight>, <math> and bot
regions blanked, positions kept), so a marker inside them opens nothing and line numbers are
the page's.

Structure first: where sessions are headings (or no marker is found at all), the outline of
headings decides. Day headings (``== Day 1 (Friday, 9 Sep) ==``) group sessions; the heading
level that holds the session markers (else the highest level under the page or its day
headings) holds sessions, the next level below a session its parts, deeper headings are text.
Markers give numbers and codes. Boilerplate headings (``BOILERPLATE``: references, see also,
notes, annexes...) and what stands under them are appendices; text before the first session
is the day's intro. Where sessions are styled lines (bold, tags, templates: the 2018 banners),
markers decide: a session marker opens a session, a part marker a part, and a plain heading at
the session's level or above closes it and opens an appendix.
"""

from __future__ import annotations

from wmstrategybot.extract.blocks import Block, Blocks, PageScan, has_text
from wmstrategybot.extract.layout import settle
from wmstrategybot.extract.markers import MarkerLine, Markers, marker_line, time_slot
from wmstrategybot.extract.outline import Outline
from wmstrategybot.model.settings import ReadingSettings
from wmstrategybot.wikitext.text import IGNORED_BLOCKS, mask, reader_text


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



def _units(masked: list[str]) -> list[tuple[int, int, MarkerLine | None]]:
    """(first line, last line, marker candidate) of each line, or of a template call over several lines."""
    units: list[tuple[int, int, MarkerLine | None]] = []
    i = 0
    while i < len(masked):
        j = template_end(masked, i)
        if j > i:
            ml = marker_line("\n".join(masked[i: j + 1]))
            if ml is not None and ml.template:
                units.append((i, j, ml))
                i = j + 1
                continue
            # a template call's arguments: a heading written in one (``{{Note|\n== H ==\n}}``) opens nothing
            units.append((i, i, marker_line(masked[i])))
            units.extend((k, k, None) for k in range(i + 1, j + 1))
            i = j + 1
            continue
        first = masked[i].lstrip()[:1]
        units.append((i, i, marker_line(masked[i]) if first and first in "=<'{;" else None))
        i += 1
    return units



def scan_page(text: str, markers: Markers, *, outline: bool = True,
              reading: ReadingSettings = ReadingSettings()) -> PageScan:
    """Sessions (with parts), appendices and what could not be placed, of one page.

    ``outline=False`` reads markers only (a Summary page, whose headings are not all sessions).
    """
    masked = mask(text).split("\n")
    units = _units(masked)
    heading_markers = [ml.level for _, _, ml in units
                       if ml is not None and ml.level is not None and markers.session_marker(ml)]
    styled_markers = any(ml is not None and ml.level is None and markers.session_marker(ml) for _, _, ml in units)
    if outline and (heading_markers or not styled_markers):
        scan = settle(Outline(markers, masked, units, heading_markers, reading).scan(), coded=bool(heading_markers),
                      reading=reading)
        scan.notices.extend(_unclosed_comment(text))
        return scan
    scanner = _Scanner(markers, masked)
    for i, j, ml in units:
        if j > i and scanner.multiline_marker(i, j):
            continue
        for k in range(i, j + 1):
            scanner.line(k, masked[k])
    scanner.close(len(masked))
    kept = [a for a in scanner.appendices if has_text(masked, a.body)]
    first = scanner.sessions[0].line if scanner.sessions else len(masked)
    return PageScan(scanner.sessions, kept, scanner.notices + _unclosed_comment(text), masked, [],
                    {None: list(range(first))})



def _unclosed_comment(text: str) -> list[tuple[int, str]]:
    """A notice where a ``<!--`` that is never closed starts (MediaWiki hides the rest of the page)."""
    if text.rfind("<!--") <= text.rfind("-->"):  # cheap: an unclosed one has no "-->" after it
        return []
    spans = IGNORED_BLOCKS.spans(text)
    if not spans or not text.startswith("<!--", spans[-1][0]) or text[spans[-1][0] + 4: spans[-1][1]].endswith("-->"):
        return []
    return [(text.count("\n", 0, spans[-1][0]), "an unclosed comment (<!-- without -->) here hides the rest of the page")]



class _Scanner(Blocks):
    def __init__(self, markers: Markers, masked: list[str]):
        self.markers = markers
        self.masked = masked
        super().__init__()
        self.section_level = 0  # the last heading outside sessions: what a bold/template session stands under
        self.section_anchor: str | None = None

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
        title, time = time_slot(sm.title)
        self.current = Block(
            "session", sm.number, title, i, ml.level,
            close_level=ml.level or self.section_level or 2,
            day=sm.day, code=sm.code, coded=sm.day is not None and sm.number is not None,
            anchor=ml.text if ml.level else self.section_anchor,
            number_end=sm.number_end, time=time,
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
        number = pm.number if pm.number is not None else (cur.parts[-1].number or 0) + 1 if cur.parts else 1
        self.part = Block("part", number, pm.title, i, ml.level, code=pm.code,
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

