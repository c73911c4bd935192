"""Wikitext of an event's pages -> the event as data (``model.Event``). Pure.

Each Day page is scanned into session, part and appendix blocks (``daypage``, with the
markers of ``markers``); their lines become the sessions' text, parts, outcomes, links,
images and tables, each with its provenance (page, revision, section anchor, line).
Sessions of the Summary page are joined to the Day pages' by number when numbers run
across the track, by order when they restart each day. What cannot be placed becomes a
warning with page and line, never an exception; ``coverage_report`` says, per page, how
much of its text ended up in the data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

from wmstrategybot.extract.blocks import Block, PageScan
from wmstrategybot.extract.daypage import scan_page, template_end
from wmstrategybot.extract.vocabulary import heading_date
from wmstrategybot.extract.markers import (
    DEFAULT_PART_MARKERS,
    DEFAULT_SESSION_MARKERS,
    Markers,
)
from wmstrategybot.extract.numbering import day_number, groups_sessions, number_sessions, track_numbers
from wmstrategybot.extract.signups import read_signups
from wmstrategybot.extract.summary import join_summary
from wmstrategybot.model.event import (
    MONTHS,
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
from wmstrategybot.model.pages import PageRecord, existing
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.clean import clean, paragraphs
from wmstrategybot.wikitext.fragments import images, links, list_items, tables
from wmstrategybot.wikitext.text import MAX_PAGE_BYTES, heading, page_bytes, plain_line

__all__ = [
    "DEFAULT_PART_MARKERS",
    "DEFAULT_SESSION_MARKERS",
    "Markers",
    "extract_event",
]

_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tue|Wed|Thu|Fri|Sat|Sun"
_MONTH = rf"(?:{'|'.join(MONTHS)}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_DATE = re.compile(
    rf"^(?:(?:{_WEEKDAYS})\.?,?\s+)?(?:(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?P<month2>{_MONTH}))(?:,?\s+(?P<year>\d{{4}}))?$",
    re.I,
)
_BOX_LINE = re.compile(r"^\s*(?:\{\{.*\}\}|__[A-Z]+__|\[\[(?:File|Image|Category):.*\]\]|<languages\s*/>)?\s*$", re.I)
_NOT_PROSE = ("{|", "|", "!", "*", "#", ":", ";", "=")


def _text(page: PageRecord) -> str:
    """The text of a page that exists (extraction is given only those, see `existing`)."""
    return page.text or ""


def _fragment(lines: list[str], indexes: list[int]) -> str:
    return "\n".join(lines[i] for i in indexes if i < len(lines))


def _intro(paras: list[str]) -> str:
    """The first paragraph of prose: not a table, list, heading or box."""
    for p in paras:
        s = p.lstrip()
        if s.startswith(_NOT_PROSE) or (s.startswith("{{") and s.rstrip().endswith("}}") and "\n" not in s):
            continue
        return p
    return ""


def _month(name: str) -> int | None:
    """A month's number from its name or an abbreviation of it (``Sep``, ``Sept``, ``April``)."""
    key = name.rstrip(".").lower()[:3]
    return next((k + 1 for k, m in enumerate(MONTHS) if m.lower().startswith(key)), None)


def _parse_date(text: str, year: int | None) -> str | None:
    """ISO date of a date as written (``Friday, April 20th``, ``Friday, 9 Sep``), or None."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    month = _month(m.group("month") or m.group("month2"))
    if month is None:
        return None
    y = int(m.group("year")) if m.group("year") else year
    day = int(m.group("day") or m.group("day2"))
    if y is None or not 1 <= day <= 31:
        return None
    return f"{y:04d}-{month:02d}-{day:02d}"


def _heading_date(title: str, year: int | None) -> tuple[str | None, str | None]:
    """(ISO date, date as written) of a day heading: ``Day 1 (Friday, 9 Sep)``, ``Day 2 – 10 September``."""
    m = re.match(r"^Day\s*\d+\s*(?:\((?P<a>[^()]*)\)|[:,–-]\s*(?P<b>.*))?\s*$", title.strip(), re.I)
    written = ((m.group("a") or m.group("b") or "") if m else "").strip()
    if written and _DATE.match(written):
        return _parse_date(written, year), written
    return heading_date(title, year)  # a weekday or date heading, in the languages of vocabulary


def day_date(scan: PageScan, lines: list[int], year: int | None) -> tuple[str | None, str | None, int | None]:
    """(ISO date, date as written, 0-based line) of the first date line among a day's intro lines."""
    for i in lines:
        text = plain_line(scan.masked[i])
        if _DATE.match(text):
            return _parse_date(text, year), text, i
    return None, None, None


