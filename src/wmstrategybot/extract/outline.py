"""The structure-first scan of a Day page: the outline of headings decides sessions and parts. Pure.

See ``daypage`` for the rules; ``scan_page`` there chooses this scan where sessions are headings
(or no marker is found at all).
"""

from __future__ import annotations

import re
from collections import Counter

from wmstrategybot.extract.blocks import Block, Blocks, DayHeading, PageScan, has_text
from wmstrategybot.extract.markers import MarkerLine, Markers, time_slot
from wmstrategybot.extract.vocabulary import day_title, fold, wrapper
from wmstrategybot.model.settings import ReadingSettings
from wmstrategybot.wikitext.text import reader_text

#: Heading titles that are not sessions (compared in lower case; ``annex``/``appendix`` also as a prefix).
BOILERPLATE = frozenset({
    "references", "reference", "notes", "note", "footnotes", "see also", "further reading",
    "external links", "links", "sources", "annex", "annexes", "appendix", "appendices",
    "documentation", "participants", "list of participants", "gallery", "photos", "pictures",
    "media", "videos", "related pages", "contents", "navigation", "feedback", "contact",
})
#: Heading titles before the first session that introduce the day.
_LEAD_TITLES = frozenset({"introduction", "overview", "about", "structure of this report", "summary"})
_BOILERPLATE_PREFIX = re.compile(r"^(?:annex|appendix|appendices|annexes)\b", re.I)
_HALF_CODE = re.compile(r"^[^/|:]{1,20}?\s*[/|:]\s*")
_DAY_HEADING = re.compile(r"^Day\s*(\d{1,2})\b(?!\s*[.:]\d)", re.I)


def boilerplate(title: str) -> bool:
    """True for a heading title that is a known section of a page, not a session."""
    t = title.strip().rstrip(":").strip().lower()
    return t in BOILERPLATE or bool(_BOILERPLATE_PREFIX.match(t))


def day_heading(title: str) -> int | None:
    """The day number a heading names (``Day 1 (Friday, 9 Sep)``, ``Day 2: ...``), or None."""
    m = _DAY_HEADING.match(title.strip())
    return int(m.group(1)) if m else None


_DAY_LINE = re.compile(r"^\(?\s*day\s*(\d{1,2})\s*\)?\.?$", re.I)


def _day_headings(heads: list[tuple[int, MarkerLine]], masked: list[str],
                  named: tuple[str, ...] | None = None) -> dict[int, DayHeading]:
    """The headings that name days, at the highest level any does: ``Day 2`` by its number, a
    weekday or a date (``Saturday 4 November``) by a ``(Day 2)`` line under it, else by its order
    (relative: extract.event adds the page's day)."""
    if named is not None:  # the organisers' [reading] day_headings: these and no others
        names = {fold(n) for n in named}
        found = [(i, ml, (day_title(ml.text) or (None, True))[0]) for i, ml in heads if fold(ml.text.strip()) in names]
    else:
        found = [(i, ml, day[0]) for i, ml in heads if (day := day_title(ml.text)) is not None]
    if not found:
        return {}
    top = min(ml.level or 0 for _, ml, _ in found)
    result: dict[int, DayHeading] = {}
    order = 0
    for i, ml, number in found:
        if ml.level != top:
            continue
        order += 1
        if number is None:
            line = next((masked[k].strip() for k in range(i + 1, min(i + 4, len(masked))) if masked[k].strip()), "")
            said = _DAY_LINE.match(reader_text(line))
            number = int(said.group(1)) if said and int(said.group(1)) > 0 else None
        result[i] = DayHeading(i, number if number is not None else order, ml.text, relative=number is None)
    if any(not d.relative for d in result.values()) and any(d.relative for d in result.values()):
        # some numbered, some not: number the rest after the last number before them
        last = 0
        for i in sorted(result):
            heading = result[i]
            last = heading.number if not heading.relative else last + 1
            result[i] = DayHeading(heading.line, last, heading.title)
    return result



