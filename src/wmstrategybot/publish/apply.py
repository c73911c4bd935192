"""Applying a plan: each changed page saved right after one read of it and of the stop page,
against the revision the plan read; planned again (the plan's `replan`) from what was read
when it changed. A second conflict, a deleted page or a page the wiki refuses is skipped and
reported; a stop page set meanwhile stops the saves.
"""

from __future__ import annotations

from collections.abc import Callable

from wmstrategybot.errors import (
    EditConflict,
    LoginFailed,
    PageDeleted,
    SkippedPage,
    SlowDown,
    SourceError,
)
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.plan.compose import PlannedEdit
from wmstrategybot.plan.guards import same_text
from wmstrategybot.plan.plan import Plan, stop_reason
from wmstrategybot.publish.outcome import ApplyResult, Outcome
from wmstrategybot.sources.base import Source


def apply(plan_: Plan, source: Source, config: EventConfig, on_save: Callable[[int, int, str], None] | None = None) -> ApplyResult:
    """Save the changed pages of a plan, each right after one read of it and the stop page.

    That read sees a stop page set or an opt-out added while the run saves (Meta's throttle
    makes a run save for tens of seconds), and a page changed since the plan read it: the
    event is then planned again from what was read (extract, render, merge), as after an edit
    conflict, so that no page is saved from text older than the page. A conflict is tried
    once more, then skipped. `on_save(done, total, title)` is called before each save.
    """
    result = ApplyResult(stopped=plan_.stopped)
    if plan_.stopped:
        return result
    saving = _Saving(plan_, source, config, result)
    slow_down: str | None = None
    for title in [e.title for e in plan_.edits]:
        edit = saving.edits[title]
        if not edit.changed:
            result.outcomes.append(Outcome(edit.title, edit.action, edit.reason))
        elif result.stopped:
            continue  # the stop page was set while the run was saving: no further save
        elif slow_down:
            result.outcomes.append(Outcome(edit.title, "skipped", f"not tried: {slow_down}"))
        else:
            if on_save:
                on_save(sum(1 for o in result.outcomes if o.action not in ("unchanged", "refused")), len(plan_.changed), edit.title)
            outcome = saving.save(edit)
            if outcome is None:
                continue
            if outcome.action == "slowdown":
                slow_down = outcome.reason
                outcome.action = "skipped"
            result.outcomes.append(outcome)
    return result


class _Saving:
    """What apply() keeps between saves: the edits as last planned, the pages as last read."""

    def __init__(self, plan_: Plan, source: Source, config: EventConfig, result: ApplyResult):
        self.plan, self.source, self.config, self.result = plan_, source, config, result
        self.edits = {e.title: e for e in plan_.edits}
        self.records = dict(plan_.records)
        self.edit_summary = plan_.edit_summary
        self.saved: dict[str, tuple[str, Outcome]] = {}  # title -> (text saved, its outcome)

    def save(self, edit: PlannedEdit) -> Outcome | None:
        """Read the page and the stop page, plan again if the page changed, save; None if stopped."""
        stop = self.config.bot.stop_page
        title = edit.title
        for attempt in range(2):
            try:
                live = self.source.read([title, *([stop] if stop else [])])
            except SlowDown as exc:
                return Outcome(title, "slowdown", str(exc))
            except SourceError as exc:
                return Outcome(title, "skipped", str(exc))
            self.result.reread.update(live)
            self.records.update(live)
            stopped = stop_reason(self.config, live, "no further edit is made")
            if stopped:
                self.result.stopped = stopped
                return None
            now = live[title]
            if (now.revision, now.text) != (edit.page.revision, edit.page.text):
                if edit.page.exists and not now.exists:
                    return Outcome(title, "skipped", f"{title}: deleted since it was read; not recreated")
                try:
                    edit = self.replan(title)
                except SourceError as exc:
                    return Outcome(title, "skipped", str(exc))
                if edit.action == "refused":
                    return Outcome(title, "refused", edit.reason)
                if not edit.changed:
                    return Outcome(title, "unchanged", "after re-reading")
            assert edit.new_text is not None
            try:
                result = self.source.save(edit.page, edit.new_text, self.edit_summary, edit.rendered.content_model)
            except PageDeleted as exc:
                return Outcome(title, "skipped", str(exc))
            except SlowDown as exc:
                return Outcome(title, "slowdown", str(exc))
            except EditConflict as exc:
                if attempt:
                    return Outcome(title, "skipped", f"{exc}; edit conflict again, not retried")
                continue  # read it again, and plan again from what was read
            except LoginFailed:
                raise  # no page can be saved: an error for the whole run, not a skip
            except SourceError as exc:
                return Outcome(title, "skipped", str(exc), lasting=isinstance(exc, SkippedPage) and exc.lasting)
            if result.simulated:
                return Outcome(title, "simulated", "pywikibot's simulate is set; nothing saved", edit.page.revision)
            if not result.changed:
                return Outcome(title, "unchanged", "the wiki found nothing to change", result.revision)
            outcome = Outcome(title, "created" if result.created else "updated", "", result.revision, merged=result.merged)
            self.saved[title] = (edit.new_text, outcome)
            return outcome
        raise AssertionError("unreachable")

    def replan(self, title: str) -> PlannedEdit:
        """The edit of `title` planned again from the pages as last read; the later edits too.

        The whole event is extracted again (the page may be a source, as the signup page is
        of the data page). A page saved earlier in the run that the new plan would write
        differently is marked stale: the run does not record it as seen, so the next run
        reads it again.
        """
        if self.plan.replan is None:
            raise SourceError(f"{title}: changed since it was read, and this plan cannot be made again; not saved")
        again = self.plan.replan(self.records)
        self.edit_summary = again.edit_summary
        self.edits.update((e.title, e) for e in again.edits)
        for done, (text, outcome) in self.saved.items():
            e = self.edits[done]
            if e.new_text is None or not same_text(e.new_text, text, e.rendered.content_model):
                outcome.stale = True
        return self.edits[title]