def _notices(page: str, scan: PageScan) -> list[Notice]:
    return [Notice(page, i + 1, message) for i, message in scan.notices]


def _span(lines: list[str], b: Block) -> str:
    return "\n".join(lines[b.line + 1: b.end])


def _summary_sections(page: PageRecord, markers: Markers) -> tuple[list[tuple[int, str, str, int]], PageScan]:
    """(number, title, text, 0-based line) of each session section of the hand-written Summary page."""
    scan = scan_page(_text(page), markers, outline=False)
    original = _text(page).split("\n")
    found = [(b.number or 0, b.title, "\n\n".join(paragraphs(_span(original, b))), b.line) for b in scan.sessions]
    return found, scan


def _status_reports(
    page: PageRecord, masked: list[str], block: Block, areas: AreaIndex, original: list[str]
) -> dict[str, tuple[str, tuple[str, ...], Provenance]]:
    """Status report, links and provenance of each working group sub-block (a heading naming an area)."""
    result: dict[str, tuple[str, tuple[str, ...], Provenance]] = {}
    current: str | None = None
    current_level = 0
    bodies: dict[str, list[int]] = {}
    where: dict[str, Provenance] = {}
    for i in block.lines[1:]:
        h = heading(masked[i])
        if h:
            area = areas.canonical(h.title)
            if area:
                current, current_level = area, h.level
                bodies.setdefault(area, [])
                where.setdefault(area, Provenance(page.title, page.revision, h.title, i + 1))
                continue
            if current and h.level <= current_level:
                current = None
        if current:
            bodies[current].append(i)
    for area, body in bodies.items():
        fragment = _fragment(original, body)
        result[area] = ("\n\n".join(paragraphs(fragment)), tuple(links(fragment)), where[area])
    return result


def _build_session(page: PageRecord, original: list[str], b: Block, day: int, session_id: str, number: int,
                   source: str) -> Session:
    body = _fragment(original, b.body)
    whole = _span(original, b)
    intro = _intro(paragraphs(body))
    return Session(
        id=session_id,
        code=b.code,
        number=number,
        day=day,
        title=b.title,
        summary=intro,
        intro=intro,
        text=clean(body),
        parts=tuple(
            Part(p.number or 0, p.title, clean(_fragment(original, p.body)),
                 Provenance(page.title, page.revision, p.anchor, p.line + 1))
            for p in b.parts
        ),
        outcomes=tuple(list_items(whole)),
        links=tuple(links(whole)),
        images=tuple(images(whole)),
        tables=tuple(tuple(tuple(row) for row in t) for t in tables(whole)),
        source=Provenance(page.title, page.revision, b.anchor, b.line + 1),
        number_source=source,
        number_end=b.number_end,
        time=b.time,
    )


