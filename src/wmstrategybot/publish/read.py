"""Plan the edits of a run (read, extract, render, merge, diff), then apply them through a source.

The effects of planning live here: reading the pages, the skeletons and templates on disk,
extraction in a forked worker under a time bound, the wiki's log of removed pages. What to
write given all that is pure, in planning.py.

``plan()`` only reads; ``apply()`` saves what the plan says changed, against the revisions
the plan read, each save right after one more read of the page and the stop page. A page
changed since the plan read it (or an edit conflict) is planned again from the text read,
the whole event with it; a second conflict, a deleted page or a page the wiki refuses is
skipped and reported, a stop page set meanwhile stops the saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.config.event import EventConfig
from wmstrategybot.errors import SourceError
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.event import Event
from wmstrategybot.render.kinds import target_titles
from wmstrategybot.plan.plan import (
    BOT_NAME,
    Plan,
    creations,
    draft_plan,
    plan_edit,
    refuse_recreation,
    stop_reason,
)
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.sources import Source


def templates_dir() -> Path:
    """``templates_wikitext/``: inside the installed package, or beside ``src/`` in a checkout."""
    packaged = Path(str(resources.files("wmstrategybot"))) / "templates_wikitext"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates_wikitext"


def load_skeletons(folder: Path | None = None) -> dict[str, str]:
    folder = (folder or templates_dir()) / "pages"
    return {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.wikitext"))}


def bot_names(source: Source) -> tuple[str, ...]:
    """The names {{bots}}/{{nobots}} may use for this bot: the tool's and the account's."""
    return (BOT_NAME, source.user) if source.user else (BOT_NAME,)


def read_pages(config: EventConfig, source: Source) -> dict[str, PageRecord]:
    """Read the source and target pages (and the stop page) in one batch; every day page must exist."""
    titles = [*config.source_pages, *target_titles(config)]
    if config.bot.stop_page:
        titles.append(config.bot.stop_page)
    records = source.read(titles)
    for title in config.day_pages:
        if not records[title].exists:
            raise SourceError(f"day page not found in {source.describe()}: {title}")
    return records


def read_event(config: EventConfig, source: Source) -> tuple[Event, dict[str, PageRecord]]:
    """Read the source and target pages (and the stop page) in one batch and extract the event."""
    records = read_pages(config, source)
    return extract_bounded(config, records), records


def extract_bounded(config: EventConfig, texts: Mapping[str, PageRecord]) -> Event:
    """``extract_event`` with a time bound (``[bot] parse_timeout``), in a forked worker.

    mwparserfromhell is quadratic on some inputs (thousands of nested tables, say); a page
    like that must cost one refused run, not a scheduler slot for hours.
    """
    if not hasattr(os, "fork"):
        return extract_event(config, texts)
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(1) as pool:
        result = pool.apply_async(extract_event, (config, dict(texts)))
        try:
            return result.get(timeout=config.bot.parse_timeout)
        except multiprocessing.TimeoutError:
            raise SourceError(
                f"extracting the event took longer than {config.bot.parse_timeout:g} s "
                "([bot] parse_timeout): a page is too complex to parse (e.g. thousands of nested tables)"
            ) from None


def plan(
    config: EventConfig,
    source: Source,
    skeletons: Mapping[str, str] | None = None,
    *,
    allow_shrink: bool = False,
    seen: Mapping[str, Any] | None = None,
    removed: Mapping[str, str] | None = None,
) -> Plan:
    """Everything a run would do, without writing anything.

    `seen`: the revision of each page at the last run, and `removed`: the pages found taken
    away before (both from the run's state). A target page that existed at the last run, that
    was found taken away before, or whose log shows a deletion or a move, is not created again:
    a person took it away, and only a person brings it back (undeleting it, or creating it by
    hand).
    """
    skeletons = skeletons or load_skeletons()
    records = read_pages(config, source)
    # extraction bounded in time (a forked worker): looked up here, where tests count its calls
    draft = draft_plan(config, records, skeletons, bot_names(source), allow_shrink=allow_shrink,
                       extract=extract_bounded)
    known = removed or {}
    creating = creations(draft, known)  # the wiki's log says whether a person took them away
    return refuse_recreation(draft, seen or {}, {**known, **(source.removals(creating) if creating else {})})


def template_pages(folder: Path | None = None) -> dict[str, str]:
    """``templates_wikitext/Template/A/b.wikitext`` -> page ``Template:A/b`` and its text.

    /doc pages come first: a template saved after its /doc gets its TemplateData at once,
    without waiting for the wiki's job queue to re-parse it.
    """
    root = (folder or templates_dir()) / "Template"
    pages = {}
    for path in root.rglob("*.wikitext"):
        name = str(path.relative_to(root).with_suffix(""))
        pages[f"Template:{name}"] = path.read_text("utf-8")
    return dict(sorted(pages.items(), key=lambda kv: (not kv[0].endswith("/doc"), kv[0])))


def plan_templates(config: EventConfig, source: Source, folder: Path | None = None) -> Plan:
    """Install or update the wiki templates the generated pages use (and their /doc pages).

    A template page is updated only while the bot made its latest revision; one a person
    edited since is refused, not overwritten.
    """
    pages = template_pages(folder)
    titles = list(pages)
    if config.bot.stop_page:
        titles.append(config.bot.stop_page)
    records = source.read(titles)
    names = bot_names(source)
    edits = [
        plan_edit(RenderedPage("template", title, text), records[title], AreaIndex(()), names)
        for title, text in pages.items()
    ]
    return Plan(None, edits, f"{BOT_NAME}: install the templates of templates_wikitext/", stop_reason(config, records))
