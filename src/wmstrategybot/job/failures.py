"""An event of the job that could not be served: reported, counted (paused at the `PAUSE_AFTER`th
failure in a row), shown on its status page, and its state kept to try again next run."""

from __future__ import annotations

from dataclasses import replace

from wmstrategybot.config.job import JobConfig
from wmstrategybot.config.wiki import NOT_CALLED, status_page_for
from wmstrategybot.errors import WmError
from wmstrategybot.exits import EXIT_ERROR
from wmstrategybot.job import changes, statuspage
from wmstrategybot.job.context import Serving
from wmstrategybot.job.discovery import JobEvent
from wmstrategybot.job.report import RunReport
from wmstrategybot.job.state import RunState
from wmstrategybot.job.store import EVENT_VALUE, PAUSE_AFTER
from wmstrategybot.model.titles import namespace_of, target_problem
from wmstrategybot.plan.guards import stop_page_allows
from wmstrategybot.privacy import redact
from wmstrategybot.sources.base import Source


def fail(how: Serving, job: JobConfig, e: JobEvent, state: RunState, titles: list[str], check: changes.Check,
         section: RunReport, reason: str) -> None:
    """A failed run of the event: reported, counted (paused at the `PAUSE_AFTER`th in a row),
    shown on its status page, its state saved to try again next run (unless now paused). The
    reason redacted: an error's message may quote a request (a password, a token), and the
    status page is public."""
    reason = redact(reason)
    section.outcome, section.exit, section.error = "error", EXIT_ERROR, reason
    if how.options.dry_run:
        return
    store, source, problems = how.store, how.source, e.problems
    before = store.event(e.key)
    # paused by this failure (recorded below, with the state, in one transaction)
    paused = before is not None and before.paused is None and before.failures + 1 >= PAUSE_AFTER
    where = e.root if e.root is not None else str(e.path)
    stopped = None
    if paused:
        section.notes.append(f"paused after {PAUSE_AFTER} failed runs in a row: edit its config to resume")
        stopped = (f"paused after {PAUSE_AFTER} failed runs in a row (the last: {reason}). The bot does not "
                   f"serve this event until its config is edited: to resume, edit the config on {where} "
                   "(the parameters of the Event track bot template, or the TOML file); the next run serves it again")
    status = _status_page(e)
    if status:
        refused = ([{"title": where, "reason": f"its config is not acted on: {p}"} for p in problems]
                   or [{"title": where, "reason": f"the event was not served: {reason}"}])
        _write_status(source, status, job, refused, stopped, section, how.now, e.root)
    with store.transaction():
        store.record_failure(e.key, e.origin, reason, how.now)
        # tried again next run (the change check would not see this change again), unless paused
        retry = None if paused else [titles[0]] if titles else None
        seen = dict(state.revisions or {})
        if e.root is not None:
            seen[e.root] = e.root_revision  # its config as read: a person's next edit is a change
        if paused and check.latest is not None:
            seen.update(check.latest)  # the pages as they are now: only a new edit wakes it up
        seen = {t: r for t, r in seen.items() if t in titles}
        store.save(e.key, changes.with_watch(replace(state, retry=retry, revisions=changes.jsonable(seen) or None),
                                             changes.common_state(source, state, titles, how.now, check, section.notes)))
        value: dict[str, object] = {"titles": titles}
        if paused:
            value["paused_at"] = e.fingerprint
        store.job_set(EVENT_VALUE.format(e.key), value)


def _status_page(e: JobEvent) -> str | None:
    """Where the event's failure is shown, or None where the bot may write nothing for it."""
    status = status_page_for(e.root) if e.root is not None else (e.config.bot.status_page if e.config else None)
    if status and e.root is not None and target_problem(status, namespace_of(e.root), user_page=True, subpages_of=e.root):
        return None  # a root where the bot may not write at all (a talk page): the report says it
    if e.root is not None and (e.root_revision is None or NOT_CALLED in e.problems):
        # the root deleted or moved since discovery, or not calling the template itself (a template
        # it uses calls it: thousands of pages may): nothing is created below it
        return None
    return status


def _write_status(source: Source, title: str, job: JobConfig, refused: list[dict[str, str]], stopped: str | None,
                  section: RunReport, now: float, root: str | None) -> None:
    """The event's status page says why it was not served (saved only when it says otherwise,
    and not while the job's stop page says stop)."""
    wanted = [title, *([job.stop_page] if job.stop_page else [])]
    try:
        records = source.read(wanted)
        if job.stop_page and not stop_page_allows(records[job.stop_page].text):
            return
        current = records[title]
        facts = statuspage.StatusFacts("error", now, refused, stopped=stopped, operator=job.operator,
                                       run_every=job.run_every, stop_page=job.stop_page)
        edit = statuspage.status_edit(title, current, facts)
        if edit.changed and edit.new_text is not None and \
                statuspage.status_says(current.text) != statuspage.status_says(edit.new_text):
            source.save(edit.page, edit.new_text, "wmstrategybot: the event is not served, see why")
            if root:
                source.purge([root])  # its box shows this page
    except WmError as exc:
        section.warnings.append(f"status page {title} not updated: {exc}")
