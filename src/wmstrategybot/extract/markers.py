"""Session and part markers: which lines of a page open a session or a part. Pure.

A marker is a line that stands out (a ``==`` heading, a bold or italic line, a line wrapped
in a tag such as ``<div>``/``<span>``, a ``;`` term, or one template call) whose text matches
one of the marker expressions: the config's first, then the built-in forms. A template call
is a marker candidate when its name says so (session, part, heading, title, section, marker)
or it has a ``title`` argument, so that ``{{Quote|Session 4: ...}}`` stays text. It offers
its positional arguments (``{{Session|D1.01 / Title}}``, ``{{Session|D1.01|Title}}``) and its
``title`` with ``code``, ``day``, ``number`` or ``session`` arguments
(``{{WMCON session|number=1|title=Re-Connecting}}`` reads as ``Session 1: Re-Connecting``).
A call may span several lines (see ``daypage``).

Built-in forms also read ranges (``Session 4-5 Title``: number 4, ``number_end`` 5), a missing
separator (``Session 6 Title``), a prefix (``Movement Governance Work Session 6: Title``) and
parts ``S1.1 Title``, ``1.1. Title``, ``01 . Title``. A config's marker needs a ``title``
group; without a ``number`` group its sessions are numbered by order. ``time_slot`` takes a
time slot off a heading (``Opening (8:00 - 10:00 UTC)``, ``Opening Ceremony: 10:00 - 11:40 CEST``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Template, Text

from wmstrategybot.wikitext.text import heading, plain_line, strip_translate

DEFAULT_SESSION_MARKERS = (
    r"^D(?P<day>\d{1,4})\.(?P<number>\d{1,4})\s*[/|:.\-–]\s*(?P<title>.+)$",
    r"^\(Session (?P<number>\d{1,4})\)\s*(?P<title>.+)$",
    r"^Session (?P<number>\d{1,4})\s*[-–]\s*(?P<number_end>\d{1,4})\s*[:.\-–]?\s*(?P<title>[^\d\s].*)$",
    r"^Session (?P<number>\d{1,4})\s*[:.\-–]\s*(?P<title>.+)$",
    r"^Session (?P<number>\d{1,4})\s+(?P<title>[^\d\s:.\-–].*)$",
    r"^[^:]{1,60}?\bSession (?P<number>\d{1,4})\s*[:.\-–]\s*(?P<title>.+)$",
)
_DIGIT = re.compile(r"\d")
DEFAULT_PART_MARKERS = (
    r"^(?P<number>\d{1,2})\s*[.|]\s+(?P<title>.+)$",
    r"^(?P<session>\d{1,2})\.(?P<number>\d{1,2})\.?\s+(?P<title>.+)$",
    r"^S(?P<session>\d{1,3})\.(?P<number>\d{1,2})\.?\s+(?P<title>.+)$",
)
_TIME = r"\d{1,2}[:.]\d{2}\s*(?:[-–]|to)\s*\d{1,2}[:.]\d{2}(?:\s*(?:[A-Z]{2,5}(?:[+-]\d{1,2})?))?"
#: A time slot at the end of a heading: ``Title (8:00 - 10:00 UTC)`` or ``Title: 10:00 - 11:40 CEST``.
_TIME_SLOT = re.compile(rf"^(?P<title>.*?)\s*(?:\((?P<a>{_TIME})\)|[:,–-]\s*(?P<b>{_TIME}))\s*$")
#: Lines that look like a session marker with its number or title missing or garbled.
_HALF_SESSION = (
    re.compile(r"^D(?:\d+[.,]?[^\s/|:]*|[.,]\d*[^\s/|:]*)\s*[/|:]\s*\S"),  # D1.0x / T, D.01 / T
    re.compile(r"^Session\s*(?:[^\s:.\-–]*\d[^\s:.\-–]*|[IVX]+|one|two|three|four|five|six|seven|eight|nine|ten)?"
               r"\s*[:.\-–]\s*\S"),  # Session : T, Session 1a: T
    re.compile(r"^\(\s*Session\b[^)]*\)\s*\S"),  # (Session) T, (Session one) T
    re.compile(r"^(?:\(Session \d+\)|Session \d+|D\d+\.\d+)\s*[/|:.\-–]?\s*$"),  # no title
)
_LEADING_NOISE = re.compile(r"^(?:\s*(?:<span\b[^>]*>\s*</span>|<span\b[^>]*/>|\{\{\s*anchors?\s*\|[^{}]*\}\}))+", re.I)
_INLINE_TEMPLATE = re.compile(r"\{\{[^{}]*\}\}")
_TEMPLATE_LINE = re.compile(r"^\{\{.*\}\}$", re.S)
_MARKER_TEMPLATE = re.compile(r"session|part|heading|title|section|marker", re.I)


@dataclass(frozen=True)
class MarkerLine:
    """A line that stands out: the texts a marker may be read from, and its heading level."""

    texts: tuple[str, ...]
    level: int | None  # heading level; None for bold, tag-wrapped and template lines
    template: bool = False

    @property
    def text(self) -> str:
        return self.texts[0] if self.texts else ""


@dataclass(frozen=True)
class Match:
    """A marker read from a line: number, title, the code as written, the day if it names one."""

    number: int | None  # None: a config marker without a ``number`` group (numbered by order)
    title: str
    code: str
    day: int | None = None
    session: int | None = None  # for parts written ``1.2.``: the session they say they belong to
    number_end: int | None = None  # the last number of a range (``Session 4-5``)


def _inline_text(line: str) -> str:
    line = line.replace("{{!}}", "|")
    while True:
        stripped = _INLINE_TEMPLATE.sub("", line)
        if stripped == line:
            return plain_line(line)
        line = stripped


#: Where a template line has no markup that plain_line strips (tags, emphasis, links), its name and
#: keys are its own characters: without one of the words of _MARKER_TEMPLATE it offers no marker.
_NAME_MARKUP = re.compile(r"[<'\[]")


def _template_texts(line: str) -> tuple[str, ...]:
    """Marker texts a single template call offers (see the module docstring)."""
    if not _MARKER_TEMPLATE.search(line) and not _NAME_MARKUP.search(line):
        return ()  # (most template lines: the parse below is the costliest step of reading a line)
    return _parsed_template_texts(line)


def _parsed_template_texts(line: str) -> tuple[str, ...]:
    code = mwparserfromhell.parse(line)
    nodes = [n for n in code.nodes if not (isinstance(n, Text) and not str(n).strip())]
    if len(nodes) != 1 or not isinstance(nodes[0], Template):
        return ()
    tpl = nodes[0]
    name = plain_line(str(tpl.name)).lower()
    positional: list[str] = []
    named: dict[str, str] = {}
    for p in tpl.params:
        value = _inline_text(" ".join(str(p.value).split("\n")))
        if p.showkey:
            named[str(p.name).strip().lower()] = value
        elif value:
            positional.append(value)
    if not (_MARKER_TEMPLATE.search(name) or "title" in named):
        return ()
    texts: list[str] = []
    if positional:
        texts.append(" / ".join(positional))
    title = named.get("title") or (positional[-1] if len(positional) >= 2 else "")
    number = named.get("number") or named.get("no") or (positional[0] if len(positional) >= 2 else "")
    if title:
        if named.get("code"):
            texts.append(f"{named['code']} / {title}")
        if number.isdigit():
            if named.get("day", "").isdigit():
                texts.append(f"D{int(named['day'])}.{int(number):02d} / {title}")
            if named.get("session", "").isdigit():
                texts.append(f"{int(named['session'])}.{int(number)}. {title}")
            if "part" in name:
                texts.append(f"{int(number):02d} . {title}")
            else:
                texts.append(f"Session {int(number)}: {title}")
    return tuple(dict.fromkeys(t for t in texts if t))


def _small_int(text: str | None) -> int | None:
    """A day or session number as written, if it is one (a config's regex may match anything)."""
    try:
        return int(text) if text and len(text) <= 6 else None
    except ValueError:
        return None


def marker_line(masked_line: str) -> MarkerLine | None:
    """The marker candidate a (masked) line is, or None for an ordinary line of text."""
    s = _LEADING_NOISE.sub("", strip_translate(masked_line)).strip()
    if not s:
        return None
    h = heading(s)
    if h:
        return MarkerLine((_inline_text(s.strip("= \t")),), h.level) if h.title else None
    if _TEMPLATE_LINE.match(s):
        texts = _template_texts(s)
        return MarkerLine(texts, None, template=True) if texts else None
    if s.startswith(("''", "<", ";")):
        text = _inline_text(s.lstrip(";"))
        return MarkerLine((text,), None) if text else None
    return None


class Markers:
    """The session and part marker expressions: the config's first, then the defaults."""

    def __init__(self, session: tuple[str, ...] = (), part: tuple[str, ...] = ()):
        self.session = [re.compile(p) for p in (*session, *DEFAULT_SESSION_MARKERS)]
        self.part = [re.compile(p) for p in (*part, *DEFAULT_PART_MARKERS)]
        # every default marker holds a digit: a text without one is tried on the config's alone
        self._session_custom = self.session[: len(session)]
        self._part_custom = self.part[: len(part)]

    @staticmethod
    def _match(patterns: list[re.Pattern[str]], texts: tuple[str, ...],
               custom: list[re.Pattern[str]] | None = None) -> Match | None:
        for text in texts:
            for rx in (patterns if custom is None or _DIGIT.search(text) else custom):
                m = rx.match(text)
                if not m or not m.group("title").strip():
                    continue
                groups = m.groupdict()
                number = _small_int(groups.get("number"))
                if number is None and "number" in groups:
                    continue
                day = _small_int(groups.get("day"))
                session = _small_int(groups.get("session"))
                end = _small_int(groups.get("number_end"))
                code = text[: m.start("title")].rstrip(" /|:.-–").strip()
                return Match(
                    number=number,
                    title=m.group("title").strip(),
                    code=code,
                    day=day,
                    session=session,
                    number_end=end if end is not None and number is not None and end > number else None,
                )
        return None

    def session_marker(self, line: MarkerLine | str) -> Match | None:
        return self._match(self.session, _texts(line), self._session_custom)

    def part_marker(self, line: MarkerLine | str) -> Match | None:
        return self._match(self.part, _texts(line), self._part_custom)

    @staticmethod
    def half_session(line: MarkerLine | str) -> bool:
        """True for a line that looks like a session marker but is not a whole one."""
        return any(rx.match(t) for t in _texts(line) for rx in _HALF_SESSION)

    def unstyled_session(self, masked_line: str) -> Match | None:
        """A whole session marker written as an ordinary line (not a heading, bold, tag or template)."""
        text = plain_line(masked_line)
        return self.session_marker(text) if len(text) < 120 else None


def time_slot(title: str) -> tuple[str, str | None]:
    """(title, time) of a heading's text: a time slot at its end is the session's time, not its title."""
    m = _TIME_SLOT.match(title)
    if not m or not m.group("title").strip(" :–-"):
        return title, None
    return m.group("title").strip(" :–-"), (m.group("a") or m.group("b")).strip()


def _texts(line: MarkerLine | str) -> tuple[str, ...]:
    return (line,) if isinstance(line, str) else line.texts
