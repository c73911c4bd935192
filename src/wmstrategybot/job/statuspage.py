"""The status page on the wiki, for the event's organisers, in plain words: when the bot ran and
runs next, what it changed, what it could not do (once per cause, with the next step on the
wiki), what it could not read, and whom to ask. Saved when a run changed pages or its outcome
differs from what the page says.

The page is a list of blocks (`BLOCKS`), each a function of the run's `StatusFacts`: a new
block is one more function in that list.

Not a kind of pagekinds.KINDS: those are rendered from the event in every plan, and read and
change-checked as targets; this page is written from a run's outcome after the saves (and the
clock), and were it a target, the bot's own status edit would be a change that starts the next
run. Its merge rule is the registry's default for a page not of it: the bot's own region.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mwparserfromhell.nodes import Node, Tag, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wmstrategybot.config.job import RUN_EVERY
from wmstrategybot.errors import MergeRefused, WmError
from wmstrategybot.exits import EXIT_REFUSED
from wmstrategybot.extract.readback import Item, outline
from wmstrategybot.job.causes import SKIP, Cause, detail, grouped
from wmstrategybot.job.report import RunReport
from wmstrategybot.model.event import Event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.model.titles import talk_title
from wmstrategybot.plan.compose import PlannedEdit, plan_edit
from wmstrategybot.plan.guards import stop_page_allows
from wmstrategybot.plan.plan import BOT_NAME
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.sources.base import Source
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.escaping import escape_value
from wmstrategybot.wikitext.regions import checksum, find_regions, region_text

BOLD = "'''"


@dataclass(frozen=True)
class StatusFacts:
    """What a status page tells of one run."""

    outcome: str
    #: when the run began (seconds since the epoch)
    now: float
    refused: Sequence[Mapping[str, str]] = ()
    skipped: Sequence[Mapping[str, str]] = ()
    edited: Sequence[Mapping[str, Any]] = ()
    stopped: str | None = None
    warnings: Sequence[str] = ()
    #: the operator's page (the job file's `operator`); None: not named
    operator: str | None = None
    #: seconds between scheduled runs (the job file's `run_every`)
    run_every: float = RUN_EVERY
    #: the stop page, shown live: a stop set after the run (when the bot saves nothing, this page
    #: neither) shows on this page and the root's box as soon as the wiki renders them again
    stop_page: str | None = None
    #: the event as read (extract/readback.py): shown in a collapsed block
    outline: Sequence[Item] = ()
    #: the event's root page, whose talk page people are sent to when no operator is named (the
    #: page's own talk page would be the root's in its box, the status page's on the page itself)
    root: str | None = None


def facts_of(report: RunReport, now: float, operator: str | None = None, run_every: float = RUN_EVERY,
             stop_page: str | None = None, event: Event | None = None, root: str | None = None) -> StatusFacts:
    """A run's report as the status page tells it (with the outline of `event`, when it was read)."""
    return StatusFacts(report.outcome, now, report.refused, report.skipped, report.edited, report.stopped,
                       report.warnings, operator, run_every, stop_page,
                       outline(event) if event is not None else (), root)


#: the outcome of a run, as the page says it
_OUTCOME_WORDS = {
    "done": "every page the bot writes is up to date",
    "nothing-changed": "every page the bot writes is up to date",
    "refused": "the bot left some pages alone; below is what to do",
    "skipped": "some pages could not be saved this time; the bot tries again at its next run",
    "stopped": "the bot is stopped and saved nothing",
    "error": "the bot did not serve this event; below is what to do",
    "simulated": "a test run: nothing was saved",
}

_WHEN = f"{BOLD}Last run:{BOLD} "
_CHANGED = f"{BOLD}What the bot changed{BOLD}"
#: a skip's reason may differ every run (request ids, lag seconds): not a reason to edit the page
_SKIP_LINE = re.compile(r"^(\*\* \[\[[^\]]*\]\]) \(this time: .*\)$", re.M)


def utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(seconds))


