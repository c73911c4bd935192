"""One change check for many events (`changes.check_events`), on the in-memory wiki, counting
its requests: one watchlist request whatever the number of events, or one revision check per
500 titles of them all."""

from __future__ import annotations

import time

from wmstrategybot.job import changes
from wmstrategybot.job.changes import EventPages
from wmstrategybot.job.state import RunState
from wmstrategybot.sources import MemorySource, WatchlistUnavailable

SHARED = "Template:Shared navigation"


def _titles(key: str) -> list[str]:
    return [f"{key}/Root", f"{key}/Day 1", f"{key}/Day 2", f"{key}/Overview", SHARED]


def _wiki(keys, missing=()):
    pages = {t: f"text of {t}" for k in keys for t in _titles(k) if t not in missing}
    return MemorySource(pages, watchlist=True)


def _first_run(source, keys, now):
    """What a first run leaves: each event's pages read and watched, its state and the job's."""
    events = [EventPages(k, _titles(k), RunState()) for k in keys]
    source.begin()
    found = changes.check_events(source, events, RunState(), now, dry_run=False)
    assert [e.how for e in found.events.values()] == ["none"] * len(keys)
    states = {}
    for e in events:
        read = source.read(e.titles)
        state = RunState(revisions=changes.jsonable({t: r.revision for t, r in read.items()}))
        states[e.key] = changes.with_watch(state, changes.common_state(
            source, state, e.titles, now, found.events[e.key].check, []))
    return states, changes.job_watch_state(source, RunState(), now, found)


def _check(source, states, watch, now, **kwargs):
    before = source.requests
    source.begin()
    found = changes.check_events(source, [EventPages(k, _titles(k), s) for k, s in states.items()], watch,
                                 now, dry_run=kwargs.pop("dry_run", False), **kwargs)
    return found, source.requests - before


def test_one_watchlist_request_finds_the_one_event_that_changed():
    now = time.time()
    wiki = _wiki(["A", "B", "C"])
    states, watch = _first_run(wiki, ["A", "B", "C"], now)
    assert watch.checked_at and set(wiki.watching) == {t for k in "ABC" for t in _titles(k)}
    found, requests = _check(wiki, states, watch, now + 3600)
    assert found.changed() == [] and requests == 1
    assert {e.how for e in found.events.values()} == {"watchlist"}
    wiki.edit("B/Day 2", "a person's edit")
    found, requests = _check(wiki, states, watch, now + 3600)
    assert found.changed() == ["B"] and requests == 1
    assert [c["title"] for c in found.events["B"].changes] == ["B/Day 2"]
    assert not found.events["A"].changed and not found.events["C"].changed


def test_a_deletion_or_a_move_changes_only_the_event_of_that_page():
    now = time.time()
    wiki = _wiki(["A", "B", "C"])
    states, watch = _first_run(wiki, ["A", "B", "C"], now)
    wiki.delete("C/Day 1")
    found, requests = _check(wiki, states, watch, now + 60)
    assert found.changed() == ["C"] and requests == 1
    assert found.events["C"].changes[0]["log"] and found.events["C"].check.log_ids
    wiki.move("A/Day 2", "Elsewhere/Day 2")
    found, _ = _check(wiki, states, watch, now + 60)
    assert found.changed() == ["A", "C"]


def test_a_page_two_events_share_changes_both():
    now = time.time()
    wiki = _wiki(["A", "B", "C"])
    states, watch = _first_run(wiki, ["A", "B", "C"], now)
    wiki.edit(SHARED, "a new navbox")
    found, requests = _check(wiki, states, watch, now + 60)
    assert found.changed() == ["A", "B", "C"] and requests == 1
    # an event that has seen the new revision already (it published since) is not changed again
    states["A"] = RunState.from_json({**states["A"].to_json(),
                                      "revisions": {**states["A"].revisions, SHARED: wiki.revisions([SHARED])[SHARED]}})
    found, _ = _check(wiki, states, watch, now + 60)
    assert found.changed() == ["B", "C"]


