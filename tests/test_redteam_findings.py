"""The red team's findings on main (a9bf541): each test failed there (the id one excepted: main
already refused unsafe ids). Adapted from branch redteam's tests/redteam_test_findings.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ROOT, copy_snapshot, page_file

from wmstrategybot.cli.main import cli
from wmstrategybot.config.event import parse_config
from wmstrategybot.errors import ConfigError

DAY1 = f"{ROOT}/Day 1"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _published(tmp_path: Path) -> Path:
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    return wiki


def _insert_before(wiki: Path, marker: str, text: str) -> None:
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace(marker, text + marker, 1))


def test_finding1_a_lunch_break_heading_blocks_the_whole_event(tmp_path):
    """A plain '== Lunch break ==' between D1.02 and D1.03 is a real-looking edit. Every page of
    the event is then refused, claiming 'its code D1.03 can no longer be read' although D1.03
    is read with its code."""
    wiki = _published(tmp_path)
    _insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    r = invoke("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert "can no longer be read" not in r.output
    assert r.exit_code == 0, r.output


def test_finding2_unnumbered_session_gets_a_number_another_session_has(tmp_path):
    """The unnumbered heading on Day 1 is given number 4, which D2.04 already has, and the
    summary page's sections are then joined by order: every later session gets the summary of
    the next one ('The Challenges' gets 'The Way Forward')."""
    wiki = copy_snapshot(tmp_path / "wiki")
    _insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    r = invoke("--source", f"dir:{wiki}", "extract")
    sessions = json.loads(r.stdout)["sessions"]
    numbers = [s["number"] for s in sessions]
    assert len(numbers) == len(set(numbers)), numbers
    challenges = next(s for s in sessions if s["title"] == "The Challenges")
    assert "Having identified future possibilities" in (challenges["summary"] or ""), challenges["summary"][:80]


def _config(tmp_path: Path, old: str, new: str) -> Path:
    base = (Path(__file__).parent.parent / "src/wmstrategybot/events").glob("*2018*.toml")
    text = next(iter(base)).read_text()
    assert old in text, old
    path = tmp_path / "event.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_finding3_throttle_nan_is_accepted(tmp_path):
    """`throttle = nan` passes the config check; on a site run pywikibot's atexit handler then
    prints a traceback (ValueError: cannot convert float NaN to integer), even with -q."""
    wiki = copy_snapshot(tmp_path / "wiki")
    cfg = _config(tmp_path, "throttle = 10", "throttle = nan")
    r = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "extract")
    assert r.exit_code == 2, r.output[-300:]


def test_finding4_event_id_escapes_the_state_folder(tmp_path, monkeypatch):
    """`id = "../../x"` puts the lock (and state, report) file outside $XDG_DATA_HOME/wmstrategybot."""
    wiki = copy_snapshot(tmp_path / "wiki")
    cfg = _config(tmp_path, 'id = "wmcon2018-strategy"', 'id = "../../escaped"')
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    r = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "run", "--dry-run")
    assert not list(tmp_path.glob("escaped*")), r.output[-300:]


def test_finding5_signatures_in_a_list_under_a_signup_table_are_neither_counted_nor_warned(tmp_path):
    """Two people sign with full signatures in a list below the Advocacy table (a common way
    to sign on Meta). They are not counted and no warning names them."""
    from helpers import SIGNUPS
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


MINIMAL = '[event]\nroot = "Wikimedia Summit 2019/Documentation"\ndays = ["Day 1", "Day 2"]\n'


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "-1"])
def test_a_throttle_or_timeout_out_of_range_is_refused_at_load(value):
    for key in ("throttle", "parse_timeout"):
        with pytest.raises(ConfigError, match=f"'{key}' must be a number of seconds"):
            parse_config(MINIMAL + f"[bot]\n{key} = {value}\n", "c.toml")


def test_a_throttle_of_nan_exits_2_with_one_line(tmp_path):
    cfg = _config(tmp_path, "throttle = 10", "throttle = nan")
    r = CliRunner().invoke(cli, ["--config", str(cfg), "--source", f"dir:{tmp_path}", "extract"])
    assert r.exit_code == 2 and "'throttle' must be" in r.output and "Traceback" not in r.output


def test_a_day_named_twice_is_refused():
    with pytest.raises(ConfigError, match="'days' names the page 'Day 1' twice"):
        parse_config(MINIMAL.replace('["Day 1", "Day 2"]', '["Day 1", " Day 1"]'), "c.toml")


def test_an_alias_under_two_areas_is_refused_naming_both():
    text = MINIMAL + '[areas]\nAdvocacy = ["Outreach"]\n"Capacity Building" = ["outreach", "CB"]\n'
    with pytest.raises(ConfigError, match="'outreach' is listed under both 'Advocacy' and 'Capacity Building'"):
        parse_config(text, "c.toml")
    parse_config(MINIMAL + '[areas]\nAdvocacy = ["advocacy", "Outreach"]\n', "c.toml")  # its own name: fine


def _extract(wiki: Path) -> dict:
    r = invoke("--source", f"dir:{wiki}", "extract")
    assert r.exit_code == 0, r.output[-300:]
    return json.loads(r.stdout)


def test_a_heading_between_two_consecutive_codes_is_a_section_of_the_day_named_in_a_warning(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    _insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    data = _extract(wiki)
    assert "Lunch break" not in [s["title"] for s in data["sessions"]]
    day1 = next(d for d in data["days"] if d["number"] == 1)
    assert [(a["title"], a["text"]) for a in day1["appendices"]] == [("Lunch break", "We had lunch.")]
    said = [w for w in data["warnings"] if "Lunch break" in w["message"]]
    assert [(w["page"], w["line"]) for w in said] == [(DAY1, 55)]
    assert "between sessions D1.02 and D1.03" in said[0]["message"]


def test_unmarked_sessions_get_numbers_no_other_day_reads_and_the_summary_stays_joined(tmp_path):
    """D1.01, an unmarked 'The Possibilities' (number 2 is free), 'Lunch break', D1.03: every
    heading is a session; the lunch may not take 4 (D2.04's) and each summary stays with its number."""
    wiki = copy_snapshot(tmp_path / "wiki")
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace("== D1.02 / The Possibilities ==", "== The Possibilities =="))
    _insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    sessions = _extract(wiki)["sessions"]
    numbers = [s["number"] for s in sessions]
    assert len(numbers) == len(set(numbers)), numbers
    by_title = {s["title"]: s for s in sessions}
    assert by_title["The Possibilities"]["number"] == 2
    assert by_title["Lunch break"]["number"] not in (3, 4)
    assert "Having identified future possibilities" in by_title["The Challenges"]["summary"]
    assert by_title["The Way Forward"]["number"] == 4


