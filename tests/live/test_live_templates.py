"""What editors see: the installed templates rendered by the real MediaWiki (action=parse)."""

from __future__ import annotations

import html
import json
import re

import pytest
from helpers import REPO

from wmstrategybot.config.files import load_config
from wmstrategybot.model.event import Day, Event, Provenance, Session
from wmstrategybot.render.base import template_call
from wmstrategybot.render.sessions import render_navbox

TEMPLATES = REPO / "templates_wikitext" / "Template"


def _html(api, wikitext: str, title: str = "Test page") -> str:
    parsed = api.get(action="parse", title=title, contentmodel="wikitext", prop="text", text=wikitext,
                     disablelimitreport=1)["parse"]
    return str(parsed["text"])


def _text(fragment: str) -> str:
    """The visible text of an HTML fragment, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " ", fragment))).split())


def test_a_session_call_keeps_the_space_after_the_code(templates_installed, admin):
    call = template_call("Event track session", [("code", "D1.01"), ("title", "The Big Picture"),
                                                 ("other_titles", "Getting To Work"), ("page", "Event/Day 1"),
                                                 ("anchor", "D1.01 / The Big Picture")])
    text = _text(_html(admin, call))
    assert "D1.01 / The Big Picture (also: Getting To Work)" in text
    session = _text(_html(admin, template_call("Event track session", [("code", "Session 1"), ("title", "Opening"),
                                                                      ("page", "Event/Day 1")])))
    assert "Session 1 / Opening" in session


def test_a_time_slot_is_shown_apart_from_the_title(templates_installed, admin):
    out = _html(admin, template_call("Event track session", [("title", "Opening"), ("time", "8:00 - 10:00 UTC"),
                                                             ("page", "Event/Day 1")]))
    link = re.search(r"<a [^>]*>(.*?)</a>", out).group(1)
    assert _text(link) == "Opening" and "(8:00 - 10:00 UTC)" in _text(out)


@pytest.mark.parametrize("call, param", [
    ("{{Event track session|page=Event/Day 1}}", "title"),
    ("{{Event track session|title=Opening}}", "page"),
    ("{{Event track navbox}}", "title"),
    ("{{Event track navbox day}}", "label"),
    ("{|\n{{Event track signup count}}\n|}", "area"),
])
def test_a_missing_required_parameter_shows_a_friendly_note(templates_installed, admin, call, param):
    out = _html(admin, call)
    assert "{{{" not in out and "}}}" not in out
    assert f"(no {param} given to Template:Event track" in _text(out)


def test_the_navbox_links_no_page_that_does_not_exist(templates_installed, admin):
    admin.edit("Navtest/Summary", "The summary.", "test")
    call = ("{{Event track navbox|title=Navtest|summary=Navtest/Summary|overview=Navtest/No such overview"
            "|days=\n{{Event track navbox day|label=Day 1|list=\n* [[Navtest/Summary#A|Opening]]}}}}")
    out = _html(admin, call)
    assert 'class="new"' not in out and "No such overview" not in out and "All sessions at a glance" not in out
    assert "flow of activities (and this report)" in _text(out)  # the summary exists: linked
    gone = _html(admin, call.replace("summary=Navtest/Summary", "summary=Navtest/Missing summary"))
    assert 'class="new"' not in gone and "flow of activities" not in gone


@pytest.mark.parametrize("layout", ["side", "bar"])
def test_the_navbox_layouts_stay_visible_on_mobile(templates_installed, admin, layout):
    event = Event("navtest", "Navtest", "Navtest", days=(Day(1, "Navtest/Day 1"),), sessions=tuple(
        Session(f"s{n}", "", n, 1, title, source=Provenance("Navtest/Day 1", anchor=title), time=time)
        for n, (title, time) in enumerate([("Opening", "8:00 - 10:00 UTC"), ("Sharing Activities", None)], 1)))
    out = _html(admin, render_navbox(event, load_config(), layout))
    assert 'role="navigation"' in out
    classes = {c for value in re.findall(r'class="([^"]*)"', out) for c in value.split()}
    assert not classes & {"navbox", "vertical-navbox", "nomobile"}  # the mobile site hides those
    assert f"event-track-navbox-{layout}" in classes and "hlist" in classes
    text = _text(out)
    assert "8:00" not in text  # link texts without time slots
    assert re.search(r'<div class="event-track-navbox-list hlist">\s*<ul><li><a [^>]*>Opening</a></li>\s*'
                     r'<li><a [^>]*>Sharing Activities</a></li></ul>', out), out
    assert "»" not in text and "," not in text
    assert ("float:right" in out) == (layout == "side")


def test_the_navbox_follows_meta_s_conventions_on_the_wiki(templates_installed, admin):
    """Rendered on a Day page: the title links the overview, the day label the Day page (bold
    there: the wiki's self-link), a signup link, V·T·E links to the navbox page; no red link."""
    for title in ("Navconv/Overview", "Navconv/Sign-up", "Navconv/Day 1", "Navconv/Day 2", "Template:Navconv navigation"):
        admin.edit(title, "A page.", "test")
    call = template_call("Event track navbox", [
        ("title", "Navconv"), ("overview", "Navconv/Overview"), ("signups", "Navconv/Sign-up"),
        ("navbox", "Template:Navconv navigation"),
        ("days", "\n{{Event track navbox day|label=Day 1|page=Navconv/Day 1|list=\n* [[Navconv/Day 1#Opening|Opening]]}}"
                 "\n{{Event track navbox day|label=Day 2|page=Navconv/Day 2|list=\n* [[Navconv/Day 2#Closing|Closing]]}}")])
    out = _html(admin, call, title="Navconv/Day 1")
    title = re.search(r'<div class="event-track-navbox-title"[^>]*>(.*?)</div>', out).group(1)
    assert 'href="/index.php/Navconv/Overview"' in title and _text(title) == "Navconv"
    labels = re.findall(r'<div class="event-track-navbox-label"[^>]*>(.*?)</div>', out)
    assert len(labels) == 2
    assert 'class="mw-selflink selflink">Day 1<' in labels[0]  # the page read: bold, not a link
    assert 'href="/index.php/Navconv/Day_2"' in labels[1]
    assert 'href="/index.php/Navconv/Sign-up"' in out and "Sign up for a working group" in _text(out)
    vte = re.search(r'<div class="event-track-navbox-vte[^"]*"[^>]*>(.*?)</div>', out).group(1)
    assert _text(vte) == "v · t · e"
    assert 'href="/index.php/Template:Navconv_navigation"' in vte
    assert "Template_talk:Navconv_navigation" in vte and "action=edit" in vte
    assert 'class="new"' not in out
    assert "templatestyles" not in out  # the test wiki has no TemplateStyles: the tag was left out


def test_templatedata_describes_every_parameter_in_the_format_the_bot_writes(templates_installed, admin):
    for path in sorted(TEMPLATES.glob("*.wikitext")):
        title = f"Template:{path.stem}"
        (page,) = admin.get(action="templatedata", titles=title)["pages"].values()
        assert page["params"], title
        for name, param in page["params"].items():
            assert param.get("description"), f"{title}: {name} has no description"
            assert param.get("example"), f"{title}: {name} has no example"
        source = path.with_suffix("").joinpath("doc.wikitext").read_text("utf-8")
        declared = json.loads(source.split("<templatedata>")[1].split("</templatedata>")[0])["format"]
        # how render.py writes the calls: the navbox and sessions one parameter a line, rows inline;
        # the config template as organisers write it, one parameter a line
        block = path.stem in ("Event track navbox", "Event track session", "Event track bot")
        assert page["format"] == declared and declared == ("{{_\n|_=_\n}}" if block else "inline"), title
