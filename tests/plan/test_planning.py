"""The pure planning (plan/plan.py): the pages as read, built here in memory, the extraction
and the run's state in; the plan out, with no source, no disk and no clock."""

from __future__ import annotations

import json

import pytest
from helpers import DAY, SIGNUP_CONFIG, MemorySource

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.event import extract_event, with_signups
from wmstrategybot.plan import plan as planning
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.publish.read import plan
from wmstrategybot.sources import PageRecord

CONFIG = parse_config(SIGNUP_CONFIG + '[bot]\nstop_page = "User:Bot/stop"\n')
SKELETONS = load_skeletons()
TARGETS = ["E/Overview", "Template:E nav", "E/Sign-up", "E/Data.json"]
SIGNUP = ("<!-- wmstrategybot:begin signup-counts -->\n<!-- wmstrategybot:end signup-counts -->\n"
          "== Technology ==\n{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n"
          "|-\n| [[User:Alice|Alice]] || en || Tools || [[User:Alice|Alice]] 10:00, 1 June 2018 (UTC)\n|}\n")


READING = planning.Reading(extract_event, with_signups)


def pure_plan(config, pages, skeletons, *, seen=None, removed=None, reading=READING):
    """The plan from the pages as read: the draft, then the pages a person took away refused."""
    return planning.refuse_recreation(planning.draft_plan(config, pages, skeletons, reading), seen or {}, removed or {})


def records(pages: dict[str, str]) -> dict[str, PageRecord]:
    titles = ["E/Day 1", *TARGETS, "User:Bot/stop"]
    return {t: PageRecord(t, pages.get(t), 7 if t in pages else None) for t in titles}


def test_a_plan_from_records_in_memory_creates_every_page():
    p = pure_plan(CONFIG, records({"E/Day 1": DAY, "User:Bot/stop": "run"}), SKELETONS)
    assert [(e.title, e.action) for e in p.edits] == [(t, "create") for t in ["Template:E nav", "E/Overview",
                                                                              "E/Sign-up", "E/Data.json"]]
    # the day page, then the signup page as this plan creates it
    assert p.stopped is None and p.removed == {} and p.pages_parsed == 2
    assert [s.title for s in p.event.sessions] == ["Opening"] and "E/Day 1" in p.edit_summary


def test_the_plan_is_the_one_publish_plan_makes_from_a_source():
    pages = {"E/Day 1": DAY, "E/Sign-up": SIGNUP, "User:Bot/stop": "run"}
    read = plan(CONFIG, MemorySource(pages), skeletons=SKELETONS)
    pure = pure_plan(CONFIG, read.records, SKELETONS)
    assert [(e.title, e.action, e.new_text) for e in pure.edits] == [(e.title, e.action, e.new_text) for e in read.edits]
    assert pure.pages_parsed == read.pages_parsed == 3  # the day page, the signup page, and again as saved


def test_the_data_page_describes_the_signup_page_as_this_plan_saves_it():
    p = pure_plan(CONFIG, records({"E/Day 1": DAY, "E/Sign-up": SIGNUP}), SKELETONS)
    edits = {e.kind: e for e in p.edits}
    assert edits["signups"].action == "update"
    saved = edits["signups"].new_text.split("\n")
    data = json.loads(edits["data"].new_text)["data"]
    (alice,) = [s for g in data["working_groups"] for s in g["signups"]]
    assert alice["user"] == "Alice" and saved[alice["source"]["line"] - 1].startswith("| [[User:Alice")


def test_the_state_and_the_stop_page_shape_the_plan():
    pages = records({"E/Day 1": DAY, "User:Bot/stop": "stop"})
    p = pure_plan(CONFIG, pages, SKELETONS, seen={"E/Overview": 5},
                            removed={"E/Data.json": "deleted by Bob"})
    actions = {e.title: (e.action, e.reason) for e in p.edits}
    assert actions["E/Overview"][0] == "refused" and "revision 5" in actions["E/Overview"][1]
    assert actions["E/Data.json"][0] == "refused" and actions["E/Data.json"][1].startswith("deleted by Bob")
    assert actions["Template:E nav"][0] == "create"
    assert set(p.removed) == {"E/Overview", "E/Data.json"}
    assert p.stopped and "User:Bot/stop" in p.stopped


def test_extraction_is_what_the_caller_hands_in():
    calls = []

    def extract(config, texts):
        calls.append(sorted(texts))
        return extract_event(config, texts)

    pure_plan(CONFIG, records({"E/Day 1": DAY}), SKELETONS, reading=planning.Reading(extract, with_signups))
    assert calls == [["E/Day 1"]]


def test_the_signature_guard_keeps_signed_list_items():
    """Found by the red team on main a9bf541."""
    from wmstrategybot.plan.compose import guard_signatures
    from wmstrategybot.wikitext.regions import MergeRefused
    before = ("== Advocacy ==\n{|\n! User\n|-\n| [[User:Xx|Xx]] 09:00, 1 June 2018 (UTC)\n|}\n"
              "# [[User:Aa|Aa]] ([[User talk:Aa|talk]]) 10:00, 1 June 2018 (UTC)\n")
    guard_signatures(before, before + "more text\n")
    with pytest.raises(MergeRefused, match="drop 1 signed row"):
        guard_signatures(before, before.replace("# [[User:Aa", "# [[User:Ab"))
    # a signed list item in the bot's own region is generated text, not a signature
    region = "<!-- wmstrategybot:begin x -->\n* [[User:Zz|Zz]] 10:00, 1 June 2018 (UTC)\n<!-- wmstrategybot:end x -->\n"
    from wmstrategybot.wikitext.signuptable import signed_rows
    assert sum(signed_rows(before + region).values()) == 2


def test_one_compose_masks_the_live_page_once(monkeypatch):
    """Every reader of a page in a compose (sections, unclosed tables, signed rows, the signature
    guard) shares one mask of it: the page is masked once for each way of masking, not once per
    reader."""
    from collections import OrderedDict

    from wmstrategybot.plan.compose import compose
    from wmstrategybot.render.kinds import render_event
    from wmstrategybot.wikitext import text as wikitext_text
    from wmstrategybot.wikitext.areas import AreaIndex

    records = {"E/Day 1": PageRecord("E/Day 1", DAY, 1), "E/Sign-up": PageRecord("E/Sign-up", SIGNUP, 2)}
    event = extract_event(CONFIG, records)
    rendered = next(r for r in render_event(event, CONFIG, SKELETONS) if r.title == "E/Sign-up")
    computed = []
    monkeypatch.setattr(wikitext_text, "_MASKED", OrderedDict())  # masks made while reading it: forgotten
    real = wikitext_text._compute_mask
    monkeypatch.setattr(wikitext_text, "_compute_mask", lambda text, regions: computed.append(
        (text, regions)) or real(text, regions))
    live = records["E/Sign-up"]
    text = compose(rendered, live, AreaIndex(CONFIG.areas))
    assert "Alice" in text
    of_live = [regions for masked, regions in computed if masked == live.text]
    assert of_live and len(of_live) == len(set(of_live))  # each way at most once