class Outline(Blocks):
    """The structure-first scan: headings decide sessions and parts (see the module docstring)."""

    def __init__(self, markers: Markers, masked: list[str], units: list[tuple[int, int, MarkerLine | None]],
                 heading_markers: list[int], reading: ReadingSettings = ReadingSettings()):
        self.markers = markers
        self.masked = masked
        self.units = units
        self.heads = [(i, ml) for i, _, ml in units if ml is not None and ml.level is not None]
        self.reading = reading
        self.days = _day_headings(self.heads, masked, reading.day_headings)
        self.level = self._session_level(heading_markers)
        self.part_levels = self._part_levels()
        #: unmarked session-level headings inside the coded run that have no number left to take
        self.interludes: dict[int, tuple[str, str]] = {}
        self.run_start, self.tail = self._run() if heading_markers else (0, len(masked))
        super().__init__()
        self.lead: dict[int | None, list[int]] = {}
        self.day: int | None = None
        self.in_lead = True

    def _session_level(self, heading_markers: list[int]) -> int:
        if self.reading.heading_level:
            return self.reading.heading_level  # the organisers settled it ([reading] heading_level)
        if heading_markers:
            counts = Counter(heading_markers).most_common()
            return min(level for level, n in counts if n == counts[0][1])
        levels = []
        skip_below = 0
        day_level = 0  # under day headings, only what stands under them counts
        for i, ml in self.heads:
            level = ml.level or 0
            if skip_below and level > skip_below:
                continue
            skip_below = 0
            if i in self.days:
                day_level = level
                continue
            if self.days and (not day_level or level <= day_level):
                continue
            if wrapper(ml.text):
                continue  # "Programme", "Schedule": what stands under it counts
            if boilerplate(ml.text) or ml.text.strip().lower() in _LEAD_TITLES:
                skip_below = level
                continue
            levels.append(level)
        return min(levels, default=0)

    def _run(self) -> tuple[int, int]:
        """(first, end) lines of the session headings coded with their day (``D3.07 / ...``), when two or
        more stand in one run: unmarked headings at their level before it are the day's intro, after it
        appendices (2018's ``Input documents ...`` after ``D3.08``), inside it between two sessions whose
        numbers follow each other (``D1.02``, ``Lunch break``, ``D1.03``) appendices too (``interludes``,
        with a warning). An unmarked heading where a number is free between its neighbours breaks the
        run: every heading at the session level is then a session (2024: ``Opening Ceremony`` ...)."""
        matches = {i: self.markers.session_marker(ml) for i, ml in self.heads
                   if ml.level == self.level and i not in self.days and not boilerplate(ml.text)}
        half = {i for i, ml in self.heads if i in matches and matches[i] is None and self.markers.half_session(ml)}
        heads = [(i, m is not None or i in half) for i, m in matches.items()]  # a garbled marker is one too
        marked = [k for k, (_, m) in enumerate(heads) if m]
        coded = all(m.day is not None for m in matches.values() if m is not None)
        if not coded or len(marked) < 2:
            return 0, len(self.masked)
        interludes: dict[int, tuple[str, str]] = {}
        for before, after in zip(marked, marked[1:]):
            if after == before + 1:
                continue
            a, b = matches[heads[before][0]], matches[heads[after][0]]
            if a is None or b is None or a.number is None or b.number is None or a.day != b.day \
                    or b.number != (a.number_end or a.number) + 1:
                return 0, len(self.masked)  # a number is free between them: the unmarked ones are sessions
            interludes.update((heads[k][0], (a.code, b.code)) for k in range(before + 1, after))
        self.interludes = interludes
        end = heads[marked[-1] + 1][0] if marked[-1] + 1 < len(heads) else len(self.masked)
        return heads[marked[0]][0], end

    def _part_levels(self) -> dict[int, int]:
        """Line of each session-level heading -> the highest heading level under it (its parts)."""
        result: dict[int, int] = {}
        owner: int | None = None
        for i, ml in self.heads:
            level = ml.level or 0
            if level <= self.level or i in self.days:
                owner = i if level == self.level else None
                continue
            if owner is not None:
                result[owner] = min(result.get(owner, level), level)
        return result

    def outside(self, i: int) -> None:
        if self.in_lead:
            self.lead.setdefault(self.day, []).append(i)

    def scan(self) -> PageScan:
        for i, j, ml in self.units:
            if ml is not None and ml.level is not None:
                self.heading(i, ml)
                continue
            if ml is not None and self.styled(i, j, ml):
                continue
            if self.current is None and self.appendix is None:
                self.stray(i, ml)
            elif ml is not None and self.current is not None and self.markers.half_session(ml):
                self.notices.append((i, f"{ml.text!r} looks like a session marker but its number or title cannot "
                                        "be read; read as text"))
            for k in range(i, j + 1):
                self.body(k)
        self.close(len(self.masked))
        kept = [a for a in self.appendices if has_text(self.masked, a.body)]
        return PageScan(self.sessions, kept, self.notices, self.masked, list(self.days.values()), self.lead)

    def styled(self, i: int, j: int, ml: MarkerLine) -> bool:
        """A session or part marker written as a styled line (bold, tag, template) among heading
        sessions: markers win, so it opens a session (or, under such a session, a part)."""
        sm = self.markers.session_marker(ml)
        cur = self.current
        if sm is not None and self.appendix is None:
            if cur is not None and sm.number is not None and sm.number == cur.number:
                self.notices.append((i, f"{ml.text!r} looks like the marker of the session it stands in; read as text"))
                return False
            self.close(i)
            self.in_lead = False
            title, time = time_slot(sm.title)
            self.current = Block("session", sm.number, title, i, None, close_level=self.level,
                                 day=sm.day if sm.day is not None else self.day, code=sm.code,
                                 coded=sm.day is not None and sm.number is not None,
                                 anchor=self.current_anchor(), number_end=sm.number_end, time=time)
            self.current.marker_lines.extend(range(i + 1, j + 1))
            self.sessions.append(self.current)
            return True
        pm = self.markers.part_marker(ml) if cur is not None and cur.level is None else None
        if pm is None or cur is None:
            return False
        if self.part is not None:
            self.part.end = i
        previous = cur.parts[-1].number if cur.parts else 0
        self.part = Block("part", pm.number if pm.number is not None else (previous or 0) + 1, pm.title, i, None,
                          code=pm.code, anchor=cur.anchor)
        self.part.marker_lines.extend(range(i + 1, j + 1))
        cur.parts.append(self.part)
        return True

    def current_anchor(self) -> str | None:
        return self.sessions[-1].anchor if self.sessions else None

    def stray(self, i: int, ml: MarkerLine | None) -> None:
        """A marker-like line outside any session: said, and read as text."""
        if ml is None:
            if self.markers.unstyled_session(self.masked[i]):
                self.notices.append((i, f"{reader_text(self.masked[i])!r} looks like a session marker but is an "
                                        "ordinary line (not a heading); read as text"))
            return
        if self.markers.half_session(ml):
            self.notices.append((i, f"{ml.text!r} looks like a session marker but its number or title cannot be "
                                    "read; read as text"))
        elif self.markers.part_marker(ml):
            self.notices.append((i, f"part marker {ml.text!r} outside any session; read as text"))

    def heading(self, i: int, ml: MarkerLine) -> None:
        level = ml.level or 0
        if i in self.days:
            self.close(i)
            self.day, self.in_lead = self.days[i].number, True
            return
        if self.appendix is not None and level > (self.appendix.level or 0):
            self.body(i)
            return
        if (level <= self.level or self.current is None) and wrapper(ml.text) \
                and self.markers.session_marker(ml) is None:
            self.close(i)  # a heading that holds sessions ("Programme"): neither a session nor a section
            return
        if level <= self.level and (boilerplate(ml.text) or i in self.interludes or (
                level == self.level and i >= self.tail and self.markers.session_marker(ml) is None)):
            if i in self.interludes:
                self.notices.append((i, f"heading {ml.text!r} stands between sessions {self.interludes[i][0]} and "
                                        f"{self.interludes[i][1]}, whose numbers leave none for it; read as a "
                                        "section of the day, not a session"))
            self.close(i)
            self.in_lead = False
            self.appendix = Block("appendix", 0, ml.text, i, level, anchor=ml.text)
            self.appendices.append(self.appendix)
            return
        if level == self.level:
            if self.in_lead and (ml.text.strip().lower() in _LEAD_TITLES or i < self.run_start):
                if i < self.run_start and ml.text.strip().lower() not in _LEAD_TITLES:
                    self.notices.append((i, f"heading {ml.text!r} stands before the page's numbered sessions; "
                                            "read as the day's intro"))
                self.close(i)
                self.body(i)
                return
            self.session(i, ml)
            return
        if level < self.level:
            self.close(i)
            self.in_lead = False
            self.notices.append((i, f"heading {ml.text!r} stands above the sessions and is neither a day, a "
                                    "session nor a known section; its text is read as nothing"))
            return
        cur = self.current
        if cur is None:
            if self.appendix is None:
                self.notices.append((i, f"heading {ml.text!r} stands below the session level outside any session; "
                                        + ("read as the day's intro" if self.in_lead else "its text is read as nothing")))
            self.body(i)
            return
        if level == self.part_levels.get(cur.line):
            self.part_heading(i, ml, cur)
        else:
            self.body(i)

    def session(self, i: int, ml: MarkerLine) -> None:
        self.close(i)
        self.in_lead = False
        sm = self.markers.session_marker(ml)
        title = sm.title if sm else ml.text
        if sm is None and self.markers.half_session(ml):
            self.notices.append((i, f"{ml.text!r} looks like a session marker but its number or title cannot be "
                                    "read; read as a session numbered by order"))
            title = _HALF_CODE.sub("", title) or title  # "D1.O2 / Title": the title after the garbled code
        title, time = time_slot(title)
        self.current = Block(
            "session", sm.number if sm else None, title, i, ml.level, close_level=self.level,
            day=(sm.day if sm and sm.day is not None else self.day), code=sm.code if sm else "",
            coded=bool(sm and sm.day is not None and sm.number is not None),
            anchor=ml.text, number_end=sm.number_end if sm else None, time=time,
        )
        self.sessions.append(self.current)

    def part_heading(self, i: int, ml: MarkerLine, cur: Block) -> None:
        pm = self.markers.part_marker(ml)
        if self.part is not None:
            self.part.end = i
        previous = cur.parts[-1].number if cur.parts else 0
        number = pm.number if pm and pm.number is not None else (previous or 0) + 1
        if pm and pm.session is not None and cur.number is not None and pm.session != cur.number:
            self.notices.append((i, f"part {pm.session}.{pm.number} stands under session {cur.number}"))
        self.part = Block("part", number, pm.title if pm else ml.text, i, ml.level,
                          code=pm.code if pm else "", anchor=ml.text)
        cur.parts.append(self.part)
