"""Finding the events that opt in (`Source.embedded_in`) on the text sources; the live wiki's
answer is checked in test_live_discover.py against the same texts."""

from __future__ import annotations

import pytest

from wmstrategybot.sources import (
    DirSource,
    DumpSource,
    MemorySource,
    PageRecord,
    export_xml,
)
from wmstrategybot.sources.base import template_name
from wmstrategybot.wikitext.text import template_calls

#: pages calling "Event track bot" in the ways the wiki accepts, and pages that do not call it
PAGES = {
    "Event A/Root": "Intro.\n{{Event track bot|name=A|days=Day 1}}\n",
    "Event B/Root": "{{ template : event_track_bot\n|name=B}}",
    "User:Alice/My event": "{{Template:Event track bot<!-- a comment -->|name=Alice's}}",
    "Linking": "See [[Template:Event track bot]] and {{tl|Event track bot}}.",
    "Other": "{{Event track bot other|name=x}} {{Other template|Event track bot}}",
    "Quoted": "<nowiki>{{Event track bot}}</nowiki> <!-- {{Event track bot}} --> <pre>{{Event track bot}}</pre>",
    "Substituted": "{{subst:Event track bot|name=x}}",
}
CALLING = ["Event A/Root", "Event B/Root", "User:Alice/My event"]


def test_a_template_is_named_as_the_wiki_compares_names():
    assert template_name("template:event_track_bot") == template_name("Event  track bot") == "Event track bot"
    assert template_name("Template:Event track bot") == "Event track bot"
    assert template_name("Project:Event track bot") == "Project:Event track bot"


def test_calls_are_found_outside_comments_and_nowiki_only():
    assert template_calls(PAGES["Quoted"]) == set()
    assert template_calls(PAGES["Event B/Root"]) == {"event_track_bot"}
    assert template_calls(PAGES["Linking"]) == {"tl"}
    assert template_calls("{{Foo\n|a}} {{Bar }} {{Baz") == {"Foo", "Bar"}


def _memory():
    return MemorySource(PAGES)


def _dump(tmp_path):
    path = tmp_path / "export.xml"
    path.write_bytes(export_xml(PageRecord(t, x, i) for i, (t, x) in enumerate(PAGES.items(), 1)))
    return DumpSource(path)


def _dir(tmp_path):
    for title, text in PAGES.items():
        path = tmp_path / "wiki" / f"{title}.wikitext"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return DirSource(tmp_path / "wiki")


@pytest.mark.parametrize("make", [lambda _: _memory(), _dump, _dir], ids=["memory", "dump", "dir"])
def test_text_sources_list_the_pages_that_call_the_template(make, tmp_path):
    source = make(tmp_path)
    assert source.embedded_in("Event track bot") == CALLING
    assert source.embedded_in("Template:event_track_bot") == CALLING
    assert source.embedded_in("Other template") == ["Other"]
    assert source.embedded_in("Nobody calls this") == []


def test_the_snapshot_calls_its_navbox():
    from wmstrategybot.sources import SnapshotSource

    found = SnapshotSource().embedded_in("Wikimedia Conference 2018 Movement Strategy track navigation")
    assert "Wikimedia Conference 2018/Documentation/Movement Strategy track/Day 1" in found


def test_the_memory_source_counts_a_request_per_500_titles():
    pages = {f"E{n}/Root": "{{Event track bot|name=x}}" for n in range(501)}
    source = MemorySource(pages)
    assert len(source.embedded_in("Event track bot")) == 501 and source.requests == 2
