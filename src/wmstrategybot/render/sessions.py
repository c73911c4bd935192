"""The lists of sessions: the overview's sessions region and the navbox's rows. Pure."""

from __future__ import annotations

import unicodedata

from wmstrategybot.model.event import Event, Session
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.render.base import (
    NAVBOX_DAY_TEMPLATE,
    NAVBOX_TEMPLATE,
    SESSION_TEMPLATE,
    Trusted,
    heading,
    link,
    template_call,
)
from wmstrategybot.wikitext.escaping import escape_value


def _session_link(s: Session) -> Trusted:
    page = s.source.page if s.source else ""
    anchor = s.source.anchor if s.source else None
    return link(page, anchor, s.title)  # without its time slot (Session.time)


def _folded(title: str) -> str:
    """A title without case, spaces and punctuation: "Preparing To Work" = "Preparing to work"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", title).casefold() if ch.isalnum())


def shown_other_titles(s: Session) -> list[str]:
    """The session's other titles that differ from its title beyond case and punctuation."""
    shown: list[str] = []
    seen = {_folded(s.title)}
    for other in s.other_titles:
        if _folded(other) not in seen:
            seen.add(_folded(other))
            shown.append(other)
    return shown


def _by_day(event: Event) -> dict[int, list[Session]]:
    """The event's sessions by day number, in their order (one pass: a page per day of a long
    event would otherwise be a pass over every session per day)."""
    out: dict[int, list[Session]] = {}
    for s in event.sessions:
        out.setdefault(s.day, []).append(s)
    return out


def translatable_day_heading(number: int, date_text: str | None) -> Trusted:
    """A day's heading for a translatable page: its words a <translate> unit, whose changing
    values are <tvar>s (``Day $day: $date``), so a new date or day number outdates no
    translation; every day's unit the same sentence, translated once."""
    label = f'Day <tvar name="day">{number}</tvar>'
    if date_text:
        label += f': <tvar name="date">{escape_value(" ".join(date_text.splitlines()))}</tvar>'
    return Trusted(f"== <translate>{label}</translate> ==")


def render_sessions(event: Event, translatable: bool = False) -> str:
    """The 'sessions' region of the overview page: a heading per day, a template call per session.

    `translatable`: for a page that is a Translate source page, the day headings as
    translatable sentences (translatable_day_heading)."""
    return render_sessions_both(event)[translatable]


def render_sessions_both(event: Event) -> tuple[str, str]:
    """The 'sessions' region, for a page that is not translatable and for one that is: the same
    session calls, rendered once, under the two kinds of day heading."""
    plain: list[str] = []
    translatable: list[str] = []
    by_day = _by_day(event)
    for day in event.days:
        plain.append(heading(f"Day {day.number}" + (f": {day.date_text}" if day.date_text else ""), 2))
        translatable.append(translatable_day_heading(day.number, day.date_text))
        for s in by_day.get(day.number, ()):
            parts = "\n".join(
                f"# {escape_value(p.title)}" for p in s.parts
            )
            call = template_call(
                SESSION_TEMPLATE,
                [
                    ("number", str(s.number)),
                    ("code", s.code),
                    ("day", str(s.day)),
                    ("title", s.title),
                    ("time", s.time or ""),  # shown apart from the title
                    ("other_titles", ", ".join(shown_other_titles(s))),
                    ("page", s.source.page if s.source else ""),
                    ("anchor", (s.source.anchor or "") if s.source else ""),
                    ("summary", s.summary),
                    ("parts", Trusted(parts)),
                ],
            )
            plain.append(call)
            translatable.append(call)
    return "\n".join(plain), "\n".join(translatable)


def navbox_list(items: list[Trusted]) -> Trusted:
    """A day's links as an hlist's items: one ``* [[...]]`` line each."""
    return Trusted("\n".join(f"* {item}" for item in items))


def render_navbox(event: Event, config: EventConfig, layout: str = "side") -> str:
    """The 'navbox' region: the track navigation box, Meta's navbox conventions: the title links
    the overview, one group per day (its label links the Day page, its links an hlist), a
    signup link, V·T·E links to the navbox page. The link to the page being read renders bold
    (MediaWiki's self-link), which marks where the reader is.

    `layout` is ``side`` (a box at the right, as on the 2018 pages) or ``bar`` (a full-width bar);
    the templates draw both from the same calls.
    """
    layout_param = [("layout", layout)] if layout != "side" else []
    rows = []
    by_day = _by_day(event)
    for day in event.days:
        items = [_session_link(s) for s in by_day.get(day.number, ())]
        items += [link(day.page, a.anchor, a.title) for a in day.appendices]
        rows.append(template_call(NAVBOX_DAY_TEMPLATE, [("label", f"Day {day.number}"), ("page", day.page),
                                                        *layout_param, ("list", Trusted("\n" + navbox_list(items)))],
                                  block=False))
    return template_call(
        NAVBOX_TEMPLATE,
        [
            ("title", config.name),
            ("summary", config.summary_page or ""),
            ("overview", config.targets.get("overview")),
            ("signups", config.targets.get("signups")),
            ("navbox", config.targets.get("navbox")),
            *layout_param,
            ("days", Trusted("\n" + "\n".join(rows))),
        ],
    )