def _outcome_block(facts: StatusFacts) -> list[list[Node]]:
    """The outcome, in plain words."""
    words = _OUTCOME_WORDS.get(facts.outcome, facts.outcome)
    return [[Text("Outcome: "), Tag("b", _code(facts.outcome), wiki_markup=BOLD), Text(f": {words}."),
             *_stop_check(facts)]]


#: characters no title holds: a stop page named with them is not placed in wikitext
_NOT_IN_TITLE = re.compile(r"[\[\]{}|<>#]")


def _stop_check(facts: StatusFacts) -> list[Node]:
    """Whether the stop page says stop now, read by the wiki when it renders the page (the stop
    page's text is only compared, never shown); nothing shows while it says run."""
    stop = facts.stop_page
    if not stop or _NOT_IN_TITLE.search(stop):
        return []
    test = "{{#switch:{{lc:{{:" + stop + "}}}}|run|yes|true|on=|#default="
    said = (f"<span class=\"event-track-bot-stopped\" style=\"color:#d33\">{BOLD}Stopped now:{BOLD} [[{stop}]] "
            "does not say ''run'', so the bot saves nothing (and this page is not updated) until it does.</span>")
    return [Text(" " + test + said + "}}")]


def _when_block(facts: StatusFacts) -> list[list[Node]]:
    """When the bot ran and when it runs next."""
    minutes = round(facts.run_every / 60)
    every = "every hour" if minutes == 60 else f"every {minutes} minutes"
    return [[Text(_WHEN), Text(utc(facts.now)), Text(f". {BOLD}Next run:{BOLD} about "),
             Text(utc(facts.now + facts.run_every)),
             Text(f" (the bot runs {every}; a run that finds nothing changed leaves the status page as it is).")]]


def _changed_block(facts: StatusFacts) -> list[list[Node]]:
    """The pages the run saved, one a line."""
    if not facts.edited:
        return []
    lines: list[list[Node]] = [[Text(f"{_CHANGED} at its last run:")]]
    lines += [_item(Wikilink(_code(str(e["title"]))), Text(f" ({str(e['action']).removeprefix('would ')})"))
              for e in facts.edited]
    return lines


def _cause_lines(cause: Cause, pairs: Sequence[tuple[str, str]]) -> list[list[Node]]:
    """A cause told once with its next step, then its pages one a line (the detail once when every
    page has the same)."""
    same = len({d for _, d in pairs}) == 1
    head: list[Node] = [Text(cause.says), Text(" ''Next step:'' "), Text(cause.step)]
    if same and pairs[0][1]:
        head += [Text(" (The bot says: "), Text(_said(pairs[0][1])), Text(".)")]
    lines = [_item(*head)]
    if cause.key == "config":  # on the root's own status page: the lines of its call, not a link to it
        lines += [_item(Text(_said(d)), level=2) for _, d in pairs if d and not same]
    elif same:
        lines += [_item(Wikilink(_code(t)), level=2) for t in dict.fromkeys(t for t, _ in pairs)]
    else:
        lines += [_item(Wikilink(_code(t)), Text(": "), Text(_said(d)), level=2) for t, d in pairs]
    return lines


def _problems_block(facts: StatusFacts) -> list[list[Node]]:
    """What the bot could not do: once per cause, each with the next step on the wiki."""
    if not (facts.stopped or facts.refused or facts.skipped):
        return []
    lines: list[list[Node]] = [[Text(f"{BOLD}What the bot could not do:{BOLD}")]]
    if facts.stopped:  # the stop page, or a pause (`failures.pause_says`)
        paused = facts.stopped.startswith("paused: ")
        lines.append(_item(Text("Paused: " if paused else "Stopped: "),
                           Text(_said(facts.stopped.removeprefix("paused: ")))))
    for cause, pairs in grouped(facts.refused):
        lines += _cause_lines(cause, pairs)
    if facts.skipped:
        lines.append(_item(Text(SKIP.says), Text(" ''Next step:'' "), Text(SKIP.step)))
        lines += [_item(Wikilink(_code(r["title"])), Text(" (this time: "), Text(_said(detail(r["reason"]))),
                        Text(")"), level=2) for r in facts.skipped]
    return lines


