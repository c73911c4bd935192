"""Text from people's pages placed in generated pages: the injection corpus, offline.

What MediaWiki would do to the result is modelled here from its source (Parser::pstPass2,
the preprocessor's bracket rules); tests/live/test_live_pst.py checks the same on the real wiki.
"""

from __future__ import annotations

import html
import re

import mwparserfromhell
import pytest
from helpers import CORPUS_TEXT, CORPUS_TITLE
from hypothesis import given, settings
from hypothesis import strategies as st

from wmstrategybot.plan.guards import bots_allow
from wmstrategybot.render.base import heading, link, template_call
from wmstrategybot.wikitext.escaping import escape_value
from wmstrategybot.wikitext.regions import region_text

INJECTIONS = [
    "a | b", "a || b", "a !! b", "{{!}}", "|}", "}}", "{{", "x}}{{Evil}}", "-starts with minus", "+plus",
    "== heading ==", "<nowiki>|</nowiki>", "<nowiki>|", "<!-- unclosed", "a <!-- closed --> b", "[[Category:Injected]]",
    "[[ category : Spaced|sort]]", "[[&#67;ategory:Entity]]", "[[:Category:Fine]]", "[[de:Interlanguage]]",
    "~~~", "~~~~", "~~~~~", "~~<!-- -->~~", "{{Tl|~~~~}}", "[[User:~~~~|~~~]]", "{{subst:Evil}}", "{{ SUBST:Evil|a}}", "{{safesubst:Evil}}",
    "{{T|{{subst:X|a}}}}", "[[Help:Contents (editing)|]]", "[[Foo (bar)|]]", "[[A, B|]]", "[[|Reverse]]",
    "__NOINDEX__", "__noindex__", "__NOTOC__", "a___b", "{{DEFAULTSORT:x}}", "{{DISPLAYTITLE:x}}", "{{#if:a|b}}",
    "{{nobots}}", "{{ Nobots }}", "{{bots|deny=all}}", "{{Template:Bots|deny=all}}", "{{&#110;obots}}", "{{ {{X}} }}",
    "[[", "]]", "[[a", "a]]", "[[a|b", "{{T|[[a|b}}", "[[a}}b]]", "{{{1}}}", "-{a|b}-", "[[[a]]]",
    "<includeonly>x</includeonly>", "<onlyinclude>x</onlyinclude>", "</noinclude>", "<ref>a|b</ref>",
    "<math>{{T</math>}}", "<ref>a<!-- </ref> -->b</ref>", "<ref name=\"a|b\">x</ref>", "<pre>~~~~ | }}</pre>",
    "[[Foo|bar]] | baz", "[http://example.org a|b]", "=equals=", "see [[A|b]] and {{T|x}}", "[[File:X.jpg|thumb|a|b]]",
    CORPUS_TITLE, CORPUS_TEXT,
]

# -- what MediaWiki would make of a text (from includes/parser/Parser.php, MediaWiki 1.39) ----

_OPAQUE = re.compile(r"<!--.*?-->|<(nowiki|pre)\b[^>]*>.*?</\1\s*>|<nowiki\s*/>", re.S | re.I)
_TC = r"[ %!\"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~\x80-\U0010ffff+]"
_NC = r"[ _0-9A-Za-z\x80-\U0010ffff-]"
_PIPE_TRICKS = [
    re.compile(rf"\[\[(:?{_NC}+:|:|)({_TC}+?)( ?\({_TC}+\))\|\]\]"),
    re.compile(rf"\[\[(:?{_NC}+:|:|)({_TC}+?)( ?（{_TC}+）)\|\]\]"),
    re.compile(rf"\[\[(:?{_NC}+:|:|)({_TC}+?)( ?\({_TC}+\)|)((?:, |，|، ){_TC}+|)\|\]\]"),
    re.compile(rf"\[\[\|({_TC}+)\]\]"),
]
_SUBST = re.compile(r"\{\{\s*(?:safe)?subst:", re.I)
_CALL = re.compile(r"\{\{([^{}|]*)")
_LINK = re.compile(r"\[\[([^\[\]|]*)")


def _read(text: str) -> str:
    """`text` as the transform and the parser read it: comments, <nowiki> and <pre> blanked."""
    return _OPAQUE.sub(lambda m: " " * len(m.group(0)), text)


def pst_changes(text: str) -> list[str]:
    """What the pre-save transform would rewrite in `text` (signatures, subst, pipe tricks)."""
    read = _read(text)
    found = ["signature"] if "~~~" in read else []
    found += ["subst"] if _SUBST.search(read) else []
    found += [f"pipe trick {p.search(read).group(0)!r}" for p in _PIPE_TRICKS if p.search(read)]
    return found


