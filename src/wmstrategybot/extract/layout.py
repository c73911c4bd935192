"""Which structure of a page holds its sessions: headings, or the items of a programme (table
rows, timed list items, definition lists, numbered agendas). Decided per day section, on
evidence, in one place (``settle``). Pure, linear in the page.

The scan of headings (``outline``) runs first. Then each section of the page (the text under one
day heading, or the whole page) is read a second way, as a programme: each table row with a time
gives one session per cell that is not a time, a break or empty (its title the cell's first bold
text, else its first line); ``* 10:00 Title`` items give a session each, their ``**`` items its
parts; ``;10:15-11:00`` followed by ``:Title`` (or ``;09:00 Title``) a session, its ``:*`` lines
its parts; a numbered agenda (``# Item`` with ``## sub-items``), where nothing has a time, one
session per item. Breaks, meals and logistics (``vocabulary.is_break``) are never sessions.

The candidate with more sessions wins; markers win over both (a page with session markers is not
settled here). When the programme wins over headings that gave sessions, a notice names both
counts; heading sessions whose title is a programme item's give it their text, the others become
sections of the day (appendices), so no text is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from wmstrategybot.extract.blocks import Block, DayHeading, PageScan, has_text
from wmstrategybot.extract.vocabulary import closes, day_title, fold, is_break, wrapper
from wmstrategybot.model.settings import ReadingSettings
from wmstrategybot.wikitext.text import plain_line

_T = (r"(?:\d{1,2}[:.h]\d{2}|\d{1,2}h(?!\w)|\d{1,2}\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)"
      r"|\d{1,2}(?=\s*[-–—]\s*\d{1,2}[:.h]\d{2}))(?:\s*(?:a\.?m\.?|p\.?m\.?)(?!\w))?")
_RANGE = (rf"(?:{_T}(?:\s*(?:[-–—]|to|bis|à)\s*(?:{_T}|\?+))?|\d{{4}}\s*[-–—]\s*(?:\d{{4}}|\?+))"
          r"(?:\s*(?:Uhr|(?-i:(?:UTC|GMT|CES?T|EES?T|WES?T|BST|IST|E[SD]T|C[SD]T|M[SD]T|P[SD]T|AE[SD]T|JST|KST|WIB"
          r"|WITA?|SAST|EAT|CAT|WAT|MSK|PKT|NPT|ICT|PHT|HST|AKST|AKDT|GST|MES?Z|HKT|SGT|BRT|NZ[SD]T))(?:[+-]\d{1,2})?)(?=\s|$|[),;]))?")
#: a time (or a slot) at the start of an item: ``10:00 Title``, ``10h15-11h : Titre``, ``0900-0915 — Title``
_LEADING_TIME = re.compile(rf"^(?:(?:ab|from|d[èe]s|desde|dalle|vanaf)\s+)?(?P<time>{_RANGE})\s*(?:[:–—-]+\s*|\s+|$)(?P<rest>.*)$", re.I)
_ONLY_TIME = re.compile(rf"^\s*(?:{_RANGE})\s*$", re.I)
_BR = re.compile(r"<br\s*/?>|\n", re.I)
_BOLD = re.compile(r"'''(.+?)'''")
_ITALIC_ONLY = re.compile(r"^\s*''[^']+''\s*$")
_ATTRS = re.compile(r"^\s*(?:[\w-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s|]+)\s*)+\|(?!\|)")
_LIST = re.compile(r"^([*#:;]+)\s*(.*)$")


@dataclass
class _Item:
    title: str
    time: str | None
    line: int
    parts: list[tuple[str, int]]
    body: list[int]
    table: int = -1  # the table of the section it is a row of (-1: a list item)
    new_day: bool = False  # its table starts a day: its times start again before the last one's
    after_close: tuple[str, int] | None = None  # the row or item that closed the programme above it


def _still_closed(closed: tuple[str, int, int | None] | None,
                  start: int | None) -> tuple[str, int, int | None] | None:
    """The close above an item that starts at `start`, unless the times start again before it
    (another day's programme): then none."""
    if closed is not None and start is not None and closed[2] is not None and start < closed[2]:
        return None
    return closed


_FILE = re.compile(r"\[\[\s*(?:File|Image|Datei|Fichier|Archivo|Bild)\s*:[^\]]*\]\]", re.I)
_PARAGRAPHS = re.compile(r"\n\s*\n|<br\s*/?>\s*(?:<br\s*/?>)?", re.I)
#: a format word before a title: "Common session: State of the Movement", "Sessions: A / B"
_FORMAT = re.compile(r"^(?:(?:common|plenary|parallel|breakout)\s+)?(?P<s>sessions?|workshops?|talks?|panel)\s*:\s*", re.I)
#: a note after a title: a duration, a time, a room, a remark in lower case ("(45 min, Foyer)", "(Mensa)",
#: "(sujets à proposer en page de discussion)"), not "(sync)", "(round 1)" or "(Kiwix, WikiFundi, Global Reach)"
_TRAILING_NOTE = re.compile(r"\s*\((?=[^()]*(?:\d+\s*(?:min|h|hrs?|hours?|minutes?|minuten|std|stunden?)\b"
                            r"|\d{1,2}[:.h]\d{2}|\bmin\b|foyer|room|hall|raum|saal|salle|sala|mensa|aula|hotel"
                            r"|(?:video|slides|(?:live)?stream|recording|etherpad|pdf)\))"
                            r"|(?-i:[^\W\d_A-Z])[^()]*\s\S+\s)[^()]*\)\s*$",
                            re.I)


#: a speaker's name after a title: ", Phoebe Ayers", ", Carwil Bjork-James" (two or three
#: capitalised words that name no wiki: ", Wikidata Commons" stays)
_SPEAKER = re.compile(r",\s+(?!(?:Wiki|Commons|Meta\b|Q&A|Part\b|Day\b|Session\b))"
                      r"(?-i:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ]+)?)(?:\s+(?-i:[A-Z][a-zà-ÿ'’]+(?:-[A-Z][a-zà-ÿ]+)?)){1,2}$")


#: the end of a title that leads into its sub-items ("…, including", "…, w tym", "…, davon"), and
#: a link labelled as a recording after it ("Title [https://… video]", "Title ([[…|slides]])")
_LEAD_IN = re.compile(r",\s*(?:including|incl\.|among them|w tym|davon|darunter|dont|notamment|incluyendo|"
                      r"entre ellos|tra cui|inclusief)\s*:?\s*$", re.I)
_LINK_LABEL = re.compile(r"[\s,;–—-]*\(?\s*(?:\[(?:https?:)?//[^\s\]]+\s+|\[\[[^\[\]|]*\|\s*)"
                         r"(?:video|slides|recording|(?:live)?stream)\s*\]\]?\s*\)?\s*$", re.I)


#: words of titles, not of names: ", Next Steps" is no speaker
_TITLE_WORDS = frozenset(
    "next steps step ahead future open opening closing close lessons questions question answers discussion "
    "discussions wrap up new projects project groups group panel workshop workshops talk talks session sessions "
    "introduction overview update updates report reports plan plans planning strategy tools tool data ideas "
    "outreach education community communities partnerships part round final first second third keynote "
    "welcome review feedback demo demos showcase lightning policy research global local board the of and "
    "for in on with to a an".split())


def speaker_after_comma(title: str) -> int | None:
    """Where a name after a comma starts in a title ("Wikipedia at 18, Phoebe Ayers"), if it may
    be a speaker's: two or three capitalised words, none a word of titles; else None."""
    m = _SPEAKER.search(title)
    if m and len(title[: m.start()].split()) >= 2 and not _TITLE_WORDS & set(
            fold(m.group(0)).strip(", ").replace("-", " ").split()):
        return m.start()
    return None


def _plain(text: str) -> str:
    return plain_line(_FILE.sub("", text)).strip()


def _title_of(cell: str) -> str:
    """A cell's or item's title: its first bold text, else its first line, as plain text."""
    bold = _BOLD.search(cell)
    first = bold.group(1) if bold else next((p for p in _BR.split(cell) if _plain(p)), "")
    return _plain(first).strip(" .:;–—-")


def _titles(text: str) -> list[str]:
    """The session titles of an item's text: a format word dropped ("Common session: X" is X), a
    trailing note dropped ("X (45 min, Foyer)"), a description after a colon dropped where it
    holds a link (a subtitle holds none), parallel sessions split
    ("Sessions: A / B")."""
    text = _LINK_LABEL.sub("", text)  # "Title [https://… video]": the link to its recording is no title
    text = _plain(text).strip(" .:;–—-")
    m = _FORMAT.match(text)
    if m:
        text = text[m.end():]
    head, colon, tail = text.partition(": ")
    if colon and len(head.split()) <= 5 and "://" in tail:
        text = head  # "GLAM-Exkursion: Museumsbesuche im Raum … (http://…)": a title, then a link to what it is
    text = _TRAILING_NOTE.sub("", text).strip(" .:;–—-") or text
    text = _LEAD_IN.sub("", text) or text
    if m and m.group("s").lower().endswith("s") and " / " in text:
        return [t.strip() for t in text.split(" / ") if t.strip()]
    return [text] if text else []


@dataclass
class _Row:
    line: int
    header: bool
    cells: list[str]
    lines: list[int]
    spans: list[int] = field(default_factory=list)  # each cell's rowspan
    table: int = 0  # which table of the section (0, 1...)


def _rows(masked: list[str], lines: list[int]) -> list[_Row]:
    """The rows of the section's wikitables (nested tables read as their cell's text)."""
    rows: list[_Row] = []
    depth = 0
    table = -1
    row: _Row | None = None
    for i in lines:
        text = masked[i].strip()
        if text.startswith("{|"):
            depth += 1
            if depth == 1:
                row = None
                table += 1
                continue
        elif text.startswith("|}"):
            depth = max(0, depth - 1)
            if depth == 0:
                row = None
                continue
        if depth == 0:
            continue
        if depth == 1 and text.startswith("|-"):
            row = None
            continue
        if depth == 1 and text.startswith("|+"):
            continue
        if depth == 1 and text[:1] in ("|", "!"):
            header = text.startswith("!")
            if row is None or row.header != header:
                row = _Row(i, header, [], [], [], table)
                rows.append(row)
            for attrs, cell in _cells(text):
                row.cells.append(cell)
                span = _ROWSPAN.search(attrs)
                row.spans.append(int(span.group(1)) if span else 1)
            row.lines.append(i)
        elif row is not None and row.cells:
            row.cells[-1] += "\n" + masked[i]
            row.lines.append(i)
    return rows


_ROWSPAN = re.compile(r"rowspan\s*=\s*[\"']?(\d+)", re.I)


def _cells(line: str) -> list[tuple[str, str]]:
    """(attributes, content) of each cell of a table line (``| a || b``, ``! h !! i``)."""
    body = line.strip()[1:]
    sep = "!!" if line.lstrip().startswith("!") else "||"
    out = []
    for cell in body.split(sep):
        m = _ATTRS.match(cell)
        out.append((m.group(0) if m else "", cell[m.end():].strip() if m else cell.strip()))
    return out


def _entries(cell: str, brk: Callable[[str], bool] = is_break) -> list[tuple[str, list[str]]]:
    """(title, parts) of each session a cell holds: one per "Speaker // Title" paragraph, else one
    titled by its first bold text or first line, its further short lines its parts (two or more)."""
    paragraphs = [p for p in _PARAGRAPHS.split(cell) if _plain(p)]
    if any(" // " in p for p in paragraphs):
        return [(t, []) for p in paragraphs if " // " in p for t in _titles(p.rsplit(" // ", 1)[1])]
    bold = _BOLD.search(cell)
    title = bold.group(1) if bold else (paragraphs[0] if paragraphs else "")
    more = 1
    while (not bold and more < len(paragraphs) and _GOES_ON.match(_plain(paragraphs[more]))
           and len(_plain(paragraphs[more]).split()) <= 6 and not _plain(paragraphs[more]).endswith(".")):
        title, more = f"{title} {paragraphs[more].strip()}", more + 1  # "Future of the Conference / and closing"
    after = cell[bold.end():] if bold else "\n".join(paragraphs[more:])
    rest = [_plain(p) for p in _PARAGRAPHS.split(after)]
    parts = [p for p in rest if p and len(p.split()) <= 8 and not p.endswith(".") and not brk(p)
             and not re.match(r"^(?:by|with|introduced by|von|par|por)\b", p, re.I) and not p.startswith("[")
             and not _ITALIC_ONLY.match(p) and not re.search(r"\bregistration\b|\bstream\b", p, re.I)]
    return [(t, parts if len(parts) >= 2 else []) for t in _titles(title)]


#: a cell's line that goes on with its title: "Future of the Wikimedia Conference<br />and closing"
_GOES_ON = re.compile(r"^(?:and|or|&|und|oder|et|ou|y|e|o|i|oraz)\s+\S", re.I)
_BOLD_ONLY = re.compile(r"^\s*'''[^']+'''\s*$")


def _minutes(time: str | None) -> int | None:
    """The start of a time as minutes after midnight (``9:30``, ``1:30 p.m.``, ``10h15``, ``0900``)."""
    m = re.match(r"\s*(\d{2})(\d{2})\b|\s*(\d{1,2})(?:[:.h](\d{2}))?", time or "")
    if not m:
        return None
    hours, minutes = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    total = int(hours) * 60 + int(minutes or 0)
    if re.match(r"[^-–]*p\.?m", time or "", re.I) and int(hours) < 12:
        total += 720
    return total


def _table_items(masked: list[str], lines: list[int], brk: Callable[[str], bool] = is_break) -> list[_Item]:
    """A row with a time cell: a session per other cell (``Speaker // Title`` paragraphs one each).
    A full-width header row names a block whose rows, until a break or the next block, are its
    parts; so does a bold cell spanning rows in a grid (a bold "Partnerships" beside its talks).
    A table whose times start before the last one's starts a day (no day heading said so)."""
    items: list[_Item] = []
    block: _Item | None = None
    spanned: tuple[_Item, int] | None = None  # a bold cell's block and the rows it still spans
    table = -1
    last: int | None = None
    closed: tuple[str, int, int | None] | None = None  # (title, line, start) of the row that closed
    for row in _rows(masked, lines):
        if row.table != table:
            table, block, spanned, closed = row.table, None, None, None
        if row.header:
            if len(row.cells) == 1 and _plain(row.cells[0]) and not brk(_plain(row.cells[0])):
                block = _Item(_title_of(row.cells[0]), None, row.line, [], [])
            continue
        times = [c for c in row.cells if _ONLY_TIME.match(_plain(c))]
        if not times:
            continue
        time = _plain(times[0])
        start = _minutes(time)
        new_day = (bool(items) and row.table != items[-1].table and start is not None and last is not None
                   and start < last)
        last = start if start is not None else last
        others = [(c, span) for c, span in zip(row.cells, row.spans) if c not in times]
        if spanned is None and len(others) >= 2 and others[0][1] >= 2 and _BOLD_ONLY.match(others[0][0]):
            head = _Item(_title_of(others[0][0]), time, row.line, [], list(row.lines[1:]), row.table, new_day)
            items.append(head)
            spanned, others = (head, others[0][1]), others[1:]
        found = [(t, parts) for c, _ in others for t, parts in _entries(c, brk) if t and not brk(t)
                 and not _ONLY_TIME.match(t)]
        if spanned is not None:
            head, left = spanned
            head.parts.extend((t, row.line) for t, _ in found if t not in [p for p, _ in head.parts])
            head.body.extend(row.lines)
            spanned = (head, left - 1) if left > 1 else None
            continue
        if not found:
            if any(brk(_plain(c)) for c, _ in others):
                block = None  # a break ends a block of talks
            closing = next((_plain(c) for c, _ in others if closes(_plain(c))), None)
            if closing:
                closed = (closing, row.line, start)
            continue
        if block is not None:
            if block not in items:
                block.time, block.table, block.new_day = time, row.table, new_day
                items.append(block)
            block.parts.extend((t, row.line) for t, _ in found)
            block.body.extend(row.lines)
            continue
        closed = _still_closed(closed, start)
        for k, (title, parts) in enumerate(found):
            items.append(_Item(title, time, row.line, [(p, row.line) for p in parts], list(row.lines[1:]),
                               row.table, new_day and k == 0, closed[:2] if closed else None))
    return items


def _list_items(masked: list[str], lines: list[int], brk: Callable[[str], bool] = is_break) -> list[_Item]:
    """Timed list items and definition lists; numbered agenda items where nothing has a time."""
    timed: list[_Item] = []
    numbered: list[_Item] = []
    current: _Item | None = None
    pending: tuple[str, int] | None = None  # a ``;time`` waiting for its ``:Title``
    number_current: _Item | None = None
    for i in lines:
        m = _LIST.match(masked[i].strip())
        if not m:
            if masked[i].strip() and current is not None:
                current.body.append(i)
            if masked[i].strip():
                pending = None
            continue
        marks, text = m.group(1), m.group(2).strip()
        plain = plain_line(_LINK_LABEL.sub("", text))
        lead = _LEADING_TIME.match(plain)
        if marks in ("*", "#", ";", ":") and lead and not (marks == ":" and pending is None and current is not None
                                                            and not lead.group("rest")):
            rest = lead.group("rest").strip(" .:–—-")
            if marks == ";" and not rest:
                pending, current = (lead.group("time").strip(), i), None
                continue
            if rest and marks != ":":
                for title in _titles(rest):
                    current = _Item(title, lead.group("time").strip(), i, [], [])
                    timed.append(current)
                pending = None
                continue
        if marks == ":" and pending is not None and plain and not _ITALIC_ONLY.match(text):
            current = _Item(_titles(_title_of(text))[0] if _titles(_title_of(text)) else _title_of(text),
                            pending[0], pending[1], [], [i])
            timed.append(current)
            pending = None
            continue
        if marks == ":*" and pending is not None and plain and not brk(plain):
            # ";11h-11h30" then only ":* A" / ":* B": the slot holds sessions A and B
            timed.append(_Item(_clean(plain), pending[0], i, [], []))
            continue
        if len(marks) >= 2 and marks[-1] in "*#" and current is not None and plain:
            current.parts.append((_clean(plain), i))
            continue
        if marks == "#" and plain:
            number_current = _Item(_clean(plain), None, i, [], [])
            numbered.append(number_current)
            continue
        if marks in ("##", "#*", "#:") and number_current is not None and plain:
            number_current.parts.append((_clean(plain), i))
            continue
        if current is not None:
            current.body.append(i)
    kept = []
    closed: tuple[str, int, int | None] | None = None
    for t in timed:
        if not brk(t.title):
            closed = _still_closed(closed, _minutes(t.time))
            t.after_close = closed[:2] if closed else None
            kept.append(t)
        elif closes(t.title):
            closed = (t.title, t.line, _minutes(t.time))
    if kept:
        return kept
    return numbered if len(numbered) >= 2 else []


def _clean(text: str) -> str:
    """An agenda item's or a part's title: plain, without a lead-in to its sub-items ("…, w tym:")."""
    text = plain_line(text).strip(" .:;–—-")
    return _LEAD_IN.sub("", text).strip(" .:;–—-") or text


_HEADING = re.compile(r"^(=+)\s*(.*?)\s*\1\s*$")


def _described(masked: list[str], lines: list[int], titles: set[str]) -> dict[str, list[int]]:
    """The lines under each heading of the section titled like a table's session (a section that
    describes it: "=== Wikimedia UK AGM ===" under the agenda table), by folded title."""
    found: dict[str, list[int]] = {}
    current: tuple[str, int] | None = None
    for i in lines:
        m = _HEADING.match(masked[i].strip())
        if m:
            level, key = len(m.group(1)), fold(plain_line(m.group(2)))
            if current is not None and level <= current[1]:
                current = None
            if key in titles and key not in found:
                current = (key, level)
                found[key] = [i]
                continue
        if current is not None:
            found[current[0]].append(i)
    return found


#: a line a programme may start with: a list, a definition, a table (a time or a number in it)
_MAYBE = re.compile(r"^\s*(?:[*;:][^\n]*\d|#|\{\|)")


def programme(masked: list[str], lines: list[int], breaks: tuple[str, ...] = ()) -> list[_Item]:
    """The sessions a section's lines hold as a programme, in page order: table rows, then list
    items outside the sections that describe a table's sessions (their timed items are its parts)."""
    if not any(_MAYBE.match(masked[i]) for i in lines):
        return []  # (most pages of headings: no list or table item with a time, no agenda)
    # each phrase on whole words; one of no letter or digit ("-", "()") would match any title: none
    phrases = [p for p in (" ".join(fold(w).replace("-", " ").split()) for w in breaks) if re.search(r"\w", p)]
    extra = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)") if phrases else None

    def brk(title: str) -> bool:
        return is_break(title) or bool(extra and extra.search(" ".join(fold(title).replace("-", " ").split())))

    table = _table_items(masked, lines, brk)
    described = _described(masked, lines, {fold(t.title) for t in table})
    inside = {i for block in described.values() for i in block}
    for item in table:
        block = described.pop(fold(item.title), None)
        if block is None:
            continue
        item.body.extend(block)
        if not item.parts:
            item.parts = [(p.title, p.line) for p in _list_items(masked, block[1:], brk)]
    listed = _list_items(masked, [i for i in lines if i not in inside], brk)
    # an agenda's items described by headings further down ("# Eröffnung" then "== Eröffnung =="):
    # each heading's text is its item's, its sub-headings the item's parts, its lines no items
    below = _described(masked, [i for i in lines if i not in inside], {fold(t.title) for t in listed})
    below = {k: v for k, v in below.items() if any(fold(t.title) == k and t.line < v[0] for t in listed)}
    if below:
        inside |= {i for block in below.values() for i in block}
        listed = _list_items(masked, [i for i in lines if i not in inside], brk)
        for item in listed:
            block = below.pop(fold(item.title), None)
            if block is not None:
                item.body.extend(block)
                if not item.parts:
                    item.parts = _sub_headings(masked, block)
    return sorted(table + listed, key=lambda item: item.line)


