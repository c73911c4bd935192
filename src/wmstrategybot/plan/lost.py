"""The sessions the published pages hold, and those a new read would drop. Pure.

A bad read of a Day page (a typo in one marker, a page blanked by mistake) loses sessions.
Publishing any page from it puts the event's pages out of step with each other, so the plan
compares what the published pages list (the data page; without one, the overview's session
template calls and the navbox's links) with what was read, and publishes nothing of the event
when a session would disappear: the message names those sessions and the extraction warnings
on their pages, which usually say why.

Sessions are matched (`match`) by code, title, day and order before anything is called lost: a
renamed session is the one between the same neighbours, an inserted one takes nobody's place.
What is left unmatched is lost, but only a loss that looks like a failed read stops the event
(`Loss.evidence`: a day emptied, LOST_MANY sessions at once, a code no longer read); an organiser
accepts one such loss on the wiki with ``accept=<its digest>`` (docs/saving.md).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from wmstrategybot.errors import MergeRefused
from wmstrategybot.model.event import Event, Notice
from wmstrategybot.render.base import SESSION_TEMPLATE, RenderedPage, link
from wmstrategybot.wikitext.regions import find_regions

#: At most this many sessions and warnings are named in the message (a blanked page of a
#: large event would otherwise make a message of hundreds of lines).
NAMED = 10
#: This many sessions gone in one read (or more) look like a read that failed, not an edit.
LOST_MANY = 3
#: Two titles at least this alike (`similar`) are one session renamed.
SIMILAR = 0.6
#: The length of the digest that accepts a loss (hex digits).
ACCEPT_LENGTH = 8


@dataclass(frozen=True)
class PublishedSession:
    """A session as a published page lists it; what is not known there is None or empty."""

    day: int | None
    number: int | None
    title: str
    page: str = ""
    #: the navbox link's target (page#anchor, as the bot writes it)
    target: str = ""
    other_titles: tuple[str, ...] = ()
    #: a navbox link to a section that is not a session (an appendix)
    appendix: bool = False
    #: the code as its marker writes it (``D1.02``); empty where the page gives none
    code: str = ""
    #: still read, but its marker no longer (the code the published pages have is gone)
    garbled: bool = False

    def describe(self) -> str:
        day = f"Day {self.day}, " if self.day is not None else ""
        number = f"session {self.number} " if self.number is not None else ""
        lost = f" (its code {self.code} can no longer be read)" if self.garbled else ""
        return f"{day}{number}'{self.title}'{lost}"


def warning_line(w: Notice) -> str:
    """A warning as every command prints it (after ``warning: ``) and the run report lists it."""
    return f"{w.page}" + (f":{w.line}" if w.line else "") + f": {w.message}"


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _fold(title: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", title).split()).casefold()


def event_sessions(event: Event) -> list[PublishedSession]:
    return [
        PublishedSession(s.day, s.number, s.title, s.source.page if s.source else "", "", s.other_titles, code=s.code)
        for s in event.sessions
    ]


def data_sessions(text: str | None) -> list[PublishedSession] | None:
    """The sessions of a data page, or None if there is no page or it is not one (no list to compare)."""
    if not text:
        return None
    try:
        sessions = json.loads(text)["data"]["sessions"]
        out = []
        for s in sessions:
            source = s.get("source") or {}
            out.append(PublishedSession(_int(s.get("day")), _int(s.get("number")), str(s["title"]),
                                        str(source.get("page") or ""), "", tuple(map(str, s.get("other_titles") or ())),
                                        code=str(s.get("code") or "")))
        return out
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _region(text: str | None, name: str) -> str | None:
    if not text:
        return None
    try:
        region = find_regions(text).get(name)
    except MergeRefused:
        return None
    return text[region.content_start : region.content_end] if region else None


_CALL = re.compile(r"^\{\{\s*" + re.escape(SESSION_TEMPLATE) + r"\s*$", re.M)
_PARAM = re.compile(r"^\|(number|day|title|page|code)=(.*)$", re.M)


def overview_sessions(region: str | None) -> list[PublishedSession]:
    """The session template calls of the overview's region, as the bot writes them: one
    parameter a line (a value's own '|' is escaped, so no value line starts with one)."""
    if not region:
        return []
    starts = [m.start() for m in _CALL.finditer(region)]
    out = []
    for start, end in zip(starts, [*starts[1:], len(region)]):
        params: dict[str, str] = {}
        for m in _PARAM.finditer(region, start, end):
            params.setdefault(m.group(1), m.group(2).strip())
        if "title" in params:
            out.append(PublishedSession(_int(params.get("day")), _int(params.get("number")), params["title"],
                                        params.get("page", ""), code=params.get("code", "")))
    return out


_NAVBOX_ITEM = re.compile(r"(?:»|\|\d+=)\s*\[\[(?P<target>[^\[\]|]*)(?:\|(?P<label>[^\[\]]*))?\]\]"
                          r"|(?:label\s*=\s*|^!\s*)Day\s+(?P<day>\d+)", re.M)


def navbox_links(region: str | None, day: int | None = None) -> list[PublishedSession]:
    """The navbox region's links (sessions and appendices), each under its row's 'Day N'."""
    out: list[PublishedSession] = []
    for m in _NAVBOX_ITEM.finditer(region or ""):
        if m.group("day"):
            day = int(m.group("day"))
            continue
        target = m.group("target").strip()
        label = (m.group("label") or target).strip()
        out.append(PublishedSession(day, None, label, target.split("#", 1)[0], target, code=_anchor_code(target, label)))
    return out


def _anchor_code(target: str, label: str) -> str:
    """The code a link's section anchor carries before its label (``Day 1#D1.02 / Title``)."""
    anchor = target.partition("#")[2].replace("_", " ").strip()
    if not anchor.endswith(label) or anchor == label:
        return ""
    return anchor[: -len(label)].rstrip(" /|:.-–")


def event_links(event: Event) -> list[PublishedSession]:
    """The links the navbox of this event has, as ``navbox_links`` reads them, appendices marked."""
    out = []
    for s in event.sessions:
        page = s.source.page if s.source else ""
        out += [replace(x, code=s.code)
                for x in navbox_links("» " + link(page, s.source.anchor if s.source else None, s.title), s.day)]
    for day in event.days:
        out += [PublishedSession(x.day, None, x.title, x.page, x.target, appendix=True)
                for a in day.appendices for x in navbox_links("» " + link(day.page, a.anchor, a.title), day.number)]
    return out


def _names(s: PublishedSession) -> set[str]:
    return {_fold(s.title), *map(_fold, s.other_titles)}


def similar(a: str, b: str) -> float:
    """How alike two titles are, 0 to 1: the share of characters in common (difflib's ratio),
    or 1 when one title's words are all in the other (``Opening`` -> ``Opening and welcome``)."""
    fa, fb = _fold(a), _fold(b)
    if not fa or not fb:
        return 0.0
    wa, wb = set(re.findall(r"\w+", fa)), set(re.findall(r"\w+", fb))
    if wa and wb and (wa <= wb or wb <= wa):
        return 1.0
    return SequenceMatcher(None, fa, fb, autojunk=False).ratio()


def _common(bs: Sequence[int], as_: Sequence[int], same: Callable[[int, int], bool]) -> list[tuple[int, int]]:
    """The longest common subsequence of two index lists under `same`, as pairs, the latest
    pairs preferred (a duplicate title is matched with the later one: ``A, B`` read ``B, B``
    leaves ``A`` facing the first ``B``, a rename)."""
    n, m = len(bs), len(as_)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for x in range(n):
        for y in range(m):
            table[x + 1][y + 1] = table[x][y] + 1 if same(bs[x], as_[y]) else max(table[x][y + 1], table[x + 1][y])
    pairs = []
    x, y = n, m
    while x and y:
        if same(bs[x - 1], as_[y - 1]) and table[x][y] == table[x - 1][y - 1] + 1:
            pairs.append((bs[x - 1], as_[y - 1]))
            x, y = x - 1, y - 1
        elif table[x - 1][y] >= table[x][y - 1]:
            x -= 1
        else:
            y -= 1
    return pairs[::-1]


def match(before: Sequence[PublishedSession], after: Sequence[PublishedSession]) -> dict[int, int]:
    """Which session of `after` each session of `before` is (index to index), one to one. In
    turn: the same code on the same day; the same title on the same day, in order (the longest
    run of titles in common); the same title on the same day in any order (two titles swapped);
    the same title on another day (moved); the same link target; then, on the same day, a
    session left between the same matched neighbours (a rename: the most similar title first,
    then by order); last, a similar title elsewhere on the same day. An appendix (a navbox link
    to a section that is no session) is matched by its title or target only."""
    pairs: dict[int, int] = {}
    used: set[int] = set()

    def pair(k: int, i: int) -> None:
        pairs[k] = i
        used.add(i)

    def free_before(day: int | None) -> list[int]:
        return [k for k, b in enumerate(before) if k not in pairs and b.day == day]

    def free_after(day: int | None, sessions_only: bool = False) -> list[int]:
        return [i for i, a in enumerate(after) if i not in used and a.day == day
                and not (sessions_only and a.appendix)]

    for k, b in enumerate(before):
        if b.code and not b.appendix:
            i = next((i for i, a in enumerate(after) if i not in used and a.code and not a.appendix
                      and a.day == b.day and _fold(a.code) == _fold(b.code)), None)
            if i is not None:
                pair(k, i)
    days = list(dict.fromkeys(b.day for b in before))
    for day in days:
        for k, i in _common(free_before(day), free_after(day), lambda k, i: bool(_names(before[k]) & _names(after[i]))):
            pair(k, i)
    tests: list[Callable[[PublishedSession, PublishedSession], bool]] = [
        lambda b, a: a.day == b.day and bool(_names(b) & _names(a)),
        lambda b, a: bool(_names(b) & _names(a)),
        lambda b, a: bool(b.target) and a.target == b.target,
    ]
    for test in tests:
        for k, b in enumerate(before):
            if k not in pairs:
                i = next((i for i, a in enumerate(after) if i not in used and test(b, a)), None)
                if i is not None:
                    pair(k, i)
    for day in days:
        _renamed(before, after, day, pairs, pair, free_after(day, sessions_only=True))
        for k in free_before(day):
            if before[k].appendix:
                continue
            scored = sorted(((similar(before[k].title, after[i].title), i) for i in free_after(day, True)), reverse=True)
            if scored and scored[0][0] >= SIMILAR:
                pair(k, scored[0][1])
    return pairs


def _renamed(before: Sequence[PublishedSession], after: Sequence[PublishedSession], day: int | None,
             pairs: dict[int, int], pair: Callable[[int, int], None], free: list[int]) -> None:
    """On one day, each session of `before` not matched yet is paired with one of `after` left
    between the same matched neighbours: the most similar title first, then by order."""
    mine = [k for k, b in enumerate(before) if b.day == day]
    gaps: dict[tuple[int, int], list[int]] = {}
    for n, k in enumerate(mine):
        if k in pairs or before[k].appendix:
            continue
        prev = next((pairs[j] for j in reversed(mine[:n]) if j in pairs and after[pairs[j]].day == day), -1)
        nxt = next((pairs[j] for j in mine[n + 1:] if j in pairs and after[pairs[j]].day == day), len(after))
        gaps.setdefault((min(prev, nxt), max(prev, nxt)), []).append(k)
    for (low, high), ks in gaps.items():
        window = [i for i in free if low < i < high]
        scored = sorted(((similar(before[k].title, after[i].title), -k, -i, k, i) for k in ks for i in window),
                        reverse=True)
        for score, _, _, k, i in scored:
            if score >= SIMILAR and k not in pairs and i in window:
                pair(k, i)
                window.remove(i)
                free.remove(i)
        for k, i in zip([k for k in ks if k not in pairs], list(window), strict=False):
            pair(k, i)
            window.remove(i)
            free.remove(i)


def dropped(before: Sequence[PublishedSession], after: Sequence[PublishedSession]) -> list[PublishedSession]:
    """The sessions of `before` that `after` no longer has (see `match`), then those it has
    without the code their marker gave (a typo in the marker: the heading is still read as a
    session, but numbered by order), marked garbled."""
    pairs = match(before, after)
    lost = [b for k, b in enumerate(before) if k not in pairs and not b.appendix]
    garbled = [replace(b, garbled=True) for k, b in enumerate(before)
               if k in pairs and b.code and not b.appendix and not after[pairs[k]].code]
    return lost + garbled


def emptied_days(before: Sequence[PublishedSession], after: Sequence[PublishedSession]) -> list[int]:
    """The days that had sessions in `before` and have none in `after`."""
    had = dict.fromkeys(b.day for b in before if b.day is not None and not b.appendix)
    has = {a.day for a in after if not a.appendix}
    return [d for d in had if d not in has]


@dataclass(frozen=True)
class Loss:
    """What a read would drop of the published sessions, and whether it looks like a failed read."""

    #: the sessions that would disappear, then those whose code can no longer be read
    lost: tuple[PublishedSession, ...] = ()
    #: the days that would be left without a session
    emptied: tuple[int, ...] = ()
    #: whether there was a published list to compare with
    compared: bool = False
    #: the sessions lost that a warning on their page explains (it names them, or says that
    #: text is hidden)
    warned: tuple[PublishedSession, ...] = ()
    #: the revisions of the published pages this loss is from: an accept is for this loss of
    #: this publication, not for the same loss made again after the sessions came back
    baseline: str = ""

    @property
    def gone(self) -> list[PublishedSession]:
        return [s for s in self.lost if not s.garbled]

    @property
    def evidence(self) -> list[str]:
        """Why this loss looks like a read that failed (see docs/saving.md); empty: it does not."""
        out = []
        if self.emptied:
            out.append(", ".join(f"Day {d}" for d in self.emptied) + " would have no session left")
        if len(self.gone) >= LOST_MANY:
            out.append(f"{len(self.gone)} sessions would go at once ({LOST_MANY} or more)")
        if any(s.garbled for s in self.lost):
            out.append("a session's code can no longer be read")
        if self.warned:
            out.append("a warning on the page says why " + ("it was" if len(self.warned) == 1 else "they were")
                       + " not read")
        return out

    @property
    def refuses(self) -> bool:
        return bool(self.evidence)

    @property
    def digest(self) -> str:
        """A short code for exactly this loss: what an organiser writes to accept it."""
        keys = sorted(f"{s.day}|{_fold(s.title)}|{'garbled' if s.garbled else 'gone'}" for s in self.lost)
        return hashlib.sha1("\n".join([self.baseline, *keys]).encode()).hexdigest()[:ACCEPT_LENGTH]


def judge(before: Sequence[PublishedSession] | None, after: Sequence[PublishedSession]) -> Loss:
    """The loss from `before` (None: nothing published to compare with) to `after`."""
    if before is None:
        return Loss()
    return Loss(tuple(dropped(before, after)), tuple(emptied_days(before, after)), True)


#: the words of a warning that says the rest of a page is not read (extract/daypage.py)
HIDDEN = "hides the rest of the page"


def dropped_sessions(event: Event, live: Mapping[str, str | None], rendered: Sequence[RenderedPage]) -> list[PublishedSession]:
    """The sessions the published pages have that this read would drop (see `loss_of`)."""
    return list(loss_of(event, live, rendered).lost)


def with_warnings(loss: Loss, warnings: Iterable[Notice]) -> Loss:
    """The loss with the sessions a warning explains: one on the session's page that names its
    title, or that says the rest of the page is hidden (an unclosed comment)."""
    warnings = list(warnings)
    warned = tuple(s for s in loss.gone if any(
        s.page and w.page == s.page and (_fold(s.title) in _fold(w.message) or HIDDEN in w.message) for w in warnings))
    return replace(loss, warned=warned)


def loss_of(event: Event, live: Mapping[str, str | None], rendered: Sequence[RenderedPage]) -> Loss:
    """What this read would drop of the sessions the published pages have.

    `live`: the live text of each target page by kind (``data``, ``overview``, ``navbox``). The
    data page says it when there is one; otherwise the overview and the navbox do.
    """
    published = data_sessions(live.get("data"))
    if published is not None:
        return with_warnings(judge(published, event_sessions(event)), event.warnings)
    new = {page.kind: page for page in rendered}
    loss = Loss()
    if "overview" in new:
        before = overview_sessions(_region(live.get("overview"), "sessions"))
        loss = judge(before if live.get("overview") is not None else None,
                     overview_sessions(new["overview"].regions.get("sessions")))
    if "navbox" in new and live.get("navbox") is not None:
        links = judge(navbox_links(_region(live.get("navbox"), "navbox")), event_links(event))
        named = {(s.day, _fold(s.title)) for s in loss.lost}
        loss = Loss(loss.lost + tuple(s for s in links.lost if (s.day, _fold(s.title)) not in named),
                    tuple(dict.fromkeys(loss.emptied + links.emptied)), True)
    return with_warnings(loss, event.warnings)


def explaining(lost: Sequence[PublishedSession], warnings: Iterable[Notice]) -> list[Notice]:
    """The warnings that may say why those sessions were lost: on a lost session's page, those
    that name its title, or else every warning on that page."""
    warnings = list(warnings)
    found: list[Notice] = []
    for s in lost:
        on_page = [w for w in warnings if s.page and w.page == s.page]
        naming = [w for w in on_page if _fold(s.title) in _fold(w.message)]
        found += [w for w in naming or on_page if w not in found]
    return found


def accept_hint(loss: Loss, root: str | None) -> str:
    """How an organiser accepts this loss: on the root page's template call (an on-wiki event),
    or in the config file."""
    if root is not None:
        return (f"if that is right, accept it on the wiki: add |accept={loss.digest} to the "
                f"Event track bot template on the root page [[{root}]] (it accepts this loss only)")
    return f"if that is right, accept it: accept = \"{loss.digest}\" in the config's [event] table (this loss only)"


def dropped_message(lost: Sequence[PublishedSession], warnings: Iterable[Notice], loss: Loss | None = None,
                    root: str | None = None) -> str:
    """One line: the sessions that would disappear, the warnings that explain why, why it looks
    like a failed read, what is done and how to accept it."""
    names = "; ".join(s.describe() for s in lost[:NAMED]) + (f"; and {len(lost) - NAMED} more" if len(lost) > NAMED else "")
    why = explaining(lost, warnings)
    told = " | ".join(warning_line(w) for w in why[:NAMED]) + (f" | and {len(why) - NAMED} more" if len(why) > NAMED else "")
    evidence = f" ({'; '.join(loss.evidence)}: this looks like a page read wrong)" if loss and loss.evidence else ""
    accept = f"; {accept_hint(loss, root)}" if loss else ""
    return (f"what was read would drop {len(lost)} session(s) the published pages have{evidence}: {names}"
            + (f"; warnings: {told}" if told else "; no warning explains it")
            + f"; no page of the event is published this run{accept} (use --allow-shrink if that is right)")
