"""Wikitext of an event's pages -> the event as data (``model.Event``). Pure.

A Day page is read line by line on a masked copy (comments, <nowiki>, <pre> and bot
regions blanked, positions kept): a styled line matching a session marker opens a
session, a part marker opens a part, a heading at the session's level or above closes
it (an appendix). Sessions of the Summary page are joined to the Day pages' by number
when numbers run across the track, by order when they restart each day.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import signuptable
from .areas import AreaIndex
from .signups import read_signups
from .config import EventConfig
from .model import (
    Appendix,
    Area,
    Day,
    Event,
    Notice,
    Part,
    Provenance,
    Session,
    Signup,
    WorkingGroup,
)
from .wikitext import MAX_PAGE_BYTES, clean, heading, links, list_items, mask, paragraphs, plain_line, styled_line

DEFAULT_SESSION_MARKERS = (
    r"^D(?P<day>\d+)\.(?P<number>\d+)\s*[/|:.\-–]\s*(?P<title>.+)$",
    r"^\(Session (?P<number>\d+)\)\s*(?P<title>.+)$",
    r"^Session (?P<number>\d+)\s*[:.\-–]\s*(?P<title>.+)$",
)
DEFAULT_PART_MARKERS = (
    r"^(?P<number>\d{1,2})\s+[.|]\s+(?P<title>.+)$",
    r"^(?P<session>\d{1,2})\.(?P<number>\d{1,2})\.?\s+(?P<title>.+)$",
)
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_DATE = re.compile(
    rf"^(?:(?:{_WEEKDAYS}),?\s+)?(?P<month>{'|'.join(_MONTHS)})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$"
)
_DAY_IN_TITLE = re.compile(r"\bDay\s*(\d+)\b", re.I)


@dataclass(frozen=True)
class PageText:
    """One page as read from a source: title, text and the revision it was read at."""

    title: str
    text: str
    revision: int | str | None = None


@dataclass
class _Block:
    kind: str  # "session" | "part"
    number: int
    title: str
    line: int  # 0-based index of the marker line
    level: int
    day: int | None = None
    code: str = ""
    anchor: str | None = None
    body: list[int] = field(default_factory=list)  # 0-based line indexes
    parts: list[_Block] = field(default_factory=list)


class Markers:
    """The session and part marker expressions: the config's first, then the defaults."""

    def __init__(self, session: tuple[str, ...] = (), part: tuple[str, ...] = ()):
        self.session = [re.compile(p) for p in (*session, *DEFAULT_SESSION_MARKERS)]
        self.part = [re.compile(p) for p in (*part, *DEFAULT_PART_MARKERS)]

    @staticmethod
    def _match(patterns: list[re.Pattern[str]], text: str) -> re.Match[str] | None:
        for rx in patterns:
            m = rx.match(text)
            if m and m.group("title").strip():
                return m
        return None

    def session_marker(self, text: str) -> re.Match[str] | None:
        return self._match(self.session, text)

    def part_marker(self, text: str) -> re.Match[str] | None:
        return self._match(self.part, text)


def _line_text(masked_line: str) -> tuple[str, int | None]:
    """Plain text of a marker candidate and its heading level (None if not a heading)."""
    h = heading(masked_line)
    if h:
        return h.title, h.level
    return plain_line(masked_line), None


def _code_of(m: re.Match[str]) -> str:
    text = m.group(0)
    title = m.group("title")
    return text[: m.start("title")].rstrip(" /|:.-–").strip() if title else text


def _scan_day(page: PageText, markers: Markers) -> tuple[list[_Block], list[tuple[int, str]], list[Notice]]:
    """Sessions (with parts) and appendices (line, title) of one Day page."""
    masked = mask(page.text).split("\n")
    sessions: list[_Block] = []
    appendices: list[tuple[int, str]] = []
    notices: list[Notice] = []
    current: _Block | None = None
    part: _Block | None = None
    for i, mline in enumerate(masked):
        if not styled_line(mline):
            if current is not None:
                (part or current).body.append(i)
            continue
        text, level = _line_text(mline)
        sm = markers.session_marker(text)
        if sm:
            day = sm.groupdict().get("day")
            current = _Block(
                "session",
                int(sm.group("number")),
                sm.group("title").strip(),
                i,
                level or 7,
                day=int(day) if day else None,
                code=_code_of(sm),
                anchor=text if level else None,
            )
            part = None
            sessions.append(current)
            continue
        pm = markers.part_marker(text) if current is not None else None
        if pm and current is not None and (level is None or level > current.level):
            part = _Block("part", int(pm.group("number")), pm.group("title").strip(), i, level or 7,
                          anchor=text if level else None)
            current.parts.append(part)
            continue
        if level is not None and (current is None or level <= current.level):
            if sessions:
                appendices.append((i, text))
            current, part = None, None
            continue
        if current is not None:
            (part or current).body.append(i)
    return sessions, appendices, notices