def _days(page: PageRecord, scan: PageScan, number: int, year: int | None) -> list[Day]:
    """The page's day, or one day per day heading, with date, intro and (on the first) the appendices."""
    original = _text(page).split("\n")
    appendices = tuple(Appendix(a.title, a.anchor or a.title, clean(_fragment(original, a.body)), a.line + 1)
                       for a in scan.appendices)
    numbers = list(dict.fromkeys(d.number for d in scan.day_headings)) or [number]
    result = []
    for k, n in enumerate(numbers):
        lines = scan.lead.get(n if scan.day_headings else None, [])
        date, date_text = next(((d, t) for h in scan.day_headings if h.number == n
                                for d, t in [_heading_date(h.title, year)] if t), (None, None))
        date_line = None
        if date_text is None:
            date, date_text, date_line = day_date(scan, lines, year)
        prose = [i for i in lines if i != date_line and not _BOX_LINE.match(scan.masked[i])
                 and template_end(scan.masked, i) == i]
        intro = _intro(paragraphs(_fragment(original, prose)))
        result.append(Day(number=n, page=page.title, date=date, date_text=date_text,
                          appendices=appendices if k == 0 else (), intro=intro))
    return result


def _shift_relative_days(scan: PageScan, shift: int) -> None:
    """Day headings numbered by their order on the page (``== Saturday ==``) count from the page's
    own day: the second weekday heading of the page of day 3 is day 4."""
    if not shift or not any(d.relative for d in scan.day_headings):
        return
    moved = {d.number: d.number + shift for d in scan.day_headings if d.relative}
    scan.day_headings = [replace(d, number=moved[d.number]) if d.relative else d for d in scan.day_headings]
    scan.lead = {moved.get(k, k) if k is not None else None: v for k, v in scan.lead.items()}
    for b in scan.sessions:
        if b.day is not None and b.day in moved:
            b.day = moved[b.day]


