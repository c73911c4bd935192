"""The pure parts of the run's change check: which watchlist entries count, when the watchlist
may be trusted, and how the state records the bot's watchlist (a fake source; the live tests in
test_live_run.py prove it on the real wiki)."""

from __future__ import annotations

import json
import time

from helpers import stored_state

from wmstrategybot.job import changes
from wmstrategybot.job.changes import WATCH_MAX_AGE, WATCH_RETRY
from wmstrategybot.job.changes import title_key as _key
from wmstrategybot.job.changes import titles_digest as _digest
from wmstrategybot.job.changes import watch_since as _since
from wmstrategybot.job.report import RunReport
from wmstrategybot.job.state import RunState
from wmstrategybot.options import Options
from wmstrategybot.sources import Change, Source, WatchlistUnavailable

TITLES = ["Event/Day 1", "Event/Day 2", "Template:Event navigation", "User:Bot/stop"]

# The state is a RunState; these tests write it, and read what the functions record, as the
# JSON object of the state file.
def _news(entries, titles, state, user):
    return changes.new_entries(entries, titles, RunState.from_json(state), user)


def _watch_state(source, state, *args):
    return changes.watch_state(source, RunState.from_json(state), *args).to_json()


def _watchlist_usable(source, state, *args):
    return changes.watchlist_usable(source, RunState.from_json(state), *args)


def _common_state(source, state, *args):
    return changes.common_state(source, RunState.from_json(state), *args).to_json()


def _check(source, state, *args, **kwargs):
    return changes.check(source, RunState.from_json(state), *args, **kwargs)


STATE = {"revisions": {"Event/Day 1": 10, "Event/Day 2": 12, "Template:Event navigation": 15, "User:Bot/stop": None},
         "logs_seen": {"40": "2026-11-25T10:00:00Z"}}


def test_keys_compare_titles_as_the_wiki_does():
    assert _key("template:Event_navigation") == _key("Template:Event navigation")
    assert _key("event/Day_1") == _key("Event/Day 1")
    assert _key("Event/Day 1") != _key("Event/Day 2")
    assert _digest(["B", "A"]) == _digest(["a", "b"]) != _digest(["A"])


def test_since_goes_back_a_margin_before_the_last_check():
    assert _since("2026-11-25T10:00:00Z") == "2026-11-25T09:45:00Z"
    assert _since("2026-01-01T00:05:00Z") == "2025-12-31T23:50:00Z"


def test_only_unseen_revisions_and_log_entries_of_our_pages_count():
    entries = [
        Change("Event/Day 1", "edit", revision=10),  # the revision the last run saw
        Change("Event/Day 1", "edit", revision=9),  # older
        Change("Event/Day 2", "edit", revision=13),  # newer: a change
        Change("Another page", "edit", revision=99),  # not ours
        Change("User:Bot/stop", "new", revision=20),  # created since
        Change("Template:Event navigation", "log", log=40, log_type="delete"),  # seen
        Change("Template:Event_navigation", "log", log=41, log_type="delete", user="Admin"),  # new
        Change("Template:Event navigation", "log", log=42, log_type="contentmodel", user="Bot"),  # the bot's own
    ]
    news = _news(entries, TITLES, STATE, "Bot")
    assert [(n["title"], n.get("revision") or n.get("log")) for n in news] == [
        ("Event/Day 2", 13), ("User:Bot/stop", 20), ("Template:Event navigation", 41)]
    # the same content-model entry by someone else is a change
    assert _news([Change("Event/Day 1", "log", log=50, log_type="contentmodel", user="Alice")], TITLES, STATE, "Bot")


def test_a_log_entry_listed_late_counts_though_a_newer_one_was_seen():
    """Recent changes get log entries after the request that made them: id 39 may show up after 40."""
    late = [Change("Event/Day 2", "log", log=39, log_type="delete", user="Admin")]
    assert [n["log"] for n in _news(late, TITLES, STATE, "Bot")] == [39]


def test_a_page_moved_onto_one_of_ours_counts():
    moved = [Change("Elsewhere", "log", log=60, log_type="move", user="Admin", target="Template:Event navigation")]
    assert [n["title"] for n in _news(moved, TITLES, STATE, "Bot")] == ["Template:Event navigation"]


