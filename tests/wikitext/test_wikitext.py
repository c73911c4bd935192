"""Escaping of page text that goes into generated template calls."""

from __future__ import annotations

import mwparserfromhell
import pytest

from wmstrategybot.render.base import template_call
from wmstrategybot.wikitext.clean import clean
from wmstrategybot.wikitext.escaping import escape_value
from wmstrategybot.wikitext.fragments import links, list_items
from wmstrategybot.wikitext.text import mask

INJECTIONS = [
    "a | b", "a || b", "a !! b", "{{!}}", "|}", "}}", "{{", "x}}{{Evil}}", "-starts with minus",
    "+plus", "== heading ==", "<nowiki>|</nowiki>", "<!-- unclosed", "[[Category:Injected]]",
    "~~~~", "{{subst:Evil}}", "[[Foo|bar]] | baz", "[http://example.org a|b]", "=equals=",
]


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_value_stays_one_parameter(value):
    call = template_call("T", [("text", value), ("after", "ok")])
    tpl = mwparserfromhell.parse(call).filter_templates(recursive=False)
    assert len(tpl) == 1
    assert [str(p.name).strip() for p in tpl[0].params] == ["text", "after"]
    assert str(tpl[0].get("after").value).strip() == "ok"


@pytest.mark.parametrize("value", INJECTIONS)
def test_no_signature_or_subst_survives(value):
    escaped = escape_value(value)
    assert "~~~" not in escaped
    assert "{{subst:" not in escaped.lower()


def test_links_and_templates_are_kept():
    assert escape_value("see [[A|b]] and {{T|x}}") == "see [[A|b]] and {{T|x}}"


def test_mask_keeps_positions():
    text = "a <!-- x\ny --> b <nowiki>c</nowiki>\n<pre>\n== h ==\n</pre>"
    masked = mask(text)
    assert len(masked) == len(text) and masked.count("\n") == text.count("\n")
    assert "== h ==" not in masked and "x" not in masked


def test_clean_drops_comments_files_and_switches():
    assert clean("A<!--c-->B [[File:X.jpg|thumb|cap]] __NOTOC__\n\n\n\nC [[Category:K]]") == "AB\n\nC"


def test_links_and_list_items():
    frag = "* one [[A|a]]\n# two [http://example.org x]\n#REDIRECT [[B]]\n<!-- * not -->\ntext [[File:F.png]]"
    assert list_items(frag) == ["one [[A|a]]", "two [http://example.org x]"]
    assert links(frag) == ["A", "http://example.org", "B"]


def test_one_splitter_for_cells_and_template_arguments():
    from wmstrategybot.wikitext.scan import separators_outside, template_params

    line = "a || [[b|c]] || {{d|e}} || f"
    assert [line[i: i + 2] for i in separators_outside(line, "||")] == ["||"] * 3
    assert separators_outside("[[b|c]]|{{d|e}}", "|") == [7]
    # a "}}" closes no "[[": the argument runs to the link's end, as mwparserfromhell reads it
    call = "{{Box|image=[[File:c.jpg|x}}|a.jpg]]\n}}"
    assert template_params(call) == [("image", "[[File:c.jpg|x}}|a.jpg]]\n")]
    parsed = mwparserfromhell.parse(call).filter_templates()[0]
    assert [(str(p.name), str(p.value)) for p in parsed.params] == template_params(call)
