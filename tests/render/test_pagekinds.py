"""Page kinds are a registry: a new kind is one registry entry, its render and its skeleton, and
configs, plan and render then make its pages like any other (a kind with a page per area too)."""

from __future__ import annotations

import sys

import pytest
from helpers import DAY, FIXTURES, SIGNUP_CONFIG, MemorySource

from wmstrategybot.config.event import parse_config
from wmstrategybot.config.wiki import parameters, read_wiki_config
from wmstrategybot.errors import ConfigError
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.model.settings import SiteConfig
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.publish.read import plan
from wmstrategybot.render.kinds import KINDS, generated_items, registered, render_event, target_titles
from wmstrategybot.wikitext.regions import region_text

PAGEKIND = FIXTURES / "pagekind"
sys.path.insert(0, str(PAGEKIND))


#: the config names the new kind's page in [targets] by the kind's name
LIST_CONFIG = SIGNUP_CONFIG.replace('data = "E/Data.json"\n', 'data = "E/Data.json"\nsession-list = "E/Session list"\n')


@pytest.fixture
def dummy_kind():
    import dummykind

    with registered(dummykind.KIND):  # the one registry entry
        yield dummykind.KIND


def test_a_new_kind_is_rendered_and_planned(dummy_kind):
    config = parse_config(LIST_CONFIG)
    assert "E/Session list" in target_titles(config)
    event = extract_event(config, {"E/Day 1": PageRecord("E/Day 1", DAY, 1)})
    page = next(p for p in render_event(event, config, load_skeletons()) if p.kind == "session-list")
    assert page.title == "E/Session list" and "* Opening" in page.fresh
    source = MemorySource({"E/Day 1": DAY})
    edit = next(e for e in plan(config, source).edits if e.kind == "session-list")
    assert edit.action == "create" and edit.new_text == page.fresh
    assert generated_items("session-list", edit.new_text) == 1


def test_the_new_kind_has_the_shrink_guard_and_the_merge_rule(dummy_kind):
    config = parse_config(LIST_CONFIG)

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


def test_without_the_registry_entry_there_is_no_such_page_and_no_such_key():
    assert "session-list" not in KINDS
    assert all(e.kind != "session-list" for e in plan(parse_config(SIGNUP_CONFIG), MemorySource({"E/Day 1": DAY})).edits)
    with pytest.raises(ConfigError, match="unknown key 'session-list'"):
        parse_config(LIST_CONFIG)


#: the per-area kind's page, named by a pattern with the area's place in it
AREA_CONFIG = SIGNUP_CONFIG.replace('data = "E/Data.json"\n', 'data = "E/Data.json"\narea-page = "E/Groups/{area}"\n')
SIGNUPS = """== Technology ==
{| class="wikitable"
! User !! Signature
|-
| [[User:Alice|Alice]] || [[User:Alice|Alice]] 10:00, 1 June 2018 (UTC)
|}
"""


@pytest.fixture
def area_kind():
    import areakind

    with registered(areakind.KIND):
        yield areakind.KIND


def _skeletons():
    return {**load_skeletons(), "area-page": (PAGEKIND / "area-page.wikitext").read_text("utf-8")}


def test_a_kind_with_a_page_per_area_is_planned_page_by_page_and_then_left_alone(area_kind):
    config = parse_config(AREA_CONFIG)
    assert [t for t in target_titles(config) if t.startswith("E/Groups/")] == [
        "E/Groups/Roles & Responsibilities", "E/Groups/Resource Allocation", "E/Groups/Community", "E/Groups/Technology"]
    source = MemorySource({"E/Day 1": DAY, "E/Sign-up": SIGNUPS})
    first = {e.title: e for e in plan(config, source, skeletons=_skeletons()).edits if e.kind == "area-page"}
    assert [e.action for e in first.values()] == ["create"] * 4
    assert "* Alice" in first["E/Groups/Technology"].new_text and "Technology" in first["E/Groups/Technology"].new_text
    assert "No one has signed up yet" in first["E/Groups/Community"].new_text
    for e in first.values():
        source.save(e.page, e.new_text, "test")
    again = [e for e in plan(config, source, skeletons=_skeletons()).edits if e.kind == "area-page"]
    assert [e.action for e in again] == ["unchanged"] * 4


def test_a_per_area_pattern_is_checked_as_titles_and_named_on_the_wiki_by_its_parameter(area_kind):
    with pytest.raises(ConfigError, match="names no page per area"):
        parse_config(AREA_CONFIG.replace("E/Groups/{area}", "E/Groups"))
    with pytest.raises(ConfigError, match="area-page target 'Talk:E/Roles & Responsibilities' is a talk page"):
        parse_config(AREA_CONFIG.replace("E/Groups/{area}", "Talk:E/{area}"))
    text = "{{Event track bot|days=Day 1|areas=Technology|area page=/Groups/{area}\n}}"
    read = read_wiki_config("E", text, SiteConfig())
    assert read.problems == () and read.config.targets.get("area-page") == "E/Groups/{area}"
    assert "area page" in parameters()


def test_a_plan_extracts_the_event_once_though_the_signup_page_changes(monkeypatch):
    """The signup page's edit shifts what extraction reads there: its signups are read again
    from the new text, the event is not extracted a second time."""
    from wmstrategybot.config.files import load_config
    from wmstrategybot.publish import read as publish
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

    from wmstrategybot.config.files import load_config
    from wmstrategybot.publish import read as publish
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
