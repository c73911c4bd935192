"""A bad read reaches no page, and is never silent: a typo in one session marker (``D1.O2`` for
``D1.02``) is warned about by every command, and no page of the event is published from it
(issue 10). The published sessions are compared with those read (published.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import DATA, DAY1, NAVBOX, OVERVIEW, ROOT, SIGNUPS, copy_snapshot, files, insert_before, invoke, page_file

from wmstrategybot.plan.lost import PublishedSession, dropped, navbox_links

MARKER, TYPO = "== D1.02 / The Possibilities ==", "== D1.O2 / The Possibilities =="


def typo(wiki: Path) -> str:
    """Typo the D1.02 marker on the Day 1 page; the warning's ``page:line`` prefix."""
    day = page_file(wiki, DAY1)
    lines = day.read_text().split("\n")
    line = lines.index(MARKER) + 1
    lines[line - 1] = TYPO
    day.write_text("\n".join(lines))
    return f"warning: {DAY1}:{line}: "


@pytest.fixture(params=["published before", "first run"])
def wiki(request, tmp_path) -> Path:
    """The snapshot in a dir: source, after a normal publish (a data page to compare with) or
    as it is (no data page or overview yet: the hand-written navbox is what is published)."""
    wiki = copy_snapshot(tmp_path / "wiki")
    if request.param == "published before":
        assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
        assert page_file(wiki, DATA).is_file()
    return wiki


def test_a_typo_in_a_marker_is_warned_by_every_command_and_publishes_nothing(wiki, tmp_path):
    warning = typo(wiki)
    before = files(wiki)
    source = ("--source", f"dir:{wiki}")
    commands = {
        "extract": ["extract"],
        "render": ["render", "-o", str(tmp_path / "out")],
        "diff": ["diff"],
        "publish --dry-run": ["publish", "--dry-run"],
        "publish": ["publish"],
        "run": ["run", "--state", str(tmp_path / "state.db"), "--report-json"],
    }
    results = {name: invoke(*source, *args) for name, args in commands.items()}
    for name, result in results.items():
        lines = [x for x in result.stderr.splitlines() if x.startswith(warning)]
        assert len(lines) == 1 and "D1.O2 / The Possibilities" in lines[0], (name, result.stderr)
    assert files(wiki) == before  # nothing saved, by publish or run
    assert not (tmp_path / "out").exists()  # render writes no page of the event either
    for name in ("publish --dry-run", "publish", "run"):
        assert results[name].exit_code == 4, (name, results[name].output)
    # every page of the event is refused, with one message naming the missing session and the
    # warning that explains it
    report = json.loads(results["run"].stdout)
    assert report["outcome"] == "refused" and report["edited"] == []
    assert {r["title"] for r in report["refused"]} == {NAVBOX, OVERVIEW, SIGNUPS, DATA}
    for r in report["refused"]:
        assert "'The Possibilities'" in r["reason"] and "Day 1" in r["reason"]
        assert warning.removeprefix("warning: ") + "'D1.O2 / The Possibilities'" in r["reason"]
    assert report["warning_count"] == len(report["warnings"]) >= 1
    assert any(w.startswith(f"{DAY1}:") and "D1.O2" in w for w in report["warnings"])
    published = results["publish"].stdout
    assert published.count("refused") == len(report["refused"]) and "'The Possibilities'" in published
    # a person may say the session is really gone
    allowed = invoke(*source, "publish", "--allow-shrink")
    assert allowed.exit_code == 0, allowed.output
    assert "D1.O2 / The Possibilities" in page_file(wiki, NAVBOX).read_text()


def test_quiet_hides_the_warnings_not_the_refusal(wiki, tmp_path):
    typo(wiki)
    source = ("-q", "--source", f"dir:{wiki}")
    for args in (["extract"], ["render", "-o", str(tmp_path / "out")], ["diff"], ["publish", "--dry-run"],
                 ["publish"], ["run", "--state", str(tmp_path / "state.db")]):
        result = invoke(*source, *args)
        assert "warning:" not in result.stderr, (args, result.stderr)
    assert result.exit_code == 4


