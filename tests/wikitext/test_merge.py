"""Managed regions: what is outside is kept byte for byte; bad markers and hand edits refuse."""

from __future__ import annotations

import pytest

from wmstrategybot.plan.compose import guard_signatures
from wmstrategybot.plan.guards import bots_allow
from wmstrategybot.wikitext.regions import (
    MergeRefused,
    append_sections,
    begin_marker,
    end_marker,
    fill,
    find_regions,
    region_content,
    region_text,
)

HUMAN_BEFORE = "Intro by a person.\n<!-- a comment -->\n"
HUMAN_AFTER = "\n== Notes ==\nA person's note. ~~~~\n[[Category:X]]\n"


def page(content: str, name: str = "r", with_sum: bool = True) -> str:
    region = region_text(name, content) if with_sum else f"{begin_marker(name)}\n{content}\n{end_marker(name)}"
    return HUMAN_BEFORE + region + HUMAN_AFTER


def test_fill_replaces_only_the_region():
    new = fill(page("old"), {"r": "new content"})
    assert new.startswith(HUMAN_BEFORE) and new.endswith(HUMAN_AFTER)
    assert region_content(new, "r") == "new content"


def test_fill_is_stable():
    once = fill(page("old"), {"r": "x\ny"})
    assert fill(once, {"r": "x\ny"}) == once


def test_empty_handed_over_region_is_filled():
    text = HUMAN_BEFORE + f"{begin_marker('r')}\n{end_marker('r')}" + HUMAN_AFTER
    assert region_content(fill(text, {"r": "generated"}), "r") == "generated"


def test_hand_edit_inside_region_is_refused():
    edited = page("generated").replace("generated", "generated, fixed by a person")
    with pytest.raises(MergeRefused, match="edited by hand"):
        fill(edited, {"r": "generated again"})


def test_region_with_text_but_no_checksum_is_refused():
    # a person who retyped the marker line without its sha1 still has their text kept
    with pytest.raises(MergeRefused, match="no checksum"):
        fill(page("A person's paragraph", with_sum=False), {"r": "gen"})


def test_markers_inside_nowiki_are_not_markers():
    text = "Doc: <nowiki><!-- wmstrategybot:begin r --></nowiki> human <nowiki><!-- wmstrategybot:end r --></nowiki>"
    with pytest.raises(MergeRefused, match="inside <nowiki>"):
        fill(text, {"r": "GEN"})


def test_unclosed_nowiki_hides_no_signed_row():
    rows = "{|\n|-\n| [[User:Ann|Ann]] || [[User:Ann|Ann]] 10:00, 16 May 2018 (UTC)\n|}"
    for lead in ["Sign with <nowiki>~~~~</nowiki>.", "Sign with <nowiki>~~~~<nowiki>."]:
        old = f"{lead}\n{begin_marker('r')}\n{end_marker('r')}\n{rows}\n"
        with pytest.raises(MergeRefused, match="drop 1 signed row"):
            guard_signatures(old, old.replace(rows, ""))


@pytest.mark.parametrize(
    "text, message",
    [
        (HUMAN_BEFORE, "no managed region"),
        (HUMAN_BEFORE + begin_marker("r") + "\nx\n", "no end marker"),
        (HUMAN_BEFORE + "x\n" + end_marker("r"), "no matching begin"),
        (page("a") + page("b"), "appears twice"),
        (begin_marker("r") + begin_marker("s") + end_marker("s") + end_marker("r"), "inside region"),
        (HUMAN_BEFORE + "<!-- wmstrategybot:begin r sha1=zz -->\n" + end_marker("r"), "malformed"),
        (begin_marker("r") + "\n" + end_marker("r") + "\n<!-- wmstrategybot:end  r -->", "malformed"),
    ],
)
def test_missing_duplicated_or_unbalanced_markers_refuse(text, message):
    with pytest.raises(MergeRefused, match=message):
        fill(text, {"r": "x"})


def test_markers_in_other_regions_are_left_alone():
    text = page("mine") + region_text("other", "theirs")
    new = fill(text, {"r": "updated"})
    assert region_content(new, "other") == "theirs"
    assert set(find_regions(new)) == {"r", "other"}


ROWS = """== Area ==
{| class="wikitable"
! User !! Signature
|-
| [[User:A|A]] || [[User:A|A]] 10:00, 16 May 2018 (UTC)
|-
| [[User:B|B]] || [[User:B|B]] 11:00, 17 May 2018 (UTC)
|}
"""


def test_signature_guard_refuses_a_lost_row():
    lost = ROWS.replace("|-\n| [[User:B|B]] || [[User:B|B]] 11:00, 17 May 2018 (UTC)\n", "")
    with pytest.raises(MergeRefused, match="drop 1 signed row"):
        guard_signatures(ROWS, lost)
    guard_signatures(ROWS, ROWS + "\n== More ==\n")


def test_append_sections_goes_before_trailing_categories():
    text = "Lead\n\n== A ==\nrows\n\n[[Category:X]]\n[[Category:Y]]\n"
    out = append_sections(text, ["== B ==\nnew"])
    assert out == "Lead\n\n== A ==\nrows\n\n== B ==\nnew\n\n[[Category:X]]\n[[Category:Y]]\n"
    assert append_sections("Lead\n", ["== B =="]) == "Lead\n\n== B ==\n"


@pytest.mark.parametrize(
    "text, allowed",
    [
        ("plain", True),
        ("{{nobots}}", False),
        ("{{bots|deny=all}}", False),
        ("{{bots|deny=OtherBot}}", True),
        ("{{bots|deny=OtherBot,wmstrategybot}}", False),
        ("{{bots|allow=wmstrategybot}}", True),
        ("{{bots|allow=none}}", False),
        ("<!-- {{nobots}} -->", True),
        ("<nowiki>{{nobots}}</nowiki>", True),
    ],
)
def test_bots_and_nobots(text, allowed):
    assert bots_allow(text, "wmstrategybot") is allowed
