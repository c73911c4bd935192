"""Issue #20, point 5: every config value that reaches a page is text. The event's name and the
areas' names (PlainText) are shown as typed on every generated page, in both render modes;
titles the wiki would read differently than written are config errors. The live proof is
tests/live/test_live_hostile_names.py."""

from __future__ import annotations

import html
import re

import pytest

from wmstrategybot.config.event import ConfigError, config_from_dict
from wmstrategybot.config.job import job_from_dict
from wmstrategybot.model.event import Day, Event, Provenance, Session
from wmstrategybot.model.titles import target_problem
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.render.kinds import render_event
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.escaping import PlainText, escape_text

#: markup an editor could put in a name: HTML, attributes, links, files, templates, switches,
#: signatures, entities, list and heading starts, tables, free and magic links, language variants
HOSTILE = [
    '<div style="position:fixed;top:0;left:0;width:100%">FREE PRIZES</div>',
    'Summit" style="position:fixed;top:0',
    "[http://evil.example claim your prize]",
    "https://evil.example/free",
    "mailto:evil@example.org",
    "[[File:Evil.png|400px]]",
    "[[Category:Spam]]",
    "[[:de:Hauptseite|de]]",
    "{{subst:Evil}}",
    "{{#invoke:Evil|run}}",
    "{{{1|x}}}",
    "__NOTOC__ __NOINDEX__",
    "~~~~",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#91;&#91;File:Evil.png&#93;&#93;",
    "'''bold''' ''italic''",
    "* a list\n# and more\n== heading ==",
    "= heading =",
    "{| class=wikitable\n|-\n| cell\n|}",
    "----",
    " preformatted",
    "-{zh-hans:x; zh-hant:y}-",
    "ISBN 9780000000000 RFC 1234",
    "<nowiki>x</nowiki><ref>r</ref><includeonly>i</includeonly>",
    "a | b || c ! d",
    "<!-- comment",
]
#: what escaped text must never hold: the starts of markup
_MARKUP = re.compile(r"[\[\]{}|<\"]|''|~~~|__|://|^[ *#:;=!-]|&#?\w+;(?<!&#\d\d;)(?<!&#\d\d\d;)")


@pytest.mark.parametrize("value", HOSTILE + ["Wikimedia Summit 2022: Documentation", "R&D - Day 1"])
def test_escaped_text_shows_what_was_typed_and_holds_no_markup(value):
    out = escape_text(value)
    assert html.unescape(out) == re.sub(r"\s*[\r\n]\s*|\t", " ", value)
    assert not _MARKUP.search(out), out


def test_ordinary_names_are_left_as_they_are():
    for name in ("Wikimedia Summit 2022: Documentation", "R&D - Day 1", "Diversity & Inclusion", "WikiCon 2012"):
        assert escape_text(name) == name


def _event() -> Event:
    session = Session("s1", "D1.01", 1, 1, "Opening", source=Provenance("Summit/Day 1", anchor="Opening"))
    return Event("summit", "Summit", "Summit", days=(Day(1, "Summit/Day 1", "2018-04-20"),), sessions=(session,))


def _config(name: str, render: str = "wikitext", area: str = "Capacity building"):
    return config_from_dict({
        "event": {"root": "Summit", "days": ["Day 1"], "name": name, "render": render},
        "targets": {"summary": "Summit/Overview", "navbox": "Template:Summit navigation",
                    "signups": "Summit/Sign-up", "data": "Summit/Data.json"},
        "areas": {area: []},
    })


def _pages(name: str, render: str) -> dict[str, str]:
    pages = render_event(_event(), _config(name, render), load_skeletons())
    return {p.title: re.sub(r"sha1=[0-9a-f]+", "sha1=*", p.fresh) for p in pages if p.content_model == "wikitext"}


@pytest.mark.parametrize("render", ["wikitext", "module"])
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_name_reaches_every_page_as_text(value, render):
    """Each page with the hostile name is the page with a plain name, the name swapped for its
    text: the name changes nothing else, and shows as typed (escape_text, tested above)."""
    config = _config(value, render)
    assert isinstance(config.name, PlainText)
    plain = _pages("Zqxname", render)
    hostile = _pages(value, render)
    assert hostile.keys() == plain.keys() and len(plain) >= 3
    assert sum(text.count("Zqxname") for text in plain.values()) >= 3  # the name is on several pages
    for title, text in plain.items():
        assert hostile[title] == text.replace("Zqxname", escape_text(config.name)), title


@pytest.mark.parametrize("value", ["Roles & [[Responsibilities]]", "A <b>bold</b> area", "Area {{x}} | y", "=Area="])
def test_an_area_named_with_markup_gets_a_section_the_next_run_finds_again(value):
    config = _config("Summit", area=value)
    signups = next(p for p in render_event(_event(), config, load_skeletons()) if p.kind == "signups")
    (section,) = signups.area_sections.values()
    heading = section.strip().splitlines()[0]
    assert value not in heading or value == escape_text(value)
    index = AreaIndex(config.areas)
    assert index.canonical(heading.strip("= ")) == value


@pytest.mark.parametrize("title", ["Summit/&#91;x&#93;", "Summit/&lt;b&gt;", "Summit/&amp;Co",
                                   "Summit/Ove\u200frview", "Summit/\u202eweivrevO", "Summit/Over\u180eview", "Summit/Over\u00a0view"])
def test_a_target_title_the_wiki_would_read_otherwise_is_refused(title):
    assert target_problem(title, 0)
    with pytest.raises(ConfigError):
        config_from_dict({"event": {"root": "Summit", "days": ["Day 1"]}, "targets": {"summary": title}})


@pytest.mark.parametrize("key", ["operator", "stop_page", "allowlist", "status_page"])
@pytest.mark.parametrize("value", ["User:X]] [[File:Evil.png", "User:X|evil", "User:{{Evil}}", "User:&#91;X",
                                   "User:X\u200e", "User:X<b>"])
def test_a_job_file_title_that_names_no_page_is_a_config_error(key, value):
    with pytest.raises(ConfigError) as caught:
        job_from_dict({"job": {key: value}})
    assert key in str(caught.value)
