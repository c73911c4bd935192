"""Plan the edits of a run (read, extract, render, merge, diff), then apply them through a source.

``plan()`` only reads; ``apply()`` saves what the plan says changed, against the revisions
the plan read. An edit conflict is met by re-reading, re-merging and trying once more;
a second conflict, a deleted page or a page the wiki refuses is skipped and reported.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .areas import AreaIndex
from .config import EventConfig
from .errors import EditConflict, PageDeleted, SourceError
from .extract import PageText, extract_event
from .merge import MergeRefused, append_sections, bots_allow, fill, guard_signatures
from .model import Event
from .render import RenderedPage, data_checksum_ok, render_event
from .signuptable import sections
from .sources import PageRecord, Source

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
    event: Event
    edits: list[PlannedEdit]
    summary: str

    @property
    def changed(self) -> list[PlannedEdit]:
        return [e for e in self.edits if e.changed]


@dataclass
class Outcome:
    title: str
    action: str  # created | updated | unchanged | refused | skipped
    reason: str = ""
    revision: int | str | None = None


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for o in self.outcomes if o.action == action)

    @property
    def ok(self) -> bool:
        return not any(o.action in ("refused", "skipped") for o in self.outcomes)


def read_event(config: EventConfig, source: Source) -> tuple[Event, dict[str, PageRecord]]:
    """Read the source and target pages in one batch and extract the event."""
    titles = [*config.source_pages, *(t for _, t in config.targets.items())]
    records = source.read(titles)
    for title in config.day_pages:
        if not records[title].exists:
            raise SourceError(f"day page not found in {source.describe()}: {title}")
    event = extract_event(config, _texts(records))
    return event, records


def _texts(records: Mapping[str, PageRecord]) -> dict[str, PageText]:
    return {t: PageText(t, r.text, r.revision) for t, r in records.items() if r.text is not None}


def compose(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, user: str = BOT_NAME) -> str:
    """The text to save for a target page, given its live text; raises MergeRefused."""
    if not current.exists:
        return rendered.fresh
    old = current.text or ""
    if not bots_allow(old, user):
        raise MergeRefused("the page opts out of bots ({{nobots}} or {{bots|deny=...}})")
    if rendered.content_model == "json":
        if old != rendered.fresh and not data_checksum_ok(old):
            raise MergeRefused("the data page was edited by hand (its checksum no longer matches)")
        return rendered.fresh
    text = fill(old, rendered.regions)
    if rendered.area_sections:
        present = {areas.canonical(title) for title, _, _ in sections(old) if title}
        missing = [sec for area, sec in rendered.area_sections.items() if area not in present]
        text = append_sections(text, missing)
    guard_signatures(old, text)
    return text


def edit_summary(event: Event) -> str:
    sources = ", ".join(
        f"[[{title}]]" + (f" r{rev}" if isinstance(rev, int) else "") for title, rev in event.revisions
    )
    return f"{BOT_NAME}: update from {sources}"


def _plan_edit(rendered: RenderedPage, current: PageRecord, areas: AreaIndex, user: str) -> PlannedEdit:
    try:
        new = compose(rendered, current, areas, user)
    except MergeRefused as exc:
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, None, "refused", str(exc))
    if current.exists and new == current.text:
        return PlannedEdit(rendered.kind, rendered.title, current, rendered, new, "unchanged")
    return PlannedEdit(rendered.kind, rendered.title, current, rendered, new, "update" if current.exists else "create")


def plan(config: EventConfig, source: Source, skeletons: Mapping[str, str] | None = None, user: str = BOT_NAME) -> Plan:
    """Everything a run would do, without writing anything."""
    skeletons = skeletons or load_skeletons()
    areas = AreaIndex(config.areas)
    event, records = read_event(config, source)
    rendered = render_event(event, config, skeletons)
    by_kind = {r.kind: r for r in rendered}
    signups = records[config.targets.signups]
    signup_edit = _plan_edit(by_kind["signups"], signups, areas, user)
    if signup_edit.new_text is not None and signup_edit.new_text != signups.text:
        # The data page describes the signup page as it will be after this run's edit, so
        # that the next run, reading that page, renders the same data (no second edit).
        texts = _texts(records)
        texts[signups.title] = PageText(signups.title, signup_edit.new_text, None)
        event = extract_event(config, texts)
        rendered = render_event(event, config, skeletons)
    edits = []
    for page in rendered:
        if page.kind == "signups":
            edits.append(signup_edit)
        else:
            edits.append(_plan_edit(page, records[page.title], areas, user))
    return Plan(event, edits, edit_summary(event))


def apply(plan_: Plan, source: Source, config: EventConfig, user: str = BOT_NAME) -> Report:
    """Save the changed pages of a plan; conflicts are re-merged once, then skipped."""
    report = Report()
    areas = AreaIndex(config.areas)
    for edit in plan_.edits:
        if not edit.changed:
            report.outcomes.append(Outcome(edit.title, edit.action, edit.reason))
            continue
        report.outcomes.append(_save(edit, source, plan_.summary, areas, user))
    return report


def _save(edit: PlannedEdit, source: Source, summary: str, areas: AreaIndex, user: str) -> Outcome:
    for attempt in range(2):
        assert edit.new_text is not None
        try:
            result = source.save(edit.page, edit.new_text, summary)
            return Outcome(edit.title, "created" if result.created else "updated", "", result.revision)
        except PageDeleted as exc:
            return Outcome(edit.title, "skipped", str(exc))
        except EditConflict as exc:
            if attempt:
                return Outcome(edit.title, "skipped", f"{exc}; edit conflict again, not retried")
            current = source.read([edit.title])[edit.title]
            if edit.page.exists and not current.exists:
                return Outcome(edit.title, "skipped", f"{edit.title}: deleted since it was read; not recreated")
            edit = _plan_edit(edit.rendered, current, areas, user)
            if edit.action == "refused":
                return Outcome(edit.title, "refused", edit.reason)
            if not edit.changed:
                return Outcome(edit.title, "unchanged", "after re-reading")
        except SourceError as exc:
            return Outcome(edit.title, "skipped", str(exc))
    raise AssertionError("unreachable")


def dry_run(plan_: Plan) -> Report:
    return Report([Outcome(e.title, e.action if not e.changed else f"would {e.action}", e.reason) for e in plan_.edits])

