"""The kinds of generated page, as a registry: each kind brings where it goes, its render, its
item count for the shrink guard and its merge rule. Adding a kind is a module with its render
and one line in `KINDS` (a test adds a dummy kind that way).

Merge rules (planning.compose): ``regions`` fills the bot's managed regions and keeps the rest
of the page (plus any area sections the kind appends); ``whole`` is a page wholly the bot's
until a person edits it (the JSON data page).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wmstrategybot.config.event import EventConfig
from wmstrategybot.model.event import Event
from wmstrategybot.render.datapage import data_items
from wmstrategybot.render.base import RenderedPage, region_items
from wmstrategybot.render.pages import (
    render_data_page,
    render_navbox_page,
    render_overview_page,
    render_signups_page,
    stored_page,
)


def _no_list(text: str) -> int | None:
    return None


@dataclass(frozen=True)
class PageKind:
    """One kind of generated page."""

    name: str
    #: the page's title from the config (None: the config names no such page, none is made)
    title: Callable[[EventConfig], str | None]
    #: the page as the bot would write it
    render: Callable[[Event, EventConfig, Mapping[str, str], str], RenderedPage]
    #: how many items its generated list holds, for the shrink guard (None: no list)
    items: Callable[[str], int | None] = _no_list
    #: regions | whole (see the module's docstring)
    merge: str = "regions"


#: every kind, in the order pages are rendered and saved (the navbox first)
KINDS: dict[str, PageKind] = {
    kind.name: kind
    for kind in (
        PageKind("navbox", lambda c: c.targets.navbox, render_navbox_page, region_items("navbox")),
        # the overview page: the config's `[targets] summary` key (users' configs name it so)
        PageKind("overview", lambda c: c.targets.overview, render_overview_page, region_items("overview")),
        PageKind("signups", lambda c: c.targets.signups, render_signups_page),
        PageKind("data", lambda c: c.targets.data, render_data_page, data_items, merge="whole"),
    )
}


def target_titles(config: EventConfig) -> list[str]:
    """The title of every generated page the config names, kind by kind."""
    return [t for t in (kind.title(config) for kind in KINDS.values()) if t is not None]


def merge_rule(kind: str) -> str:
    """How a page of this kind is merged with its live text: ``template`` for a wiki template
    the bot installs, ``regions`` for a page not of the registry (the status page)."""
    if kind == "template":
        return "template"
    page_kind = KINDS.get(kind)
    return page_kind.merge if page_kind is not None else "regions"


def render_event(
    event: Event, config: EventConfig, skeletons: Mapping[str, str], rendered: Mapping[str, RenderedPage] | None = None
) -> list[RenderedPage]:
    """Every target page of the event the config names, each rendered by its kind (pagekinds.py).

    `skeletons` maps a file name of ``templates_wikitext/pages/`` (without .wikitext) to its text;
    `rendered`: pages rendered already, by kind, taken as they are (not rendered again).
    """
    done = rendered or {}
    pages = []
    for name in KINDS:  # the navbox first: pages that transclude it then show the new box
        page = done[name] if name in done else render_kind(name, event, config, skeletons)
        if page is not None:  # a target the config does not name is not rendered
            pages.append(page)
    return pages


def render_kind(name: str, event: Event, config: EventConfig, skeletons: Mapping[str, str]) -> RenderedPage | None:
    """The page of one kind, rendered; None where the config names no such page (or no such kind)."""
    kind = KINDS.get(name)
    title = kind.title(config) if kind is not None else None
    if kind is None or title is None:
        return None
    return stored_page(kind.render(event, config, skeletons, title))


def generated_items(kind: str, text: str) -> int | None:
    """How many items (sessions, links) a generated page holds, for the shrink guard; None
    where the page kind has no list (see each kind's `items` in pagekinds.py)."""
    page_kind = KINDS.get(kind)
    return page_kind.items(text) if page_kind is not None else None
