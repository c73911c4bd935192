"""The number of each day and session of an event: read from its page and markers, or given by
order (without taking a number another session reads). Pure."""

from __future__ import annotations

import re

from wmstrategybot.extract.blocks import Block, PageScan, has_text
from wmstrategybot.extract.vocabulary import day_title
from wmstrategybot.model.event import Notice
from wmstrategybot.model.settings import EventConfig

#: ``…/Day 3``; not ``Wikipedia Day 2019`` (a year) or ``Day 1.5`` (a time or a version)
_DAY_IN_TITLE = re.compile(r"\bDay\s*(\d{1,2})\b(?![.:]\d)", re.I)


def day_number(title: str, scan: PageScan, index: int, config: EventConfig, notices: list[Notice]) -> int:
    """A day's number from its page title (``Day 3``), its markers (``D3.07``) or its day heading;
    else from the config, else from its position in ``days`` (with a warning). Never 0."""
    m = _DAY_IN_TITLE.search(title.rsplit("/", 1)[-1])
    if m and int(m.group(1)) > 0:
        return int(m.group(1))
    relative = [d for d in scan.day_headings if d.relative]
    said = ([b.day for b in scan.sessions if b.day and not relative]
            + [d.number for d in scan.day_headings if d.number and not d.relative])
    if said:
        return said[0]
    configured = config.day_number(index)
    if configured is not None:
        return configured
    if (relative and index == 0) or day_title(title.rsplit("/", 1)[-1]) is not None or len(config.days) == 1:
        # the first page's weekday or date headings are days 1, 2...; a page titled by its
        # weekday ("Schedule/Friday") is the day its place in the config's days says; so is
        # the one page of a one-day event
        return index + 1
    notices.append(Notice(title, None, "cannot tell the day's number from its title, markers or day headings; "
                                       f"day {index + 1} from its position in the config's days; "
                                       + day_heading_hint(scan, index + 1)))
    return index + 1


#: a session of this many parts or more and no text of its own, numbered by order, may be a
#: heading that groups the sessions (2013's ``== Detailed descriptions ==`` over ``=== Session ===``)
GROUPING_PARTS = 3


def groups_sessions(b: Block, masked: list[str]) -> bool:
    """Whether a heading read as a session may be one grouping the sessions, read as its parts."""
    return b.number is None and bool(b.level) and len(b.parts) >= GROUPING_PARTS and not has_text(masked, b.body)


def day_heading_hint(scan: PageScan, number: int) -> str:
    """How an organiser sets a page's day on the wiki: a day heading one level above the headings
    of its sessions (``= Day 2 =`` over ``== Session ==``), or, where no heading level is above
    them or they are styled lines (which day headings do not group), a day code in its markers."""
    group = next((b for b in scan.sessions if groups_sessions(b, scan.masked)), None)
    level = scan.sessions[0].level if scan.sessions else 3
    if group is not None and group.level:  # at the grouping level: the level under it holds the sessions
        level = group.level + 1
    if level is None or level < 2:
        return f"to set it, write the day in its session markers ('D{number}.01 / Title')"
    marks = "=" * (level - 1)
    return f"to set it, put the day heading '{marks} Day {number} {marks}' above its first session"


def track_numbers(scans: list[tuple[PageScan, int]]) -> set[int]:
    """The numbers the Day pages (scan, day number) read, when they run across the track: every
    number read with its day in the marker (``D2.04``), none read on two days, numbers read on two
    days or more. Else none (they restart each day, or are one series among unnumbered sessions:
    2024's ``Work Session 2`` on Day 2 beside an ``Opening Ceremony`` numbered 2 on Day 1)."""
    by_day: dict[int | None, set[int]] = {}  # (a marker without its day: None)
    for scan, day in scans:
        for b in scan.sessions:
            if b.number is not None:
                if not b.coded:
                    return set()
                by_day.setdefault(b.day, set()).update(range(b.number, (b.number_end or b.number) + 1))
    every = [n for numbers in by_day.values() for n in numbers]
    return set(every) if len(by_day) > 1 and len(every) == len(set(every)) else set()


def read_numbers(blocks: list[Block], out: dict[int, set[int]] | None = None) -> dict[int, set[int]]:
    """The numbers the sessions of these blocks read, by day (0: no day), added to `out`."""
    read: dict[int, set[int]] = {} if out is None else out
    for b in blocks:
        if b.number is not None:
            read.setdefault(b.day or 0, set()).update(range(b.number, (b.number_end or b.number) + 1))
    return read


def number_sessions(blocks: list[Block], last: dict[int, int],
                    taken: set[int] | frozenset[int] = frozenset(),
                    reserved: dict[int, set[int]] | None = None) -> list[tuple[int, str]]:
    """(number, "read"|"given") of each session of one page, in order; ``last`` carries each day's
    last number over to the next page of the same day. A session without a number gets the next
    number after its predecessor that no session of its day reads (on this page, or on another
    page of that day: ``reserved``), nor any session of the event when numbers run across the
    track (``taken``: so the summary page stays joined by number). So given numbers are unique
    within a day, and a day whose first session has no number starts at 1 (the lowest free),
    not at a number counted back from a plain one read further down (``Welcome`` above
    ``Session 6`` is 1); only a run of codes that give their day (``D3.08``) counts back, so a
    typo in ``D3.07`` keeps its 7."""
    own = {b.day or 0 for b in blocks}  # (only their days are looked up: a copy of every day's would grow with the event)
    reserved = reserved or {}
    read = read_numbers(blocks, {d: set(reserved[d]) for d in own if d in reserved})
    out: list[tuple[int, str]] = []
    for k, b in enumerate(blocks):
        day = b.day or 0
        if day not in last:
            # a run of codes that give their day (D3.08, a typo in D3.07 before it) counts back
            # from the first code read; plain numbers do not (``Welcome`` before ``Session 6`` is 1)
            same = [x for x in blocks[k:] if (x.day or 0) == day]
            first = next((n for n, x in enumerate(same) if x.number is not None), None)
            coded = first is not None and same[first].coded
            last[day] = max(0, same[first].number - first - 1) if coded else 0  # type: ignore[index,operator]
        if b.number is not None:
            out.append((b.number, "read"))
            last[day] = max(last[day], b.number_end or b.number)
            continue
        n = last[day] + 1
        while n in read.get(day, ()) or n in taken:
            n += 1
        out.append((n, "given"))
        last[day] = n
    return out
