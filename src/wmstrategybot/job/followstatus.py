"""The job's own status page: the follow mode's health in one line, in the bot's region (what
people write around it is kept), saved only when the line changes and never while the stop page
says stop."""

from __future__ import annotations

from mwparserfromhell.nodes import Text
from mwparserfromhell.wikicode import Wikicode

from wmstrategybot.plan.compose import plan_edit
from wmstrategybot.plan.guards import stop_page_allows
from wmstrategybot.plan.plan import BOT_NAME
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.sources.base import Source
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.escaping import escape_value
from wmstrategybot.wikitext.regions import region_text

#: the region of the job's status page the bot writes
REGION = "follow"


def job_status_page(configured: str | None, user: str | None) -> str | None:
    """The job's status page: the job file's, or ``User:<account>/Bot status`` (None: no account)."""
    if configured:
        return configured
    return f"User:{user.split('@', 1)[0]}/Bot status" if user else None


def save_job_status(source: Source, title: str, stop_page: str | None, line: str) -> bool:
    """Write `line` on the job's status page; False when nothing was saved (the same line, the
    stop page set, the page refused: a hand edit inside the region)."""
    read = source.read([title, *([stop_page] if stop_page else [])])
    if stop_page and not stop_page_allows(read[stop_page].text):
        return False
    content = str(Wikicode([Text(escape_value(line))]))
    rendered = RenderedPage("status", title, region_text(REGION, content) + "\n", {REGION: content})
    edit = plan_edit(rendered, read[title], AreaIndex(()), (BOT_NAME,), allow_shrink=True)
    if not edit.changed or edit.new_text is None:
        return False
    source.save(edit.page, edit.new_text, "wmstrategybot: the follow job's health")
    return True
