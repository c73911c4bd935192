"""Session identity survives editing (issue 20, finding 2): sessions are matched by code, title,
day and order before anything is called lost; numbers given by order are unique and in order
within a day; the lost-session guard fires only on evidence that a read failed, and an organiser
accepts such a loss with ``accept=<digest>`` on the wiki or in the config."""

from __future__ import annotations

import json

import pytest
from helpers import DATA, DAY1, ROOT, copy_snapshot, invoke, page_file

from wmstrategybot.config.event import parse_config
from wmstrategybot.errors import ConfigError
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.plan.lost import LOST_MANY, Loss, PublishedSession, dropped, judge, match, similar

TARGETS = '[targets]\nsummary = "O"\nnavbox = "N"\nsignups = "S"\ndata = "D"\n'


def s(day, number, title, **kw) -> PublishedSession:
    return PublishedSession(day, number, title, **kw)


def day(*titles: str, d: int = 1) -> list[PublishedSession]:
    return [s(d, n, t) for n, t in enumerate(titles, 1)]


# -- numbering ---------------------------------------------------------------------------------

def _numbers(days: str, texts: dict[str, str]) -> list[tuple[int, int, str]]:
    config = parse_config(f'[event]\nroot = "R"\ndays = {days}\n' + TARGETS)
    event = extract_event(config, {t: PageRecord(t, x, 1) for t, x in texts.items()})
    return [(x.day, x.number, x.title) for x in event.sessions]


def test_a_number_given_on_one_page_is_never_read_on_another_page_of_the_day():
    """Before: the two unnumbered sessions of the root page were 1 and 2, and 'Session 2' on the
    Day 1 page was 2 as well (ids d1-s02 and d1-s02-2)."""
    got = _numbers('[{ page = ".", day = 1 }, { page = "Day 1", day = 1 }]',
                   {"R": "== Welcome ==\nA.\n== Keynote ==\nB.\n", "R/Day 1": "== Session 2 Work ==\nC.\n"})
    numbers = [n for _, n, _ in got]
    assert len(numbers) == len(set(numbers)) == 3, got
    assert numbers[:2] == sorted(numbers[:2]) and 2 not in numbers[:2]


def test_a_day_whose_first_session_has_no_number_starts_at_1():
    """Before: 'Welcome' above 'Session 6' was counted back to 5 (2024's Day 3)."""
    got = _numbers('["Day 3"]', {"R/Day 3": "== Welcome ==\nA.\n== Session 6 Coherence ==\nB.\n== Open Space ==\nC.\n"})
    assert got == [(3, 1, "Welcome"), (3, 6, "Coherence"), (3, 7, "Open Space")]


def test_a_typo_in_the_first_code_of_a_day_still_counts_back():
    got = _numbers('["Day 3"]', {"R/Day 3": "== D3.O7 / A ==\nA.\n== D3.08 / B ==\nB.\n"})
    assert [n for _, n, _ in got] == [7, 8]


def test_an_insertion_shifts_given_numbers_but_the_guard_matches_by_title():
    before = _numbers('["Day 1"]', {"R/Day 1": "== Opening ==\nA.\n== Keynote ==\nB.\n"})
    after = _numbers('["Day 1"]', {"R/Day 1": "== Welcome ==\nW.\n== Opening ==\nA.\n== Keynote ==\nB.\n"})
    assert [n for _, n, _ in after] == [1, 2, 3]  # unique and in order
    assert dropped([s(d, n, t) for d, n, t in before], [s(d, n, t) for d, n, t in after]) == []


# -- matching ----------------------------------------------------------------------------------

def test_a_rename_and_an_insertion_in_one_edit_lose_nothing():
    """The issue's reproducer: 'Opening' renamed, a session added before it, in one save.
    Before: 'would drop 1 session(s) ... 'Opening''."""
    before = day("Opening", "Keynote", "Lunch")
    after = day("Registration", "Grand opening ceremony", "Keynote", "Lunch")
    assert dropped(before, after) == []
    pairs = match(before, after)
    assert after[pairs[0]].title == "Grand opening ceremony"


def test_a_rename_to_an_unlike_title_between_the_same_neighbours_is_a_rename():
    assert dropped(day("A", "Opening", "C"), day("A", "Poster session", "C")) == []


def test_swapped_titles_match_each_to_its_own():
    before, after = day("Alpha talk", "Beta talk"), day("Beta talk", "Alpha talk")
    pairs = match(before, after)
    assert [after[pairs[k]].title for k in range(2)] == ["Alpha talk", "Beta talk"]


def test_a_session_renamed_to_another_sessions_title_is_a_rename():
    before, after = day("Opening", "Keynote"), day("Keynote", "Keynote")
    assert dropped(before, after) == []
    assert match(before, after) == {0: 0, 1: 1}


def test_duplicate_titles_are_matched_in_order_and_one_gone_is_named():
    before = day("Break", "Talk A", "Break", "Talk B", "Break")
    assert dropped(before, day("Break", "Talk A", "Break", "Talk B", "Break")) == []
    lost = dropped(before, day("Break", "Talk A", "Talk B", "Break"))
    assert [x.title for x in lost] == ["Break"]


