"""What the bot writes for editors to read: other titles, time slots, the navbox layouts, the
event's name. Pure, but for the last test, which renders a fixture event by the command line."""

from __future__ import annotations

import dataclasses
import re

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


def test_a_day_with_many_links_loses_none():
    event = _event(*(_session(f"Session {n}", number=n) for n in range(1, 46)))
    (row,) = _params(render_navbox(event, load_config()), "Event track navbox day")
    assert [line.split("|")[-1] for line in row["list"].splitlines()] == [f"Session {n}]]" for n in range(1, 46)]


def test_the_navbox_follows_meta_s_navbox_conventions():
    """Title linking the overview, a group per day linking its Day page, hlist items, a signup
    link and V·T·E links to the navbox page: what the templates need, the bot passes."""
    config = load_config()
    event = dataclasses.replace(_event(_session("Opening"), _session("Sharing [Activities]", number=2)),
                                days=(Day(1, "Ev/Day 1"), Day(2, "Ev/Day 2")))
    text = render_navbox(event, config)
    (box,) = _params(text, "Event track navbox")
    assert box["overview"] == config.targets.get("overview") and box["signups"] == config.targets.get("signups")
    assert box["navbox"] == config.targets.get("navbox")
    rows = _params(text, "Event track navbox day")
    assert [(r["label"], r["page"]) for r in rows] == [("Day 1", "Ev/Day 1"), ("Day 2", "Ev/Day 2")]
    assert rows[0]["list"].splitlines() == ["* [[Ev/Day 1#Opening|Opening]]",
                                            "* [[Ev/Day 1#Sharing %5BActivities%5D|Sharing [Activities&#93;]]"]
    assert rows[1]["list"] == ""
    assert "»" not in text and ",\n" not in text and "<br>" not in text


def test_the_navbox_templates_use_no_class_the_mobile_site_hides_and_no_inline_colour():
    for name in ("Event track navbox", "Event track navbox day"):
        template = (REPO / "templates_wikitext" / "Template" / f"{name}.wikitext").read_text("utf-8")
        classes = {c for value in re.findall(r'class="([^"]*)"', template) for c in value.split()}
        assert not classes & {"navbox", "vertical-navbox", "nomobile"}, name
        styles = " ".join(re.findall(r'style="([^"]*)"', template))
        assert not re.search(r"(?<![-\w])(?:colou?r|background(?:-color)?|border(?:-[a-z]+)?)\s*:|#[0-9a-f]{3}", styles, re.I), (name, styles)
    assert "hlist" in (REPO / "templates_wikitext" / "Template" / "Event track navbox day.wikitext").read_text("utf-8")


def test_a_wiki_without_templatestyles_gets_no_sheet_and_no_tag():
    from wmstrategybot.publish.files import content_model, template_pages

    sheet = "Template:Event track navbox/styles.css"
    with_styles, without = template_pages(), template_pages(templatestyles=False)
    assert content_model(sheet) == "sanitized-css" and "background" in with_styles[sheet]
    assert '<templatestyles src="Event track navbox/styles.css" />' in with_styles["Template:Event track navbox"]
    assert sheet not in without and set(without) == set(with_styles) - {sheet}
    assert not any("<templatestyles src" in text for text in without.values())
    assert list(with_styles).index(sheet) < list(with_styles).index("Template:Event track navbox")


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


def test_the_shrink_guard_counts_a_navbox_s_links_in_the_hlist_and_in_the_former_rows():
    from wmstrategybot.render.kinds import generated_items
    from wmstrategybot.wikitext.regions import region_text

    event = _event(*(_session(f"Session {n}", number=n) for n in range(1, 6)))
    assert generated_items("navbox", region_text("navbox", render_navbox(event, load_config()))) == 5
    former = "{{Event track navbox day|label=Day 1|1=[[A#a|a]]|2=[[A#b|b]]}}\n» [[A#c|c]]"
    assert generated_items("navbox", region_text("navbox", former)) == 3
