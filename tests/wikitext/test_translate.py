"""Translatable pages: regions inside a <translate> unit are refused, with the reason."""

from __future__ import annotations

import pytest

from wmstrategybot.wikitext.regions import MergeRefused, find_regions, is_translatable, region_text


def test_translatable_markers_are_detected():
    assert is_translatable("<languages/>\nText")
    assert is_translatable("<translate>Hello</translate>")
    assert not is_translatable("Plain page")


def test_region_inside_a_unit_is_refused_with_why():
    text = "<translate>\nIntro\n" + region_text("overview", "x") + "\n</translate>\n"
    with pytest.raises(MergeRefused, match="inside a <translate> unit.*outside"):
        find_regions(text)


def test_region_outside_units_is_accepted():
    text = "<languages/>\n<translate>\nIntro\n</translate>\n" + region_text("overview", "x") + "\n"
    assert "overview" in find_regions(text)


def test_translatable_update_warns_about_marking():
    from wmstrategybot.model.pages import PageRecord
    from wmstrategybot.plan.compose import PlannedEdit
    from wmstrategybot.plan.plan import marking_warnings

    cur = PageRecord("E/Overview", "<languages/>\nold")
    edit = PlannedEdit("overview", "E/Overview", cur, None, "<languages/>\nnew", "update")
    (w,) = marking_warnings([edit])
    assert "marked for translation again" in w.message and "module" in w.message
    plain = PlannedEdit("overview", "E/Overview", PageRecord("E/Overview", "old"), None, "new", "update")
    assert marking_warnings([plain]) == ()


# --- the bot's generated sentences on a translatable page: <translate> with <tvar> values ---

def _overview(render: str = "wikitext"):
    import dataclasses

    from wmstrategybot.config.files import load_config
    from wmstrategybot.model.event import Day, Event, Provenance, Session
    from wmstrategybot.publish.files import load_skeletons
    from wmstrategybot.render.kinds import TargetPage, render_page

    config = dataclasses.replace(load_config(), render=render)
    event = Event("e", "E", "E", days=(Day(1, "E/Day 1", date_text="Friday, April 20th"), Day(2, "E/Day 2")),
                  sessions=(Session("s1", "D1.01", 1, 1, "Opening", source=Provenance("E/Day 1", anchor="Opening")),))
    title = config.targets.get("overview")
    return render_page(TargetPage("overview", title), event, config, load_skeletons()), title


    return fill(page.fresh, {}) .replace("\n<!-- wmstrategybot:begin sessions", people + "\n<!-- wmstrategybot:begin sessions", 1)


def test_day_headings_on_a_translatable_overview_are_units_with_their_values_in_tvars():
    from wmstrategybot.model.pages import PageRecord
    from wmstrategybot.plan.compose import compose
    from wmstrategybot.wikitext.areas import AreaIndex
    from wmstrategybot.wikitext.regions import region_content

    page, title = _overview()
    plain = compose(page, PageRecord(title, page.fresh), AreaIndex(()))
    assert "<translate>" not in plain and "== Day 1: Friday, April 20th ==" in plain  # not translatable: as before
    people = "<languages/>\n<translate>\nAn intro people translate.\n</translate>"
    text = compose(page, PageRecord(title, page.fresh.replace("\n", "\n" + people + "\n", 1)), AreaIndex(()))
    sessions = region_content(text, "sessions")
    assert sessions.splitlines()[0] == '== <translate>Day <tvar name="day">1</tvar>: <tvar name="date">Friday, April 20th</tvar></translate> =='
    assert '== <translate>Day <tvar name="day">2</tvar></translate> ==' in sessions
    assert sessions.count("{{Event track session") == 1 and "<translate>\nAn intro people translate.\n</translate>" in text


def test_the_module_call_of_a_translatable_overview_holds_no_sentence():
    page, _ = _overview("module")
    assert page.translatable_regions == {} and "<translate>" not in page.regions["sessions"]


def test_marking_the_page_is_not_a_person_s_edit_and_its_unit_markers_are_kept():
    """Translate adds <!--T:n--> to each unit when a translation administrator marks the page:
    the region's checksum still matches, and the next run writes the same identifiers."""
    from wmstrategybot.wikitext.regions import fill, region_content

    first = fill("<languages/>\n" + region_text("sessions", "") + "\n", {"sessions": '== <translate>Day <tvar name="day">1</tvar></translate> ==\n'
                                                                             '== <translate>Day <tvar name="day">2</tvar></translate> =='})
    marked = first.replace("<translate>Day", "<translate><!--T:1--> Day", 1).replace("<translate>Day", "<translate><!--T:2--> Day", 1)
    again = fill(marked, {"sessions": region_content(first, "sessions")})
    assert again == marked  # nothing to save
    more = fill(marked, {"sessions": region_content(first, "sessions") + '\n== <translate>Day <tvar name="day">3</tvar></translate> =='})
    assert region_content(more, "sessions").splitlines() == [
        '== <translate><!--T:1--> Day <tvar name="day">1</tvar></translate> ==',
        '== <translate><!--T:2--> Day <tvar name="day">2</tvar></translate> ==',
        '== <translate>Day <tvar name="day">3</tvar></translate> ==']  # a new unit: Translate numbers it
    edited = marked.replace("Day <tvar", "Tag <tvar", 1)
    with pytest.raises(MergeRefused, match="edited by hand"):
        fill(edited, {"sessions": "x"})
