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