def _fragment(lines: list[str], indexes: list[int]) -> str:
    return "\n".join(lines[i] for i in indexes)


def _date(page: PageText, first_session_line: int, year: int | None) -> tuple[str | None, str | None]:
    masked = mask(page.text).split("\n")[:first_session_line]
    for mline in masked:
        text = plain_line(mline)
        m = _DATE.match(text)
        if m:
            y = int(m.group("year")) if m.group("year") else year
            if y is None:
                return None, text
            month = _MONTHS.index(m.group("month")) + 1
            return f"{y:04d}-{month:02d}-{int(m.group('day')):02d}", text
    return None, None


def _summary_sections(page: PageText, markers: Markers) -> list[tuple[int, str, str, int]]:
    """(number, title, text, line) for each session section of the hand-written Summary page."""
    masked = mask(page.text).split("\n")
    original = page.text.split("\n")
    found: list[tuple[int, str, list[int], int, int]] = []
    open_level: int | None = None
    for i, mline in enumerate(masked):
        h = heading(mline) if styled_line(mline) else None
        if h:
            m = markers.session_marker(h.title)
            if m:
                found.append((int(m.group("number")), m.group("title").strip(), [], i, h.level))
                open_level = h.level
                continue
            if open_level is not None and h.level <= open_level:
                open_level = None
                continue
        if open_level is not None and found:
            found[-1][2].append(i)
    return [(n, t, "\n\n".join(paragraphs(_fragment(original, body))), line) for n, t, body, line, _ in found]


