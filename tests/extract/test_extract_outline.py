"""Structure first: headings decide sessions and parts; numbers read or given; days, dates, warnings."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmstrategybot.config.event import parse_config
from wmstrategybot.errors import ConfigError
from wmstrategybot.extract.daypage import scan_page
from wmstrategybot.extract.event import extract_event
from wmstrategybot.extract.markers import Markers, marker_line, time_slot
from wmstrategybot.model.pages import PageRecord

M = Markers()
TARGETS = '[targets]\nsummary = "O"\nnavbox = "N"\nsignups = "S"\ndata = "D"\n'


def config(days: str = '["Day 1", "Day 2"]', root: str = "Summit 2022/Documentation"):
    return parse_config(f'[event]\nroot = "{root}"\ndays = {days}\n' + TARGETS)


def extract(texts: dict[str, str], cfg=None):
    cfg = cfg or config()
    return extract_event(cfg, {t: PageRecord(t, x, 1) for t, x in texts.items()})


def shape(event) -> list[tuple]:
    return [(s.day, s.number, s.number_source, s.number_end, s.title, s.time, tuple(p.title for p in s.parts))
            for s in event.sessions]


@pytest.mark.parametrize("line, number, end, title, code", [
    ("== Session 4-5 Changing Movement Structures ==", 4, 5, "Changing Movement Structures", "Session 4-5"),
    ("== Session 4–5: Changing ==", 4, 5, "Changing", "Session 4–5"),
    ("== Session 6 Progress Check-in ==", 6, None, "Progress Check-in", "Session 6"),
    ("=== Movement Governance Work Session 6:Creating Coherence ===", 6, None, "Creating Coherence",
     "Movement Governance Work Session 6"),
    ("=== Work Session 1: Understanding the Charter ===", 1, None, "Understanding the Charter", "Work Session 1"),
    ("=== Session 1: Opening (8:00 - 10:00 UTC) ===", 1, None, "Opening (8:00 - 10:00 UTC)", "Session 1"),
])
def test_built_in_session_forms(line, number, end, title, code):
    m = M.session_marker(marker_line(line))
    assert m is not None and (m.number, m.number_end, m.title, m.code) == (number, end, title, code)


@pytest.mark.parametrize("line, session, number, title", [
    ("==== S1.1 Opening Plenary Session ====", 1, 1, "Opening Plenary Session"),
    ("==== S7.2 Breakout Groups ====", 7, 2, "Breakout Groups"),
    ("=== 1.1. Welcome Words ===", 1, 1, "Welcome Words"),
    ("=== 01 . Welcoming Words ===", None, 1, "Welcoming Words"),
])
def test_built_in_part_forms(line, session, number, title):
    m = M.part_marker(marker_line(line))
    assert m is not None and (m.session, m.number, m.title) == (session, number, title)


@pytest.mark.parametrize("text, title, time", [
    ("Opening (8:00 - 10:00 UTC)", "Opening", "8:00 - 10:00 UTC"),
    ("Opening Ceremony: 10:00 - 11:40 CEST", "Opening Ceremony", "10:00 - 11:40 CEST"),
    ("Opening (10:00-10:15 CEST)", "Opening", "10:00-10:15 CEST"),
    ("Creating Coherence (11:15-12:45 CEST)", "Creating Coherence", "11:15-12:45 CEST"),
    ("Theme Statements: Priorities and Implications", "Theme Statements: Priorities and Implications", None),
    ("(8:00 - 10:00 UTC)", "(8:00 - 10:00 UTC)", None),
])
def test_time_slot(text, title, time):
    assert time_slot(text) == (title, time)


DAY_2022 = """{{Nav}}
== Day 1 (Friday, 9 Sep) ==
The day's intro.

