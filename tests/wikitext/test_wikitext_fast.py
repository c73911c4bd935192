"""The scanner-based wikitext functions give what the parser-based ones gave.

``wikitext_reference`` is the module as it was before the scan (every function parsed its
fragment with mwparserfromhell). On the fixture pages, the snapshot and generated text made
of whole constructs the results must be the same; on broken markup (a ``{{`` never closed
just before a free URL, say) the two may read a URL's end differently, and neither raises.
"""

from __future__ import annotations

import pytest
import wikitext_reference as reference
from helpers import FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from wmstrategybot.sources import SnapshotSource
from wmstrategybot.wikitext import clean as wikitext
from wmstrategybot.wikitext import escaping, fragments

#: each function compared, from the module it lives in now
OURS = {"clean": wikitext.clean, "paragraphs": wikitext.paragraphs, "links": fragments.links,
        "list_items": fragments.list_items, "images": fragments.images, "tables": fragments.tables}
FUNCTIONS = list(OURS)


def _pages() -> list[str]:
    texts = [p.read_text("utf-8") for p in sorted(FIXTURES.rglob("*.wikitext"))]
    source = SnapshotSource()
    texts += [r.text for r in source.read(source.titles()).values() if r.text]
    return texts


def _windows(text: str) -> list[str]:
    lines = text.split("\n")
    return ["\n".join(lines[i: i + size]) for size in (1, 4, 15) for i in range(0, len(lines), max(1, size // 2))]


FRAGMENTS = [w for page in _pages() for w in (page, *_windows(page))]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_same_results_on_the_fixture_pages(name):
    new, old = OURS[name], getattr(reference, name)
    differ = [f for f in FRAGMENTS if new(f) != old(f)]
    assert not differ, differ[:3]


#: whole constructs: a heading is one only on a line of its own (mwparserfromhell reads a heading
#: that runs on over a template's lines, and a free URL in it ending at "=", where MediaWiki
#: expands the template first and the line is no heading)
PIECES = st.sampled_from([
    "\n== D1.01 / Title ==\n", "'''Session 2: Bold'''", "''italic''", "{{Session|D1.03 / Tpl}}", "{{Box|image=A b.jpg|x=[[y|z]]}}",
    "{{Nav\n|a=b\n}}", "[[File:Y.png|thumb|A [[a]] b]]", "[[Category:K]]", "[[:File:Z.jpg]]", "[[a|b]]", "[[c]]",
    "{|\n! h !! i\n|-\n| a || b\n|}", '{| class="wikitable"\n|-\n| style="x" | c\n| d\n|}', "{|\n| [[a|b]] || {{t}}\n|}",
    "* item [[a|b]]", "# item", "<!-- c -->", "<div>[[File:D.jpg]] x</div>", "<gallery>\nFile:G.jpg|c\n</gallery>",
    "[http://x.example.org y]", "[//p.org q]", "see http://e.example.org/a_(b). and", "mailto:a@b.c", "<ref>r http://r.example.org</ref>",
    "<references/>", "__NOTOC__", "&amp;", "<br>", "text", "Some words.", " ", "\n", "\n\n", "=",
])
WIKITEXT = st.lists(PIECES, max_size=25).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=WIKITEXT)
def test_same_results_on_generated_text(text):
    for name in FUNCTIONS:
        assert OURS[name](text) == getattr(reference, name)(text), name


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(st.text(max_size=200), st.lists(PIECES | st.sampled_from(["{{", "}}", "[[", "]]", "[", "|"]),
                                                      max_size=30).map("".join)))
def test_broken_markup_never_raises(text):
    for name in FUNCTIONS:
        OURS[name](text)
    escaping.escape_value(text)


_TOKEN = __import__("re").compile(r"\[\[?|\]\]|\{\{|\}\}|(?<!\w)[A-Za-z0-9]+:")


def _first_token(text: str, pos: int) -> tuple[int, str] | None:
    """The scan's token as the regex it replaced reads it: words that are no URI scheme skipped."""
    from mwparserfromhell.definitions import URI_SCHEMES

    for m in _TOKEN.finditer(text, pos):
        if not m.group(0).endswith(":") or m.group(0)[:-1].lower() in URI_SCHEMES:
            return m.start(), m.group(0)
    return None


@settings(max_examples=500, deadline=None)
@given(text=st.lists(st.sampled_from(["[", "]", "{", "}", ":", "http", "HTTPS", "ftp", "news", "mailto", "x", "é", "_", "7",
                                      " ", "\n", "|", "a" * 30, "//"]), max_size=30).map("".join),
       pos=st.integers(0, 40))
def test_token_search_is_the_former_regex(text, pos):
    from wmstrategybot.wikitext.scan import _token

    assert _token(text, pos) == _first_token(text, pos)