def _title(text: str) -> str:
    return re.sub(r"\s*:\s*", ":", " ".join(html.unescape(text).replace("_", " ").split())).lower()


def markup_left(text: str) -> list[str]:
    """Switches, categories, bots templates, parser functions and inclusion tags in `text`."""
    read = _read(text)
    found = ["switch"] if "__" in read else []
    found += [f"category {t!r}" for t in _LINK.findall(read) if _title(t).startswith(("category:", "kategorie:"))]
    for name in _CALL.findall(read):
        title = _title(name).removeprefix("template:")
        if title in ("bots", "nobots") or title.startswith("#") or ":" in title:
            found.append(f"call {name!r}")
    found += re.findall(r"<(?:includeonly|noinclude|onlyinclude)\b|</(?:includeonly|noinclude|onlyinclude)\b", read, re.I)
    found += ["unclosed comment"] if "<!--" in read else []
    return found


@pytest.mark.parametrize("value", INJECTIONS)
def test_an_escaped_value_is_stable_under_the_pre_save_transform(value):
    assert pst_changes(escape_value(value)) == []


@pytest.mark.parametrize("value", INJECTIONS)
def test_an_escaped_value_holds_no_switch_category_or_opt_out(value):
    assert markup_left(escape_value(value)) == []


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_value_stays_one_parameter_of_one_call(value):
    call = template_call("T", [("text", value), ("after", "ok")])
    tpl = mwparserfromhell.parse(call).filter_templates(recursive=False)
    assert len(tpl) == 1 and str(tpl[0]) == call
    assert [str(p.name).strip() for p in tpl[0].params] == ["text", "after"]
    assert str(tpl[0].get("after").value).strip() == "ok"


def _call_of_nodes(name: str, params: list[tuple[str, str]], block: bool) -> str:
    """template_call as it was built: of mwparserfromhell nodes."""
    from mwparserfromhell.nodes import Template, Text
    from mwparserfromhell.nodes.extras import Parameter
    from mwparserfromhell.wikicode import Wikicode

    end = "\n" if block else ""
    tpl = Template(mwparserfromhell.parse(name + end))
    for key, value in params:
        if value:
            tpl.params.append(Parameter(mwparserfromhell.parse(key), Wikicode([Text(escape_value(value) + end)])))
    return str(tpl)


@settings(max_examples=300, deadline=None)
@given(name=st.sampled_from(["T", "Event track session", "Navbox with columns", "Bench/x"]),
       params=st.lists(st.tuples(st.sampled_from(["code", "title", "1", "list1", "label"]),
                                 st.one_of(st.sampled_from(INJECTIONS), st.text(max_size=30))), max_size=6),
       block=st.booleans())
def test_a_call_is_the_text_of_its_nodes(name, params, block):
    assert template_call(name, params, block=block) == _call_of_nodes(name, params, block)


def test_the_corpus_needs_the_escaping():
    """The checks above find what they look for: the raw corpus fails each of them."""
    assert {"signature", "subst"} <= set(pst_changes(CORPUS_TEXT))
    assert any(c.startswith("pipe trick") for c in pst_changes("[[Help:Contents (editing)|]] [[|Reverse]]"))
    found = markup_left(CORPUS_TEXT)
    assert "switch" in found and any(c.startswith("category") for c in found)
    assert any("nobots" in c for c in found) and any("DEFAULTSORT" in c for c in found)


@pytest.mark.parametrize("value, escaped", [
    ("see [[A|b]] and {{T|x}}", "see [[A|b]] and {{T|x}}"),
    ("[[Foo|bar]] | baz", "[[Foo|bar]] {{!}} baz"),
    ("[[Category:Injected]]", "[[:Category:Injected]]"),
    ("__NOINDEX__", "_&#95;NOINDEX_&#95;"),
    ("~~~~", "&#126;&#126;&#126;&#126;"),
    ("~~<!-- -->~~", "~~<!-- -->~~"),
    ("{{Tl|~~~~}}", "{{Tl|&#126;&#126;&#126;&#126;}}"),  # an ordinary template stays one (content)
    ("[[Help:Contents (editing)|]]", "[[Help:Contents (editing){{!}}]]"),  # shown as MediaWiki shows [[X|]]
    ("{{DEFAULTSORT:x}}", "&#123;&#123;DEFAULTSORT:x&#125;&#125;"),
    ("{{bots|deny=all}}", "&#123;&#123;bots{{!}}deny=all&#125;&#125;"),
    ("{{T|{{subst:X|a}}}}", "{{T|&#123;&#123;subst:X{{!}}a&#125;&#125;}}"),  # one argument of T, shown as text
    ("[[a|b", "&#91;&#91;a{{!}}b"),
    ("{{T|[[a|b}}", "&#123;&#123;T{{!}}&#91;&#91;a{{!}}b&#125;&#125;"),  # '}}' inside an open '[[' is text
    ("<nowiki>|}}</nowiki>", "<nowiki>|}}</nowiki>"),
    ("<nowiki>|", "&lt;nowiki>{{!}}"),
    ("<math>{{T</math>}}", "<math>&#123;&#123;T</math>&#125;&#125;"),  # nothing pairs across a tag
    ("<!-- unclosed", "&lt;!-- unclosed"),
    ("<onlyinclude>x</onlyinclude>", "&lt;onlyinclude>x&lt;/onlyinclude>"),
    ("-{a|b}-", "-&#123;a{{!}}b&#125;-"),
    ("text\n== heading ==", "text\n&#61;= heading =="),  # the preprocessor would read the line as one
])
def test_escape_value_examples(value, escaped):
    assert escape_value(value) == escaped