=== Session 1: Opening (8:00 - 10:00 UTC) ===
Opening text.
==== S1.1 Opening Plenary Session ====
Plenary.
* '''Session 4: Movement Charter''': a bullet that names a later session.
==== S1.2 Framing ====
Framing.
=== Sharing Activities ===
Sharing.
==== Breakout Groups ====
Rooms.
"""


def test_day_heading_gives_number_date_and_intro():
    event = extract({"Summit 2022/Documentation/Day 1": DAY_2022}, config('["Day 1"]'))
    assert shape(event) == [
        (1, 1, "read", None, "Opening", "8:00 - 10:00 UTC", ("Opening Plenary Session", "Framing")),
        (1, 2, "given", None, "Sharing Activities", None, ("Breakout Groups",)),
    ]
    (day,) = event.days
    assert (day.number, day.date, day.date_text, day.intro) == (1, "2022-09-09", "Friday, 9 Sep", "The day's intro.")
    assert event.warnings == ()


def test_numbers_given_by_order_follow_numbered_neighbours():
    page = ("== Welcome ==\nA.\n== Session 4-5 Changing ==\nB.\n== Session 6 Check-in ==\nC.\n"
            "== Lunch talk ==\nD.\n")
    event = extract({"Summit 2022/Documentation/Day 2": page}, config('["Day 2"]'))
    assert [(s.number, s.number_source, s.number_end, s.id) for s in event.sessions] == [
        (1, "given", None, "d2-s01"), (4, "read", 5, "d2-s04"), (6, "read", None, "d2-s06"),
        (7, "given", None, "d2-s07")]


def test_boilerplate_headings_are_appendices_and_unknown_ones_are_warned():
    page = ("{{Nav}}\n== Programme ==\n== Day 1 ==\n=== Opening ===\nA.\n==== Notes ====\nPart text.\n"
            "=== Closing ===\nB.\n== Background ==\nText.\n== References ==\n<references/>\n== See also ==\n* [[X]]\n")
    event = extract({"Summit 2022/Documentation/Day 1": page}, config('["Day 1"]'))
    assert [(s.title, [p.title for p in s.parts]) for s in event.sessions] == [("Opening", ["Notes"]), ("Closing", [])]
    assert [a.title for a in event.days[0].appendices] == ["See also"]  # References holds no text
    # "Programme" holds the sessions (a wrapper, #19): no warning; "Background" is unknown
    assert [(w.line, w.message.split("'")[1]) for w in event.warnings] == [(10, "Background")]


def test_a_typo_in_a_heading_marker_is_still_a_session_and_is_warned():
    page = "== D1.01 / First ==\nA.\n== D1.O2 / Second ==\nB.\n== D1.03 / Third ==\nC.\n"
    event = extract({"Summit 2022/Documentation/Day 1": page}, config('["Day 1"]'))
    assert [(s.number, s.number_source, s.title) for s in event.sessions] == [
        (1, "read", "First"), (2, "given", "Second"), (3, "read", "Third")]
    assert [w.line for w in event.warnings] == [3] and "D1.O2" in event.warnings[0].message


def test_root_page_holds_the_first_sessions_and_never_day_0():
    cfg = config('[".", "Day 1"]', root="WMCON 2017/Documentation/Movement Strategy track")
    event = extract({
        "WMCON 2017/Documentation/Movement Strategy track": "Intro.\n== Official Introduction ==\nA.\n",
        "WMCON 2017/Documentation/Movement Strategy track/Day 1": "== The Complexity of a Movement ==\nB.\n",
    }, cfg)
    assert [(s.id, s.day, s.title) for s in event.sessions] == [
        ("d1-s01", 1, "Official Introduction"), ("d1-s02", 1, "The Complexity of a Movement")]
    assert [(d.number, d.page, d.intro) for d in event.days] == [
        (1, "WMCON 2017/Documentation/Movement Strategy track", "Intro.")]
    assert "from its position" in event.warnings[0].message
    given = parse_config('[event]\nroot = "R"\ndays = [{ page = ".", day = 2 }]\n' + TARGETS)
    event = extract({"R": "== A ==\nx\n"}, given)
    assert [s.day for s in event.sessions] == [2] and event.warnings == ()


@pytest.mark.parametrize("page, heading", [
    ("== Opening ==\nA.\n== Close ==\nB.\n", "= Day 2 ="),
    ("== Schedule ==\nx\n== Descriptions ==\n=== Opening ===\nA.\n", "== Day 2 =="),  # wrappers: Opening is the session
    ("=== Opening ===\nA.\n", "== Day 2 =="),
])
def test_a_day_without_its_number_names_the_day_heading_that_sets_it(page, heading):
    # pages named neither by a day number nor by a weekday (a weekday title is a day: #19)
    cfg = config('["Plenary", "Workshops"]')
    texts = {"Summit 2022/Documentation/Plenary": "== Day 1 ==\n=== A ===\nx\n",
             "Summit 2022/Documentation/Workshops": page}
    before = extract(texts, cfg)
    assert [w.message.rsplit("; ", 1)[-1] for w in before.warnings] == [
        f"to set it, put the day heading '{heading}' above its first session"]
    texts["Summit 2022/Documentation/Workshops"] = f"{heading}\n{page}"
    after = extract(texts, cfg)  # the heading named sets the day and keeps the sessions as they were
    assert after.warnings == ()
    assert [s.title for s in after.sessions if s.day == 2] == [s.title for s in before.sessions if s.day == 2]


@pytest.mark.parametrize("page", ["'''Session 1: Opening'''\nA.\n", "= Opening =\nA.\n"])
def test_where_no_day_heading_sets_the_day_the_warning_names_the_day_code(page):
    cfg = config('["Day 1", "Workshops"]')
    event = extract({"Summit 2022/Documentation/Day 1": "== A ==\nx\n",
                     "Summit 2022/Documentation/Workshops": page}, cfg)
    assert [w.message.rsplit("; ", 1)[-1] for w in event.warnings] == [
        "to set it, write the day in its session markers ('D2.01 / Title')"]
    coded = page.replace("Session 1: ", "").replace("Opening", "D2.01 / Opening")
    fixed = extract({"Summit 2022/Documentation/Day 1": "== A ==\nx\n", "Summit 2022/Documentation/Workshops": coded},
                    cfg)
    assert fixed.warnings == () and [(s.day, s.title) for s in fixed.sessions][-1] == (2, "Opening")


GROUPED = ("== Morning ==\n=== Opening ===\nA.\n=== Governance ===\nB.\n=== Closing ===\nC.\n"
           "== Afternoon ==\n=== Wrap-up ===\nD.\n")


@pytest.mark.parametrize("title", ["Workshops", "Day 2"])
def test_a_heading_grouping_the_sessions_is_warned_and_the_heading_named_reads_them(title):
    cfg = config(f'["Day 1", "{title}"]')
    texts = {"Summit 2022/Documentation/Day 1": "== A ==\nx\n", f"Summit 2022/Documentation/{title}": GROUPED}
    before = extract(texts, cfg)
    assert [s.title for s in before.sessions if s.day == 2] == ["Morning", "Afternoon"]
    step = "put the day heading '== Day 2 ==' above"
    assert [(w.line, step in w.message) for w in before.warnings if "no text of its own and 3 parts" in w.message] \
        == [(1, True)]
    assert all(step in w.message for w in before.warnings)  # the day's own warning names the same heading
    texts[f"Summit 2022/Documentation/{title}"] = "== Day 2 ==\n" + GROUPED
    after = extract(texts, cfg)
    assert [s.title for s in after.sessions if s.day == 2] == ["Opening", "Governance", "Closing", "Wrap-up"]
    assert [w.message.split(" stands")[0] for w in after.warnings] == ["heading 'Morning'", "heading 'Afternoon'"]


WRAPPED = ("== Schedule ==\n{| class=\"wikitable\"\n| 9:00 || Opening\n|}\n== Detailed descriptions ==\n"
           "=== Opening ===\nA.\n=== Governance ===\nB.\n=== Closing ===\nC.\n")


def test_headings_that_hold_the_sessions_are_read_through_without_a_warning():
    """"Schedule" and "Detailed descriptions" are wrappers (#19): the headings under them are the
    sessions, and the one-row table, which gives fewer, is not."""
    event = extract({"Summit 2022/Documentation/Day 1": WRAPPED}, config('["Day 1"]'))
    assert [s.title for s in event.sessions] == ["Opening", "Governance", "Closing"]
    assert event.warnings == ()


def test_a_session_with_text_or_few_parts_is_not_taken_for_a_grouping_heading():
    texts = {"Summit 2022/Documentation/Day 1": "== A ==\nIntro.\n=== a ===\n=== b ===\n=== c ===\n"
                                                "== B ==\n=== a ===\n=== b ===\n"}
    assert extract(texts, config('["Day 1"]')).warnings == ()


@pytest.mark.parametrize("days, message", [
    ('[{ page = "X", day = 0 }]', "day number >= 1"),
    ('[{ page = "X", nr = 1 }]', "unknown key 'nr'"),
    ('[3]', "list of page titles"),
])
def test_bad_days_entries_are_config_errors(days, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config(f'[event]\nroot = "R"\ndays = {days}\n' + TARGETS)


def test_config_marker_without_a_number_is_numbered_by_order():
    cfg = parse_config('[event]\nroot = "R"\ndays = ["Day 1"]\n[markers]\nsession = ["^Block: (?P<title>.+)$"]\n'
                       + TARGETS)
    event = extract({"R/Day 1": "'''Block: One'''\nA.\n'''Block: Two'''\nB.\n"}, cfg)
    assert [(s.number, s.number_source, s.title) for s in event.sessions] == [(1, "given", "One"), (2, "given", "Two")]


# --- properties ---------------------------------------------------------------------------------

SESSIONS = [
    "=== Session 1: Opening (8:00 - 10:00 UTC) ===\nOpening text.\n==== S1.1 Plenary ====\nPlenary.\n"
    "==== S1.2 Framing ====\n* '''Session 4: later''' in a bullet\n",
    "=== Sharing Activities ===\nSharing.\n==== Breakout Groups ====\n{{Quote box|quote=Session 9: no}}\n",
    "=== Session 3 Connecting ===\n[[File:X.jpg|thumb|x]]\nConnecting.\n",
    "=== Closing Ceremony: 16:00 - 17:00 CEST ===\nBye.\n==== Thanks ====\nThanks.\n",
]
HEAD = "{{Nav}}\n== Day 1 (Friday, 9 Sep) ==\nIntro.\n"
BOILERPLATE = st.sampled_from(["References", "See also", "Notes", "Annex", "Further reading", "External links"])
PROSE = st.sampled_from(["", "Some prose.", "* a list item", "{{Box}}", "<!-- comment -->", "[[File:Y.jpg]]"])


def day_page(sessions: list[str], between: list[str] | None = None, tail: str = "") -> str:
    between = between or [""] * len(sessions)
    return HEAD + "".join(b + s for b, s in zip(between, sessions)) + tail


def sessions_of(text: str) -> list[tuple]:
    return shape(extract({"Summit 2022/Documentation/Day 1": text}, config('["Day 1"]')))


BASE = sessions_of(day_page(SESSIONS))


def test_base_page_reads_every_session():
    assert [(n, src, title, time, parts) for _, n, src, _, title, time, parts in BASE] == [
        (1, "read", "Opening", "8:00 - 10:00 UTC", ("Plenary", "Framing")),
        (2, "given", "Sharing Activities", None, ("Breakout Groups",)),
        (3, "read", "Connecting", None, ()),
        (4, "given", "Closing Ceremony", "16:00 - 17:00 CEST", ("Thanks",)),
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inserts=st.lists(st.tuples(st.booleans(), BOILERPLATE, PROSE), min_size=4, max_size=4),
       tail=st.tuples(st.sampled_from([2, 3]), BOILERPLATE, PROSE))
def test_boilerplate_headings_and_prose_between_sessions_change_no_session(inserts, tail):
    between = [f"=== {title} ===\n{prose}\n" if heading else "" for heading, title, prose in inserts]
    between[0] = inserts[0][2] + "\n"  # before the first session: prose of the day's intro only
    end = "=" * tail[0]
    assert sessions_of(day_page(SESSIONS, between, f"{end} {tail[1]} {end}\n{tail[2]}\n")) == BASE


@settings(max_examples=20, deadline=None)
@given(shift=st.integers(1, 2))  # headings go down to ====, and stop at ======
def test_moving_every_heading_level_changes_no_session(shift):
    text = re.sub(r"^(=+)(.*?)(=+)$", lambda m: "=" * shift + m.group(1) + m.group(2) + m.group(3) + "=" * shift,
                  day_page(SESSIONS), flags=re.M)
    assert text != day_page(SESSIONS)
    assert sessions_of(text) == BASE


PIECES = st.sampled_from([
    "== Day 1 (Friday, 9 Sep) ==", "=== Session 4-5 Changing ===", "=== Session 6 Check ===", "==== S1.1 P ====",
    "=== Opening (8:00 - 10:00 UTC) ===", "== References ==", "= Top =", "====== Deep ======", "'''Session 2: B'''",
    "== D1.O2 / Typo ==", "=== 1.1. Part ===", "* Session 4: bullet", "{{Quote box|quote=x}}", "Friday, April 20th",
    "{{", "}}", "<!--", "-->", "text", "==", "===", "",
])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=30).map("\n".join)),
       root=st.one_of(st.text(max_size=80), st.lists(PIECES, max_size=10).map("\n".join)))
def test_random_text_never_raises_and_every_day_has_a_number(day, root):
    cfg = config('[".", "Day 1"]', root="R")
    event = extract({"R": root, "R/Day 1": day}, cfg)
    assert all(d.number >= 1 for d in event.days) and all(s.day >= 1 and s.number >= 1 for s in event.sessions)
    assert len({s.id for s in event.sessions}) == len(event.sessions)
    assert all(w.line is None or w.line >= 1 for w in event.warnings)
    assert scan_page(day, M).masked == scan_page(day, M).masked


@pytest.mark.parametrize("lead, date, written", [
    ("Friday, April 20th", "2022-04-20", "Friday, April 20th"),
    ("<div style='font-weight:bold'>Friday, 29 March 2019</div>", "2019-03-29", "Friday, 29 March 2019"),
    ("== Day 1 (Sat, 10 Sept) ==", "2022-09-10", "Sat, 10 Sept"),
    ("== Day 1 – 11 September ==", "2022-09-11", "11 September"),
    ("== Day 1 (Friday, 9 Sepia) ==", None, None),
    ("Friday, 31 Smarch", None, None),
])
def test_dates_as_the_pages_write_them(lead, date, written):
    event = extract({"Summit 2022/Documentation/Day 1": f"{lead}\n=== Opening ===\nA.\n"}, config('["Day 1"]'))
    assert (event.days[0].number, event.days[0].date, event.days[0].date_text) == (1, date, written)


@pytest.mark.parametrize("typo", [0, 1, 2])
def test_a_typo_in_a_day_coded_run_keeps_the_session_and_the_appendices(typo):
    codes = ["D3.07", "D3.08", "D3.09"]
    codes[typo] = codes[typo].replace("0", "O")
    page = "".join(f"== {c} / Session {k} ==\nText {k}.\n" for k, c in enumerate(codes)) + "== Input documents ==\n* [[X]]\n"
    event = extract({"Summit 2022/Documentation/Day 3": page}, config('["Day 3"]'))
    assert [(s.number, s.title) for s in event.sessions] == [(7, "Session 0"), (8, "Session 1"), (9, "Session 2")]
    assert [a.title for a in event.days[0].appendices] == ["Input documents"]
    assert [w.line for w in event.warnings] == [1 + 2 * typo]
