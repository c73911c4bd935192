"""A run's edits, planned: given the pages as read, which page gets which text, and which is
left alone and why. Pure: no source, no disk, no clock (publish/ reads the pages, bounds the
parse time, asks the wiki's log, and saves).

One pass: the event is extracted once and every page rendered once. The signup page comes
first: its edit shifts the lines the event's signups point at, so they are read again from
the text this run will save before the other pages (the data page) are rendered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from wmstrategybot.model.event import Event, Notice
from wmstrategybot.model.pages import PageRecord, existing
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.plan.compose import PlannedEdit, plan_edit
from wmstrategybot.plan.guards import BOT_NAME, stop_page_allows
from wmstrategybot.plan.lost import Loss, dropped_message, loss_of
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.render.kinds import pages_of, render_event, render_page
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.regions import is_translatable


@dataclass(frozen=True)
class Reading:
    """How a plan reads the event from the pages: extract/'s functions, or the extraction under
    a time bound (publish/read.py)."""

    #: the event extracted from the pages as read
    event: Callable[[EventConfig, Mapping[str, PageRecord]], Event]
    #: the event with its signups read again from the signup page as this run will save it
    with_signups: Callable[[Event, EventConfig, PageRecord], Event]


@dataclass
class Plan:
    event: Event | None
    edits: list[PlannedEdit]
    edit_summary: str  # the edit summary every save of the plan carries
    #: why the run must make no edit at all (the stop page), or None
    stopped: str | None = None
    #: the pages as read (source, target and stop page), with their revisions
    records: Mapping[str, PageRecord] = field(default_factory=dict)
    #: target pages a person deleted or moved away, not created again, and why
    removed: dict[str, str] = field(default_factory=dict)
    #: page texts extraction parsed (day pages, the summary page, the signup page), every pass
    pages_parsed: int = 0
    #: the warnings about the pages as read, with their live lines (the event's may point at the
    #: signup page as this run will save it): what every command shows people
    warnings: tuple[Notice, ...] = ()
    #: the plan made again from newer pages as read (after a page changed while the plan was
    #: being saved): set by whoever made the plan, who knows how (publish/read.py)
    replan: Callable[[Mapping[str, PageRecord]], Plan] | None = field(default=None, compare=False, repr=False)
    #: what this read would drop of the published sessions (plan/lost.py)
    loss: Loss = field(default_factory=Loss)
    #: every page refused because that loss looks like a failed read, and nobody accepted it
    loss_refused: bool = False

    @property
    def changed(self) -> list[PlannedEdit]:
        return [e for e in self.edits if e.changed]


def edit_summary(event: Event) -> str:
    """Names the source pages and their revisions (MediaWiki keeps 500 characters of a summary)."""
    revisions = [(title, rev) for title, rev in event.revisions]
    if len(revisions) > 4:
        newest = max((rev for _, rev in revisions if isinstance(rev, int)), default=None)
        where = f"[[{event.root}]]" if event.root else "the event"
        return f"{BOT_NAME}: update from {len(revisions)} pages under {where}" + (f", newest r{newest}" if newest else "")
    sources = ", ".join(f"[[{title}]]" + (f" r{rev}" if isinstance(rev, int) else "") for title, rev in revisions)
    return f"{BOT_NAME}: update from {sources}"


def draft_plan(
    config: EventConfig,
    records: Mapping[str, PageRecord],
    skeletons: Mapping[str, str],
    reading: Reading,
    names: tuple[str, ...] = (BOT_NAME,),
    *,
    allow_shrink: bool = False,
) -> Plan:
    """The plan of a run from the pages as read (source, target and stop page): extract the
    event once, render each page once, compose each over its live text. `names`: the names
    {{bots}} may use for the bot. The pages a person took away are refused after this
    (`refuse_recreation`: publish/read.py asks the wiki's log about those this would create)."""
    areas = AreaIndex(config.areas)
    texts = existing(records)
    event = reading.event(config, texts)
    warnings = event.warnings
    parsed = _parsed(config, texts)
    done: dict[str, RenderedPage] = {}
    edits: dict[str, PlannedEdit] = {}
    for target in pages_of("signups", config):
        page = done[target.title] = render_page(target, event, config, skeletons)
        edit = edits[target.title] = plan_edit(page, records[page.title], areas, names, allow_shrink)
        if edit.new_text is not None and edit.new_text != edit.page.text:
            # The data page describes the signup page as it will be after this run's edit, so
            # that the next run, reading that page, renders the same data (no second edit): its
            # signups are read again from that text, the rest of the event stays as extracted.
            event = reading.with_signups(event, config, PageRecord(page.title, edit.new_text))
            parsed += 1
    rendered = render_event(event, config, skeletons, done)
    loss = loss_of(event, {page.kind: records[page.title].text for page in rendered}, rendered)
    # the publication the loss is from (the data page, else every generated page, as saved last)
    published = [p for p in rendered if p.kind == "data"] or rendered
    loss = replace(loss, baseline=" ".join(str(records[p.title].revision) for p in published))
    refuse = bool(loss.lost) and loss.refuses and not allow_shrink and loss.digest not in config.accept
    # a loss judged an edit (no sign of a failed read) or accepted shrinks the lists on purpose
    shrink = allow_shrink or (bool(loss.lost) and not refuse)
    planned = [edits.get(page.title) or plan_edit(page, records[page.title], areas, names, shrink)
               for page in rendered]
    if refuse:
        planned = _refuse_lost_sessions(planned, loss, warnings, config)
    warnings = tuple(warnings) + marking_warnings(planned)
    return Plan(event, planned, edit_summary(event), stop_reason(config, records), records, {}, parsed, warnings,
                loss=loss, loss_refused=refuse)


def _parsed(config: EventConfig, texts: Mapping[str, PageRecord]) -> int:
    """How many of the pages extraction parses were there to parse."""
    return sum(1 for t in dict.fromkeys((*config.source_pages, config.targets.get("signups"))) if t and t in texts)


def _refuse_lost_sessions(
    edits: list[PlannedEdit], loss: Loss, warnings: Sequence[Notice], config: EventConfig
) -> list[PlannedEdit]:
    """No page of the event from a read that looks failed (it drops sessions the published pages
    have, see Loss.evidence): every edit is refused with one message naming those sessions, the
    warnings that explain why, and how to accept the loss."""
    on_wiki = config.origin == config.root
    message = dropped_message(list(loss.lost), warnings, loss, config.root if on_wiki else None)
    return [PlannedEdit(e.kind, e.title, e.page, e.rendered, None, "refused",
                        message + (f"; also: {e.reason}" if e.action == "refused" else "")) for e in edits]


def creations(plan: Plan, known: Mapping[str, str]) -> list[str]:
    """The pages the plan would create that are not known to have been taken away."""
    return [e.title for e in plan.edits if e.action == "create" and e.title not in known]


def refuse_recreation(plan: Plan, seen: Mapping[str, object], removed: Mapping[str, str]) -> Plan:
    """Creations of pages a person deleted or moved away (`removed`: title -> how), or that were
    there at the last run (`seen`), become refusals; the plan's `removed` says which and why."""
    out, gone = [], {}
    for e in plan.edits:
        if e.action == "create":
            why = removed.get(e.title)
            if not why and seen.get(e.title) is not None:
                why = f"there at the last run (revision {seen[e.title]}), gone now"
            if why:
                gone[e.title] = why
                reason = f"{why}; not recreated (undelete it or create it by hand for the bot to write there again)"
                e = PlannedEdit(e.kind, e.title, e.page, e.rendered, None, "refused", reason)
        out.append(e)
    return replace(plan, edits=out, removed=gone)


def stop_reason(config: EventConfig, records: Mapping[str, PageRecord], then: str = "no edit is made") -> str | None:
    """Why the stop page stops the run, or None while it says 'run' (or there is none)."""
    stop = config.bot.stop_page
    if not stop or stop_page_allows(records[stop].text):
        return None
    state = "does not exist" if not records[stop].exists else "does not say 'run'"
    return f"stop page [[{stop}]] {state}: {then}"


def marking_warnings(planned: Sequence[PlannedEdit]) -> tuple[Notice, ...]:
    """A warning for each translatable page this run changes: its translations show the new
    content only after a translation administrator marks the page again (the bot never does)."""
    return tuple(
        Notice(e.title, None, "translatable page changed outside the <translate> units people wrote: the translations show the"
               " generated content only after the page is marked for translation again; render = \"module\""
               " avoids this")
        for e in planned
        if e.action == "update" and is_translatable(e.page.text or "")
    )
