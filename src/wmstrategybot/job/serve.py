"""Serving one event whose pages changed: plan, publish (not in a dry run), status page, and the
event's new state saved in the store. `run` serves its event this way, `run --all` each of its."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from wmstrategybot.errors import WmError
from wmstrategybot.exits import EXIT_REFUSED
from wmstrategybot.job import changes, statuspage
from wmstrategybot.job.context import Serving
from wmstrategybot.job.report import RunReport
from wmstrategybot.job.state import RunState
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.plan.lost import warning_line
from wmstrategybot.publish.apply import apply
from wmstrategybot.publish.outcome import ApplyResult
from wmstrategybot.publish.read import plan
from wmstrategybot.sources.base import Source


def serve(
    config: EventConfig,
    how: Serving,
    key: str,
    state: RunState,
    titles: list[str],
    check: changes.Check,
    report: RunReport,
    also_seen: dict[str, int | str | None] | None = None,
) -> None:
    """An event whose pages changed: plan, publish (not in a dry run), status page, and its new
    state saved in the store under `key`, all told in `report`. `also_seen`: revisions of pages
    read before (an on-wiki config's root) to record as seen."""
    source, options = how.source, how.options
    options.progress("reading and parsing the pages")
    removed = state.removed or {}
    p = plan(config, source, options, seen=state.revisions, removed=removed)
    report.pages_read = len(titles)
    report.pages_parsed = p.pages_parsed
    report.warnings = [warning_line(w) for w in p.warnings]
    if options.dry_run:
        report.record_plan([(e.title, e.action) for e in p.changed],
                           [(e.title, e.reason) for e in p.edits if e.action == "refused"], p.stopped)
        return
    total = len(p.changed)
    options.progress(f"publishing {total} changed page(s)")
    result = apply(p, source, config, on_save=lambda done, _total, title: options.progress(_bar(done, total, title)))
    report.record_result(result)
    if any(o.action == "simulated" for o in result.outcomes):
        # pywikibot's simulate blocked the saves: the state stays as it was, so the next real
        # run sees the same changes
        report.outcome = "simulated"
        report.notes.append("pywikibot's simulate is set (user-config.py): no edit was saved, "
                            "the state is kept as it was")
        return
    # Refusals and the stop page wait for a person, whose edit will show up as a new
    # revision; skipped pages (conflicts, rate limits, protection) make the next run a full
    # one ("retry"), whatever else it finds.
    seen = _seen(check, p.records, result, also_seen, report)
    outcome = statuspage.outcome_record(report)
    saved = False
    if config.bot.status_page and not report.stopped:
        # not when the stop page said stop: a stopped run saves nothing, its status page neither
        # (the page shows the stop live); else the stop page read with it, right before the save
        facts = statuspage.facts_of(report, how.now, how.job.operator, how.job.run_every,
                                    how.job.stop_page or config.bot.stop_page, p.event, config.root or None)
        saved = statuspage.update_status_page(config, source, report, facts)
    purge_after(config, source, result, saved, report)
    retry = sorted({item["title"] for item in report.skipped if not item.get("lasting")})
    lasting = sorted({item["title"] for item in report.skipped if item.get("lasting")})
    # pages a person deleted or moved away stay refused until they exist again
    gone = {**removed, **p.removed}
    new_state = RunState(
        revisions=seen, outcome=outcome, retry=retry or None,
        # tried again a day later anyway: an unblock leaves no trace on the pages
        retry_later={"titles": lasting, "at": how.now} if lasting else None,
        removed={t: why for t, why in gone.items() if t in titles and not p.records.get(t, changes.MISSING).exists})
    how.store.save(key, changes.with_watch(
        new_state, changes.common_state(source, state, titles, how.now, check, report.notes)))


#: the code a refusal of lost sessions names for accepting it (plan/lost.py's accept_hint)
_ACCEPT_CODE = re.compile(r"\baccept(?:=| = \")([0-9a-f]{4,40})\b")
#: the note of a run that tells the last run's refusals again
STANDING = ("refused at the last run and nothing changed since: refused again, until a person edits "
            "the pages refused or the pages they are made from (or accepts the loss)")


def refused_again(state: RunState, report: RunReport) -> bool:
    """A run that finds nothing changed after a run that refused pages: the same refusals, told
    again (outcome refused, exit 4), never "nothing-changed" with exit 0 while they stand. The
    pages are not read and the status page, which says it already, is not edited."""
    last = state.outcome or {}
    refused = last.get("refused") or []
    if last.get("outcome") != "refused" or not refused:
        return False
    report.refused = [{"title": str(r.get("title", "")), "reason": str(r.get("reason", ""))} for r in refused]
    report.outcome, report.exit = "refused", EXIT_REFUSED
    report.notes.append(STANDING)
    return True


def accepted_since(state: RunState, config: EventConfig | None) -> bool:
    """Whether the config now accepts the loss the last run refused (a local config's `accept`
    edited: no page changed, but the event must be served)."""
    if config is None or not config.accept:
        return False
    refused = (state.outcome or {}).get("refused") or []
    codes = {m.group(1) for r in refused for m in _ACCEPT_CODE.finditer(str(r.get("reason", "")))}
    return bool(codes & set(config.accept))


def purge_after(config: EventConfig, source: Source, result: ApplyResult, status_saved: bool,
                report: RunReport) -> None:
    """Render afresh the pages that show pages this run created: the event's targets (the navbox
    and the overview show each other), the pages it reads (the Day pages show the navbox) and
    the root (its box links the targets and shows the status page), so that no page shows a red
    link or a stale box after a run, without waiting for the wiki's job queue."""
    created = any(o.action == "created" for o in result.outcomes)
    # the targets show each other, and the Day pages show the navbox
    titles = [*(t for _, t in config.targets.items()), *config.source_pages] if created else []
    if (created or status_saved) and config.root:
        titles.append(config.root)
    if not titles:
        return
    try:
        source.purge(titles)
    except WmError as exc:
        report.notes.append(f"pages not purged (they show the new pages after their next edit): {exc}")


def _seen(check: changes.Check, records: Mapping[str, PageRecord], result: ApplyResult,
          also_seen: dict[str, int | str | None] | None, report: RunReport) -> dict[str, Any]:
    """The revision of every page as this run leaves it: what the next change check compares with."""
    seen = changes.jsonable(check.latest if check.latest is not None else {t: r.revision for t, r in records.items()})
    # pages read again before a save: what the later plans were made from
    seen.update(changes.jsonable({t: r.revision for t, r in result.reread.items()}))
    for t, r in changes.jsonable(also_seen or {}).items():
        seen.setdefault(t, r)
    for o in result.outcomes:
        if o.action not in ("created", "updated"):
            continue
        if o.merged or o.stale:
            # saved merged with a newer revision the plan did not see, or from pages that
            # changed later in the run: keep the revision read, so that the next run reads it again
            why = ("the wiki merged the bot's edit with a newer revision" if o.merged
                   else "saved before a page it derives from changed")
            report.notes.append(f"{o.title}: {why}; the next run reads it again")
        else:
            seen[o.title] = o.revision
    return seen


def _bar(done: int, total: int, title: str, width: int = 20) -> str:
    filled = width * done // max(total, 1)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} saving {title}"