def _sub_headings(masked: list[str], block: list[int]) -> list[tuple[str, int]]:
    """The headings one level below the heading that opens `block`, as (title, line)."""
    top = _HEADING.match(masked[block[0]].strip())
    level = len(top.group(1)) if top else 0
    out = []
    for i in block[1:]:
        m = _HEADING.match(masked[i].strip())
        if m and len(m.group(1)) == level + 1 and plain_line(m.group(2)):
            out.append((plain_line(m.group(2)), i))
    return out


def _sections(scan: PageScan) -> list[tuple[int | None, int, int]]:
    """(day number or None, first line, end) of each day section of the page (the text above the
    first day heading one too), or the whole page."""
    if not scan.day_headings:
        return [(None, 0, len(scan.masked))]
    heads = sorted(scan.day_headings, key=lambda d: d.line)
    return [(None, 0, heads[0].line)] + [(h.number, h.line + 1, heads[k + 1].line if k + 1 < len(heads)
                                          else len(scan.masked)) for k, h in enumerate(heads)]


#: a heading numbered as it is written: "1. Årsmötets öppnande", "2) Reports"
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")


def _numbered_headings(scan: PageScan) -> None:
    """Heading sessions numbered in their titles, 1, 2, 3... in page order (minutes, agendas):
    the number is the session's, the rest its title. Per day: two or more, all numbered, or none."""
    days: dict[int | None, list[Block]] = {}
    for b in scan.sessions:  # (each day's: the numbers of minutes or agendas start again each day)
        days.setdefault(b.day, []).append(b)
    for blocks in days.values():
        found = [_NUMBERED.match(b.title) if b.level and b.number is None else None for b in blocks]
        if len(blocks) < 2 or not all(found):
            continue
        numbers = [int(m.group(1)) for m in found if m]
        if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            continue
        for b, m in zip(blocks, found):
            if m:
                b.number, b.title = int(m.group(1)), m.group(2).strip()


