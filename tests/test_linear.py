"""The linear scans give what the regular expressions they replace gave, on hostile input too.

The expressions (lazy ``.*?`` searches, which rescan to the end of the page for every
opening tag never closed) are kept here and in ``wikitext_reference``; the scans must find
the same spans. No test here measures time: bench/pathological.py does.
"""

from __future__ import annotations

import re

import pytest
import wikitext_reference as reference
from hypothesis import given, settings
from hypothesis import strategies as st
from mwparserfromhell.definitions import PARSER_BLACKLIST

from wmstrategybot import wikiscan, wikitext

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
