"""Signup pages written by hand in every style: read right, and never a row lost or changed."""

from __future__ import annotations

from collections import Counter

import mwparserfromhell
import pytest
from helpers import SIGNUP_CONFIG, regenerate_signups
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.signups import read_signups
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.regions import find_regions
from wmstrategybot.wikitext.signuptable import signup_rows

AREAS = AreaIndex(parse_config(SIGNUP_CONFIG).areas)
SIG = "[[User:{0}|{0}]] ([[User talk:{0}|talk]]) {1}, 16 May 2018 (UTC)"
REGION = "<!-- wmstrategybot:begin signup-counts -->\n<!-- wmstrategybot:end signup-counts -->\n"

PIPES = f"""Intro.
{REGION}
== Roles ==
{{| class="wikitable sortable"
! User !! Languages !! Why !! Signature
|-
| [[User:Ann|Ann]] || en, de || Reasons || {SIG.format("Ann", "10:00")}
|-
| [[User:Bob|Bob]] || fr || More || {SIG.format("Bob", "11:00")}
|}}
"""

ONE_CELL_PER_LINE = f"""{REGION}
== Resources ==
{{| class="wikitable"
! User
! Languages
! Why
! Signature
|-
| [[User:Cy|Cy]]
| es
| A reason
spread over two lines
| {SIG.format("Cy", "12:00")}
|-
| <s>[[User:Di|Di]]</s>
| <s>it</s>
| <s>no time</s>
| <s>{SIG.format("Di", "13:00")}</s>
|}}
[[Category:Signups]]
"""

ROWSPAN_AND_COMMENTS = f"""{REGION}
== Community Health ==
{{| class="wikitable sortable"
! User !! Languages !! Why !! Signature
|-
| [[User:Ed|Ed]] || rowspan="2" | pt, en || Safety || {SIG.format("Ed", "14:00")}
<!-- a comment between rows, with | pipes || and |- inside -->
|-
| [[User:Flo|Flo]] || Policies || {SIG.format("Flo", "15:00")}
|-
| style="background:#eee" | [[User:Gus|Gus]] || ja || Tools || {SIG.format("Gus", "16:00")}
|}}
"""

MIXED = f"""[[User:Lead|Lead]] signed in the lead:
{{| class="wikitable"
|-
| [[User:Lead|Lead]] || {SIG.format("Lead", "08:00")}
|}}
{REGION}
== Other ideas ==
{{| class="wikitable"
! User !! Signature
|-
| [[User:Hal|Hal]] || {SIG.format("Hal", "09:00")}
|}}

== Roles ==
{{| class="wikitable"
! User !! Languages !! Signature
|-
| [[User:Ivy|Ivy]] || nl || no signature yet
|-
| [[User:Jo|Jo]] || sv || {SIG.format("Jo", "17:00")}
|-
| [[User:Jo|Jo]] || sv || again {SIG.format("Jo", "17:05")}
|-
| <del>[[User:Kim|Kim]] || ko || {SIG.format("Kim", "18:00")}</del>
|}}
"""

STYLES = {"pipes": PIPES, "one-cell-per-line": ONE_CELL_PER_LINE, "rowspan": ROWSPAN_AND_COMMENTS, "mixed": MIXED}


def read(text):
    notices = []
    groups, unsorted = read_signups("P", text, AREAS, notices)
    return groups, unsorted, [n.message for n in notices]


def test_pipes_style():
    groups, unsorted, notices = read(PIPES)
    assert [s.user for s in groups["Roles & Responsibilities"]] == ["Ann", "Bob"]
    ann = groups["Roles & Responsibilities"][0]
    assert dict(ann.fields)["Languages"] == "en, de" and ann.timestamp == "2018-05-16T10:00:00Z"
    assert not unsorted and not notices


def test_one_cell_per_line_and_withdrawn():
    groups, _, _ = read(ONE_CELL_PER_LINE)
    cy, di = groups["Resource Allocation"]
    assert dict(cy.fields)["Why"] == "A reason\nspread over two lines"
    assert (cy.withdrawn, di.withdrawn) == (False, True) and di.user == "Di"


def test_rowspan_and_comments_between_rows():
    groups, _, _ = read(ROWSPAN_AND_COMMENTS)
    ed, flo, gus = groups["Community"]
    assert dict(flo.fields) == {"User": "[[User:Flo|Flo]]", "Languages": "pt, en", "Why": "Policies",
                                "Signature": SIG.format("Flo", "15:00")}
    assert dict(gus.fields)["User"] == "[[User:Gus|Gus]]" and dict(gus.fields)["Languages"] == "ja"


def test_unplaced_unsigned_and_duplicate_rows_are_reported_not_dropped():
    groups, unsorted, notices = read(MIXED)
    assert [s.user for s in unsorted] == ["Lead", "Hal"]
    assert [s.user for s in groups["Roles & Responsibilities"]] == ["Ivy", "Jo", "Jo", "Kim"]
    assert groups["Roles & Responsibilities"][0].timestamp is None
    assert groups["Roles & Responsibilities"][3].withdrawn
    assert any("no signature" in n for n in notices)
    assert any("Jo signed 2 times for Roles & Responsibilities" in n for n in notices)
    assert sum("listed as unsorted" in n for n in notices) == 2