def settle(scan: PageScan, coded: bool, reading: ReadingSettings = ReadingSettings()) -> PageScan:
    """Each section's sessions from headings or from its programme, whichever holds more (see the
    module docstring). `coded`: the page has session markers, which win: left as it is."""
    if coded:
        return scan
    if reading.sessions_from == "headings":
        _numbered_headings(scan)
        return scan
    sessions: list[Block] = []
    appendices = list(scan.appendices)
    owned = {i for a in scan.appendices for i in (a.line, *a.body)}
    read = {}
    for day, start, end in _sections(scan):
        lines = [i for i in range(start, end) if i not in owned]
        read[start] = programme(scan.masked, lines, reading.break_words)
        if day is None and scan.day_headings and start == 0 and \
                len(read[start]) > len([b for b in scan.sessions if b.line < end]):
            _day_before_headings(scan)  # the agenda above the first weekday heading is a day: the first
            read[1] = read.pop(0)
    for day, start, end in _sections(scan):
        heads = [b for b in scan.sessions if start <= b.line < end]
        items = read.get(start, [])
        if not items or (len(items) <= _weight(scan, heads) and reading.sessions_from != "programme"):
            sessions.extend(heads)
            continue

        if heads and reading.sessions_from != "programme":
            scan.notices.append((items[0].line, f"read as a programme of {len(items)} sessions (table rows or list "
                                                f"items); the headings would give {len(heads)}"))
        by_title = {fold(b.title): b for b in heads}
        on = day
        for item in items:
            if item.new_day:
                on = _new_day(scan, item.line, on)
            block = Block("session", None, item.title, item.line, None, day=on, time=item.time,
                          anchor=_anchor(scan, item.line))
            block.body = list(item.body)
            block.end = item.line + 1
            for k, (title, line) in enumerate(item.parts, 1):
                part = Block("part", k, title, line, None, anchor=block.anchor)
                part.end = line + 1
                block.parts.append(part)
            if item.after_close is not None:
                scan.notices.append((item.line, f"{item.title!r} is read as a session, though it comes after "
                                                f"{item.after_close[0]!r} (line {item.after_close[1] + 1}), which "
                                                "closes the programme: if it is not one, `break words` settles it"))
            same = by_title.pop(fold(item.title), None)
            if same is not None:
                block.body.extend(same.lines)
            sessions.append(block)
        for left in by_title.values():
            appendix = Block("appendix", 0, left.title, left.line, left.level, anchor=left.anchor)
            appendix.body = [i for i in left.lines if i != left.line]
            appendix.end = left.end
            appendices.append(appendix)
    sessions.sort(key=lambda b: b.line)
    # a heading the programme read (a session's description) is no longer a stray one
    taken = {i for b in sessions for i in b.lines}
    for a in appendices:  # a heading left over holds no line a session was read from
        a.body = [i for i in a.body if i not in taken]
    scan.notices = [(i, m) for i, m in scan.notices
                    if not (i in taken and ("stands below the session level" in m or "stands above the sessions" in m))]
    scan.sessions = sessions
    scan.appendices = sorted(appendices, key=lambda a: a.line)
    _numbered_headings(scan)
    _speakers(scan, reading.speakers_after_comma)
    scan.notices.extend(_doubts(scan))
    return scan


