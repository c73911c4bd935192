"""scripts/wikipages.py (`make wiki PAGES=DIR`): which templates a folder of pages calls, and
which of them get a stub on the test wiki."""

from __future__ import annotations

import sys

import pytest
from helpers import REPO

sys.path.insert(0, str(REPO / "scripts"))
import wikipages  # noqa: E402


def test_the_templates_called_are_found_and_parser_functions_and_magic_words_are_not():
    text = ("{{Clear}} {{quote box|quote=x}} {{#if:a|b}} {{PAGENAME}} {{DISPLAYTITLE:x}} {{subst:Foo}}"
            " {{:Main Page}} {{User:Bob/box}} {{Template:TOC right}} <!-- {{Hidden}} -->")
    assert wikipages.called_templates([text]) == {"Template:Clear", "Template:Quote box", "Template:TOC right"}


def test_no_stub_where_the_bot_may_be_about_to_write_a_navbox():
    pages = ["{{Event track bot\n| days = Day 1\n| navbox = Template:Summit nav box\n}}"]
    assert wikipages.named_targets(pages) == {"Template:Summit nav box"}
    assert not wikipages.stubbable("Template:Summit 2025/Documentation/Navigation")
    assert not wikipages.stubbable("Template:Summit 2025 navigation")
    assert wikipages.stubbable("Template:Clear") and wikipages.stubbable("Template:WMCON 2018 header")
    assert "Meta-Wiki" in wikipages.stub_text("Template:WMCON 2018 header")


def test_a_folder_s_pages_by_title(tmp_path):
    (tmp_path / "Summit" / "Documentation").mkdir(parents=True)
    (tmp_path / "Summit" / "Documentation.wikitext").write_text("root")
    (tmp_path / "Summit" / "Documentation" / "Day 1.wikitext").write_text("day")
    (tmp_path / ".hidden.wikitext").write_text("no")
    assert wikipages.folder_pages(tmp_path) == {"Summit/Documentation": "root", "Summit/Documentation/Day 1": "day"}
    with pytest.raises(FileNotFoundError):
        wikipages.folder_pages(tmp_path / "missing")
