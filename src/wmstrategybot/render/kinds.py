"""The kinds of generated page, as a registry: the single truth for what the bot writes.

Each kind brings its name, the key that names its page in a TOML config's ``[targets]`` and
the parameter that names it on ``{{Event track bot}}``, whether it has one page or one per
area, its render, its item count for the shrink guard and its merge rule. Config readers,
planning, the change check and discovery walk this registry; adding a kind is an entry here,
its render and its skeleton (tests/fixtures/pagekind/ adds two kinds that way).

Merge rules (plan/compose.py): ``regions`` fills the bot's managed regions and keeps the rest
of the page (plus any area sections the kind appends); ``whole`` is a page wholly the bot's
until a person edits it (the JSON data page).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace

from mwparserfromhell.nodes import Template

from wmstrategybot.errors import MergeRefused
from wmstrategybot.model.event import Event
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.render.base import (
    SESSION_TEMPLATE,
    RenderedPage,
    template_call,
    Trusted,
    as_stored,
    fill_arguments,
)
from wmstrategybot.render.datapage import data_items, data_json
from wmstrategybot.render.sessions import render_navbox, render_sessions_both
from wmstrategybot.render.signups import render_signup_counts
from wmstrategybot.wikitext.regions import fill, find_regions

#: (event, config, skeletons by name, the page's title, its area or None) -> the page
Render = Callable[[Event, EventConfig, Mapping[str, str], str, "str | None"], RenderedPage]
#: the placeholder a per-area kind's title pattern holds
AREA = "{area}"


def _no_list(text: str) -> int | None:
    return None


@dataclass(frozen=True)
class PageKind:
    """One kind of generated page."""

    name: str
    render: Render
    #: how many items its generated list holds, for the shrink guard (None: no list)
    items: Callable[[str], int | None] = _no_list
    #: regions | whole (see the module's docstring)
    merge: str = "regions"
    #: the key of a TOML config's [targets] table naming its page (default: the name)
    key: str = ""
    #: the {{Event track bot}} parameter naming its page (default: the name)
    param: str = ""
    #: one page per area of the config: its title a pattern holding {area}
    per_area: bool = False
    #: the content model its page is saved with: a JSON page in a user's space or the MediaWiki
    #: namespace only its user may edit, whatever its title (titles.target_problem)
    content_model: str = "wikitext"

    @property
    def config_key(self) -> str:
        return self.key or self.name

    @property
    def template_param(self) -> str:
        return self.param or self.name


@dataclass(frozen=True)
class TargetPage:
    """One page the bot writes: its kind, its title and, for a per-area kind, its area."""

    kind: str
    title: str
    area: str | None = None


_ITEM_PATTERNS = {
    "overview": re.compile(r"\{\{\s*" + re.escape(SESSION_TEMPLATE) + r"\s*[|}\n]"),
    # a navbox link: an hlist item (``* [[``), or in a box written before the hlist, ``» [[``/``|1=[[``
    "navbox": re.compile(r"(?:^\*|»|\|\d+=)[ \t]*\[\[", re.MULTILINE),
}


def region_items(kind: str) -> Callable[[str], int | None]:
    """Counts the items of `kind` (an overview's session calls, a navbox's links) inside a page's
    managed regions; None for a page whose regions call the module (it holds no list: the data
    page's guard counts the sessions)."""
    pattern = _ITEM_PATTERNS[kind]

    def count(text: str) -> int | None:
        try:
            regions = find_regions(text)
        except MergeRefused:
            return None
        bodies = [text[r.content_start : r.content_end] for r in regions.values()]
        if any(MODULE_CALL in b for b in bodies):
            return None
        return sum(len(pattern.findall(b)) for b in bodies)

    return count


#: the module that renders the pages from the data page (render = "module"), and how a page calls it
MODULE = "Event track bot"
MODULE_CALL = "{{#invoke:" + MODULE + "|"


def module_call(function: str, config: EventConfig, params: list[tuple[str, str | None]] = ()) -> str:  # type: ignore[assignment]
    """``{{#invoke:Event track bot|function|data=<data page>|...}}``: a page's list in module
    mode, written once (it names no session, so no change to the event changes it)."""
    return as_stored(template_call("#invoke:" + MODULE, [("1", function), ("data", config.targets.get("data")),
                                                         *params], block=False).replace("|1=", "|", 1))


def render_navbox_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str,
                       area: str | None = None) -> RenderedPage:
    if config.render == "module":
        layout = [("layout", config.navbox_layout)] if config.navbox_layout != "side" else []
        navbox = module_call("navbox", config, [("title", config.name), ("summary", config.summary_page or ""),
                                                ("overview", config.targets.get("overview")),
                                                ("signups", config.targets.get("signups")), *layout])
    else:
        navbox = as_stored(render_navbox(event, config, config.navbox_layout))
    skeleton = fill_arguments(skeletons["navbox"], {"name": config.name})
    return RenderedPage("navbox", title, fill(skeleton, {"navbox": navbox}), {"navbox": navbox})


def render_overview_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str,
                         area: str | None = None) -> RenderedPage:
    navbox = config.targets.get("navbox")
    name = (navbox.split(":", 1)[1] if navbox.lower().startswith("template:") else ":" + navbox) if navbox else ""
    navbox_call = Trusted(str(Template(name)) if navbox else "")
    module = config.render == "module"
    # a translatable overview: the module's call holds no sentence; the wikitext's day headings do
    if module:
        sessions, translatable = module_call("sessions", config), {}
    else:
        plain, in_units = render_sessions_both(event)
        sessions, translatable = as_stored(plain), {"sessions": as_stored(in_units)}
    skeleton = fill_arguments(
        skeletons["overview"],
        {"navbox": navbox_call, "summary": config.summary_page or config.root or title, "name": config.name},
    )
    return RenderedPage("overview", title, fill(skeleton, {"sessions": sessions}), {"sessions": sessions},
                        translatable_regions=translatable)