def _speakers(scan: PageScan, drop: bool | None) -> None:
    """Programme items whose title ends in what may be a speaker's name after a comma: the name
    dropped (`drop`), kept (False), or kept and said in one notice (None: the evidence cannot
    tell "Wikipedia at 18, Phoebe Ayers" from "Gender gap, Middle East")."""
    if drop is False:
        return
    found = [(b, at) for b in scan.sessions if not b.level and (at := speaker_after_comma(b.title)) is not None]
    if not found:
        return
    if drop:
        for b, at in found:
            b.title = b.title[:at].strip()
        return
    shown = ", ".join(repr(b.title) for b, _ in found[:3]) + (f" and {len(found) - 3} more" if len(found) > 3 else "")
    scan.notices.append((found[0][0].line, f"{len(found)} title(s) read as written, though each ends in what may be "
                                           f"a speaker's name after a comma ({shown}): `speakers after comma = yes` "
                                           "drops the names, `no` keeps them as the titles' and says nothing"))


#: a session holding more than this share of a page's lines of text (of a page this long) is doubted
_MOST, _LONG_PAGE = 0.6, 40


def _doubts(scan: PageScan) -> list[tuple[int, str]]:
    """Notices for results that are implausible as read: a session titled like a day, a date or a
    heading that holds sessions; a programme (table rows or timed items) read as a session's
    text; one session holding most of the page."""
    out: list[tuple[int, str]] = []
    text_lines = sum(1 for line in scan.masked if line.strip())
    for b in scan.sessions:
        if b.level and (day_title(b.title) is not None or wrapper(b.title)):
            out.append((b.line, f"{b.title!r} is read as a session, but is titled like a day, a date or a heading "
                                 "that holds sessions: check the outline (a day heading one level above the "
                                 "sessions, or `heading_level`, says what it is)"))
        if b.level:
            inside = programme(scan.masked, b.body)
            if len(inside) >= 2:
                out.append((inside[0].line, f"a programme of {len(inside)} items (table rows or timed list items) "
                                            f"is read as the text of session {b.title!r}"))
        own = sum(1 for i in b.lines if scan.masked[i].strip())
        if len(scan.sessions) >= 2 and text_lines >= _LONG_PAGE and own > _MOST * text_lines:
            out.append((b.line, f"session {b.title!r} holds {own} of the page's {text_lines} lines of text: it may be "
                                "read as one session where the page has several"))
    return out