def extract_event(config: EventConfig, pages: Mapping[str, PageRecord]) -> Event:
    """Build the event from the pages as read, keyed by title. Missing or unreadable pages become warnings."""
    pages = existing(pages)
    markers = Markers(config.session_markers, config.part_markers)
    areas = AreaIndex(config.areas)
    notices: list[Notice] = []
    revisions: list[tuple[str, int | str | None]] = []
    days: list[Day] = []
    day_index: dict[int, int] = {}  # a day's number -> its place in days
    built: list[Session] = []
    ids: set[str] = set()
    status_reports: dict[str, tuple[str, tuple[str, ...], Provenance]] = {}

    scans: dict[str, PageScan] = {}
    for title in config.day_pages:
        page = pages.get(title)
        if page is not None and page_bytes(_text(page)) <= MAX_PAGE_BYTES:
            scans[title] = scan_page(_text(page), markers, reading=config.reading)
    page_days = {title: day_number(title, scan, k, config, [])
                 for k, title in enumerate(config.day_pages) if (scan := scans.get(title)) is not None}
    for title, day in page_days.items():
        _shift_relative_days(scans[title], day - 1)
    taken = track_numbers([(scans[title], day) for title, day in page_days.items()])
    # the numbers read on each day, on all its pages: no number given on one page is read on another
    reserved: dict[int, set[int]] = {}
    for title, day in page_days.items():
        scan = scans[title]
        for b in scan.sessions:
            if b.number is not None:
                on = b.day if b.day is not None and scan.day_headings else day
                reserved.setdefault(on, set()).update(range(b.number, (b.number_end or b.number) + 1))
    last_numbers: dict[int, int] = {}
    read_ids: set[str] = set()
    for index, title in enumerate(config.day_pages):
        page = pages.get(title)
        if page is None:
            notices.append(Notice(title, None, "day page not found"))
            continue
        revisions.append((title, page.revision))
        if title not in scans:
            notices.append(Notice(title, None, f"page larger than {MAX_PAGE_BYTES} bytes; not parsed"))
            continue
        scan = scans[title]
        notices.extend(_notices(title, scan))
        number = day_number(title, scan, index, config, notices)
        original = _text(page).split("\n")
        if not scan.sessions:
            notices.append(Notice(title, None, "no session found on this day page"))
        for b in scan.sessions:
            if b.day is not None and b.day != number and not scan.day_headings:
                notices.append(Notice(title, b.line + 1, f"marker says day {b.day} on the page of day {number}"))
            if b.day is None or not scan.day_headings:
                b.day = number
        for b, (n, source) in zip(scan.sessions, number_sessions(scan.sessions, last_numbers, taken, reserved)):
            session_id = f"d{b.day}-s{n:02d}"
            if session_id in ids:
                if source == "read" and session_id in read_ids:
                    notices.append(Notice(title, b.line + 1, f"a second session numbered {n} on day {b.day}"))
                session_id = next(f"{session_id}-{k}" for k in range(2, len(ids) + 3) if f"{session_id}-{k}" not in ids)
            ids.add(session_id)
            if source == "read":
                read_ids.add(session_id)
            built.append(_build_session(page, original, b, b.day or number, session_id, n, source))
            if not scan.day_headings and groups_sessions(b, scan.masked):
                marks = "=" * (b.level or 2)
                notices.append(Notice(title, b.line + 1, f"session {b.title!r} has no text of its own and "
                                      f"{len(b.parts)} parts: if they are the sessions, put the day heading "
                                      f"'{marks} Day {b.day or number} {marks}' above the first session"))
            for area, found in _status_reports(page, scan.masked, b, areas, original).items():
                status_reports.setdefault(area, found)
        for read_day in _days(page, scan, number, config.year):
            same = day_index.get(read_day.number)
            if same is None:
                day_index[read_day.number] = len(days)
                days.append(read_day)
            else:  # a second page of the same day (the root page holding the first sessions, then Day 1)
                d = days[same]
                days[same] = replace(d, date=d.date or read_day.date, date_text=d.date_text or read_day.date_text,
                                     intro=d.intro or read_day.intro, appendices=d.appendices + read_day.appendices)

    summary_sections: list[tuple[int, str, str, int]] = []
    summary_page = config.summary_page
    if summary_page:
        sp = pages.get(summary_page)
        if sp is None:
            notices.append(Notice(summary_page, None, "summary page not found; sessions have no summary"))
        else:
            revisions.append((summary_page, sp.revision))
            summary_sections, sscan = _summary_sections(sp, markers)
            notices.extend(_notices(summary_page, sscan))
            if not summary_sections:
                notices.append(Notice(summary_page, None, "no session section found on the summary page"))
    built = join_summary(built, summary_sections, summary_page, notices)

    groups, unsorted = _signups(config, pages, areas, notices)
    working_groups = tuple(
        WorkingGroup(
            area=name,
            status_report=status_reports[name][0] if name in status_reports else "",
            links=status_reports[name][1] if name in status_reports else (),
            signups=tuple(groups.get(name, ())),
            source=status_reports[name][2] if name in status_reports else None,
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
    config: EventConfig, pages: Mapping[str, PageRecord], areas: AreaIndex, notices: list[Notice]
) -> tuple[dict[str, list[Signup]], list[Signup]]:
    """Signups of the signup page, if it exists (see ``signups.read_signups``)."""
    signups = config.targets.get("signups")
    page = pages.get(signups) if signups else None
    if page is None:
        return {}, []
    if page_bytes(_text(page)) > MAX_PAGE_BYTES:
        notices.append(Notice(page.title, None, f"page larger than {MAX_PAGE_BYTES} bytes; not parsed"))
        return {}, []
    return read_signups(page.title, _text(page), areas, notices)


def with_signups(event: Event, config: EventConfig, signup_page: PageRecord) -> Event:
    """`event` with its signups, and the warnings about them, read from `signup_page` alone: the
    signup page as this run will save it (the bot's edit shifts its lines), without extracting
    the whole event again."""
    notices: list[Notice] = []
    groups, unsorted = _signups(config, {signup_page.title: signup_page}, AreaIndex(config.areas), notices)
    working_groups = tuple(replace(g, signups=tuple(groups.get(g.area, ()))) for g in event.working_groups)
    kept = tuple(n for n in event.warnings if n.page != signup_page.title)  # the signup page's come last
    return replace(event, working_groups=working_groups, unsorted=tuple(unsorted), warnings=kept + tuple(notices))
