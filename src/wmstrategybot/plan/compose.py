"""One page's edit: the rendered page merged with the live one by its merge rule, the guards
applied (opt-outs, signed rows, the shrink guard, the size limit), or why it is refused. Pure."""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

from wmstrategybot.errors import MergeRefused
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.plan.guards import BOT_NAME, bots_allow, same_text
from wmstrategybot.render.base import RenderedPage
from wmstrategybot.render.datapage import data_page_edit
from wmstrategybot.render.kinds import generated_items
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.regions import append_sections, fill, is_translatable
from wmstrategybot.wikitext.signuptable import sections, signed_rows, unclosed_table
from wmstrategybot.wikitext.text import MAX_PAGE_BYTES, page_bytes


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


def _template(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, names: tuple[str, ...]) -> str:
    """A wiki template the bot installs: updated only while the bot made its latest revision."""
    old = current.text or ""
    if same_text(old, rendered.fresh):
        return old
    if current.user is None or current.user not in names:
        who = f"by {current.user}" if current.user else "by someone"
        raise MergeRefused(f"edited {who} since the bot installed it; not overwritten")
    return rendered.fresh


def _whole(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, names: tuple[str, ...]) -> str:
    """A page wholly the bot's or a person's (the data page): any change a person made is kept."""
    old = current.text or ""
    edited = None if old == rendered.fresh else data_page_edit(old)
    if edited:
        raise MergeRefused(f"{edited}: edited by hand, not overwritten (revert to the bot's last revision to hand it back)")
    return rendered.fresh


def _regions(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, names: tuple[str, ...]) -> str:
    """The bot's managed regions filled, the rest kept byte for byte, area sections appended;
    no signed row lost."""
    old = current.text or ""
    regions = rendered.regions
    if rendered.translatable_regions and is_translatable(old):
        regions = {**regions, **rendered.translatable_regions}
    text = fill(old, regions)
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


#: how a rendered page is merged with the live one, by its merge rule (RenderedPage.merge)
MERGE_RULES: dict[str, Callable[[RenderedPage, PageRecord, AreaIndex, tuple[str, ...]], str]] = {
    "template": _template,
    "whole": _whole,
    "regions": _regions,
}


def compose(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, names: tuple[str, ...] = (BOT_NAME,)) -> str:
    """The text to save for a target page, given its live text; raises MergeRefused."""
    if not current.exists:
        return rendered.fresh
    if not all(bots_allow(current.text or "", name, rendered.content_model) for name in names):
        raise MergeRefused("the page opts out of bots ({{nobots}} or {{bots|deny=...}})")
    return MERGE_RULES[rendered.merge](rendered, current, areas, names)


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


def guard_signatures(before: str, after: str) -> None:
    """Refuse an edit that would lose any signed row (compared as a multiset of row texts)."""
    lost = signed_rows(before) - signed_rows(after)
    if lost:
        n = sum(lost.values())
        raise MergeRefused(f"the edit would drop {n} signed row(s); refusing the page")