def _warnings_block(facts: StatusFacts) -> list[list[Node]]:
    """What the bot could not read on the pages, each with page and line."""
    if not facts.warnings:
        return []
    return [[Text(f"{BOLD}What the bot could not read{BOLD} (each names its page, and its line where it has "
                  "one; fix it there and the next run reads it again):")],
            *[_item(Text(_said(w))) for w in facts.warnings]]


#: the outline's block: collapsed (MediaWiki's own mw-collapsible), opened by a click
_OUTLINE_HEAD = f"{BOLD}What the bot read{BOLD} (days, sessions and parts, with the line of the page each is on):"
_OUTLINE_OPEN = '<div class="mw-collapsible mw-collapsed event-track-bot-outline" data-expandtext="show" data-collapsetext="hide">'


def _outline_block(facts: StatusFacts) -> list[list[Node]]:
    """The outline as read, in a collapsed block: an organiser checks the bot's reading here."""
    if not facts.outline:
        return []
    lines: list[list[Node]] = [[Text(_OUTLINE_HEAD)], [Text(_OUTLINE_OPEN)]]
    day_page = None
    for item in facts.outline:
        label = Text(_as_text(item.label))
        if item.level == 0 and not item.warning:
            day_page = item.page
            head: list[Node] = [Wikilink(_code(item.page), _code(_as_text(item.label)))] if item.page else [label]
            lines.append(_item(*head, level=1))
            continue
        where = (f"line {item.line}" if item.page == day_page else f"[[{item.page}]], line {item.line}") \
            if item.line else ""
        mark = [Text("''warning:'' ")] if item.warning else []
        lines.append(_item(*mark, label, *([Text(f" ({where})")] if where else []), level=item.level + 1))
    lines.append([Text("</div>")])
    return lines


def _ask_block(facts: StatusFacts) -> list[list[Node]]:
    """Whom to ask."""
    if facts.operator:
        return [[Text(f"{BOLD}Questions?{BOLD} Ask "), Wikilink(_code(facts.operator)), Text(", who runs the bot.")]]
    talk = talk_title(facts.root) if facts.root else None
    if talk:
        # through Special:EditPage: it opens the talk page to write in, and is never a red link
        # while the talk page does not exist yet (no template or parser function on this page)
        return [[Text(f"{BOLD}Questions?{BOLD} Ask on the talk page of the event's page: "),
                 Wikilink(_code(escape_value(f"Special:EditPage/{talk}")), _code(escape_value(talk))), Text(".")]]
    return [[Text(f"{BOLD}Questions?{BOLD} Ask on the talk page of the status page.")]]


#: the status page, block by block (a block with nothing to say gives no line)
BLOCKS: list[Callable[[StatusFacts], list[list[Node]]]] = [
    _outcome_block, _when_block, _changed_block, _problems_block, _warnings_block, _outline_block, _ask_block]


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


def status_says(text: str | None) -> str | None:
    """What a status page's region says, without its times, the pages changed and the skips'
    reasons (None: no region): the page is saved when this differs, or when a run changed pages."""
    try:
        region = find_regions(text or "").get("status")
    except MergeRefused:
        return None
    if region is None or text is None:
        return None
    blocks = text[region.content_start : region.content_end].strip("\n").split("\n\n")
    said = [b for b in blocks if not b.startswith((_WHEN, _CHANGED))]
    return _SKIP_LINE.sub(r"\1", "\n\n".join(said))


