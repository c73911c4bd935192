"""What the bot writes for editors to read: other titles, time slots, the navbox layouts, the
event's name. Pure, but for the last test, which renders a fixture event by the command line."""

from __future__ import annotations

import dataclasses

import mwparserfromhell
import pytest
from helpers import REPO, invoke

from wmstrategybot.config.event import ConfigError, config_from_dict
from wmstrategybot.config.files import load_config
from wmstrategybot.model.event import Day, Event, Provenance, Session
from wmstrategybot.render.sessions import (
    render_navbox,
    render_sessions,
    shown_other_titles,
)


def _session(title: str, other: tuple[str, ...] = (), number: int = 1, time: str | None = None) -> Session:
    return Session(f"s{number}", f"D1.0{number}", number, 1, title, other_titles=other,
                   source=Provenance("Ev/Day 1", anchor=title), time=time)


def _event(*sessions: Session) -> Event:
    return Event("ev", "Ev", "Ev", days=(Day(1, "Ev/Day 1"),), sessions=sessions)


def _params(text: str, template: str) -> list[dict[str, str]]:
    return [{str(p.name).strip(): str(p.value).strip() for p in t.params}
            for t in mwparserfromhell.parse(text).filter_templates() if str(t.name).strip() == template]


@pytest.mark.parametrize("title, other, shown", [
    ("Preparing to work", ("Preparing To Work",), []),
    ("Wrapping up", ("Wrapping Up.",), []),
    ("Thematic Inputs & Conversations", ("Thematic inputs and conversations",), ["Thematic inputs and conversations"]),
    ("Working groups", ("Getting To Work",), ["Getting To Work"]),
])
def test_other_titles_are_shown_only_when_they_differ_beyond_case_and_punctuation(title, other, shown):
    assert shown_other_titles(_session(title, other)) == shown
    (call,) = _params(render_sessions(_event(_session(title, other))), "Event track session")
    assert call.get("other_titles", "") == ", ".join(shown)


def test_time_slots_are_apart_from_titles_in_the_overview_and_left_out_of_the_navbox():
    event = _event(_session("Opening", time="8:00 - 10:00 UTC"), _session("Sharing Activities", number=2))
    (first, _) = _params(render_sessions(event), "Event track session")
    assert first["title"] == "Opening" and first["time"] == "8:00 - 10:00 UTC"
    navbox = render_navbox(event, load_config())
    labels = [str(link.text) for link in mwparserfromhell.parse(navbox).filter_wikilinks()]
    assert labels == ["Opening", "Sharing Activities"] and "8:00" not in navbox


def test_the_navbox_layout_comes_from_the_config_and_reaches_every_row():
    raw = {"event": {"root": "Ev", "days": ["Day 1"], "navbox_layout": "bar"},
           "targets": {"summary": "Ev/O", "navbox": "Template:Ev", "signups": "Ev/S", "data": "Ev/D"}}
    config = config_from_dict(raw)
    assert config.navbox_layout == "bar"
    text = render_navbox(_event(_session("Opening")), config, config.navbox_layout)
    assert [c.get("layout") for c in _params(text, "Event track navbox") + _params(text, "Event track navbox day")] == ["bar", "bar"]
    with pytest.raises(ConfigError, match="navbox_layout"):
        config_from_dict({**raw, "event": {**raw["event"], "navbox_layout": "top"}})


def test_the_navbox_names_the_event_and_links_no_summary_the_config_does_not_name():
    config = dataclasses.replace(load_config(), summary=None)
    (call,) = _params(render_navbox(_event(_session("Opening")), config), "Event track navbox")
    assert call["title"] == config.name and "summary" not in call and call["overview"] == config.targets.get("overview")


def test_a_day_with_more_links_than_the_row_takes_loses_none():
    event = _event(*(_session(f"Session {n}", number=n) for n in range(1, 46)))
    (row,) = _params(render_navbox(event, load_config()), "Event track navbox day")
    assert max(int(k) for k in row if k.isdigit()) == 40 and "Session 45" in row["40"]


def test_pages_name_the_event_not_the_last_segment_of_its_root(tmp_path):
    """The 2022 fixture's config names only pages: the intros say "Wikimedia Summit 2022".

    First-hour trial (issue 12)."""
    folder = REPO / "tests" / "fixtures" / "events" / "2022"
    out = tmp_path / "out"
    result = invoke("--config", str(folder / "config.toml"), "--source", f"dir:{folder / 'pages'}", "render", "-o", str(out))
    assert result.exit_code == 0, result.output
    overview = (out / "Wikimedia Summit 2022" / "Documentation" / "Overview.wikitext").read_text("utf-8")
    signups = (out / "Wikimedia Summit 2022" / "Documentation" / "Sign-up.wikitext").read_text("utf-8")
    assert "|Wikimedia Summit 2022]]" in overview
    assert "Working Groups of the Wikimedia Summit 2022:" in signups
    for text in (overview, signups):
        assert "of the Documentation" not in text