PIECES = st.sampled_from([
    "[[", "]]", "[", "]", "{{", "}}", "{", "}", "{{{", "}}}", "|", "~", "~~", "_", "__", "<!--", "-->", "<nowiki>",
    "</nowiki>", "<nowiki/>", "<pre>", "</pre>", "<ref>", "</ref>", "<b>", "</b>", "<includeonly>", "-{", "}-",
    "subst:", "Category:", "nobots", "bots", "#if:", "DEFAULTSORT:", "NOINDEX", "a", " ", "\n", "(b)", "=", "&#110;",
    "\n=", "==",
])


@settings(max_examples=400, deadline=None)
@given(value=st.lists(PIECES, max_size=30).map("".join))
def test_any_mix_of_markup_is_escaped(value):
    escaped = escape_value(value)
    assert pst_changes(escaped) == []
    assert markup_left(escaped) == []
    assert "\n=" not in _read(escaped)
    assert escape_value(value) == escaped


def test_link_and_heading_carry_no_switch_or_pipe_trick():
    made = link("Day 1", "D1.01 / __NOINDEX__ ~~~~", "")
    assert "__" not in made and "~~~" not in made and not made.endswith("|]]")
    assert pst_changes(made) == [] and markup_left(made) == []
    assert link("Day 1", None, "label]") == "[[Day 1|label&#93;]]"
    assert heading("a\n== b", 2) == "== a == b ==" and heading("__NOTOC__") == "== _&#95;NOTOC_&#95; =="


def test_the_bots_check_reads_only_what_people_wrote():
    quoted = "intro\n" + region_text("sessions", "{{nobots}} {{bots|deny=all}}") + "\noutro"
    assert bots_allow(quoted, "wmstrategybot")
    assert not bots_allow("{{nobots}}\n" + quoted, "wmstrategybot")
    assert bots_allow('{"data": {"title": "{{nobots}}"}}', "wmstrategybot", "json")


def test_a_second_plan_over_the_corpus_refuses_nothing():
    """{{nobots}} quoted in a session reaches the overview (as text) and the data page's JSON, and
    text the wiki stores otherwise (not NFC, a control character) reaches pages the bot creates:
    none of it may make the bot refuse its own pages on the next run."""
    from helpers import ROOT, MemorySource, inject_corpus

    from wmstrategybot.config.files import load_config
    from wmstrategybot.publish.apply import apply
    from wmstrategybot.publish.read import plan
    from wmstrategybot.render.datapage import data_page_edit
    from wmstrategybot.sources import SnapshotSource

    snapshot = SnapshotSource()
    texts = {t: r.text for t, r in snapshot.read(snapshot.titles()).items() if r.text is not None}
    texts = inject_corpus(texts, ROOT)
    day1 = f"{ROOT}/Day 1"
    texts[day1] = texts[day1].replace("== D1.02 / The Possibilities", "== D1.02 / The Possibilities Cafe\u0301\x01", 1)
    source, config = MemorySource(texts), load_config()
    assert apply(plan(config, source), source, config).ok
    data = next(text for title, text in source.pages.items() if title.endswith("Data.json"))
    assert "{{nobots}}" in data and "Caf\u00e9" in data
    assert data_page_edit(data) is None  # what the wiki stores (NFC) still matches its checksum
    assert {(e.kind, e.action) for e in plan(config, source).edits} == {
        ("navbox", "unchanged"), ("overview", "unchanged"), ("signups", "unchanged"), ("data", "unchanged")}
