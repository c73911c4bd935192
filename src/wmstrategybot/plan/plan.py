"""Planning a run's edits, pure: given the pages as read and the run's state, which page gets
which text, and which is left alone and why. No source, no disk, no clock (publish.py reads
the pages, bounds the parse time and asks the wiki's log; saving.py saves).

One pass: the event is extracted once and every page rendered once. The signup page comes
first: its edit shifts the lines the event's signups point at, so they are read again from
the text this run will save before the other pages (the data page) are rendered.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.config.event import EventConfig
from wmstrategybot.errors import MergeRefused
from wmstrategybot.extract.event import extract_event, with_signups
from wmstrategybot.wikitext.regions import (
    append_sections,
    bots_allow,
    fill,
    guard_signatures,
    same_text,
    stop_page_allows,
)
from wmstrategybot.model.event import Event, Notice
from wmstrategybot.model.pages import PageRecord, existing
from wmstrategybot.render.kinds import generated_items, merge_rule, render_event, render_kind
from wmstrategybot.plan.lost import dropped_message, dropped_sessions
from wmstrategybot.render.datapage import data_page_edit
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.wikitext.signuptable import sections, unclosed_table
from wmstrategybot.wikitext.text import MAX_PAGE_BYTES, page_bytes


BOT_NAME = "wmstrategybot"

#: extraction: `extract_event`, or the same under a time bound (publish.extract_bounded)
Extract = Callable[[EventConfig, Mapping[str, PageRecord]], Event]


@dataclass
class PlannedEdit:
    kind: str
    title: str
    page: PageRecord
    rendered: RenderedPage
    new_text: str | None
    action: str  # create | update | unchanged | refused
    reason: str = ""

    @property
    def changed(self) -> bool:
        return self.action in ("create", "update")

    def diff(self) -> str:
        old = (self.page.text or "").splitlines(keepends=True)
        new = (self.new_text or "").splitlines(keepends=True)
        lines = difflib.unified_diff(old, new, f"a/{self.title}", f"b/{self.title}")
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


@dataclass
class Plan:
    event: Event | None
    edits: list[PlannedEdit]
    edit_summary: str  # the edit summary every save of the plan carries
    #: why the run must make no edit at all (the stop page), or None
    stopped: str | None = None
    allow_shrink: bool = False
    #: the pages as read (source, target and stop page), with their revisions
    records: Mapping[str, PageRecord] = field(default_factory=dict)
    #: target pages a person deleted or moved away, not created again, and why
    removed: dict[str, str] = field(default_factory=dict)
    #: page texts extraction parsed (day pages, the summary page, the signup page), every pass
    pages_parsed: int = 0
    #: the warnings about the pages as read, with their live lines (the event's may point at the
    #: signup page as this run will save it): what every command shows people
    warnings: tuple[Notice, ...] = ()

    @property
    def changed(self) -> list[PlannedEdit]:
        return [e for e in self.edits if e.changed]


def compose(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, names: tuple[str, ...] = (BOT_NAME,)) -> str:
    """The text to save for a target page, given its live text; raises MergeRefused."""
    if not current.exists:
        return rendered.fresh
    old = current.text or ""
    if not all(bots_allow(old, name, rendered.content_model) for name in names):
        raise MergeRefused("the page opts out of bots ({{nobots}} or {{bots|deny=...}})")
    rule = merge_rule(rendered.kind)
    if rule == "template":
        if same_text(old, rendered.fresh):
            return old
        if current.user is None or current.user not in names:
            who = f"by {current.user}" if current.user else "by someone"
            raise MergeRefused(f"edited {who} since the bot installed it; not overwritten")
        return rendered.fresh
    if rule == "whole":
        # the data page is wholly the bot's or a person's: any change a person made is kept
        edited = None if old == rendered.fresh else data_page_edit(old)
        if edited:
            raise MergeRefused(f"{edited}: edited by hand, not overwritten (revert to the bot's last revision to hand it back)")
        return rendered.fresh
    text = fill(old, rendered.regions)
    if rendered.area_sections and not unclosed_table(old):
        present = {areas.canonical(title) for title, _, _ in sections(old) if title}
        missing = [sec for area, sec in rendered.area_sections.items() if area not in present]
        added = append_sections(text, missing)
        # Only if the new sections show up as sections (not swallowed by an unclosed comment
        # or table): otherwise the next run would add them again, and again.
        now = {areas.canonical(title) for title, _, _ in sections(added) if title}
        if all(area in now for area in rendered.area_sections):
            text = added
    guard_signatures(old, text)
    return text


def edit_summary(event: Event) -> str:
    """Names the source pages and their revisions (MediaWiki keeps 500 characters of a summary)."""
    revisions = [(title, rev) for title, rev in event.revisions]
    if len(revisions) > 4:
        newest = max((rev for _, rev in revisions if isinstance(rev, int)), default=None)
        where = f"[[{event.root}]]" if event.root else "the event"
        return f"{BOT_NAME}: update from {len(revisions)} pages under {where}" + (f", newest r{newest}" if newest else "")
    sources = ", ".join(f"[[{title}]]" + (f" r{rev}" if isinstance(rev, int) else "") for title, rev in revisions)
    return f"{BOT_NAME}: update from {sources}"


def shrink_reason(kind: str, old: str | None, new: str) -> str | None:
    """Why publishing `new` over `old` would be a suspicious shrink, or None.

    A generated list that drops below the live page's, or to nothing, is more often a bad
    read (an empty query, a broken Day page) than the truth: refuse unless told otherwise.
    """
    after = generated_items(kind, new)
    if after is None:
        return None
    before = generated_items(kind, old) if old is not None else None
    if after == 0:
        return f"the generated list would be empty (was {before or 0}); use --allow-shrink if that is right"
    if before is not None and after < before:
        return f"the generated list would shrink from {before} to {after} items; use --allow-shrink if that is right"
    return None


def plan_edit(
    rendered: RenderedPage, current: PageRecord, areas: AreaIndex, names: tuple[str, ...], allow_shrink: bool = False
) -> PlannedEdit:
    """The edit of one page: its text composed over the live one, or why it is refused."""
    try:
        new = compose(rendered, current, areas, names)
    except MergeRefused as exc:
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", str(exc))
    size = page_bytes(new)
    if size > MAX_PAGE_BYTES:
        reason = f"the page would be {size / 2**20:.1f} MiB, over the {MAX_PAGE_BYTES // 2**20} MiB a wiki page may hold"
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", reason)
    if not allow_shrink:
        shrink = shrink_reason(rendered.kind, current.text, new)
        if shrink:
            return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", shrink)
    if current.exists and same_text(new, current.text or "", rendered.content_model):
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, new, "unchanged")
    return PlannedEdit(rendered.kind, rendered.title, current, rendered, new, "update" if current.exists else "create")


def plan_pages(
    config: EventConfig,
    records: Mapping[str, PageRecord],
    skeletons: Mapping[str, str],
    names: tuple[str, ...] = (BOT_NAME,),
    *,
    seen: Mapping[str, object] | None = None,
    removed: Mapping[str, str] | None = None,
    allow_shrink: bool = False,
    extract: Extract = extract_event,
) -> Plan:
    """The plan of a run from the pages as read (source, target and stop page): extract the
    event once, render each page once, compose each over its live text.

    `names`: the names {{bots}} may use for the bot; `seen`: each page's revision at the last
    run; `removed`: pages known to have been taken away by a person (the run's state, and what
    the wiki's log says): none of those is created again.
    """
    return refuse_recreation(draft_plan(config, records, skeletons, names, allow_shrink=allow_shrink,
                                        extract=extract), seen or {}, removed or {})


def draft_plan(
    config: EventConfig,
    records: Mapping[str, PageRecord],
    skeletons: Mapping[str, str],
    names: tuple[str, ...] = (BOT_NAME,),
    *,
    allow_shrink: bool = False,
    extract: Extract = extract_event,
) -> Plan:
    """`plan_pages` before the pages a person took away are refused (publish.plan asks the
    wiki's log about the pages this draft would create)."""
    areas = AreaIndex(config.areas)
    texts = existing(records)
    event = extract(config, texts)
    warnings = event.warnings
    parsed = _parsed(config, texts)
    signup_page = render_kind("signups", event, config, skeletons)
    signup_edit = None
    if signup_page is not None:
        signup_edit = plan_edit(signup_page, records[signup_page.title], areas, names, allow_shrink)
        if signup_edit.new_text is not None and signup_edit.new_text != signup_edit.page.text:
            # The data page describes the signup page as it will be after this run's edit, so
            # that the next run, reading that page, renders the same data (no second edit): its
            # signups are read again from that text, the rest of the event stays as extracted.
            event = with_signups(event, config, PageRecord(signup_page.title, signup_edit.new_text))
            parsed += 1
    rendered = render_event(event, config, skeletons, {"signups": signup_page} if signup_page else {})
    edits = []
    for page in rendered:
        if page.kind == "signups" and signup_edit:
            edits.append(signup_edit)
        else:
            edits.append(plan_edit(page, records[page.title], areas, names, allow_shrink))
    if not allow_shrink:
        edits = _refuse_lost_sessions(edits, event, rendered, warnings)
    return Plan(event, edits, edit_summary(event), stop_reason(config, records), allow_shrink, records, {}, parsed,
                warnings)


def _parsed(config: EventConfig, texts: Mapping[str, PageRecord]) -> int:
    """How many of the pages extraction parses were there to parse."""
    return sum(1 for t in dict.fromkeys((*config.source_pages, config.targets.signups)) if t and t in texts)


def _refuse_lost_sessions(
    edits: list[PlannedEdit], event: Event, rendered: list[RenderedPage], warnings: Sequence[Notice]
) -> list[PlannedEdit]:
    """No page of the event from a read that drops sessions the published pages have: every
    edit is refused with one message naming those sessions and the warnings that explain why."""
    lost = dropped_sessions(event, {e.kind: e.page.text for e in edits}, rendered)
    if not lost:
        return edits
    message = dropped_message(lost, warnings)
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