@pytest.mark.parametrize("style", STYLES)
def test_regeneration_keeps_every_byte_outside_the_region(style):
    text = STYLES[style]
    new, edit = regenerate_signups(text)
    assert edit.action == "update", edit.reason
    region = find_regions(new)["signup-counts"]
    before = text.split(REGION)
    assert new.startswith(before[0])
    after_region = new[region.end :]
    # what followed the region is kept as is; new sections may only be appended
    rest = before[1]
    cut = rest.find("[[Category:")
    kept = rest if cut < 0 else rest[:cut]
    assert after_region.lstrip("\n").startswith(kept.lstrip("\n").rstrip("\n"))
    assert [r.text for _, r in signup_rows(new)][: len(signup_rows(text))] == [r.text for _, r in signup_rows(text)]
    assert regenerate_signups(new)[1].action == "unchanged"


def test_sections_are_added_for_areas_without_one():
    new, _ = regenerate_signups(PIPES)
    titles = [str(h.title).strip() for h in mwparserfromhell.parse(new).filter_headings()]
    assert titles == ["Roles", "Resource Allocation", "Community", "Technology"]


def test_counts_follow_the_rows():
    new, _ = regenerate_signups(MIXED)
    counts = new[find_regions(new)["signup-counts"].content_start : find_regions(new)["signup-counts"].content_end]
    assert "area=Roles & Responsibilities|members=2|withdrawn=1|languages=nl, sv|latest=2018-05-16" in counts
    assert "area=(rows in no area's section)|members=2" in counts


def test_a_page_with_an_unclosed_table_gets_no_new_section():
    text = PIPES.rstrip("\n").removesuffix("|}") + "\n"
    new, edit = regenerate_signups(text)
    assert edit.action == "update" and "== Technology ==" not in new


INJECTIONS = [
    "a | b", "a || b", "a !! b", "{{!}}", "|}", "}}", "-minus at start", "+plus at start",
    "== heading ==", "<nowiki>|}</nowiki>", "<!-- unclosed", "[[Category:Injected]]", "~~~~",
    "{{subst:Evil}}", "{{Evil template}}", "en, [[Category:Lang]], {{Flag|de}}", "x\n|-\n| fake row",
]


def _categories_and_templates(text: str) -> tuple[set[str], set[str]]:
    code = mwparserfromhell.parse(text)
    cats = {str(l.title).strip() for l in code.filter_wikilinks() if str(l.title).strip().lower().startswith("category:")}
    return cats, {str(t.name).strip() for t in code.filter_templates()}


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_a_cell_changes_no_row_and_adds_no_category_or_template(value):
    row = f"|-\n| [[User:Mal|Mal]] || {value} || why || {SIG.format('Mal', '19:00')}\n"
    text = PIPES.replace("|}\n", row + "|}\n", 1)
    before_rows = [(r.text, r.cells) for _, r in signup_rows(text)]
    new, edit = regenerate_signups(text)
    assert new is not None, edit.reason
    assert [(r.text, r.cells) for _, r in signup_rows(new)][: len(before_rows)] == before_rows
    cats_before, tpl_before = _categories_and_templates(text)
    cats_after, tpl_after = _categories_and_templates(new)
    assert cats_after == cats_before
    assert tpl_after - tpl_before <= {"Event track signup count"}


NAMES = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x2FF), min_size=1, max_size=12)
CELL = st.one_of(st.sampled_from(INJECTIONS), st.text(alphabet=st.characters(blacklist_characters="\r\x00", blacklist_categories=("Cs",)), max_size=20))
SECTIONS = ["Roles", "Resources", "Community Health", "Technology", "Misc"]


REFUSED: list[str] = []
KEPT: list[int] = []


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(st.sampled_from(SECTIONS), NAMES, CELL, st.integers(0, 23)), max_size=12))
def test_random_rows_survive_regeneration(rows):
    sections = {name: [] for name in SECTIONS}
    for section, user, cell, hour in rows:
        cell = cell.replace("\n", " ")
        sections[section].append(f"|-\n| [[User:{user}|{user}]] || {cell} || {SIG.format(user, f'{hour:02d}:00')}")
    text = "Lead.\n" + REGION + "".join(
        f"\n== {name} ==\n{{| class=\"wikitable\"\n! User !! Note !! Signature\n" + "\n".join(lines) + "\n|}\n"
        for name, lines in sections.items()
    )
    new, edit = regenerate_signups(text)
    if new is None:  # refused: nothing is written at all, which loses nothing either
        assert edit.action == "refused"
        REFUSED.append(edit.reason)
        return
    KEPT.append(len(signup_rows(text)))
    def view(t):
        rows_ = [r for _, r in signup_rows(t)]
        return Counter(r.text for r in rows_), Counter(r.user for r in rows_), Counter(r.timestamp for r in rows_)
    assert view(new) == view(text)
