"""The session, part and appendix blocks a scan of a Day page yields, and the page's scan. Pure.

The two scans that fill them live apart: ``outline`` (headings decide) and ``daypage`` (markers
decide, and ``scan_page``, which chooses between them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wmstrategybot.wikitext.text import reader_text


@dataclass
class Block:
    """A session, part or appendix: its marker line, the lines it owns and where it ends."""

    kind: str  # "session" | "part" | "appendix"
    number: int | None  # None: the page gives none (numbered by order later)
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
    number_end: int | None = None  # last number of a range (``Session 4-5``)
    time: str | None = None  # the time slot written in its heading
    coded: bool = False  # its marker gives its day with its number (``D2.04``)

    @property
    def lines(self) -> list[int]:
        """Every line of the block: marker, body, and its parts' markers and bodies."""
        own = [self.line, *self.marker_lines, *self.body]
        for p in self.parts:
            own.extend(p.lines)
        return sorted(own)


@dataclass(frozen=True)
class DayHeading:
    line: int  # 0-based
    number: int
    title: str
    #: numbered by its order on the page (a weekday or a date, ``== Saturday ==``): the page's own
    #: day number is added (extract.event)
    relative: bool = False


@dataclass
class PageScan:
    sessions: list[Block]
    appendices: list[Block]
    notices: list[tuple[int, str]]  # (0-based line, message)
    masked: list[str]
    day_headings: list[DayHeading] = field(default_factory=list)
    lead: dict[int | None, list[int]] = field(default_factory=dict)  # day heading number -> intro lines


def has_text(masked: list[str], indexes: list[int]) -> bool:
    return any(reader_text(masked[i]) for i in indexes)



class Blocks:
    """The session, part and appendix blocks a scan opens, and which one owns each line."""

    def __init__(self) -> None:
        self.sessions: list[Block] = []
        self.appendices: list[Block] = []
        self.notices: list[tuple[int, str]] = []
        self.current: Block | None = None
        self.part: Block | None = None
        self.appendix: Block | None = None

    def close(self, i: int) -> None:
        for b in (self.part, self.current, self.appendix):
            if b is not None and b.end == 0:
                b.end = i
        self.current = self.part = self.appendix = None

    def body(self, i: int) -> None:
        b = self.part or self.current or self.appendix
        if b is not None:
            b.body.append(i)
        else:
            self.outside(i)

    def outside(self, i: int) -> None:
        """A line no block owns (above the first session)."""