def test_entries_match_the_wikis_spelling_of_a_title():
    """The API answers with canonical titles (Project: as the site's name, Image: as File:...): a
    name the bot's own table of namespaces does not know matches through the wiki's spelling."""
    titles = ["Project:Event/Day 1"]
    state = {"revisions": {"Project:Event/Day 1": 5}, "canonical": {"Project:Event/Day 1": "Wikimedia:Event/Day 1"}}
    news = _news([Change("Wikimedia:Event/Day 1", "edit", revision=6)], titles, state, "Bot")
    assert [n["title"] for n in news] == ["Project:Event/Day 1"]
    assert _news([Change("Wikimedia:Event/Day 1", "edit", revision=6)], titles, {**state, "canonical": {}}, "Bot") == []
    # a name it knows (the test wiki's project name) matches without it
    news = _news([Change("TestWiki:Event/Day 1", "edit", revision=6)], titles, {**state, "canonical": {}}, "Bot")
    assert [n["title"] for n in news] == ["Project:Event/Day 1"]


def test_the_watchlist_is_trusted_only_when_fresh_and_complete():
    class Site(Source):
        watchlist = True

    now = time.time()
    good = {**STATE, "checked_at": "2026-11-25T10:00:00Z", "checked": now - 3600, "verified": now - 3600,
            "watching": _digest(TITLES)}
    assert _watchlist_usable(Site(), good, TITLES, now)
    assert not _watchlist_usable(Source(), good, TITLES, now)  # a source without a watchlist
    assert not _watchlist_usable(Site(), good, [*TITLES, "Event/Day 3"], now)  # a title added
    assert not _watchlist_usable(Site(), {**good, "checked": now - WATCH_MAX_AGE - 1}, TITLES, now)
    assert not _watchlist_usable(Site(), {**good, "verified": now - WATCH_MAX_AGE - 1}, TITLES, now)
    assert not _watchlist_usable(Site(), {**good, "checked": now + 3600}, TITLES, now)  # a clock gone back
    assert not _watchlist_usable(Site(), {**good, "checked_at": "yesterday"}, TITLES, now)
    assert not _watchlist_usable(Site(), {k: v for k, v in good.items() if k != "watching"}, TITLES, now)


class FakeSite(Source):
    """Pure-code stand-in: which titles read as watched, and what `watch` does."""

    watchlist = True

    def __init__(self, watched, refuse=None, drop=()):
        self.begin().watched.update(watched)
        self.refuse = refuse
        self.drop = set(drop)
        self.calls = []

    def watch(self, titles):
        self.calls.append(list(titles))
        if self.refuse:
            raise WatchlistUnavailable(self.refuse)
        return {t for t in titles if t not in self.drop}


def test_watch_state_watches_only_what_is_missing_and_records_it():
    now = time.time()
    report = []
    site = FakeSite({t: t != "Event/Day 2" for t in TITLES})
    assert _watch_state(site, {}, TITLES, now, report) == {"watching": _digest(TITLES), "verified": now}
    assert site.calls == [["Event/Day 2"]] and report == []
    all_watched = FakeSite(dict.fromkeys(TITLES, True))
    assert _watch_state(all_watched, {}, TITLES, now, report)["verified"] == now and all_watched.calls == []
    kept = {"watching": "x", "verified": 1.0}
    assert _watch_state(FakeSite({}), kept, TITLES, now, report) == kept  # nothing read: nothing learnt


def test_a_refused_watch_is_noted_and_retried_a_day_later():
    now = time.time()
    report = []
    site = FakeSite(dict.fromkeys(TITLES, False), refuse="the bot cannot watch pages: permissiondenied")
    failed = _watch_state(site, {}, TITLES, now, report)
    assert failed["watch_failed"]["digest"] == _digest(TITLES) and "watching" not in failed
    assert len(report) == 1 and "permissiondenied" in report[0] and "revision check" in report[0]
    report.clear()
    assert _watch_state(site, failed, TITLES, now + 60, report) == failed and len(site.calls) == 1
    _watch_state(site, failed, TITLES, now + WATCH_RETRY + 1, report)
    assert len(site.calls) == 2 and report
    partial = FakeSite(dict.fromkeys(TITLES, False), drop={"User:Bot/stop"})
    report.clear()
    out = _watch_state(partial, {}, TITLES, now, report)
    assert "watch_failed" in out and "'User:Bot/stop'" in report[0]


