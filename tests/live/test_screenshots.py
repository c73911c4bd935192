"""The fixture events published into the real MediaWiki and looked at as editors do
(scripts/screenshots.py): rendered HTML without raw syntax, red links to the bot's pages or
missing templates; and, with Debian's chromium, a screenshot of each page."""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

import screenshots  # noqa: E402

CI = os.environ.get("CI", "").lower() == "true"
PHOTOGRAPHED = {"2018", "2019", "2024"}


@pytest.fixture(scope="module")
def browser():
    """chromium, installed when missing in CI (as root); None elsewhere when it is missing."""
    if CI:
        try:
            return screenshots.ensure_chromium()
        except screenshots.ScreenshotError as exc:
            pytest.fail(f"CI needs chromium for the screenshot test: {exc}", pytrace=False)
    return screenshots.chromium()


@pytest.fixture(scope="module")
def looked_at(wiki, templates_installed, browser, tmp_path_factory):
    events = screenshots.fixture_events()
    assert len(events) >= 3
    work = tmp_path_factory.mktemp("screenshots")
    configs = screenshots.publish(wiki, events, work, sync_templates=False)
    # every event's HTML; the screenshots (2-3 s each) of three events: the side box, the bar, the newest
    return screenshots.look_at(wiki, configs, work / "png" if browser else None, photograph=PHOTOGRAPHED)


def test_every_page_the_bot_makes_renders_without_raw_syntax_red_links_or_missing_templates(looked_at):
    assert {r.event for r in looked_at} >= {"2017", "2018", "2019", "2022", "2024"}
    assert {r.kind for r in looked_at} == {"overview", "navbox", "signups", "data", "day"}
    assert {f"{r.event} {r.kind}": r.problems for r in looked_at if r.problems} == {}


def test_an_event_configured_with_a_name_and_only_the_targets_it_wants(looked_at):
    """2024's config names the event, its Day pages and three targets (no sign-up page): the bot
    makes just those, and they name the event (check_page's event_name: no problem above)."""
    assert sorted(r.kind for r in looked_at if r.event == "2024") == ["data", "day", "navbox", "overview"]
    assert "name" in (screenshots.FIXTURES / "2024" / "config.toml").read_text("utf-8")


def test_each_page_has_a_screenshot(looked_at, browser):
    if not browser:
        pytest.skip("chromium is not installed (apt-get install -y chromium); CI=true installs it")
    shot = [r for r in looked_at if r.screenshot]
    assert {(r.event, r.kind) for r in shot} == {(r.event, r.kind) for r in looked_at if r.event in PHOTOGRAPHED}
    assert {r.event for r in shot} == PHOTOGRAPHED
    for r in shot:
        head = r.screenshot.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n", r.title
        assert struct.unpack(">II", head[16:24]) == screenshots.WINDOW, r.title


def test_the_checks_find_raw_syntax_a_red_link_to_a_bot_page_and_a_missing_template(wiki, templates_installed):
    admin = wiki.admin_session()
    admin.edit("Shots/Broken", "{{{summary}}} [[Shots/Overview]] {{Event track no such template}}", "test")
    problems = screenshots.check_page(admin, "Shots/Broken", {"Shots/Overview"})
    assert any("raw template syntax" in p for p in problems)
    assert "red link to Shots/Overview, a page the bot makes or reads" in problems
    assert "missing template Template:Event track no such template" in problems
    assert "does not name the event 'Shots Summit'" in \
        screenshots.check_page(admin, "Shots/Broken", set(), event_name="Shots Summit")
    admin.edit("Shots/Day", "{{Shots navigation}}", "test")
    admin.edit("Template:Shots navigation", "{{Event track navbox|title=Shots}}", "test")
    assert screenshots.check_page(admin, "Shots/Day", set(), generated=False, navbox="Template:Shots navigation") \
        == [screenshots.NAVBOX_STALE]