def test_without_a_typo_nothing_is_refused(wiki):
    """The guard does not fire on the snapshot itself (whose navbox says 'Getting To Work' for
    the session the Day page calls 'Working groups'), nor after a session is renamed."""
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace("The Big Picture ==", "The Whole Picture =="))
    result = invoke("--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert "refused" not in result.output


def s(day, number, title, **kw) -> PublishedSession:
    return PublishedSession(day, number, title, **kw)


def test_a_renamed_session_is_not_dropped():
    assert dropped([s(1, 1, "A"), s(1, 2, "B")], [s(1, 1, "A"), s(1, 2, "B, renamed")]) == []


def test_a_session_lost_among_sessions_numbered_by_order_is_the_one_named():
    before = [s(1, 1, "A"), s(1, 2, "B"), s(1, 3, "C"), s(1, 4, "D")]
    after = [s(1, 1, "A"), s(1, 2, "C"), s(1, 3, "D")]
    assert [x.title for x in dropped(before, after)] == ["B"]


def test_a_session_moved_to_another_day_is_not_dropped():
    assert dropped([s(1, 2, "B")], [s(2, 5, "b")]) == []


def test_a_title_on_its_own_day_is_matched_before_the_same_title_on_another_day():
    # Wikimedia Conference 2013's Day pages: each day's "Schedule" and "Detailed descriptions"
    # headings were read as sessions; a day heading on Friday made its ten real sessions read
    # instead. Friday's old two are renamed (same numbers), Saturday and Sunday are untouched.
    before = [s(1, 1, "Schedule"), s(1, 2, "Detailed descriptions"),
              s(2, 1, "Schedule"), s(2, 2, "Detailed descriptions"), s(3, 1, "Detailed descriptions")]
    friday = [s(1, n, f"Real session {n}") for n in range(1, 11)]
    assert dropped(before, [*friday, *before[2:]]) == []
    # a session really gone is named on its own day, not on a day that still has its title
    lost = dropped([s(1, 1, "Intro"), s(2, 1, "Intro"), s(2, 2, "B")], [s(2, 1, "Intro"), s(2, 2, "B")])
    assert [(x.day, x.title) for x in lost] == [(1, "Intro")]


def test_a_navbox_link_is_kept_by_its_target_or_a_session_left_on_its_day():
    before = [s(1, None, "Old label", target="P#D1.01"), s(1, None, "Renamed")]
    assert dropped(before, [s(1, None, "New label", target="P#D1.01"), s(1, None, "Renamed again")]) == []
    lost = dropped(before, [s(1, None, "New label", target="P#D1.01"), s(1, None, "Renamed", appendix=True)])
    assert lost == []  # matched by title
    lost = dropped(before, [s(1, None, "New label", target="P#D1.01"), s(1, None, "Other", appendix=True)])
    assert [x.title for x in lost] == ["Renamed"]  # an appendix is no session


def test_a_session_still_read_but_without_the_code_its_marker_gave_counts_as_lost():
    before = [s(1, 1, "The Big Picture", code="D1.01"), s(1, 2, "The Possibilities", code="D1.02")]
    after = [s(1, 1, "The Big Picture", code="D1.01"), s(1, 2, "The Possibilities")]  # read by order
    lost = dropped(before, after)
    assert [(x.title, x.garbled) for x in lost] == [("The Possibilities", True)]
    assert "its code D1.02 can no longer be read" in lost[0].describe()
    # a page that never had codes loses none
    assert dropped([s(1, 2, "The Possibilities")], [s(1, 2, "The Possibilities")]) == []


def test_a_navbox_link_carries_the_code_of_its_anchor():
    links = navbox_links("» [[Track/Day 1#D1.02 / The Possibilities|The Possibilities]]", 1)
    assert links[0].code == "D1.02"
    assert navbox_links("» [[Track/Day 1#Closing|Closing]]", 1)[0].code == ""


def test_every_command_prints_the_warnings_extract_prints_with_the_live_pages_lines(tmp_path):
    """The signup page's warnings point at its live lines in every command, although the plan
    reads the signups again from the text it will save (whose counts table is longer)."""
    wiki = copy_snapshot(tmp_path / "wiki")

    def warnings(*args: str) -> list[str]:
        result = invoke("--source", f"dir:{wiki}", *args)
        return [line for line in result.stderr.splitlines() if line.startswith("warning: ")]

    expected = warnings("extract")
    assert any(SIGNUPS in line for line in expected)
    for args in (("render", "-o", str(tmp_path / "out")), ("diff",), ("publish", "--dry-run")):
        assert warnings(*args) == expected, args


def _published(tmp_path: Path) -> Path:
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    return wiki


def test_finding1_a_lunch_break_heading_blocks_the_whole_event(tmp_path):
    """A plain '== Lunch break ==' between D1.02 and D1.03 is a real-looking edit. Every page of
    the event is then refused, claiming 'its code D1.03 can no longer be read' although D1.03
    is read with its code.

    Found by the red team on main a9bf541."""
    wiki = _published(tmp_path)
    insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    r = invoke("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert "can no longer be read" not in r.output
    assert r.exit_code == 0, r.output


def test_a_session_still_read_with_its_code_is_never_reported_garbled():
    """A read that joined the summary by order gave 'Lunch break' the other title 'The Challenges':
    D1.03 is still read with its code, so it is there (and nothing is lost).

    Found by the red team on main a9bf541."""
    from wmstrategybot.plan.lost import PublishedSession as S
    from wmstrategybot.plan.lost import dropped
    before = [S(1, 3, "The Challenges", code="D1.03"), S(2, 4, "The Way Forward", code="D2.04")]
    after = [S(1, 4, "Lunch break", other_titles=("The Challenges",)),
             S(1, 3, "The Challenges", code="D1.03", other_titles=("The Way Forward",)),
             S(2, 4, "The Way Forward", code="D2.04")]
    assert dropped(before, after) == []
    # a code gone is still told
    lost = dropped(before, [after[0], S(1, 3, "The Challenges"), after[2]])
    assert [(x.title, x.garbled) for x in lost] == [("The Challenges", True)]


def test_the_refusal_says_when_an_unclosed_comment_hides_the_rest_of_a_page(tmp_path):
    """Found by the red team on main a9bf541."""
    wiki = _published(tmp_path)
    day2 = page_file(wiki, f"{ROOT}/Day 2")
    day2.write_text(day2.read_text().replace("== D2.06 /", "<!-- to do: check the photos\n== D2.06 /", 1))
    r = invoke("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert "would drop" in r.output and "'Thematic Inputs & Conversations'" in r.output
    assert "no warning explains it" not in r.output
    assert "Day 2:69: an unclosed comment (<!-- without -->) here hides the rest of the page" in r.output, r.output