def test_the_state_keeps_log_ids_only_as_long_as_the_watchlist_may_list_them_again():
    from wmstrategybot.job.changes import Check as _Check

    class Clock(Source):
        def __init__(self):
            self.begin().server_time = "2026-11-25T12:00:00Z"

    state = {"logs_seen": {"1": "2026-11-25T10:00:00Z", "2": "2026-11-25T11:50:00Z"}}
    out = _common_state(Clock(), state, TITLES, time.time(), _Check(False, log_ids={"3": "2026-11-25T11:59:00Z"}),
                        [])
    assert out["logs_seen"] == {"2": "2026-11-25T11:50:00Z", "3": "2026-11-25T11:59:00Z"}  # 11:45 is the horizon
    assert out["checked_at"] == "2026-11-25T12:00:00Z"


def test_a_removed_target_stays_refused_on_every_later_run(tmp_path):
    """The dir: source has no deletion log: only the state remembers that a page was taken away."""
    from helpers import DATA, NAVBOX, copy_snapshot, page_file

    from wmstrategybot.config.files import load_config
    from wmstrategybot.exits import EXIT_REFUSED
    from wmstrategybot.job.run import run
    from wmstrategybot.sources import DirSource

    root = copy_snapshot(tmp_path / "wiki")
    config = load_config()
    state = tmp_path / "state.db"
    assert run(config, DirSource(root), state).outcome == "done"
    page_file(root, DATA).unlink()  # a person deletes the data page
    second = run(config, DirSource(root), state)
    assert second.exit == EXIT_REFUSED and [r["title"] for r in second.refused] == [DATA]
    assert "there at the last run" in second.refused[0]["reason"]
    day2 = page_file(root, config.day_pages[1])
    day2.write_text(day2.read_text() + "\n<!-- an edit -->\n")
    third = run(config, DirSource(root), state)
    assert third.exit == EXIT_REFUSED and [r["title"] for r in third.refused] == [DATA]
    assert not page_file(root, DATA).exists() and page_file(root, NAVBOX).exists()
    page_file(root, DATA).write_text("{}")  # a person brings it back (by hand: the bot leaves it alone)
    fourth = run(config, DirSource(root), state)
    assert "not recreated" not in " ".join(r["reason"] for r in fourth.refused)
    assert stored_state(state)["removed"] == {}


def test_a_lasting_skip_is_tried_again_after_a_day_and_a_passing_one_at_once():
    class Quiet(Source):
        """No watchlist; every page at the revision the state holds."""

        def revisions(self, titles):
            return {t: STATE["revisions"][t] for t in titles}

    def check(extra, clock):
        result = _check(Quiet(), {**STATE, **extra}, TITLES, clock, dry_run=False)
        return result.changed, result.how

    now = time.time()
    assert check({}, now) == (False, "revisions")
    assert check({"retry": ["Event/Day 1"]}, now) == (True, "retry")
    assert check({"retry_later": {"titles": ["Event/Day 1"], "at": now - 60}}, now) == (False, "revisions")
    assert check({"retry_later": {"titles": ["Event/Day 1"], "at": now - WATCH_RETRY - 1}}, now) == (True, "retry")


def test_the_status_outcome_ignores_what_changes_in_a_skip_message():
    from wmstrategybot.job.statuspage import outcome_record as _outcome

    def report(reason):
        r = RunReport("e", "s", outcome="skipped")
        r.skipped = [{"title": "Event/Day 1", "reason": reason}]
        return r

    first = _outcome(report("[a1b2c3] Exception caught: timeout"))
    assert first == _outcome(report("[d4e5f6] Exception caught: timeout"))
    r = report("x")
    kept = _outcome(r)
    r.warnings.append("status page not updated")
    assert kept["warnings"] == []  # a copy: what happens after does not leak into the stored outcome


