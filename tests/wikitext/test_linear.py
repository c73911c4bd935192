"""The linear scans give what the regular expressions they replace gave, on hostile input too.

The expressions (lazy ``.*?`` searches, which rescan to the end of the page for every
opening tag never closed) are kept here and in ``wikitext_reference``; the scans must find
the same spans. No test here measures time: bench/pathological.py does.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
import wikitext_reference as reference
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mwparserfromhell.definitions import PARSER_BLACKLIST

from wmstrategybot.plan import guards
from wmstrategybot.render import signups as render
from wmstrategybot.wikitext import fragments, signuptable
from wmstrategybot.wikitext import regions as merge
from wmstrategybot.wikitext import scan as wikiscan
from wmstrategybot.wikitext import text as wikitext

PIECES = st.sampled_from([
    "<pre>", "</pre>", "<PRE>", "</pre >", "<pre/>", "<pre x/>", "<pre x>", "<pre", "<nowiki>", "</nowiki>", "<nowiKi>",
    "</NOWİKI>", "<nowıki>", "</nowiki>", "<ſource>", "</source>", "<math>", "</math\n>", "<syntaxhighlight lang=x>",
    "</syntaxhighlight>", "<gallery>", "</gallery>", "<ce>", "</ce>", "<categorytree>", "</categorytree >", "<section/>",
    "<!--", "-->", "<!-- c -->", "<", ">", "/", "/>", "-", "--", "x", " ", "\n", "=",
    "<!-- wmstrategybot:begin a -->", "<!-- wmstrategybot:begin a sha1=0123456789ab -->",
    "<!-- wmstrategybot:end a -->", "<!-- wmstrategybot:begin ab-->", "<!-- wmstrategybot:end ab -->",
    "<!-- wmstrategybot:begin a-b--->", "<!-- wmstrategybot:end a-b- -->", "<!-- wmstrategybot:end a-b -->",
    "<!-- wmstrategybot:begin ", "<!-- wmstrategybot:end ", "a", "b", "-", "a-b",
])
TEXT = st.lists(PIECES, max_size=30).map("".join)
_UNPARSED_TAGS = re.compile(rf"<({'|'.join(PARSER_BLACKLIST)})\b[^>]*>.*?</\1\s*>", re.S | re.I)


def mask_unparsed_by_regex(text: str) -> str:
    return _UNPARSED_TAGS.sub(reference._blank, text)


@settings(max_examples=1500, deadline=None)
@given(text=TEXT)
def test_masks_same_as_the_regular_expressions(text):
    assert wikitext.mask(text) == reference.mask(text)
    assert wikitext.mask(text, regions=False) == reference.mask(text, regions=False)
    assert wikitext.mask_extension_tags(text) == reference.mask_extension_tags(text)
    assert wikiscan.mask_unparsed(text) == mask_unparsed_by_regex(text)


LINE_PIECES = st.sampled_from([
    "=", "==", "===", "======", " ", "\t", "\u00a0", "\n", "x", "a b", "[[", "]]", "[", "]", "|", "[[a|b]]", "[[a]]",
    "[//x y]", "[http://example.org", "[https://example.org a b]", "//", "http:", "<translate>", "</translate>", "<translate", "<tvar x>",
    "<tvar", "</tvar>", "<!--T:1-->", "<!--T:", "<languages/>", "<languages  >", "</>", "<", ">", "<b>", "'''", "''",
    "<TRANSLATE nowrap>", "<span>", "Category:", "[[Category:x]]",
])
LINE = st.lists(LINE_PIECES, max_size=25).map("".join)


@settings(max_examples=1500, deadline=None)
@given(line=LINE)
def test_line_functions_same_as_the_regular_expressions(line):
    new, old = wikitext.heading(line), reference.heading(line)
    assert (new and (new.level, new.title)) == (old and (old.level, old.title))
    assert wikitext.plain_line(line) == reference.plain_line(line)
    assert wikitext.strip_links(line) == reference.strip_links(line)
    assert wikitext.strip_translate(line) == reference.strip_translate(line)
    assert wikitext.reader_text(line) == reference.reader_text(line)


MARKUP = st.lists(st.sampled_from([
    "{{", "}}", "}}}", "{", "}", "<!--", "-->", "--", "[[Category:a]]", "[[ category :b", "[[category:", "]]", "]", "[[",
    "\n", " ", "x", "English", ", ", "[[a|b]]", "<b>", "~~~~",
]), max_size=25).map("".join)


def plain_words_by_regex(text: str) -> str:
    text = wikitext.plain_line(re.sub(r"\{\{.*?\}\}|<!--.*?(-->|$)|\[\[\s*category\s*:[^\]]*\]\]", " ", text, flags=re.I | re.S))
    return " ".join(render._NOT_PLAIN.sub(" ", text).split())


def trailing_categories_by_regex(text: str) -> int:
    m = re.search(r"(?:\[\[\s*Category\s*:[^\]]*\]\]\s*)+\Z", text, re.I)
    return m.start() if m else len(text)


@settings(max_examples=1500, deadline=None)
@given(text=MARKUP)
def test_plain_words_and_trailing_categories_same_as_the_regular_expressions(text):
    assert render.plain_words(text) == plain_words_by_regex(text)
    assert merge.trailing_categories(text) == trailing_categories_by_regex(text)


#: What people may write, many times over, where the bot reads (bench/pathological.py times these).
HOSTILE = ["<pre>x\n", "<nowiki>x\n", "<pre x", "<!--x\n", "{{x\n", "{|\n| x\n", "[[x [//x y ", "<translate x ",
           "<!-- wmstrategybot:begin x -->\n", "<!-- wmstrategybot:begin x-->\n", "[[Category:x ", "== [[x <tvar ",
           "=" + " " * 50 + "x\n"]


@pytest.mark.parametrize("unit", HOSTILE)
def test_pathological_text_reads_as_the_regular_expressions_read_it(unit):
    text = "== A ==\n" + unit * 200 + "\n<pre>y</pre> <!-- wmstrategybot:begin x -->z<!-- wmstrategybot:end x -->\n"
    assert wikitext.mask(text) == reference.mask(text)
    assert wikitext.mask_extension_tags(text) == reference.mask_extension_tags(text)
    assert wikiscan.mask_unparsed(text) == mask_unparsed_by_regex(text)
    for line in (text, *text.split("\n")):
        new, old = wikitext.heading(line), reference.heading(line)
        assert (new and (new.level, new.title)) == (old and (old.level, old.title))
        assert wikitext.plain_line(line) == reference.plain_line(line)
        assert wikitext.strip_translate(line) == reference.strip_translate(line)
    assert render.plain_words(text) == plain_words_by_regex(text)
    assert merge.trailing_categories(text) == trailing_categories_by_regex(text)


@pytest.mark.parametrize("unit", HOSTILE)
def test_pathological_text_below_a_region_is_kept_and_the_region_filled(unit):
    page = "Intro\n" + merge.region_text("sessions", "old") + "\n"
    extra = unit * 200
    if "wmstrategybot" in unit:  # stray markers: the page is refused, whole
        with pytest.raises(merge.MergeRefused):
            merge.fill(page + extra, {"sessions": "new"})
    else:
        assert merge.fill(page + extra, {"sessions": "new"}) == merge.fill(page, {"sessions": "new"}) + extra
    assert guards.bots_allow(page + extra, "wmstrategybot")


@pytest.mark.parametrize("unit", HOSTILE)
def test_pathological_signup_section_keeps_its_signed_rows(unit):
    row = "| [[User:Ann|Ann]] || en || [[User:Ann|Ann]] 12:00, 1 May 2018 (UTC)"
    page = f"== Roles ==\n{{|\n! User !! Lang !! Signature\n|-\n{row}\n|}}\n{unit * 200}\n== Money ==\nText\n"
    rows = signuptable.signed_rows(page)
    assert rows == Counter([row])
    titles = [t for t, _, _ in signuptable.sections(page)]
    assert titles[0] is None and "Roles" in titles


def test_a_cell_of_many_lines_reads_as_before():
    """Lines added to a cell one by one: each step stripped, as (cell + "\\n" + line).strip() was."""
    page = "{|\n|-\n| a  \n  \n b \n\n c\n|  \n x\n|}"
    (row,) = signuptable.table_rows(page)
    assert row.cells == ["a\n b\n c", "x"]
    assert row.text == "| a  \n  \n b \n\n c\n|  \n x"


GALLERY = st.lists(st.sampled_from([
    "<gallery>", "<gallery x", "<GALLERY mode=x>", "</gallery>", "</Gallery >", "<galleryx>", "<", ">", "x", "\n",
    "File:A.jpg|a", "</gallery", " ",
]), max_size=20).map("".join)


@settings(max_examples=1000, deadline=None)
@given(text=GALLERY)
def test_galleries_same_as_the_regular_expression(text):
    by_regex = re.compile(r"<gallery\b[^>]*>(.*?)(?:</gallery\s*>|\Z)", re.S | re.I)
    assert fragments.galleries(text) == [m.group(1) for m in by_regex.finditer(text)]


LINKS = st.lists(st.sampled_from([
    "[", "]", "[[", "]]", "[//x", "[http://example.org", " y", "{{", "}}", "{{t}}", "\n", "|", "[[a|b]]", "[[a]]", "'", "<", ">",
    "x", " ", "http://example.org/a", "mailto:a@b.c", "{{!}}",
]), max_size=25).map("".join)


@settings(max_examples=1500, deadline=None)
@given(text=LINKS)
@example(text="[//x{{a\n}} y]")  # a URL crosses the line inside a template call
@example(text="see [//x{{a|]}} y]")
def test_scan_links_same_as_without_the_line_check(text):
    fast = wikiscan.scan_links(text)
    saved = wikiscan._CLOSING_BRACKET
    wikiscan._CLOSING_BRACKET = re.compile(r".", re.S)  # every '[' is tried by the expression again
    try:
        assert wikiscan.scan_links(text) == fast
    finally:
        wikiscan._CLOSING_BRACKET = saved
