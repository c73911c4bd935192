"""An event of the job that could not be served: reported, counted (paused at the `PAUSE_AFTER`th
failure in a row), shown on its status page, and its state kept to try again next run.

A pause records its cause and what lifts it (the job value ``event <key>``): `PAGES` (reading
or parsing the event's pages failed: a page timed out, a Day page is missing, the wiki failed)
lifts at the first new revision of any of the pages it reads, as recorded with the pause (a
revert is one), or at an edit to its config; `CONFIG` (the config itself has problems) lifts
only at an edit to its config. A lifted pause gives the event one try: failing again pauses it
again at once (its failures are counted from 0 only by a success)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wmstrategybot.config.job import JobConfig
from wmstrategybot.config.wiki import NOT_CALLED, status_page_for
from wmstrategybot.errors import WmError
from wmstrategybot.exits import EXIT_ERROR
from wmstrategybot.job import changes, statuspage
from wmstrategybot.job.context import Serving
from wmstrategybot.job.discovery import USER_SPACE_STRANGER, JobEvent
from wmstrategybot.job.report import RunReport
from wmstrategybot.job.state import RunState
from wmstrategybot.job.store import EVENT_VALUE, PAUSE_AFTER, EventRecord
from wmstrategybot.model.titles import namespace_of, target_problem
from wmstrategybot.plan.guards import stop_page_allows
from wmstrategybot.privacy import redact
from wmstrategybot.sources.base import Source


#: the causes of a pause: the event's pages (lifted by a new revision of them, or a config edit),
#: its config (lifted by a config edit only)
PAGES, CONFIG = "pages", "config"
#: the pages a status page names as lifting a pause, at most
_NAMED = 10


def fail(how: Serving, job: JobConfig, e: JobEvent, state: RunState, titles: list[str], check: changes.Check,
         section: RunReport, reason: str, cause: str = PAGES) -> None:
    """A failed run of the event: reported, counted (paused at the `PAUSE_AFTER`th in a row, or at
    once after a pause was lifted), shown on its status page, its state saved to try again next
    run (unless now paused: then with the cause and the revisions of the pages that lift it).
    The reason redacted: an error's message may quote a request (a password, a token), and the
    status page is public. A stop page saying stop is told in `section.stopped` (its status
    page not saved)."""
    reason = redact(reason)
    section.outcome, section.exit, section.error = "error", EXIT_ERROR, reason
    if how.options.dry_run:
        return
    store, source, problems = how.store, how.source, e.problems
    before = store.event(e.key)
    # paused by this failure (recorded below, with the state, in one transaction)
    paused = before is not None and before.paused is None and before.failures + 1 >= PAUSE_AFTER
    again = paused and before is not None and before.failures >= PAUSE_AFTER  # a lifted pause, failing again
    where = e.root if e.root is not None else str(e.path)
    stopped = None
    pages: dict[str, Any] = {}
    if paused:
        if cause == PAGES:
            pages = _revisions_now(source, _pause_pages(e), check, section)
        stopped = pause_says(e, reason, {"paused_cause": cause, "paused_pages": pages}, again)
        section.notes.append(stopped)
    status = _status_page(e)
    if status:
        served = "its pages could not be read" if cause == PAGES else "the event was not served"
        refused = ([{"title": where, "reason": f"its config is not acted on: {p}"} for p in problems]
                   or [{"title": where, "reason": f"{served}: {reason}"}])
        halted = _write_status(source, status, job, refused, stopped, section, how.now, e.root)
        if halted:
            section.stopped = halted
            section.notes.append(f"its status page was not updated: {halted}")
    with store.transaction():
        store.record_failure(e.key, e.origin, reason, how.now)
        # tried again next run (the change check would not see this change again), unless paused
        retry = None if paused else [titles[0]] if titles else None
        seen = dict(state.revisions or {})
        if e.root is not None:
            seen[e.root] = e.root_revision  # its config as read: a person's next edit is a change
        if paused and check.latest is not None:
            seen.update(check.latest)  # the pages as they are now: only a new edit wakes it up
        seen.update(pages)  # the revisions the pause was recorded with: the change check starts there
        seen = {t: r for t, r in seen.items() if t in titles}
        store.save(e.key, changes.with_watch(replace(state, retry=retry, revisions=changes.jsonable(seen) or None),
                                             changes.common_state(source, state, titles, how.now, check, section.notes)))
        value: dict[str, object] = {"titles": titles}
        if paused:
            value.update(paused_at=e.fingerprint, paused_cause=cause, paused_pages=changes.jsonable(pages),
                         paused_again=again)
        store.job_set(EVENT_VALUE.format(e.key), value)


def _pause_pages(e: JobEvent) -> list[str]:
    """The pages whose new revision lifts a pause their reading caused: those the event reads
    (its Day pages, summary and signup page), its config's page aside (an edit there lifts any
    pause)."""
    if e.config is None:
        return []
    return [t for t in e.config.source_pages if t != e.root]


def _revisions_now(source: Source, titles: list[str], check: changes.Check, section: RunReport) -> dict[str, Any]:
    """The revision of each page as the pause finds it: the change check's where it read them,
    else asked (one request); None for a page that does not exist."""
    latest = check.latest or {}
    if all(t in latest for t in titles):
        return {t: latest[t] for t in titles}
    try:
        return changes.jsonable(source.revisions(titles)) if titles else {}
    except WmError as exc:  # then any revision the next check sees lifts it: one try more at worst
        section.notes.append(f"the revisions of its pages could not be read for the pause: {exc}")
        return {t: latest.get(t) for t in titles}


def pause_says(e: JobEvent, reason: str, paused: dict[str, Any], again: bool = False) -> str:
    """What paused the event and exactly what lifts it, in plain words (its status page and the
    report of every run while it is paused)."""
    how = ("failed again after its pause was lifted" if again
           else f"failed {PAUSE_AFTER} runs in a row")
    config = (f"an edit to its config on {e.root} (the parameters of the Event track bot template)" if e.root is not None
              else f"an edit to its config file {e.path}")
    if paused.get("paused_cause") == CONFIG:
        return (f"paused: it {how} because of its config (the last: {reason}). The bot does not serve this "
                f"event until {config}; edits to its other pages do not lift the pause. The next run after "
                "that edit serves it again")
    titles = list(paused.get("paused_pages") or {})
    named = ", ".join(titles[:_NAMED]) + (f" and {len(titles) - _NAMED} more" if len(titles) > _NAMED else "")
    pages = f"a new revision of any of the pages it reads ({named})" if titles else "a new revision of its pages"
    return (f"paused: it {how} reading its pages (the last: {reason}). The pause lifts by itself at "
            f"{pages}: reverting the edit that broke them is enough; {config} lifts it too. The next run after "
            "such an edit serves it again; if it fails again, it is paused again at once")


def pause_lifted(source: Source, e: JobEvent, record: EventRecord, known: dict[str, Any],
                 check: changes.Check) -> str | None:
    """Why a paused event that the change check found changed is served again (its config edited,
    a page its pause names has a new revision), or None: it stays paused. A pause recorded by an
    earlier version (no cause) lifts at any change."""
    if e.fingerprint is None or e.fingerprint != known.get("paused_at"):
        return "its config was edited since it was paused"
    cause = known.get("paused_cause")
    if cause is None:
        return "its pages changed since it was paused"
    pages = known.get("paused_pages")
    if cause != PAGES or not isinstance(pages, dict) or not pages:
        return None
    latest = check.latest if check.latest is not None and all(t in check.latest for t in pages) else None
    if latest is None:
        try:
            latest = changes.jsonable(source.revisions(list(pages)))
        except WmError:
            return None  # tried again at the next change
    edited = [t for t, r in pages.items() if latest.get(t) != r]
    return f"{edited[0]} has a new revision since it was paused" if edited else None


def _status_page(e: JobEvent) -> str | None:
    """Where the event's failure is shown, or None where the bot may write nothing for it."""
    status = status_page_for(e.root) if e.root is not None else (e.config.bot.status_page if e.config else None)
    if status and e.root is not None and target_problem(status, namespace_of(e.root), user_page=True, subpages_of=e.root):
        return None  # a root where the bot may not write at all (a talk page): the report says it
    if any(p.startswith(USER_SPACE_STRANGER) for p in e.problems):
        return None  # another user's space: nothing is written there, not even why
    if e.root is not None and (e.root_revision is None or NOT_CALLED in e.problems):
        # the root deleted or moved since discovery, or not calling the template itself (a template
        # it uses calls it: thousands of pages may): nothing is created below it
        return None
    return status


