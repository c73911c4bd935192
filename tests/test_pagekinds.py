"""Page kinds are a registry: a new kind is one module and one registry line, and plan and
render then make its page like any other."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import DAY, SIGNUP_CONFIG, MemorySource
from wmstrategybot.config.event import parse_config
from wmstrategybot.wikitext.regions import region_text
from wmstrategybot.render.kinds import KINDS, generated_items, render_event, target_titles
from wmstrategybot.publish.read import plan
from wmstrategybot.publish.read import load_skeletons
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "pagekind"))


@pytest.fixture
def dummy_kind(monkeypatch):
    import dummykind

    monkeypatch.setitem(KINDS, "session-list", dummykind.KIND)  # the one registry line
    return dummykind.KIND


def test_a_new_kind_is_rendered_and_planned(dummy_kind):
    config = parse_config(SIGNUP_CONFIG)
    assert "E/Session list" in target_titles(config)
    event = extract_event(config, {"E/Day 1": PageRecord("E/Day 1", DAY, 1)})
    page = next(p for p in render_event(event, config, load_skeletons()) if p.kind == "session-list")
    assert page.title == "E/Session list" and "* Opening" in page.fresh
    source = MemorySource({"E/Day 1": DAY})
    edit = next(e for e in plan(config, source).edits if e.kind == "session-list")
    assert edit.action == "create" and edit.new_text == page.fresh
    assert generated_items("session-list", edit.new_text) == 1


def test_the_new_kind_has_the_shrink_guard_and_the_merge_rule(dummy_kind):
    config = parse_config(SIGNUP_CONFIG)

    def edit_over(live: str):
        pages = {"E/Day 1": DAY, "E/Session list": live}
        return next(e for e in plan(config, MemorySource(pages)).edits if e.kind == "session-list")

    longer = "Words a person wrote.\n" + region_text("session-list", "* A\n* B\n* C") + "\n"
    shrink = edit_over(longer)  # the kind's item count: 3 items would become 1
    assert shrink.action == "refused" and "shrink from 3 to 1" in shrink.reason
    by_hand = longer.replace("* B", "* B, edited")  # the regions rule: a hand edit is never overwritten
    assert edit_over(by_hand).action == "refused" and "by hand" in edit_over(by_hand).reason
    handed = "Words a person wrote.\n" + region_text("session-list", "* Opening") + "\n"
    assert edit_over(handed).action == "unchanged"


def test_without_the_registry_line_there_is_no_such_page():
    config = parse_config(SIGNUP_CONFIG)
    assert "session-list" not in KINDS
    assert all(e.kind != "session-list" for e in plan(config, MemorySource({"E/Day 1": DAY})).edits)


def test_a_plan_extracts_the_event_once_though_the_signup_page_changes(monkeypatch):
    """The signup page's edit shifts what extraction reads there: its signups are read again
    from the new text, the event is not extracted a second time."""
    from wmstrategybot.publish import read as publish
    from wmstrategybot.config.event import load_config
    from wmstrategybot.sources import SnapshotSource

    calls = []
    real = publish.extract_bounded
    monkeypatch.setattr(publish, "extract_bounded", lambda *a: calls.append(a) or real(*a))
    p = publish.plan(load_config(), SnapshotSource())
    signups = next(e for e in p.edits if e.kind == "signups")
    assert signups.changed and len(calls) == 1
    lines = [s.source.line for g in p.event.working_groups for s in g.signups if s.source]
    new_lines = signups.new_text.split("\n")
    assert lines and all(new_lines[n - 1].lstrip().startswith("|") for n in lines)  # lines of the new text


def test_a_plan_renders_each_page_once_though_the_signup_page_changes(monkeypatch):
    """The data page is rendered from the signups as the signup page will be saved, and every
    other page once too: no page of the event is rendered a second time."""
    from dataclasses import replace

    from wmstrategybot.publish import read as publish
    from wmstrategybot.config.event import load_config
    from wmstrategybot.sources import SnapshotSource

    renders = []
    for name, kind in list(KINDS.items()):
        def counted(*args, _render=kind.render, _name=name):
            renders.append(_name)
            return _render(*args)
        monkeypatch.setitem(KINDS, name, replace(kind, render=counted))
    p = publish.plan(load_config(), SnapshotSource())
    assert next(e for e in p.edits if e.kind == "signups").changed
    assert sorted(renders) == sorted(KINDS) and len(p.edits) == len(KINDS)
