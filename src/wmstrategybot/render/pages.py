"""Each target page rendered whole, kind by kind: its skeleton filled, its regions and the
text it has when it does not exist yet (the renders pagekinds.py registers). Pure."""

from __future__ import annotations

from collections.abc import Mapping

from mwparserfromhell.nodes import Template

from wmstrategybot.config.event import EventConfig
from wmstrategybot.render.datapage import data_json
from wmstrategybot.wikitext.regions import fill
from wmstrategybot.model.event import Event
from wmstrategybot.render.base import (
    RenderedPage,
    Trusted,
    as_stored,
    fill_arguments,
    render_navbox,
    render_sessions,
    render_signup_counts,
)


def render_navbox_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str) -> RenderedPage:
    navbox = as_stored(render_navbox(event, config, config.navbox_layout))
    skeleton = fill_arguments(skeletons["navbox"], {"name": config.name})
    return RenderedPage("navbox", title, fill(skeleton, {"navbox": navbox}), {"navbox": navbox})


def render_overview_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str) -> RenderedPage:
    targets = config.targets
    navbox_call = Trusted(str(Template(targets.navbox.split(":", 1)[1] if targets.navbox.lower().startswith("template:") else ":" + targets.navbox))
                          if targets.navbox else "")
    sessions = as_stored(render_sessions(event))  # before its checksum is taken
    skeleton = fill_arguments(
        skeletons["overview"],
        {"navbox": navbox_call, "summary": config.summary_page or config.root or title, "name": config.name},
    )
    return RenderedPage("overview", title, fill(skeleton, {"sessions": sessions}), {"sessions": sessions})


def render_signups_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str) -> RenderedPage:
    counts = as_stored(render_signup_counts(event, skeletons["signup-counts"]))
    skeleton = fill_arguments(skeletons["signups"], {"name": config.name})
    sections = {
        area: fill_arguments(skeletons["signup-section"], {"area": area}) for area, _ in config.areas
    }
    fresh = fill(skeleton, {"signup-counts": counts})
    if sections:
        fresh = fresh.rstrip("\n") + "\n\n" + "\n\n".join(s.strip("\n") for s in sections.values()) + "\n"
    return RenderedPage("signups", title, fresh, {"signup-counts": counts}, sections)


def render_data_page(event: Event, config: EventConfig, skeletons: Mapping[str, str], title: str) -> RenderedPage:
    return RenderedPage("data", title, data_json(event), {}, {}, "json")


def stored_page(page: RenderedPage) -> RenderedPage:
    """MediaWiki stores text in Unicode NFC, with LF line ends (see as_stored): so must the bot
    write it, or the checksum of a region would no longer match what the wiki kept and the next run
    would refuse the page."""
    norm = as_stored
    return RenderedPage(
        page.kind, page.title, norm(page.fresh), {k: norm(v) for k, v in page.regions.items()},
        {k: norm(v) for k, v in page.area_sections.items()}, page.content_model,
    )