def _write_status(source: Source, title: str, job: JobConfig, refused: list[dict[str, str]], stopped: str | None,
                  section: RunReport, now: float, root: str | None) -> str | None:
    """The event's status page says why it was not served (saved only when it says otherwise,
    and not while the job's stop page says stop: then why, read with the page, right before
    the save)."""
    wanted = [title, *([job.stop_page] if job.stop_page else [])]
    try:
        records = source.read(wanted)
        if job.stop_page and not stop_page_allows(records[job.stop_page].text):
            state = "does not exist" if not records[job.stop_page].exists else "does not say 'run'"
            return f"stop page [[{job.stop_page}]] {state}: no edit is made"
        current = records[title]
        facts = statuspage.StatusFacts("error", now, refused, stopped=stopped, operator=job.operator,
                                       run_every=job.run_every, stop_page=job.stop_page, root=root)
        edit = statuspage.status_edit(title, current, facts)
        if edit.changed and edit.new_text is not None and \
                statuspage.status_says(current.text) != statuspage.status_says(edit.new_text):
            source.save(edit.page, edit.new_text, "wmstrategybot: the event is not served, see why")
            if root:
                source.purge([root])  # its box shows this page
    except WmError as exc:
        section.warnings.append(f"status page {title} not updated: {exc}")
    return None
