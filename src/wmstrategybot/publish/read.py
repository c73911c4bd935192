"""The reads of a plan: the event's pages in one batch, extraction in a forked worker under a
time bound, the skeletons on disk and the wiki's log of removed pages. What to write given
all that is pure (plan/); `apply` saves it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping
from functools import partial
from typing import Any

from wmstrategybot.errors import SourceError
from wmstrategybot.extract.event import extract_event, with_signups
from wmstrategybot.model.event import Event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import EventConfig
from wmstrategybot.options import Options
from wmstrategybot.plan.guards import bot_names
from wmstrategybot.plan.plan import (
    Plan,
    Reading,
    creations,
    draft_plan,
    refuse_recreation,
)
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.render.kinds import event_titles
from wmstrategybot.sources.base import Source


def read_pages(config: EventConfig, source: Source) -> dict[str, PageRecord]:
    """Read the source and target pages (and the stop page) in one batch; every day page must exist."""
    records = source.read(event_titles(config))
    for title in config.day_pages:
        if not records[title].exists:
            raise SourceError(f"day page not found in {source.describe()}: {title}")
    return records


def read_event(config: EventConfig, source: Source) -> tuple[Event, dict[str, PageRecord]]:
    """Read the source and target pages (and the stop page) in one batch and extract the event."""
    records = read_pages(config, source)
    return extract_bounded(config, records), records


def extract_bounded(config: EventConfig, texts: Mapping[str, PageRecord]) -> Event:
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


def plan(
    config: EventConfig,
    source: Source,
    options: Options = Options(),
    *,
    skeletons: Mapping[str, str] | None = None,
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
    return plan_from(config, read_pages(config, source), source, options, skeletons=skeletons, seen=seen,
                     removed=removed)


def plan_from(
    config: EventConfig,
    records: Mapping[str, PageRecord],
    source: Source,
    options: Options = Options(),
    *,
    skeletons: Mapping[str, str] | None = None,
    seen: Mapping[str, Any] | None = None,
    removed: Mapping[str, str] | None = None,
) -> Plan:
    """`plan` from the pages as read already: what `apply` plans again from after a page changed
    while it saved (the plan's `replan`)."""
    skeletons = skeletons or load_skeletons()
    draft = _draft(config, records, source, options, skeletons)
    known = removed or {}
    creating = creations(draft, known)  # the wiki's log says whether a person took them away
    done = refuse_recreation(draft, seen or {}, {**known, **(source.removals(creating) if creating else {})})
    done.replan = partial(_replan, config, source, options, skeletons, done.removed)
    return done


def _draft(config: EventConfig, records: Mapping[str, PageRecord], source: Source, options: Options,
           skeletons: Mapping[str, str]) -> Plan:
    # extraction bounded in time (a forked worker): looked up here, where tests count its calls
    reading = Reading(extract_bounded, with_signups)
    return draft_plan(config, records, skeletons, reading, bot_names(source.user), allow_shrink=options.allow_shrink)


def _replan(config: EventConfig, source: Source, options: Options, skeletons: Mapping[str, str],
            removed: Mapping[str, str], records: Mapping[str, PageRecord]) -> Plan:
    """The plan again from the pages as last read, the pages found taken away still refused."""
    again = refuse_recreation(_draft(config, records, source, options, skeletons), {}, removed)
    again.replan = partial(_replan, config, source, options, skeletons, removed)
    return again
