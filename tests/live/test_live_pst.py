"""What the wiki stores is what the bot sent, and quoted markup stays text (the real MediaWiki).

The pre-save transform rewrites signatures, the pipe trick and subst on every save; a region
stored differently from what the bot sent fails its checksum on the next run and the bot
refuses its own page for good. Markup quoted in a session (a switch, a category, {{nobots}})
must not change the generated pages' categories, properties or templates.
"""

from __future__ import annotations

import html
import itertools
import json
import os

import pytest
from helpers import FIXTURES, ROOT, MemorySource, inject_corpus

from wmstrategybot.config.files import load_config
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.publish.read import read_event
from wmstrategybot.render.kinds import render_event
from wmstrategybot.sources import SnapshotSource, open_source

EVENTS = FIXTURES / "events"
_copies = itertools.count(1)


def _snapshot_texts() -> dict[str, str]:
    source = SnapshotSource()
    return {t: r.text for t, r in source.read(source.titles()).items() if r.text is not None}


def _fixture_events() -> list[tuple[str, object, object]]:
    """(name, config, source) of every fixture event, and the 2018 pages with the corpus in them."""
    events = []
    for folder in sorted(p for p in EVENTS.iterdir() if (p / "config.toml").is_file()):
        config = load_config(folder / "config.toml")
        pages = folder / "pages"
        events.append((folder.name, config, open_source(f"dir:{pages}", config) if pages.is_dir() else SnapshotSource()))
    events.append(("2018 with the corpus", load_config(), MemorySource(inject_corpus(_snapshot_texts(), ROOT))))
    return events


def _parsed(admin, title: str) -> tuple[set[str], set[str], set[str], str]:
    parse = admin.get(action="parse", page=title, prop="categories|properties|templates|text", formatversion=2)["parse"]
    properties = parse["properties"]  # {name: value} in formatversion 2, [{name, *}] before
    return ({c["category"] for c in parse["categories"]},
            set(properties) if isinstance(properties, dict) else {p["name"] for p in properties},
            {t["title"] for t in parse["templates"]}, parse["text"])


@pytest.mark.parametrize("name, config, source", _fixture_events(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_generated_page_is_stored_as_sent(name, config, source, admin):
    event, _ = read_event(config, source)
    n = next(_copies)
    for page in render_event(event, config, load_skeletons()):
        ns, _, rest = page.title.rpartition(":") if page.title.startswith("Template:") else ("", "", page.title)
        title = f"{ns}:PST {n} {rest}" if ns else f"PST {n}/{rest}"
        extra = {"contentmodel": "json"} if page.content_model == "json" else {}
        onlypst = admin.post(action="parse", title=title, text=page.fresh, onlypst=1, formatversion=2,
                             contentmodel=page.content_model)["parse"]["text"]
        admin.edit(title, page.fresh, "stored as sent?", **extra)
        stored = admin.page_text(title)
        if page.content_model == "json":  # the wiki re-indents JSON; its values must be the same
            assert json.loads(stored) == json.loads(page.fresh), (name, page.kind)
            assert "~~~~" in page.fresh or name != "2018 with the corpus"
            continue
        assert stored == page.fresh.rstrip(), (name, page.kind)  # a save trims the page's end, no more
        assert onlypst == stored, (name, page.kind)


def test_the_corpus_on_a_day_page_reaches_the_generated_pages_as_text(event, alice, admin):
    assert event.publish().ok
    wikitext_targets = [t for t in event.targets if not t.endswith(".json")]
    before = {t: _parsed(admin, t)[:3] for t in wikitext_targets}
    texts = {t: admin.page_text(t) for t in (event.title("Day 1"), event.title("Summary"))}
    for title, text in inject_corpus(texts, event.root).items():
        alice.edit(title, text, "quoting markup in a session")

    report = event.publish()
    assert report.ok, report.outcomes
    actions = {o.title: o.action for o in report.outcomes}
    assert actions[event.config.targets.get("overview")] == "updated" and actions[event.navbox] == "updated"
    for title in wikitext_targets:
        categories, properties, templates, rendered = _parsed(admin, title)
        used = {"Template:Tl"} if title == event.config.targets.get("overview") else set()  # the one the corpus uses
        assert (categories, properties, templates - used) == before[title], title
        assert "Event track session" not in rendered and "Event track navbox" not in rendered  # no broken call
    overview = _parsed(admin, event.config.targets.get("overview"))[3]
    assert overview.count('class="event-track-session"') == 8
    shown = html.unescape(overview)  # quoted markup is shown as the Day page shows it
    assert "~~~~" in shown and "__noindex__" in shown and "{{nobots}}" in shown and "[[Help:Contents (editing)|]]" in shown

    revisions = event.revisions()
    again = event.publish()  # no lockout: every region still matches its checksum
    assert {o.action for o in again.outcomes} == {"unchanged"}, again.outcomes
    assert event.revisions() == revisions


def test_escaped_values_stay_one_parameter_for_the_wiki_preprocessor(admin):
    """Random mixes of markup, escaped, each as a parameter of its own call: the wiki's own
    preprocessor reads every call with exactly its two parameters, and a save changes nothing."""
    import random
    import xml.etree.ElementTree as ET

    from wmstrategybot.render.base import heading, link
    from wmstrategybot.wikitext.escaping import escape_value

    pieces = ["[[", "]]", "[", "]", "{{", "}}", "{", "}", "{{{", "}}}", "|", "~", "~~", "_", "__", "<!--", "-->",
              "<nowiki>", "</nowiki>", "<pre>", "</pre>", "<ref>", "</ref>", "<b>", "</b>", "<includeonly>", "-{", "}-",
              "subst:", "Category:", "nobots", "#if:", "NOINDEX", "a", " ", "\n", "(b)", "=", "<math>", "</math>",
              "\n=", "==", "-", "<!-- -->", "<nowiki/>", "<br>", "&#124;", "DEFAULTSORT:", "DISPLAYTITLE:", "bots"]
    rng = random.Random(int(os.environ.get("PST_FUZZ_SEED", "11")))
    values = ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 25)))
              for _ in range(int(os.environ.get("PST_FUZZ_VALUES", "400")))]
    for made in (escape_value, lambda v: link("Day 1", v, v), lambda v: heading(v)):  # values, navbox links, headings
        text = "\n\n".join(f"{{{{T|a={made(v)}|b=ok}}}}" for v in values)
        tree = ET.fromstring(admin.post(action="parse", title="PST fuzz", text=text, prop="parsetree",
                                        contentmodel="wikitext", formatversion=2)["parse"]["parsetree"])
        calls = tree.findall("template")
        assert len(calls) == len(values)
        for call, value in zip(calls, values):
            parts = call.findall("part")
            assert [p.findtext("name") for p in parts] == ["a", "b"] and parts[1].findtext("value") == "ok", value
        onlypst = admin.post(action="parse", title="PST fuzz", text=text, onlypst=1, contentmodel="wikitext",
                             formatversion=2)["parse"]["text"]
        assert onlypst == text
        parsed = admin.post(action="parse", title="PST fuzz", text=text, prop="categories|properties|templates",
                            contentmodel="wikitext", formatversion=2)["parse"]
        assert all(c["category"].startswith("Pages_") for c in parsed["categories"])  # tracking categories only
        assert not parsed["properties"]
        assert not {t["title"] for t in parsed["templates"]} & {"Template:Nobots", "Template:Bots"}