def update_status_page(config: EventConfig, source: Source, report: RunReport, facts: StatusFacts) -> bool:
    """Tell the organisers how the run went: saved when the run changed pages or the page says
    something else than this run's outcome (a first run, a page deleted or never written). True
    when it was saved. The stop page (`facts.stop_page`) is read with it, right before the save:
    set meanwhile, nothing is saved and the report says stopped."""
    title = config.bot.status_page
    assert title
    stop = facts.stop_page
    read = source.read([title, *([stop] if stop and stop != title else [])])
    if stop and not stop_page_allows(read[stop].text):
        state = "does not exist" if not read[stop].exists else "does not say 'run'"
        report.stopped = f"stop page [[{stop}]] {state}: its status page was not updated"
        report.outcome, report.exit = "stopped", EXIT_REFUSED
        return False
    current = read[title]
    edit = status_edit(title, current, facts)
    if not edit.changed or edit.new_text is None:
        return False
    if not facts.edited and status_says(current.text) == status_says(edit.new_text):
        return False
    try:
        source.save(edit.page, edit.new_text, f"wmstrategybot: run outcome {report.outcome}")
    except WmError as exc:
        report.warnings.append(f"status page {title} not updated: {exc}")
        return False
    return True


def status_edit(title: str, current: PageRecord, facts: StatusFacts) -> PlannedEdit:
    """The bot's status page for this run, as an edit of its current text. A person's edit inside
    the status region is kept, above the region, and the region written afresh: the status is the
    bot's to say (red team 20: one such edit froze every later status, refusals unshown)."""
    content = status_text(facts)
    rendered = RenderedPage("status", title, region_text("status", content) + "\n", {"status": content})
    return plan_edit(rendered, _edits_kept(current), AreaIndex(()), (BOT_NAME,), allow_shrink=True)


def _edits_kept(current: PageRecord) -> PageRecord:
    """`current` with an edited status region's text moved out above it (its bytes kept, said)."""
    if current.text is None:
        return current
    try:
        region = find_regions(current.text).get("status")
    except MergeRefused:
        return current  # markers broken: the ordinary refusal says so
    if region is None or region.sha1 is None:
        return current
    inside = current.text[region.content_start:region.content_end]
    if checksum(inside) == region.sha1:
        return current
    kept = ("Text written inside the bot's status region, kept here by the bot (the status below is "
            "the bot's own):\n" + inside.strip("\n") + "\n\n")
    text = current.text[:region.begin] + kept + region_text("status", "") + current.text[region.end:]
    return replace(current, text=text)


def status_text(facts: StatusFacts) -> str:
    """The status region's text, built of wikitext nodes block by block (people's words in it
    escaped, see escape_value), a blank line between blocks."""
    nodes: list[Node] = []
    for block in (b(facts) for b in BLOCKS):
        if not block:
            continue
        if nodes:
            nodes.append(Text("\n\n"))
        for n, line in enumerate(block):
            nodes += ([Text("\n")] if n else []) + line
    return str(Wikicode(nodes))


#: the opening of a template call other than ``{{!}}`` (the '|' escape_value writes)
_CALL = re.compile(r"\{\{(?!!\}\})")


def _said(text: str) -> str:
    """A reason quoting people's text (a config's values): escaped as for any generated page,
    and no template called either (``{{Delete}}`` written in a config is shown, not transcluded
    on the bot's page and the box that shows it)."""
    return _CALL.sub("&#123;&#123;", escape_value(text))


#: what could make markup of text, at any place in a line: written as character references
_MARKUP = re.compile(r"[&<>\[\]{}|'~_=*#:;!\-]")


def _as_text(text: str) -> str:
    """`text` exactly as written, shown as characters, never read as markup (the outline shows
    titles as the bot read them: a title that reads as a link or a template there would be one)."""
    return _MARKUP.sub(lambda m: f"&#{ord(m.group())};", " ".join(text.split()))


def _code(text: str) -> Wikicode:
    """Text placed as it is (escaped already, or the bot's own), not parsed again."""
    return Wikicode([Text(text)])


def _item(*nodes: Node, level: int = 1) -> list[Node]:
    """A line of a bulleted list (``*``; ``**`` at level 2) and the nodes."""
    return [*(Tag("li", wiki_markup="*", self_closing=True) for _ in range(level)), Text(" "), *nodes]