def test_a_heading_inside_a_template_argument_opens_no_session(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    _insert_before(wiki, "== D1.03 / The Challenges ==", "{{Note|\n== Hidden heading ==\nA note.\n}}\n")
    data = _extract(wiki)
    assert "Hidden heading" not in [s["title"] for s in data["sessions"]]
    possibilities = next(s for s in data["sessions"] if s["title"] == "The Possibilities")
    assert "== Hidden heading ==\nA note." in possibilities["parts"][-1]["text"]  # kept, in the part it stands in
    numbers = [s["number"] for s in data["sessions"]]
    assert len(numbers) == len(set(numbers))


def test_a_session_still_read_with_its_code_is_never_reported_garbled():
    """A read that joined the summary by order gave 'Lunch break' the other title 'The Challenges':
    D1.03 is still read with its code, so it is there (and nothing is lost)."""
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


def test_a_join_by_order_keeps_in_step_by_titles(tmp_path):
    """Numbers that repeat (a typo: D2.03 for D2.04) make the join go by order; one extra
    session on Day 1 must not hand every later session the next one's summary."""
    wiki = copy_snapshot(tmp_path / "wiki")
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace("== D1.02 / The Possibilities ==", "== The Possibilities =="))
    _insert_before(wiki, "== D1.03 / The Challenges ==", "== Lunch break ==\nWe had lunch.\n\n")
    day2 = page_file(wiki, f"{ROOT}/Day 2")
    assert "D2.04 / The Way Forward" in day2.read_text()
    day2.write_text(day2.read_text().replace("D2.04 / The Way Forward", "D2.03 / The Way Forward"))
    data = _extract(wiki)
    by_title = {s["title"]: s for s in data["sessions"]}
    assert "Having identified future possibilities" in by_title["The Challenges"]["summary"]
    assert by_title["Lunch break"]["summary"] in (None, "", by_title["Lunch break"]["intro"])
    assert by_title["Working groups"]["other_titles"] == ["Getting To Work"]  # renamed: still by order
    assert any("joined by order where titles agree" in w["message"] for w in data["warnings"])


def test_signatures_in_a_list_under_a_signup_table_count_for_its_area(tmp_path):
    from helpers import SIGNUPS
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


def test_the_signature_guard_keeps_signed_list_items():
    from wmstrategybot.plan.compose import guard_signatures
    from wmstrategybot.wikitext.regions import MergeRefused
    before = ("== Advocacy ==\n{|\n! User\n|-\n| [[User:Xx|Xx]] 09:00, 1 June 2018 (UTC)\n|}\n"
              "# [[User:Aa|Aa]] ([[User talk:Aa|talk]]) 10:00, 1 June 2018 (UTC)\n")
    guard_signatures(before, before + "more text\n")
    with pytest.raises(MergeRefused, match="drop 1 signed row"):
        guard_signatures(before, before.replace("# [[User:Aa", "# [[User:Ab"))
    # a signed list item in the bot's own region is generated text, not a signature
    region = "<!-- wmstrategybot:begin x -->\n* [[User:Zz|Zz]] 10:00, 1 June 2018 (UTC)\n<!-- wmstrategybot:end x -->\n"
    from wmstrategybot.wikitext.signuptable import signed_rows
    assert sum(signed_rows(before + region).values()) == 2


def test_the_refusal_says_when_an_unclosed_comment_hides_the_rest_of_a_page(tmp_path):
    wiki = _published(tmp_path)
    day2 = page_file(wiki, f"{ROOT}/Day 2")
    day2.write_text(day2.read_text().replace("== D2.06 /", "<!-- to do: check the photos\n== D2.06 /", 1))
    r = invoke("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert "would drop" in r.output and "'Thematic Inputs & Conversations'" in r.output
    assert "no warning explains it" not in r.output
    assert "Day 2:69: an unclosed comment (<!-- without -->) here hides the rest of the page" in r.output, r.output
