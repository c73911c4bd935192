"""Property tests: random wikitext never crashes extraction or merging, and results are stable."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.wikitext.regions import MergeRefused, fill, region_text
from wmstrategybot.wikitext.signuptable import signed_rows

CONFIG = parse_config(
    '[event]\nroot = "R"\ndays = ["Day 1"]\nsummary = "Summary"\n'
    '[targets]\nsummary = "O"\nnavbox = "N"\nsignups = "S"\ndata = "D"\n'
    '[areas]\n"Diversity" = []\n'
)

PIECES = st.sampled_from([
    "== D1.01 / Title ==", "=== 01 . Part ===", "'''D1.02 / Bold'''", "== Other ==", "(Session 1) X",
    "{|", "|}", "|-", "| a || b", "! h !! i", "* item", "# item", "<!--", "-->", "<nowiki>", "</nowiki>",
    "[[User:U|U]] 10:00, 1 May 2018 (UTC)", "{{T|x}}", "}}", "{{", "[[", "]]", "<s>", "<div>", "~~~~",
    "<!-- wmstrategybot:begin r -->", "<!-- wmstrategybot:end r -->", "\n", "text", "|", "=",
])
WIKITEXT = st.one_of(
    st.text(max_size=300),
    st.lists(PIECES, max_size=40).map("\n".join),
    st.lists(st.one_of(PIECES, st.text(max_size=10)), max_size=40).map("".join),
)


def pages(day: str, summary: str = "", signups: str = "") -> dict[str, PageRecord]:
    return {
        "R/Day 1": PageRecord("R/Day 1", day, 1),
        "R/Summary": PageRecord("R/Summary", summary, 2),
        "S": PageRecord("S", signups, 3),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=WIKITEXT, summary=WIKITEXT, signups=WIKITEXT)
def test_extraction_never_raises_and_is_deterministic(day, summary, signups):
    a = extract_event(CONFIG, pages(day, summary, signups)).to_json()
    b = extract_event(CONFIG, pages(day, summary, signups)).to_json()
    assert a == b


@settings(max_examples=100, deadline=None)
@given(noise=st.lists(st.sampled_from(["text", "* list", "{{T}}", "<!-- c -->", "[[File:X.jpg]]", ""]), max_size=8))
def test_text_outside_sessions_does_not_change_sessions(noise):
    day = "Intro\n== D1.01 / A ==\nSummary of A.\n=== 01 . P ===\nPart text.\n* outcome\n"
    base = extract_event(CONFIG, pages(day)).sessions
    noisy = extract_event(CONFIG, pages("\n".join(noise) + "\n" + day)).sessions
    strip = lambda ss: [(s.number, s.day, s.title, s.summary, [(p.number, p.title, p.text) for p in s.parts]) for s in ss]  # noqa: E731
    assert strip(noisy) == strip(base)


@settings(max_examples=150, deadline=None)
@given(before=WIKITEXT, after=WIKITEXT, content=WIKITEXT)
def test_fill_keeps_outside_text_or_refuses(before, after, content):
    text = before + region_text("r", "old") + after
    try:
        new = fill(text, {"r": content})
    except MergeRefused as exc:
        # a refusal has a cause in the text: a marker of its own, or a tag or comment left
        # open that hides the bot's markers
        assert "wmstrategybot" in before + after + content or "<" in before + after, str(exc)
        return
    assert new.startswith(before) and new.endswith(after)
    if "wmstrategybot" not in content and "<" not in content:  # (fill takes markup in content as given)
        assert fill(new, {"r": content}) == new  # stable: a second run changes nothing


@settings(max_examples=100, deadline=None)
@given(text=WIKITEXT)
def test_signed_rows_never_raises(text):
    rows = signed_rows(text)
    # a row's text is its lines (a header line inside the row is not one of them), each a line of the page
    lines = set(text.split("\n"))
    assert all(set(row.split("\n")) <= lines and count >= 1 for row, count in rows.items())
    assert rows == signed_rows(text)
