"""`templates sync`: the plan that installs or updates the wiki templates the generated pages
use, and their /doc pages."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from pathlib import Path

from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.plan.compose import plan_edit
from wmstrategybot.plan.guards import BOT_NAME, bot_names
from wmstrategybot.plan.plan import Plan, creations, refuse_recreation, stop_reason
from wmstrategybot.publish.files import content_model, template_pages
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.sources.base import Source
from wmstrategybot.wikitext.areas import AreaIndex


def plan_templates(config: EventConfig, source: Source, folder: Path | None = None) -> Plan:
    """Install or update the wiki templates the generated pages use (and their /doc pages).

    A wiki without TemplateStyles gets no sheet, and the templates without their
    ``<templatestyles>`` tag. A template page is updated only while the bot made its latest
    revision; one a person edited since is refused, not overwritten. One an administrator deleted
    (or moved away) is refused too, not created again: its log says so, as for an event's target
    pages.
    """
    # the TemplateStyles sheets only where the wiki has the extension (a folder: as on Meta-Wiki)
    pages = template_pages(folder, source.has_extension("TemplateStyles") is not False)
    titles = list(pages)
    if config.bot.stop_page:
        titles.append(config.bot.stop_page)
    records = source.read(titles)
    draft = _templates_plan(config, pages, bot_names(source.user), {}, records)
    creating = creations(draft, {})  # the wiki's log says whether a person took them away
    removed = source.removals(creating) if creating else {}
    return _templates_plan(config, pages, bot_names(source.user), removed, records) if removed else draft


def _templates_plan(config: EventConfig, pages: Mapping[str, str], names: tuple[str, ...],
                    removed: Mapping[str, str], records: Mapping[str, PageRecord]) -> Plan:
    edits = [plan_edit(RenderedPage("template", title, text, merge="template", content_model=content_model(title)),
                       records[title], AreaIndex(()), names)
             for title, text in pages.items()]
    plan = Plan(None, edits, f"{BOT_NAME}: install the templates of templates_wikitext/", stop_reason(config, records))
    plan = refuse_recreation(plan, {}, removed)
    plan.replan = partial(_templates_plan, config, pages, names, removed)
    return plan