def test_a_missing_page_that_comes_back_without_an_entry_is_found_in_one_more_request():
    now = time.time()
    wiki = _wiki(["A", "B"], missing={"A/Overview", "B/Overview"})  # not made yet
    states, watch = _first_run(wiki, ["A", "B"], now)
    _, requests = _check(wiki, states, watch, now + 60)
    assert requests == 2  # the watchlist, then the pages not there, of both events in one
    wiki.pages["B/Overview"] = "moved here from a page the bot does not watch"  # no entry on our titles
    wiki._revision["B/Overview"] = 99
    found, requests = _check(wiki, states, watch, now + 60)
    assert found.changed() == ["B"] and requests == 2
    assert found.events["B"].changes == [{"title": "B/Overview", "revision": 99, "timestamp": ""}]


def test_without_the_watchlist_one_revision_check_covers_every_event_500_titles_a_request():
    now = time.time()
    keys = [f"E{n}" for n in range(3)]
    wiki = _wiki(keys)
    states, watch = _first_run(wiki, keys, now)
    wiki.edit("E1/Root", "edited")
    found, requests = _check(wiki, states, watch, now + 60, dry_run=True)  # a dry run never uses the watchlist
    assert found.changed() == ["E1"] and requests == 1
    assert {e.how for e in found.events.values()} == {"revisions"}
    assert found.events["E0"].check.latest == states["E0"].revisions
    many = [f"E{n}" for n in range(125)]  # 4 own titles each and the shared one: 501 titles
    wiki = _wiki(many)
    states, watch = _first_run(wiki, many, now)
    found, requests = _check(wiki, states, watch, now + 60, dry_run=True)
    assert found.changed() == [] and requests == 2


def test_an_event_whose_pages_are_not_all_watched_is_checked_by_revisions_beside_the_others():
    now = time.time()
    wiki = _wiki(["A", "B", "C"])
    states, watch = _first_run(wiki, ["A", "B", "C"], now)
    states["C"] = RunState.from_json({**states["C"].to_json(), "watching": "titles added to its config"})
    new = {"A": RunState(), **{k: v for k, v in states.items() if k != "A"}}  # A: a new event
    found, requests = _check(wiki, new, watch, now + 60)
    assert {k: e.how for k, e in found.events.items()} == {"A": "none", "B": "watchlist", "C": "revisions"}
    assert found.changed() == ["A"] and requests == 2


def test_a_refused_watchlist_falls_back_to_one_revision_check_and_is_remembered():
    now = time.time()
    wiki = _wiki(["A", "B"])
    states, watch = _first_run(wiki, ["A", "B"], now)

    def refused(since):
        wiki.requests += 1
        raise WatchlistUnavailable("the bot's watchlist cannot be read: permissiondenied")

    wiki.changes = refused  # the account lost the grant
    found, requests = _check(wiki, states, watch, now + 60)
    assert found.watchlist_failed and "revision check" in found.notes[0] and requests == 2
    assert {e.how for e in found.events.values()} == {"revisions"}
    after = changes.job_watch_state(wiki, watch, now + 60, found)
    assert after.watchlist_failed["at"] == now + 60
    _, requests = _check(wiki, states, after, now + 120)
    assert requests == 1  # a revision check: the watchlist is not asked again for a day


def test_the_single_event_check_is_the_many_event_check_of_one():
    now = time.time()
    wiki = _wiki(["A"])
    states, watch = _first_run(wiki, ["A"], now)
    state = states["A"]  # its own record of the watchlist: a single event's run keeps it in its state
    wiki.edit("A/Day 1", "edited")
    check = changes.check(wiki, state, _titles("A"), now + 60, dry_run=False)
    assert check.changed and check.how == "watchlist" and [c["title"] for c in check.changes] == ["A/Day 1"]
