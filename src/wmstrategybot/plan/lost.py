"""The sessions the published pages hold, and those a new read would drop. Pure.

A bad read of a Day page (a typo in one marker, a page blanked by mistake) loses sessions.
Publishing any page from it puts the event's pages out of step with each other, so the plan
compares what the published pages list (the data page; without one, the overview's session
template calls and the navbox's links) with what was read, and publishes nothing of the event
when a session would disappear: the message names those sessions and the extraction warnings
on their pages, which usually say why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from wmstrategybot.errors import MergeRefused
from wmstrategybot.model.event import Event, Notice
from wmstrategybot.render.base import SESSION_TEMPLATE, RenderedPage, link
from wmstrategybot.wikitext.regions import find_regions

#: At most this many sessions and warnings are named in the message (a blanked page of a
#: large event would otherwise make a message of hundreds of lines).
NAMED = 10


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
    return " ".join(title.split()).casefold()


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


def dropped(before: Sequence[PublishedSession], after: Sequence[PublishedSession]) -> list[PublishedSession]:
    """The sessions of `before` that `after` no longer has, or has without the code its marker
    gave (a typo in the marker: the heading is still read as a session, but by order).

    A session is still there if one has its title (or one of its other titles), on the same
    day first (every session's own day before any other day), or the same link target; failing that, the same number on the same day (a
    renamed session), or for a navbox link (no number) a session left on the same day. Titles first, so that a session lost among unnumbered ones that are
    numbered by order is named, not the last one whose number is gone. Before all that, a session
    with a code is matched by its code on the same day: a session still read with its code is
    never reported garbled because another one claims its title.
    """
    by_title: dict[tuple[int | None, str], list[int]] = {}
    by_name: dict[str, list[int]] = {}
    by_target: dict[str, list[int]] = {}
    by_number: dict[tuple[int | None, int | None], list[int]] = {}
    for i, a in enumerate(after):
        for name in {_fold(a.title), *map(_fold, a.other_titles)}:
            by_title.setdefault((a.day, name), []).append(i)
            by_name.setdefault(name, []).append(i)
        if a.target:
            by_target.setdefault(a.target, []).append(i)
        if not a.appendix:
            by_number.setdefault((a.day, a.number), []).append(i)
    by_code: dict[tuple[int | None, str], list[int]] = {}
    for i, a in enumerate(after):
        if a.code and not a.appendix:
            by_code.setdefault((a.day, _fold(a.code)), []).append(i)
    used: set[int] = set()

    def take(candidates: Iterable[int]) -> int | None:
        for i in candidates:
            if i not in used:
                used.add(i)
                return i
        return None

    # a session still read with its code (same day) is there, whatever titles other sessions claim
    coded = {k for k, b in enumerate(before) if b.code and take(by_code.get((b.day, _fold(b.code)), ())) is not None}
    # every title on its own day first, then the rest anywhere: a title gone from its day must
    # not take another day's session of that title from the session it belongs to
    found: dict[int, int] = {}
    for k, b in enumerate(before):
        names = sorted({_fold(b.title), *map(_fold, b.other_titles)})
        match = None if k in coded else take(i for n in names for i in by_title.get((b.day, n), ()))
        if match is not None:
            found[k] = match
    unmatched, garbled = [], []
    for k, b in enumerate(before):
        if k in coded:
            continue
        if k not in found:
            names = sorted({_fold(b.title), *map(_fold, b.other_titles)})
            candidates = [i for n in names for i in by_name.get(n, ())]
            candidates += by_target.get(b.target, []) if b.target else []
            match = take(candidates)
            if match is None:
                unmatched.append(b)
                continue
            found[k] = match
        if b.code and not after[found[k]].code:
            garbled.append(replace(b, garbled=True))
    return [b for b in unmatched if take(by_number.get((b.day, b.number), ())) is None] + garbled


def dropped_sessions(event: Event, live: Mapping[str, str | None], rendered: Sequence[RenderedPage]) -> list[PublishedSession]:
    """The sessions the published pages have that this read would drop.

    `live`: the live text of each target page by kind (``data``, ``overview``, ``navbox``). The
    data page says it when there is one; otherwise the overview and the navbox do.
    """
    published = data_sessions(live.get("data"))
    if published is not None:
        return dropped(published, event_sessions(event))
    new = {page.kind: page for page in rendered}
    lost = []
    if "overview" in new:
        lost = dropped(overview_sessions(_region(live.get("overview"), "sessions")),
                       overview_sessions(new["overview"].regions.get("sessions")))
    if "navbox" in new:
        named = {(s.day, _fold(s.title)) for s in lost}
        lost += [s for s in dropped(navbox_links(_region(live.get("navbox"), "navbox")), event_links(event))
                 if (s.day, _fold(s.title)) not in named]
    return lost


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


def dropped_message(lost: Sequence[PublishedSession], warnings: Iterable[Notice]) -> str:
    """One line: the sessions that would disappear, the warnings that explain why, what is done."""
    names = "; ".join(s.describe() for s in lost[:NAMED]) + (f"; and {len(lost) - NAMED} more" if len(lost) > NAMED else "")
    why = explaining(lost, warnings)
    told = " | ".join(warning_line(w) for w in why[:NAMED]) + (f" | and {len(why) - NAMED} more" if len(why) > NAMED else "")
    return (f"what was read would drop {len(lost)} session(s) the published pages have: {names}"
            + (f"; warnings: {told}" if told else "; no warning explains it")
            + "; no page of the event is published this run (use --allow-shrink if that is right)")
