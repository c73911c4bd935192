"""Plan the edits of a run (read, extract, render, merge, diff), then apply them through a source.

``plan()`` only reads; ``apply()`` saves what the plan says changed, against the revisions
the plan read, each save right after one more read of the page and the stop page. A page
changed since the plan read it (or an edit conflict) is planned again from the text read,
the whole event with it; a second conflict, a deleted page or a page the wiki refuses is
skipped and reported, a stop page set meanwhile stops the saves.
"""

from __future__ import annotations

import difflib
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from typing import Any
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .areas import AreaIndex
from .config import EventConfig
from .datapage import data_page_edit
from .errors import MergeRefused, SourceError
from .extract import PageText, extract_event, with_signups
from .merge import append_sections, bots_allow, fill, guard_signatures, same_text, stop_page_allows
from .model import Event, Notice
from .pagekinds import generated_items, merge_rule, render_event, target_titles
from .published import dropped_message, dropped_sessions
from .render import RenderedPage
from .signuptable import sections, unclosed_table
from .sources import PageRecord, Source
from .wikitext import MAX_PAGE_BYTES

BOT_NAME = "wmstrategybot"


def templates_dir() -> Path:
    """``templates_wikitext/``: inside the installed package, or beside ``src/`` in a checkout."""
    packaged = Path(str(resources.files(__package__))) / "templates_wikitext"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates_wikitext"


def load_skeletons(folder: Path | None = None) -> dict[str, str]:
    folder = (folder or templates_dir()) / "pages"
    return {p.stem: p.read_text("utf-8") for p in sorted(folder.glob("*.wikitext"))}


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


def bot_names(source: Source) -> tuple[str, ...]:
    """The names {{bots}}/{{nobots}} may use for this bot: the tool's and the account's."""
    return (BOT_NAME, source.user) if source.user else (BOT_NAME,)


def read_event(config: EventConfig, source: Source) -> tuple[Event, dict[str, PageRecord]]:
    """Read the source and target pages (and the stop page) in one batch and extract the event."""
    titles = [*config.source_pages, *target_titles(config)]
    if config.bot.stop_page:
        titles.append(config.bot.stop_page)
    records = source.read(titles)
    for title in config.day_pages:
        if not records[title].exists:
            raise SourceError(f"day page not found in {source.describe()}: {title}")
    event = extract_bounded(config, _texts(records))
    return event, records


def extract_bounded(config: EventConfig, texts: Mapping[str, PageText]) -> Event:
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


def _texts(records: Mapping[str, PageRecord]) -> dict[str, PageText]:
    return {t: PageText(t, r.text, r.revision) for t, r in records.items() if r.text is not None}


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
    try:
        new = compose(rendered, current, areas, names)
    except MergeRefused as exc:
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", str(exc))
    size = len(new.encode("utf-8", "surrogatepass"))
    if size > MAX_PAGE_BYTES:
        reason = f"the page would be {size / 2**20:.1f} MiB, over the {MAX_PAGE_BYTES // 2**20} MiB a wiki page may hold"
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", reason)
    if not allow_shrink:
        reason = shrink_reason(rendered.kind, current.text, new)
        if reason:
            return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", reason)
    if current.exists and same_text(new, current.text or "", rendered.content_model):
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, new, "unchanged")
    return PlannedEdit(rendered.kind, rendered.title, current, rendered, new, "update" if current.exists else "create")


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
    names = bot_names(source)
    areas = AreaIndex(config.areas)
    event, records = read_event(config, source)
    warnings = event.warnings
    parsed = _parsed(config, _texts(records))
    rendered = render_event(event, config, skeletons)
    by_kind = {r.kind: r for r in rendered}
    signups = records[config.targets.signups] if "signups" in by_kind else None  # no signup page: none
    signup_edit = plan_edit(by_kind["signups"], signups, areas, names, allow_shrink) if signups else None
    if signups and signup_edit and signup_edit.new_text is not None and signup_edit.new_text != signups.text:
        # The data page describes the signup page as it will be after this run's edit, so
        # that the next run, reading that page, renders the same data (no second edit): its
        # signups are read again from that text, the rest of the event stays as extracted.
        event = with_signups(event, config, PageText(signups.title, signup_edit.new_text, None))
        parsed += 1
        rendered = render_event(event, config, skeletons)
    edits = []
    for page in rendered:
        if page.kind == "signups" and signup_edit:
            edits.append(signup_edit)
        else:
            edits.append(plan_edit(page, records[page.title], areas, names, allow_shrink))
    if not allow_shrink:
        edits = _refuse_lost_sessions(edits, event, rendered, warnings)
    edits, gone = _refuse_recreation(edits, source, seen or {}, removed or {})
    return Plan(event, edits, edit_summary(event), stop_reason(config, records), allow_shrink, records, gone, parsed,
                warnings)


def _parsed(config: EventConfig, texts: Mapping[str, PageText]) -> int:
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


def _refuse_recreation(
    edits: list[PlannedEdit], source: Source, seen: Mapping[str, Any], known: Mapping[str, str]
) -> tuple[list[PlannedEdit], dict[str, str]]:
    """Creations of pages a person deleted or moved away become refusals; (edits, {title: why})."""
    creating = [e.title for e in edits if e.action == "create" and e.title not in known]
    removed = dict(known)
    if creating:
        removed.update(source.removals(creating))
    out, gone = [], {}
    for e in edits:
        if e.action == "create":
            why = removed.get(e.title)
            if not why and seen.get(e.title) is not None:
                why = f"there at the last run (revision {seen[e.title]}), gone now"
            if why:
                gone[e.title] = why
                reason = f"{why}; not recreated (undelete it or create it by hand for the bot to write there again)"
                e = PlannedEdit(e.kind, e.title, e.page, e.rendered, None, "refused", reason)
        out.append(e)
    return out, gone


def stop_reason(config: EventConfig, records: Mapping[str, PageRecord], then: str = "no edit is made") -> str | None:
    stop = config.bot.stop_page
    if not stop or stop_page_allows(records[stop].text):
        return None
    state = "does not exist" if not records[stop].exists else "does not say 'run'"
    return f"stop page [[{stop}]] {state}: {then}"


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