def _working_group_reports(
    page: PageText, block: _Block, areas: AreaIndex
) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Status report and links of each working group sub-block (a heading naming an area)."""
    original = page.text.split("\n")
    masked = mask(page.text).split("\n")
    result: dict[str, tuple[str, tuple[str, ...]]] = {}
    indexes = sorted([*block.body, *(j for p in block.parts for j in p.body)])
    current: str | None = None
    current_level = 0
    bodies: dict[str, list[int]] = {}
    for i in indexes:
        h = heading(masked[i])
        if h:
            area = areas.canonical(h.title)
            if area:
                current, current_level = area, h.level
                bodies.setdefault(area, [])
                continue
            if current and h.level <= current_level:
                current = None
        if current:
            bodies[current].append(i)
    for area, body in bodies.items():
        fragment = _fragment(original, body)
        result[area] = ("\n\n".join(paragraphs(fragment)), tuple(links(fragment)))
    return result


def extract_event(config: EventConfig, pages: Mapping[str, PageText]) -> Event:
    """Build the event from page texts keyed by title. Missing optional pages become notices."""
    markers = Markers(config.session_markers, config.part_markers)
    areas = AreaIndex(config.areas)
    notices: list[Notice] = []
    revisions: list[tuple[str, int | str | None]] = []
    days: list[Day] = []
    sessions: list[tuple[PageText, _Block, int]] = []
    reports: dict[str, tuple[str, tuple[str, ...]]] = {}

    for title in config.day_pages:
        page = pages[title]
        revisions.append((title, page.revision))
        if len(page.text.encode("utf-8")) > MAX_PAGE_BYTES:
            notices.append(Notice(title, None, f"page larger than {MAX_PAGE_BYTES} bytes; not parsed"))
            continue
        blocks, appendices, page_notices = _scan_day(page, markers)
        notices.extend(page_notices)
        m = _DAY_IN_TITLE.search(title.rsplit("/", 1)[-1])
        marker_days = {b.day for b in blocks if b.day is not None}
        if m:
            number = int(m.group(1))
        elif len(marker_days) == 1:
            number = marker_days.pop()
        else:
            notices.append(Notice(title, None, "cannot tell the day's number from its title or markers"))
            number = 0
        if not blocks:
            notices.append(Notice(title, None, "no session marker found on this day page"))
        for b in blocks:
            if b.day is not None and b.day != number:
                notices.append(Notice(title, b.line + 1, f"marker says day {b.day} on the page of day {number}"))
            sessions.append((page, b, number))
            reports.update(_working_group_reports(page, b, areas))
        date, date_text = _date(page, blocks[0].line if blocks else len(page.text), config.year)
        days.append(
            Day(
                number=number,
                page=title,
                date=date,
                date_text=date_text,
                appendices=tuple(Appendix(t, t) for _, t in appendices),
            )
        )

    summary_sections: list[tuple[int, str, str, int]] = []
    summary_page = config.summary_page
    if summary_page:
        sp = pages.get(summary_page)
        if sp is None:
            notices.append(Notice(summary_page, None, "summary page not found; sessions have no summary"))
        else:
            revisions.append((summary_page, sp.revision))
            summary_sections = _summary_sections(sp, markers)

    numbers = [b.number for _, b, _ in sessions]
    global_numbers = len(numbers) == len(set(numbers))
    by_number = {n: s for s in summary_sections for n in [s[0]]}
    built: list[Session] = []
    for index, (page, b, day) in enumerate(sessions):
        original = page.text.split("\n")
        intro_fragment = _fragment(original, b.body)
        intro_paragraphs = paragraphs(intro_fragment)
        intro = intro_paragraphs[0] if intro_paragraphs else ""
        whole = "\n".join([intro_fragment, *(_fragment(original, p.body) for p in b.parts)])
        match = by_number.get(b.number) if global_numbers else (
            summary_sections[index] if index < len(summary_sections) else None
        )
        other_titles: tuple[str, ...] = ()
        summary = intro
        if match:
            summary = match[2] or intro
            if match[1] != b.title:
                other_titles = (match[1],)
                if match[1].lower() != b.title.lower():
                    notices.append(
                        Notice(page.title, b.line + 1,
                               f"session {b.number} is {b.title!r} here and {match[1]!r} on the summary page")
                    )
        built.append(
            Session(
                id=f"d{day}-s{b.number:02d}",
                code=b.code,
                number=b.number,
                day=day,
                title=b.title,
                other_titles=other_titles,
                summary=summary,
                intro=intro,
                parts=tuple(
                    Part(p.number, p.title, clean(_fragment(original, p.body)),
                         Provenance(page.title, page.revision, p.anchor, p.line + 1))
                    for p in b.parts
                ),
                outcomes=tuple(list_items(whole)),
                links=tuple(links(whole)),
                source=Provenance(page.title, page.revision, b.anchor, b.line + 1),
            )
        )
    if summary_sections and global_numbers:
        missing = sorted(set(by_number) - set(numbers))
        for n in missing:
            notices.append(Notice(summary_page or "", by_number[n][3] + 1,
                                  f"session {n} is on the summary page but on no day page"))

    groups, unsorted = _signups(config, pages, areas, notices)
    working_groups = tuple(
        WorkingGroup(
            area=name,
            report=reports.get(name, ("", ()))[0],
            links=reports.get(name, ("", ()))[1],
            signups=tuple(groups.get(name, ())),
        )
        for name, _ in config.areas
    )
    return Event(
        id=config.id,
        name=config.name,
        root=config.root,
        revisions=tuple(revisions),
        days=tuple(days),
        sessions=tuple(built),
        areas=tuple(Area(n, a) for n, a in config.areas),
        working_groups=working_groups,
        unsorted=tuple(unsorted),
        warnings=tuple(notices),
    )


def _signups(
    config: EventConfig, pages: Mapping[str, PageText], areas: AreaIndex, notices: list[Notice]
) -> tuple[dict[str, list[Signup]], list[Signup]]:
    """Signups of the signup page, if it exists (see ``signups.read_signups``)."""
    page = pages.get(config.targets.signups)
    if page is None:
        return {}, []
    return read_signups(page.title, page.text, areas, notices)