def render_signups_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str,
                        area: str | None = None) -> RenderedPage:
    counts = (module_call("signups", config) if config.render == "module"
              else as_stored(render_signup_counts(event, skeletons["signup-counts"])))
    skeleton = fill_arguments(skeletons["signups"], {"name": config.name})
    sections = {name: fill_arguments(skeletons["signup-section"], {"area": name}) for name, _ in config.areas}
    fresh = fill(skeleton, {"signup-counts": counts})
    if sections:
        fresh = fresh.rstrip("\n") + "\n\n" + "\n\n".join(s.strip("\n") for s in sections.values()) + "\n"
    return RenderedPage("signups", title, fresh, {"signup-counts": counts}, sections)


def render_data_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str,
                     area: str | None = None) -> RenderedPage:
    return RenderedPage("data", title, data_json(event), {}, {}, "json")


#: every kind, in the order pages are rendered and saved (the navbox first: pages that
#: transclude it then show the new box)
KINDS: dict[str, PageKind] = {
    kind.name: kind
    for kind in (
        PageKind("navbox", render_navbox_page, region_items("navbox")),
        # the overview page: a config's `[targets] summary` key (users' configs name it so)
        PageKind("overview", render_overview_page, region_items("overview"), key="summary"),
        PageKind("signups", render_signups_page),
        PageKind("data", render_data_page, data_items, merge="whole", content_model="json"),
    )
}


@contextmanager
def registered(*kinds: PageKind) -> Iterator[None]:
    """The registry with these kinds added (after the others), for as long as the block runs."""
    added = [k.name for k in kinds if k.name not in KINDS]
    KINDS.update((k.name, k) for k in kinds)
    try:
        yield
    finally:
        for name in added:
            KINDS.pop(name, None)


def target_pages(config: EventConfig) -> list[TargetPage]:
    """Every page the config makes the bot write, kind by kind (a per-area kind: one per area)."""
    out = []
    for kind in KINDS.values():
        title = config.targets.get(kind.name)
        if title is None:
            continue
        if kind.per_area:
            out += [TargetPage(kind.name, title.replace(AREA, name), name) for name, _ in config.areas]
        else:
            out.append(TargetPage(kind.name, title))
    return out


def target_titles(config: EventConfig) -> list[str]:
    """The title of every generated page the config names, kind by kind."""
    return [page.title for page in target_pages(config)]


def render_event(
    event: Event, config: EventConfig, skeletons: Mapping[str, str], rendered: Mapping[str, RenderedPage] | None = None
) -> list[RenderedPage]:
    """Every target page of the event the config names, each rendered by its kind.

    `skeletons` maps a file name of ``templates_wikitext/pages/`` (without .wikitext) to its text;
    `rendered`: pages rendered already, by title, taken as they are (not rendered again).
    """
    done = rendered or {}
    return [done[page.title] if page.title in done else render_page(page, event, config, skeletons)
            for page in target_pages(config)]


def render_page(page: TargetPage, event: Event, config: EventConfig, skeletons: Mapping[str, str]) -> RenderedPage:
    """One target page, rendered by its kind, as the wiki will store it, with its kind's merge rule."""
    kind = KINDS[page.kind]
    out = kind.render(event, config, skeletons, page.title, page.area)
    return stored_page(replace(out, merge=kind.merge))


def pages_of(kind: str, config: EventConfig) -> list[TargetPage]:
    """The pages of one kind the config names (none for a kind it does not name, or no such kind)."""
    return [page for page in target_pages(config) if page.kind == kind]


def generated_items(kind: str, text: str) -> int | None:
    """How many items (sessions, links) a generated page holds, for the shrink guard; None
    where the page kind has no list."""
    page_kind = KINDS.get(kind)
    return page_kind.items(text) if page_kind is not None else None


def kinds_by_key() -> dict[str, PageKind]:
    """The kinds by the key that names their page in a TOML config's [targets] table."""
    return {kind.config_key: kind for kind in KINDS.values()}


def kinds_by_param() -> dict[str, PageKind]:
    """The kinds by the {{Event track bot}} parameter that names their page."""
    return {kind.template_param: kind for kind in KINDS.values()}


def stored_page(page: RenderedPage) -> RenderedPage:
    """MediaWiki stores text in Unicode NFC, with LF line ends (see as_stored): so must the bot
    write it, or the checksum of a region would no longer match what the wiki kept and the next run
    would refuse the page."""
    norm = as_stored
    return replace(page, fresh=norm(page.fresh), regions={k: norm(v) for k, v in page.regions.items()},
                   area_sections={k: norm(v) for k, v in page.area_sections.items()},
                   translatable_regions={k: norm(v) for k, v in page.translatable_regions.items()})


def without_titles(config: EventConfig, titles: Iterable[str]) -> EventConfig:
    """The config without the targets whose title is one of `titles` (a per-area kind's pattern
    goes with any of its pages)."""
    gone = set(titles)
    kinds = {page.kind for page in target_pages(config) if page.title in gone}
    return replace(config, targets=replace(config.targets, titles=tuple(
        (k, t) for k, t in config.targets.items() if k not in kinds)))


def event_titles(config: EventConfig) -> list[str]:
    """Every page a run of the event reads and checks for changes: its source pages, the pages it
    writes and the stop page (the one list of them: reads, the change check and discovery)."""
    return list(dict.fromkeys([*config.source_pages, *target_titles(config),
                               *([config.bot.stop_page] if config.bot.stop_page else [])]))
