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
