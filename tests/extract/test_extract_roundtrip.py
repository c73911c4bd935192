"""Property tests of extraction on pages of every marker style, and render-then-extract round trips."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.coverage import coverage_report
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.event import Event, Part, Session
from wmstrategybot.model.pages import PageRecord

CONFIG = parse_config(
    '[event]\nroot = "R"\ndays = ["Day 1", "Day 2"]\nsummary = "Summary"\n'
    '[targets]\nsummary = "O"\nnavbox = "N"\nsignups = "S"\ndata = "D"\n'
)
PIECES = st.sampled_from([
    "== D1.01 / Title ==", "'''Session 2: Bold'''", "{{Session|D1.03 / Tpl}}", "{{WMCON session|number=4|title=T}}",
    "{{Summit session", "| number = 5", "| title = Multi", "}}", "<div>D1.06 / Div</div>", "=== 01 | Part ===",
    "'''1.1. Part'''", "'''D1.0x / Half'''", "'''Session : Half'''", "== Other ==", "<translate>", "</translate>",
    "<!--T:3-->", "<languages/>", "<tvar name=x>", "</tvar>", "</>", "<gallery>", "File:X.jpg|c", "</gallery>",
    "[[File:Y.png|thumb|[[a]]]]", "{|", "|}", "|-", "| a || b", "! h", "* item", "<!--", "-->", "<nowiki>",
    "<pre>", "</pre>", "<math>", "{{", "[[", "]]", "<span>", "</span>", "'''", "\n", "text", "|", "=", ";", ":",
])
WIKITEXT = st.one_of(
    st.text(max_size=200),
    st.lists(PIECES, max_size=50).map("\n".join),
    st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=50).map("".join),
)


def pages(day1: str, day2: str = "", summary: str = "") -> dict[str, PageRecord]:
    return {"R/Day 1": PageRecord("R/Day 1", day1, 1), "R/Day 2": PageRecord("R/Day 2", day2, 2),
            "R/Summary": PageRecord("R/Summary", summary, 3)}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day1=WIKITEXT, day2=WIKITEXT, summary=WIKITEXT)
def test_any_wikitext_extracts_deterministically_and_reports_coverage(day1, day2, summary):
    a = extract_event(CONFIG, pages(day1, day2, summary))
    assert a.to_json() == extract_event(CONFIG, pages(day1, day2, summary)).to_json()
    assert Event.from_json(a.to_json()).to_json() == a.to_json()
    for c in coverage_report(CONFIG, pages(day1, day2, summary)):
        assert 0 <= c.used <= c.total
    for w in a.warnings:
        assert w.line is None or w.line >= 1


STYLES = {
    "2017": "<languages/>\n== <translate><!--T:1--> D1.01 / Opening</translate> ==\n<translate>\n<!--T:2-->\n"
            "Intro of the opening.\n</translate>\n=== 01 | Welcoming Words ===\nWords.\n* outcome\n"
            "== D1.02 / Second ==\nSecond intro.\n'''01 | Part'''\nPart text.\n",
    "2018": "== D1.01 / The Big Picture ==\nIntro.\n=== 01 . Welcoming Words ===\nWords.\n* outcome\n"
            "== D1.02 / The Possibilities ==\nMore.\n=== 01 . Cards ===\nCards.\n",
    "2019": "{{Summit session|number=1|title=Re-Connecting}}\nIntro.\n'''1.1. Welcome Words'''\nWords.\n"
            "<div>Session 2: Next</div>\nNext intro.\n'''2.1. Timeline'''\n* item\n",
}
NOISE = st.lists(st.sampled_from([
    "Some text.", "* a list", "{{Box}}", "{{Nav\n|a=b\n}}", "<!-- note -->", "[[File:X.jpg|thumb|x]]", "",
    "<translate>", "</translate>", "<!--T:9-->", "<languages/>", "{|\n| a || b\n|}", "<div>Styled words</div>",
    "'''Bold words'''", "<nowiki>== D1.05 / No ==</nowiki>", "== Day overview ==", "Friday, April 20th",
]), max_size=8).map("\n".join)


def _sessions(event: Event) -> list[tuple]:
    return [(s.id, s.code, s.number, s.day, s.title, s.intro, s.text, s.outcomes, s.links, s.images, s.tables,
             [(p.number, p.title, p.text) for p in s.parts]) for s in event.sessions]


@settings(max_examples=100, deadline=None)
@given(style=st.sampled_from(sorted(STYLES)), noise=NOISE)
def test_unrelated_text_before_the_sessions_changes_no_session(style, noise):
    base = extract_event(CONFIG, pages(STYLES[style]))
    noisy = extract_event(CONFIG, pages(noise + "\n" + STYLES[style]))
    assert _sessions(noisy) == _sessions(base)
    assert len(base.sessions) == 2


# --- render, then extract: Day pages written from an Event by a small renderer in each style ---

WORD = st.from_regex(r"[a-z]{2,8}", fullmatch=True)
TITLE = st.builds(lambda first, rest: " ".join([first.capitalize(), *rest]), WORD, st.lists(WORD, max_size=4))
PROSE = st.builds(lambda first, rest: " ".join([first.capitalize(), *rest]) + ".", WORD, st.lists(WORD, max_size=10))


@st.composite
def events(draw):
    restart = draw(st.booleans())
    sessions, number = [], 0
    for day in (1, 2):
        if restart:
            number = 0
        for _ in range(draw(st.integers(1, 3))):
            number += 1
            parts = tuple(
                Part(k, draw(TITLE), draw(PROSE) + "".join(f"\n* {x}" for x in draw(st.lists(PROSE, max_size=2))))
                for k in range(1, draw(st.integers(0, 3)) + 1)
            )
            sessions.append(Session(id=f"d{day}-s{number:02d}", code=f"D{day}.{number:02d}", number=number, day=day,
                                    title=draw(TITLE), intro=draw(PROSE), parts=parts))
    return Event(id="e", name="E", root="R", sessions=tuple(sessions))


def render_day(event: Event, day: int, style: str) -> str:
    """A Day page in one of the family's styles (the inverse of extraction, for these tests only)."""
    out = ["{{Event header}}", "<languages/>" if style == "translated" else "", "Friday, April 20th", ""]
    for s in (x for x in event.sessions if x.day == day):
        out.append({
            "heading": f"== {s.code} / {s.title} ==",
            "bold": f"'''{s.code} / {s.title}'''",
            "template": f"{{{{Session|{s.code}|{s.title}}}}}",
            "translated": f"== <translate><!--T:{s.number}--> {s.code} / {s.title}</translate> ==",
        }[style])
        out += [s.intro, "[[File:Photo of session.jpg|thumb|A photo]]", ""]
        for p in s.parts:
            marker = f"{p.number:02d} | {p.title}" if style == "translated" else f"{p.number:02d} . {p.title}"
            out += [f"=== {marker} ===" if style in ("heading", "translated") else f"'''{marker}'''",
                    "<!-- a comment -->", p.text, ""]
    return "\n".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(event=events(), style=st.sampled_from(["heading", "bold", "template", "translated"]))
def test_render_then_extract_gives_back_the_sessions(event, style):
    got = extract_event(CONFIG, pages(render_day(event, 1, style), render_day(event, 2, style)))
    want = [(s.id, s.code, s.number, s.day, s.title, s.intro,
             [(p.number, p.title, p.text) for p in s.parts],
             tuple(x[2:] for p in s.parts for x in p.text.split("\n") if x.startswith("* ")))
            for s in event.sessions]
    assert [(s.id, s.code, s.number, s.day, s.title, s.intro, [(p.number, p.title, p.text) for p in s.parts],
             s.outcomes) for s in got.sessions] == want
    assert all(s.images == ("File:Photo of session.jpg",) for s in got.sessions)
    assert not [w for w in got.warnings if w.page != "R/Summary"]
