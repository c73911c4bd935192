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
from wmstrategybot.plan.plan import Plan, stop_reason
from wmstrategybot.publish.files import content_model, template_pages
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.sources.base import Source
from wmstrategybot.wikitext.areas import AreaIndex


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
    return _templates_plan(config, pages, bot_names(source.user), records)


def _templates_plan(config: EventConfig, pages: Mapping[str, str], names: tuple[str, ...],
                    records: Mapping[str, PageRecord]) -> Plan:
    edits = [plan_edit(RenderedPage("template", title, text, merge="template", content_model=content_model(title)),
                       records[title], AreaIndex(()), names)
             for title, text in pages.items()]
    plan = Plan(None, edits, f"{BOT_NAME}: install the templates of templates_wikitext/", stop_reason(config, records))
    plan.replan = partial(_templates_plan, config, pages, names)
    return plan
