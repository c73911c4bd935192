"""Issue #20, point 2, on the real wiki: session identity survives editing. A Day page edit that
renames one session and inserts another, in one save, publishes (no refusal); a day emptied at
once is refused on every run, with the status page saying what would go and how to accept it on
the wiki; the organiser's `accept=<code>` on the template releases it, with no shell."""

from __future__ import annotations

import json
import re

import pytest

from test_live_runall import job, opt_in, snapshot_texts, wiki_api  # noqa: F401

pytestmark = pytest.mark.wiki

#: Day pages with sessions the pages do not number (the bot invents the numbers), like 2024's
DAYS = {
    "Day 1": ("== Day 1 (Friday, 9 May) ==\nThe first day.\n\n=== Opening (10:00-10:30) ===\nWelcome by the organisers.\n\n"
              "=== Keynote ===\nA talk about the years ahead.\n\n=== Workshops ===\nThree rooms, three topics.\n"),
    "Day 2": ("== Day 2 (Saturday, 10 May) ==\n=== Plenary ===\nEveryone together.\n\n=== Open space ===\nTopics from the floor.\n\n"
              "=== Working groups ===\nThe groups meet.\n"),
    "Day 3": "== Day 3 (Sunday, 11 May) ==\n=== Closing ===\nWhat comes next.\n",
}


def _write_days(event, editor) -> None:
    for page, text in DAYS.items():
        editor.edit(event.title(page), text, "write the day")


def _titles(wiki_api, event) -> list[tuple[int, str]]:
    data = json.loads(wiki_api.text(event.title("Data.json")) or "{}").get("data", {})
    return [(s["day"], s["title"]) for s in data.get("sessions", [])]


def test_a_rename_and_an_insertion_in_one_edit_publish_and_an_emptied_day_is_accepted_on_the_wiki(
        opt_in, job, wiki_api, alice):
    event = opt_in("Identity", summary=None)
    _write_days(event, alice)
    first = job()
    assert first.code == 0 and first.section(event.root).get("exit", 0) == 0, first.why()
    assert [t for _, t in _titles(wiki_api, event)] == ["Opening", "Keynote", "Workshops", "Plenary", "Open space",
                                                       "Working groups", "Closing"]

    # one ordinary save: a session renamed, another inserted before it
    day1 = event.title("Day 1")
    alice.edit(day1, DAYS["Day 1"].replace("=== Keynote ===", "=== Lightning talks ===\nFive minutes each.\n\n"
                                                                 "=== Keynote: the next ten years ==="), "rename, add")
    edited = job()
    section = edited.section(event.root)
    assert edited.code == 0 and section.get("exit", 0) == 0 and not section.get("refused"), edited.why()
    assert _titles(wiki_api, event)[:4] == [(1, "Opening"), (1, "Lightning talks"), (1, "Keynote: the next ten years"),
                                            (1, "Workshops")]
    overview = wiki_api.text(event.title("Overview")) or ""
    assert "Keynote: the next ten years" in overview and "Lightning talks" in overview

    # a day emptied at once: evidence of a failed read, refused and said so, every run
    alice.edit(event.title("Day 2"), "== Day 2 (Saturday, 10 May) ==\nThe notes of this day are still to be written.\n",
               "notes to come")
    before = wiki_api.revisions([event.title("Overview"), event.title("Data.json")])
    codes = []
    for _ in range(2):
        refused = job()
        section = refused.section(event.root)
        assert refused.code == 0, refused.why()  # an event's refusal does not fail the job (exit policy)
        assert section.get("exit") == 4 and section.get("outcome") != "nothing-changed", refused.why()
        status = wiki_api.text(event.status) or ""
        assert "Plenary" in status and "Open space" in status and "Working groups" in status, status
        found = re.search(r"accept=([0-9a-f]{6,})", status)
        assert found, status
        codes.append(found.group(1))
        assert "--allow-shrink" not in status, status  # nothing an organiser cannot do on the wiki
    assert codes[0] == codes[1]
    assert wiki_api.revisions([event.title("Overview"), event.title("Data.json")]) == before

    # the organiser accepts exactly that loss on the template
    event.set_config(summary=None, accept=codes[0])
    accepted = job()
    section = accepted.section(event.root)
    assert accepted.code == 0 and section.get("exit", 0) == 0, accepted.why()
    assert [d for d, _ in _titles(wiki_api, event)] == [1, 1, 1, 1, 3]
