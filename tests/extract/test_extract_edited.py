"""Extraction of the snapshot's pages after edits people make: a heading that is no session,
sessions left unmarked or numbered twice, signatures in a list below a signup table."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import DAY1, ROOT, SIGNUPS, copy_snapshot, insert_before, invoke, page_file


def _extract(wiki: Path) -> dict:
    r = invoke("--source", f"dir:{wiki}", "extract")
    assert r.exit_code == 0, r.output[-300:]
    return json.loads(r.stdout)


def test_finding2_unnumbered_session_gets_a_number_another_session_has(tmp_path):
    """The unnumbered heading on Day 1 is given number 4, which D2.04 already has, and the
    summary page's sections are then joined by order: every later session gets the summary of
    the next one ('The Challenges' gets 'The Way Forward').

    Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    r = invoke("--source", f"dir:{wiki}", "extract")
    sessions = json.loads(r.stdout)["sessions"]
    numbers = [s["number"] for s in sessions]
    assert len(numbers) == len(set(numbers)), numbers
    challenges = next(s for s in sessions if s["title"] == "The Challenges")
    assert "Having identified future possibilities" in (challenges["summary"] or ""), challenges["summary"][:80]


def test_a_heading_between_two_consecutive_codes_is_a_section_of_the_day_named_in_a_warning(tmp_path):
    """Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    data = _extract(wiki)
    assert "Lunch break" not in [s["title"] for s in data["sessions"]]
    day1 = next(d for d in data["days"] if d["number"] == 1)
    assert [(a["title"], a["text"]) for a in day1["appendices"]] == [("Lunch break", "We had lunch.")]
    said = [w for w in data["warnings"] if "Lunch break" in w["message"]]
    assert [(w["page"], w["line"]) for w in said] == [(DAY1, 55)]
    assert "between sessions D1.02 and D1.03" in said[0]["message"]


def test_unmarked_sessions_get_numbers_no_other_day_reads_and_the_summary_stays_joined(tmp_path):
    """D1.01, an unmarked 'The Possibilities' (number 2 is free), 'Lunch break', D1.03: every
    heading is a session; the lunch may not take 4 (D2.04's) and each summary stays with its number.

    Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace("== D1.02 / The Possibilities ==", "== The Possibilities =="))
    insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    sessions = _extract(wiki)["sessions"]
    numbers = [s["number"] for s in sessions]
    assert len(numbers) == len(set(numbers)), numbers
    by_title = {s["title"]: s for s in sessions}
    assert by_title["The Possibilities"]["number"] == 2
    assert by_title["Lunch break"]["number"] not in (3, 4)
    assert "Having identified future possibilities" in by_title["The Challenges"]["summary"]
    assert by_title["The Way Forward"]["number"] == 4


def test_a_heading_inside_a_template_argument_opens_no_session(tmp_path):
    """Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    insert_before(wiki, "== D1.03 / The Challenges ==", "{{Note|\n== Hidden heading ==\nA note.\n}}\n")
    data = _extract(wiki)
    assert "Hidden heading" not in [s["title"] for s in data["sessions"]]
    possibilities = next(s for s in data["sessions"] if s["title"] == "The Possibilities")
    assert "== Hidden heading ==\nA note." in possibilities["parts"][-1]["text"]  # kept, in the part it stands in
    numbers = [s["number"] for s in data["sessions"]]
    assert len(numbers) == len(set(numbers))


def test_a_join_by_order_keeps_in_step_by_titles(tmp_path):
    """Numbers that repeat (a typo: D2.03 for D2.04) make the join go by order; one extra
    session on Day 1 must not hand every later session the next one's summary.

    Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace("== D1.02 / The Possibilities ==", "== The Possibilities =="))
    insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    day2 = page_file(wiki, f"{ROOT}/Day 2")
    assert "D2.04 / The Way Forward" in day2.read_text()
    day2.write_text(day2.read_text().replace("D2.04 / The Way Forward", "D2.03 / The Way Forward"))
    data = _extract(wiki)
    by_title = {s["title"]: s for s in data["sessions"]}
    assert "Having identified future possibilities" in by_title["The Challenges"]["summary"]
    assert by_title["Lunch break"]["summary"] in (None, "", by_title["Lunch break"]["intro"])
    assert by_title["Working groups"]["other_titles"] == ["Getting To Work"]  # renamed: still by order
    assert any("joined by order where titles agree" in w["message"] for w in data["warnings"])


def test_finding5_signatures_in_a_list_under_a_signup_table_are_neither_counted_nor_warned(tmp_path):
    """Two people sign with full signatures in a list below the Advocacy table (a common way
    to sign on Meta). They are not counted and no warning names them.

    Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    page = page_file(wiki, SIGNUPS)
    text = page.read_text()
    assert text.rstrip().endswith("[[Category:Movement Strategy 2018-20]]")
    head, _, tail = text.rpartition("[[Category:")
    page.write_text(head + "Signed below the table:\n"
                    "# [[User:Aa|Aa]] ([[User talk:Aa|talk]]) 10:00, 1 June 2018 (UTC)\n"
                    "* [[User:Bb|Bb]] ([[User talk:Bb|talk]]) 11:00, 1 June 2018 (UTC)\n\n[[Category:" + tail)
    r = invoke("--source", f"dir:{wiki}", "extract")
    data = json.loads(r.stdout)
    counted = {str(s) for g in data["working_groups"] for s in g["signups"]}
    warned = " ".join(str(w) for w in data["warnings"])
    assert ("Aa" in " ".join(counted) and "Bb" in " ".join(counted)) or ("Aa" in warned and "Bb" in warned)


def test_signatures_in_a_list_under_a_signup_table_count_for_its_area(tmp_path):
    """Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    page = page_file(wiki, SIGNUPS)
    text = page.read_text()
    page.write_text(text.replace("== Community Health ==", "Signed below the table:\n"
                                 "# [[User:Aa|Aa]] ([[User talk:Aa|talk]]) 10:00, 1 June 2018 (UTC)\n"
                                 "* [[User:Bb|Bb]] 11:00, 1 June 2018 (UTC)\n"
                                 "* See also [[User:Cc|Cc]]'s notes\n\n== Community Health ==", 1))
    data = _extract(wiki)
    group = next(g for g in data["working_groups"] if g["area"] == "Capacity Building")
    listed = [(s["user"], s["timestamp"], s["source"]["line"]) for s in group["signups"] if s["user"] in ("Aa", "Bb", "Cc")]
    assert listed == [("Aa", "2018-06-01T10:00:00Z", 72), ("Bb", "2018-06-01T11:00:00Z", 73)]