def test_a_unicode_look_alike_is_the_same_session_renamed_not_two():
    before = day("Opening", "Keynote")
    after = day("\u041epening", "Keynote")  # a Cyrillic O
    assert dropped(before, after) == []
    assert similar("Opening", "\u041epening") >= 0.6
    # NFKC: a full-width title is the same title
    assert match(day("Ｏｐｅｎｉｎｇ"), day("Opening")) == {0: 0}


def test_a_session_moved_to_another_day_keeps_its_identity():
    before = [*day("A", "B"), *day("C", d=2)]
    after = [*day("A"), *day("B", "C", d=2)]
    assert dropped(before, after) == []


def test_what_is_really_gone_is_named():
    lost = dropped(day("A", "B", "C", "D"), day("A", "C", "D"))
    assert [x.title for x in lost] == ["B"]


# -- the guard ---------------------------------------------------------------------------------

def test_one_or_two_sessions_removed_is_an_edit_not_a_failed_read():
    loss = judge(day("A", "B", "C", "D"), day("A", "D"))
    assert [x.title for x in loss.lost] == ["B", "C"] and not loss.refuses


def test_a_day_emptied_is_a_failed_read():
    loss = judge([*day("A", "B"), *day("C", d=2)], day("A", "B"))
    assert loss.refuses and loss.emptied == (2,) and "Day 2 would have no session left" in loss.evidence[0]


def test_many_sessions_gone_at_once_is_a_failed_read():
    titles = [f"Talk {k}" for k in range(10)]
    loss = judge(day(*titles), day(*titles[:-LOST_MANY]))
    assert loss.refuses and f"{LOST_MANY} sessions would go at once" in " ".join(loss.evidence)
    assert not judge(day(*titles), day(*titles[:-(LOST_MANY - 1)])).refuses


def test_the_digest_is_bound_to_the_loss():
    a = judge([*day("A", "B"), *day("C", d=2)], day("A", "B"))
    b = judge([*day("A", "B"), *day("D", d=2)], day("A", "B"))
    assert len(a.digest) == 8 and a.digest != b.digest
    assert a.digest == judge([*day("A", "B"), *day("C", d=2)], day("A", "B")).digest
    assert Loss().digest != a.digest


# -- accept in a config file -------------------------------------------------------------------

def test_accept_in_the_config_is_one_or_more_hex_codes():
    base = '[event]\nroot = "R"\ndays = ["Day 1"]\n'
    assert parse_config(base + 'accept = "1A2B3C4D"\n').accept == ("1a2b3c4d",)
    assert parse_config(base + 'accept = ["1a2b3c4d", "deadbeef"]\n').accept == ("1a2b3c4d", "deadbeef")
    for bad in ('accept = "yes"', "accept = 3"):
        with pytest.raises(ConfigError, match="accept"):
            parse_config(base + bad + "\n")


def _emptied_day_2(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    day2 = page_file(wiki, f"{ROOT}/Day 2")
    day2.write_text("This day was cancelled.\n")
    return wiki


def test_a_day_emptied_is_refused_with_its_code_and_only_that_code_releases_it(tmp_path):
    from importlib import resources
    wiki = _emptied_day_2(tmp_path)
    bundled = resources.files("wmstrategybot.events").joinpath("wmcon2018.toml").read_text()
    refused = invoke("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert refused.exit_code == 4, refused.output
    assert "Day 2 would have no session left" in refused.output
    code = refused.output.split('accept = "')[1][:8]

    def publish_with(accept: str):
        config = tmp_path / "event.toml"
        config.write_text(bundled.replace("year = 2018\n", f"year = 2018\naccept = \"{accept}\"\n"))
        return invoke("--config", str(config), "--source", f"dir:{wiki}", "publish")

    stale = publish_with("0badc0de")  # a code of another loss accepts nothing
    assert stale.exit_code == 4 and "Day 2 would have no session left" in stale.output
    assert any(x["day"] == 2 for x in json.loads(page_file(wiki, DATA).read_text())["data"]["sessions"])
    done = publish_with(code)
    assert done.exit_code == 0, done.output
    assert not any(x["day"] == 2 for x in json.loads(page_file(wiki, DATA).read_text())["data"]["sessions"])


def test_a_rename_and_an_insertion_publish_from_a_dir(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    day1 = page_file(wiki, DAY1)
    text = day1.read_text()
    assert "== D1.01 / The Big Picture ==" in text
    # renamed, and a session added before it, its code the next ones' order
    day1.write_text(text.replace("== D1.01 / The Big Picture ==", "== D1.01 / The Bigger Picture =="))
    day3 = page_file(wiki, f"{ROOT}/Day 3")
    day3.write_text(day3.read_text().replace("== D3.07 /", "== D3.06b / A warm welcome ==\nHello.\n\n== D3.07 /", 1))
    r = invoke("--source", f"dir:{wiki}", "publish")
    assert r.exit_code == 0, r.output
    titles = [x["title"] for x in json.loads(page_file(wiki, DATA).read_text())["data"]["sessions"]]
    assert "The Bigger Picture" in titles and "The Big Picture" not in titles