def _day_before_headings(scan: PageScan) -> int | None:
    """The sessions above the page's first day heading, where its day headings are numbered by
    order (``=== Sunday 13th ===`` after the agenda of the Saturday): a day of their own, the
    first; the headings' days come after it. None where the headings give numbers (``Day 2``)."""
    if not all(d.relative for d in scan.day_headings):
        return None
    scan.day_headings = [DayHeading(d.line, d.number + 1, d.title, relative=True) for d in scan.day_headings]
    for b in scan.sessions:
        if b.day is not None:
            b.day += 1
    scan.lead = {(k + 1 if k is not None else None): v for k, v in scan.lead.items()}
    scan.day_headings.insert(0, DayHeading(0, 1, "", relative=True))
    return 1


def _weight(scan: PageScan, heads: list[Block]) -> int:
    """The evidence heading sessions give: one each that has text or parts of its own (an empty
    "== Documents ==" heading is no session a programme must yield to)."""
    return sum(1 for b in heads if b.parts or has_text(scan.masked, b.body))


def _new_day(scan: PageScan, line: int, day: int | None) -> int:
    """A day that starts at `line` (a table whose times start again), after `day` (None: the page's
    first, which then gets a day heading of its own at the top): its number, said in a notice."""
    relative = day is None or any(d.relative for d in scan.day_headings if d.number == day)
    if day is None:
        scan.day_headings.append(DayHeading(0, 1, "", relative=True))
        day = 1
    scan.day_headings.append(DayHeading(line, day + 1, "", relative=relative))
    scan.day_headings.sort(key=lambda d: d.line)
    scan.notices.append((line, f"read as the start of day {day + 1}: the times of this table start again before "
                               "the last time of the table above, and no day heading is between them "
                               "(a day heading above the table says it for sure)"))
    return day + 1


def _anchor(scan: PageScan, line: int) -> str | None:
    """The anchor of the heading a programme item stands under (the page's sections link there)."""
    for i in range(line, -1, -1):
        m = re.match(r"^(=+)\s*(.*?)\s*\1\s*$", scan.masked[i].strip())
        if m:
            return plain_line(m.group(2))
    return None
