"""The outline of an event as read: days with their dates, then sessions (number, time, title),
then parts, each with the page and line it was read from, and each warning placed under the item
it falls in. Pure: ``extract --outline`` prints it, the status page shows it in a collapsed block,
so that an organiser can check the bot's reading of the pages without a shell.
"""

from __future__ import annotations

from dataclasses import dataclass

from wmstrategybot.model.event import Event, Notice, Provenance, Session


@dataclass(frozen=True)
class Item:
    """One line of the outline: ``level`` 0 a day, 1 a session, 2 a part; ``warning`` a warning
    placed below the item it falls in (its level one deeper)."""

    level: int
    label: str
    page: str | None = None
    line: int | None = None
    warning: bool = False


def _where(source: Provenance | None) -> tuple[str | None, int | None]:
    return (source.page, source.line) if source is not None else (None, None)


def outline(event: Event) -> list[Item]:
    """The event as read, in reading order. A warning goes under the last item read above its line
    on its page (under the day when it precedes every session, at the end when its page is none
    of the days')."""
    items: list[tuple[Item, int]] = []  # with the index of its day
    day_pages = {d.page: d.number for d in event.days}
    by_day: dict[int, list[Session]] = {}
    for s in event.sessions:  # (one pass, not one per day)
        by_day.setdefault(s.day, []).append(s)
    for d in event.days:
        when = f" ({d.date})" if d.date else (f" ({d.date_text})" if d.date_text else "")
        items.append((Item(0, f"Day {d.number}{when}", d.page, None), d.number))
        for s in by_day.get(d.number, ()):
            page, line = _where(s.source)
            number = f"{s.number}" + (f"-{s.number_end}" if s.number_end else "")
            given = "" if s.number_source == "read" else " (numbered by the bot)"
            time = f" [{s.time}]" if s.time else ""
            items.append((Item(1, f"{number}.{time} {s.title}{given}", page or d.page, line), d.number))
            for p in s.parts:
                ppage, pline = _where(p.source)
                items.append((Item(2, f"{s.number}.{p.number} {p.title}", ppage or page or d.page, pline), d.number))
    orphans = [s for s in event.sessions if s.day not in day_pages.values()]
    for s in orphans:
        page, line = _where(s.source)
        items.append((Item(1, f"{s.number}. {s.title} (day {s.day}: no such day page)", page, line), s.day))
    return _with_warnings([i for i, _ in items], event.warnings)


def _with_warnings(items: list[Item], warnings: tuple[Notice, ...]) -> list[Item]:
    placed: dict[int, list[Item]] = {}
    rest: list[Item] = []
    by_page: dict[str | None, list[tuple[int, Item]]] = {}
    for n, item in enumerate(items):  # (each warning looks at its own page's items only)
        by_page.setdefault(item.page, []).append((n, item))
    for w in warnings:
        at = _anchor(by_page.get(w.page, []), w)
        note = Item((items[at].level + 1) if at is not None else 0, w.message, w.page, w.line, warning=True)
        (placed.setdefault(at, []) if at is not None else rest).append(note)
    out: list[Item] = []
    for n, item in enumerate(items):
        out.append(item)
        out += placed.get(n, [])
    return out + rest


def _anchor(items: list[tuple[int, Item]], w: Notice) -> int | None:
    """The index of the item a warning falls under, of the (index, item) pairs of its page: the
    last at or above its line (the page's day when no item there has a line at or above it)."""
    best = None
    for n, item in items:
        if item.level == 0 and best is None:
            best = n
        elif item.line is not None and w.line is not None and item.line <= w.line and item.level > 0:
            best = n
    return best


def format_outline(items: list[Item]) -> str:
    """The outline as ``extract --outline`` prints it: indented by level, each day with its page,
    each item with its line (``page:line`` when on another page than its day's), warnings marked
    ``warning:``."""
    lines = []
    day_page = None
    for i in items:
        if i.level == 0 and not i.warning:
            day_page = i.page
            where = i.page or ""
        elif i.page == day_page:
            where = f"line {i.line}" if i.line else ""
        else:
            where = f"{i.page}:{i.line}" if i.page and i.line else (i.page or "")
        mark = "warning: " if i.warning else ""
        lines.append(f"{'  ' * i.level}{mark}{i.label}" + (f"  ({where})" if where else ""))
    return "\n".join(lines) + ("\n" if lines else "")
