"""The status page on the wiki: why the bot left a page alone, updated when a run's outcome
differs from what the page says.

Not a kind of pagekinds.KINDS: those are rendered from the event in every plan, and read and
change-checked as targets; this page is written from a run's outcome after the saves (and the
clock), and were it a target, the bot's own status edit would be a change that starts the next
run. Its merge rule is the registry's default for a page not of it: the bot's own region.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import Any

from mwparserfromhell.nodes import Node, Tag, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wmstrategybot.errors import MergeRefused, WmError
from wmstrategybot.job.report import RunReport
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.plan.compose import PlannedEdit, plan_edit
from wmstrategybot.plan.plan import BOT_NAME
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.sources.base import Source
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.escaping import escape_value
from wmstrategybot.wikitext.regions import region_text


def outcome_record(report: RunReport) -> dict[str, Any]:
    """What the status page shows: changes only when the run's outcome changes."""
    return {
        "outcome": report.outcome,
        "refused": [dict(r) for r in report.refused],
        # titles only: a skip's message may differ every time (request ids, lag seconds)
        "skipped": sorted({s["title"] for s in report.skipped}),
        "stopped": report.stopped,
        "warnings": list(report.warnings),
    }


_SINCE = re.compile(r"Outcome of the bot's runs since (?P<when>.+?): '''(?P<outcome>[a-z-]+)'''")
#: a skip's reason may differ every run (request ids, lag seconds): not a reason to edit the page
_SKIP_REASON = re.compile(r"^(\* \[\[[^\]]*\]\] not saved this time, tried again next run:).*$", re.M)


def status_says(text: str | None) -> str | None:
    """What a status page's region says, without its 'since' date and skip reasons (None: no region)."""
    from wmstrategybot.wikitext.regions import find_regions

    try:
        region = find_regions(text or "").get("status")
    except MergeRefused:
        return None
    if region is None or text is None:
        return None
    said = text[region.content_start : region.content_end].strip("\n")
    return _SKIP_REASON.sub(r"\1", _SINCE.sub(lambda m: f"since: '''{m['outcome']}'''", said))


def update_status_page(config: EventConfig, source: Source, report: RunReport) -> None:
    """Tell editors, on the wiki, why the bot left a page alone: saved whenever the page says
    something else than this run's outcome (a first run, a page deleted or never written), and
    not when it already says it."""
    title = config.bot.status_page
    assert title
    current = source.read([title])[title]
    edit = status_edit(title, current, report.outcome, report.refused, report.stopped,
                       report.warnings, time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), report.skipped)
    if edit.changed and edit.new_text is not None and status_says(current.text) != status_says(edit.new_text):
        try:
            source.save(edit.page, edit.new_text, f"wmstrategybot: run outcome {report.outcome}")
        except WmError as exc:
            report.warnings.append(f"status page {title} not updated: {exc}")


def status_edit(
    title: str,
    current: PageRecord,
    outcome: str,
    refused: list[dict[str, str]],
    stopped: str | None,
    warnings: list[str],
    when: str,
    skipped: Sequence[Mapping[str, str]] = (),
) -> PlannedEdit:
    """The bot's status page: since when runs have had this outcome, and why pages were left alone."""
    content = status_text(outcome, refused, stopped, warnings, when, skipped)
    rendered = RenderedPage("status", title, region_text("status", content) + "\n", {"status": content})
    return plan_edit(rendered, current, AreaIndex(()), (BOT_NAME,), allow_shrink=True)


def status_text(
    outcome: str,
    refused: Sequence[Mapping[str, str]],
    stopped: str | None,
    warnings: Sequence[str],
    when: str,
    skipped: Sequence[Mapping[str, str]] = (),
) -> str:
    """The status region's text, built of wikitext nodes: a line on the outcome, then a list
    item for each page left alone (people's words in it escaped, see escape_value)."""
    lines: list[list[Node]] = [
        [Text("Outcome of the bot's runs since "), Text(when), Text(": "), Tag("b", _code(outcome), wiki_markup="'''"),
         Text(".")]
    ]
    if stopped:
        lines.append(_item(Text("Stopped: "), Text(_said(stopped))))
    lines += [_item(Wikilink(_code(r["title"])), Text(" left alone: "), Text(_said(r["reason"])))
              for r in refused]
    lines += [_item(Wikilink(_code(r["title"])), Text(" not saved this time, tried again next run: "),
                    Text(_said(r["reason"]))) for r in skipped]
    if warnings:
        lines.append([Text("Warnings about the source pages:")])
        lines += [_item(Text(_said(w))) for w in warnings]
    nodes: list[Node] = []
    for n, line in enumerate(lines):
        nodes += ([Text("\n")] if n else []) + line
    return str(Wikicode(nodes))


#: the opening of a template call other than ``{{!}}`` (the '|' escape_value writes)
_CALL = re.compile(r"\{\{(?!!\}\})")


def _said(text: str) -> str:
    """A reason quoting people's text (a config's values): escaped as for any generated page,
    and no template called either (``{{Delete}}`` written in a config is shown, not transcluded
    on the bot's page and the box that shows it)."""
    return _CALL.sub("&#123;&#123;", escape_value(text))


def _code(text: str) -> Wikicode:
    """Text placed as it is (escaped already, or the bot's own), not parsed again."""
    return Wikicode([Text(text)])


def _item(*nodes: Node) -> list[Node]:
    """A line of a bulleted list: ``* `` and the nodes."""
    return [Tag("li", wiki_markup="*", self_closing=True), Text(" "), *nodes]