def test_log_entries_from_well_before_the_last_read_were_in_it():
    from wmstrategybot.job.changes import Check as _Check

    class Clock(Source):
        def __init__(self):
            self.begin().server_time = "2026-11-25T12:00:00Z"

    out = _common_state(Clock(), {}, TITLES, time.time(), _Check(True), [])
    assert out["read_at"] == "2026-11-25T11:59:00Z"  # a replica may lag: a minute's slack
    state = {**STATE, "logs_seen": {}, "read_at": out["read_at"]}
    before = Change("Event/Day 1", "log", log=70, log_type="delete", timestamp="2026-11-25T11:58:59Z")
    close = Change("Event/Day 1", "log", log=71, log_type="delete", timestamp="2026-11-25T11:59:30Z")
    assert [n["log"] for n in _news([before, close], TITLES, state, "Bot")] == [71]
    # a watchlist no-op does not move it
    assert _common_state(Clock(), state, TITLES, time.time(), _Check(False), [])["read_at"] == \
        "2026-11-25T11:59:00Z"


def test_the_status_page_is_not_edited_for_its_date_or_a_skip_s_changing_message():
    from wmstrategybot.job.statuspage import StatusFacts, status_edit
    from wmstrategybot.job.statuspage import status_says as _status_says
    from wmstrategybot.sources import PageRecord

    def text(when, reason, outcome="skipped"):
        facts = StatusFacts(outcome, when, skipped=[{"title": "Event/Day 1", "reason": reason}])
        return status_edit("User:Bot/status", PageRecord("User:Bot/status", None), facts).new_text

    first = text(1_800_000_000.0, "[a1b2c3] timeout")
    assert _status_says(first) == _status_says(text(1_800_003_600.0, "[d4e5f6] timeout"))
    assert _status_says(first) != _status_says(text(1_800_000_000.0, "[a1b2c3] timeout", "refused"))
    assert _status_says(None) is None and _status_says("no region") is None


def test_the_report_counts_the_pages_it_parsed(tmp_path):
    """pages_parsed is what extraction was handed, not the number of pages in the config."""
    from helpers import copy_snapshot, page_file

    from wmstrategybot.config.files import load_config
    from wmstrategybot.job.run import run
    from wmstrategybot.sources import DirSource

    root = copy_snapshot(tmp_path / "wiki")
    config = load_config()
    assert config.summary_page
    full = run(config, DirSource(root), tmp_path / "a.db", Options(dry_run=True))
    page_file(root, config.summary_page).unlink()  # a summary page not there is not parsed
    fewer = run(config, DirSource(root), tmp_path / "b.db", Options(dry_run=True))
    assert len(config.source_pages) + 1 <= full.pages_parsed and 0 < fewer.pages_parsed < full.pages_parsed


def test_a_state_file_of_the_dict_format_loads_as_a_run_state_and_the_store_saves_back_the_same(tmp_path):
    import os

    from wmstrategybot.job.state import load_state
    from wmstrategybot.job.store import StateStore

    data = {"version": 1, "revisions": {"Event/Day 1": 10, "User:Bot/stop": None}, "outcome": {"outcome": "done"},
            "retry_later": {"titles": ["Event/Day 2"], "at": 5.0}, "removed": {}, "checked_at": None,
            "checked": 7.5, "logs_seen": {"40": "2026-11-25T10:00:00Z"},
            "watch_failed": {"digest": "d", "at": 3.0, "reason": "no grant"}}
    path = tmp_path / "state.json"
    path.write_text(json.dumps(data))
    notes = []
    state = load_state(path, notes)
    assert notes == [] and state.revisions == data["revisions"] and state.retry_later == data["retry_later"]
    assert state.checked == 7.5 and state.watch_failed["reason"] == "no grant" and state.watching is None
    db = tmp_path / "state.db"
    with StateStore.open(db) as store:
        store.save("e", state)
    assert stored_state(db, "e") == {k: v for k, v in data.items() if v is not None and k != "version"}
    assert os.stat(db).st_mode & 0o777 == 0o600
    path.write_text(json.dumps({**data, "retry": "Event/Day 1"}))
    assert load_state(path, notes) == RunState() and "'retry' of the wrong shape" in notes[0]
