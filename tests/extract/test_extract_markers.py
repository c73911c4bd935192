"""Session and part markers wherever they stand: headings, bold/italic lines, styled tags, templates."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wmstrategybot.extract.daypage import scan_page
from wmstrategybot.extract.markers import Markers, marker_line

M = Markers()


@pytest.mark.parametrize("line, number, title, code, day", [
    ("== D1.01 / The Big Picture ==", 1, "The Big Picture", "D1.01", 1),
    ("=== D3.07 / Working groups ===", 7, "Working groups", "D3.07", 3),
    ("== (Session 4) The Way Forward ==", 4, "The Way Forward", "(Session 4)", None),
    ("'''Session 1: Re-Connecting'''", 1, "Re-Connecting", "Session 1", None),
    ("''D2.01 / Recap''", 1, "Recap", "D2.01", 2),
    ("; D1.02 / Thematic Conversations", 2, "Thematic Conversations", "D1.02", 1),
    ('<div class="x" style="font-weight:bold">D1.03 / Next Steps</div>', 3, "Next Steps", "D1.03", 1),
    ("<span style=\"font-size:120%\">'''Session 2 – Recommendations'''</span>", 2, "Recommendations", "Session 2", None),
    ("== <translate><!--T:3--> D1.01 / Official Introduction</translate> ==", 1, "Official Introduction", "D1.01", 1),
    ("'''<translate><!--T:15--> D1.02 / Thematic <tvar|x>[[A|Conversations]]</></translate>'''",
     2, "Thematic Conversations", "D1.02", 1),
    ('<span id="s1"></span>== D1.01 / Anchored ==', 1, "Anchored", "D1.01", 1),
    ("== {{anchor|s1}} D1.01 / Anchored ==", 1, "Anchored", "D1.01", 1),
    ("{{Session|D1.01 / Official Introduction}}", 1, "Official Introduction", "D1.01", 1),
    ("{{Session|D1.01|Official Introduction}}", 1, "Official Introduction", "D1.01", 1),
    ("{{WMCON session|number=1|title=Re-Connecting}}", 1, "Re-Connecting", "Session 1", None),
    ("{{Event session|day=2|number=5|title=Preparing}}", 5, "Preparing", "D2.05", 2),
    ("{{Heading|code=D3.08|title=Wrapping up}}", 8, "Wrapping up", "D3.08", 3),
])
def test_session_markers(line, number, title, code, day):
    ml = marker_line(line)
    assert ml is not None
    m = M.session_marker(ml)
    assert m is not None and (m.number, m.title, m.code, m.day) == (number, title, code, day)


@pytest.mark.parametrize("line, number, title", [
    ("=== 01 . Welcoming Words ===", 1, "Welcoming Words"),
    ("=== 01 | Welcoming Words ===", 1, "Welcoming Words"),
    ("'''02 {{!}} From Phase 1 to Phase 2'''", 2, "From Phase 1 to Phase 2"),
    ("'''1.1. Welcome Words'''", 1, "Welcome Words"),
    ("=== 2.3 Questions ===", 3, "Questions"),
    ('<div class="part">03. Closing</div>', 3, "Closing"),
    ("{{Session part|number=4|title=Feedback}}", 4, "Feedback"),
])
def test_part_markers(line, number, title):
    m = M.part_marker(marker_line(line))
    assert m is not None and (m.number, m.title) == (number, title)


@pytest.mark.parametrize("line", [
    "Session 1: prose is not a marker", "* D1.01 / a list item", "{{Quote|Session 4: quoted prose}}",
    "{{Note|D1.01 / in a note}}", "| D1.01 / a table cell", "",
])
def test_not_markers(line):
    ml = marker_line(line)
    assert ml is None or M.session_marker(ml) is None


@pytest.mark.parametrize("line", [
    "'''D1.0x / Coffee break'''", "'''Session : Open Space'''", "== Session one: Intro ==",
    "== (Session) Lunch ==", "== D.02 / Lost day ==", "'''Session 3:'''", "== D1.04 ==",
])
def test_half_recognised_markers(line):
    ml = marker_line(line)
    assert ml is not None and M.session_marker(ml) is None and M.half_session(ml)


@pytest.mark.parametrize("line", ["== Session notes: what we learned ==", "== Diversity / Inclusion ==", "== Day 2 =="])
def test_ordinary_headings_are_not_half_markers(line):
    assert not M.half_session(marker_line(line))


def test_config_markers_come_first():
    markers = Markers(session=(r"^Block (?P<day>\d)-(?P<number>\d+): (?P<title>.+)$",),
                      part=(r"^Step (?P<number>\d+) – (?P<title>.+)$",))
    scan = scan_page("== Block 2-3: Custom ==\nIntro.\n=== Step 1 – First ===\nText.\n", markers)
    (s,) = scan.sessions
    assert (s.day, s.number, s.title, [p.title for p in s.parts]) == (2, 3, "Custom", ["First"])


def test_multiline_template_marker_and_its_lines():
    text = "{{Summit session\n| number = 2\n| title = Next Steps\n}}\nIntro.\n'''2.1. Timeline'''\n* item\n"
    (s,) = scan_page(text, M).sessions
    assert (s.number, s.title, s.line, s.marker_lines, s.body) == (2, "Next Steps", 0, [1, 2, 3], [4])
    assert s.parts[0].title == "Timeline"


def test_marker_in_ignored_blocks_is_no_session():
    text = "\n".join([
        "<!-- == D1.01 / Commented == -->", "<nowiki>== D1.02 / Nowiki ==</nowiki>", "<pre>", "== D1.03 / Pre ==",
        "</pre>", "<math>D1.04 / x</math>", "<syntaxhighlight lang=text>", "== D1.05 / Code ==", "</syntaxhighlight>",
        "== D1.06 / Real ==",
    ])
    assert [s.number for s in scan_page(text, M).sessions] == [6]


def test_heading_closes_a_bold_session_at_the_level_it_stands_under():
    text = "== Morning ==\n'''Session 1: A'''\nText.\n=== Detail ===\nMore.\n== Notes ==\nAppendix text.\n"
    scan = scan_page(text, M)
    (s,) = scan.sessions
    assert s.anchor == "Morning" and s.body == [2, 3, 4] and s.end == 5
    assert [(a.title, a.body) for a in scan.appendices] == [("Notes", [6, 7])]


def test_part_marker_outside_a_session_and_wrong_session_are_reported():
    scan = scan_page("'''01 | Stray'''\n== Session 1: A ==\n=== 2.1. Mismatch ===\n", M)
    assert [line for line, _ in scan.notices] == [0, 2]
    assert scan.sessions[0].parts[0].title == "Mismatch"


def test_a_marker_written_as_an_ordinary_line_is_reported_not_used():
    scan = scan_page("Intro.\nSession 1: Plain line\nText.\n== Session 2: Real ==\n", M)
    assert [s.number for s in scan.sessions] == [2]
    assert [line for line, _ in scan.notices] == [1] and "ordinary line" in scan.notices[0][1]


@settings(max_examples=500, deadline=None)
@given(inner=st.lists(st.sampled_from(["Session", "SESSİON", "Ses", "sion", "title", "Ti", "tle", "Part", "marker", "MAR\u212aER",
                                       "x", "|", "=", " ", "\n", "1", "Day", "{{!}}", "{{a}}", "|day=2", "|number=3", "|code=D1", "|title=Foo",
                                       "|2", "''", "[[a|b]]"]),
                      min_size=1, max_size=12).map("".join))
def test_a_template_line_without_a_marker_word_offers_no_marker(inner):
    """The shortcut of _template_texts (no parse for a line without a marker word or markup)
    gives what the parse gives."""
    from wmstrategybot.extract.markers import _parsed_template_texts, _template_texts

    line = "{{" + inner + "}}"
    assert _template_texts(line) == _parsed_template_texts(line)
