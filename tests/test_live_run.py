"""`run`, the scheduled entry point, on the real test wiki: the no-op fast path, the state file,
the lock, the shrink guard, exit codes and the status page."""

from __future__ import annotations

import dataclasses

import pytest

from live import _cli, _write_config
from wmstrategybot.run import EXIT_DONE, EXIT_LOCKED, EXIT_REFUSED, EXIT_SKIPPED, run, run_lock

pytestmark = pytest.mark.wiki


def test_no_op_run_costs_one_request_and_parses_nothing(event, tmp_path, admin):
    state = tmp_path / "state.json"
    first = run(event.config, event.source(), state)
    assert first.outcome == "done" and first.exit == EXIT_DONE and len(first.edited) == 4
    assert state.is_file()
    before = event.revisions()
    second = run(event.config, event.source(), state)
    assert second.outcome == "nothing-changed" and second.exit == EXIT_DONE
    assert second.api_requests == 1 and second.pages_read == 0 and second.pages_parsed == 0
    assert second.edited == [] and event.revisions() == before


def test_run_after_one_change_reads_in_one_batch_and_edits_only_what_changed(event, tmp_path, alice, admin):
    state = tmp_path / "state.json"
    assert run(event.config, event.source(), state).outcome == "done"
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")
    report = run(event.config, event.source(), state)
    edited = {e["title"] for e in report.edited}
    assert edited == {event.navbox, event.config.targets.summary, event.config.targets.data}
    # one request for the revision ids, one for the texts (9 pages, under 50), one per edit
    assert report.api_requests == 2 + len(edited)
    third = run(event.config, event.source(), state)
    assert third.outcome == "nothing-changed" and third.check == "watchlist", third.changes


def test_a_person_editing_a_target_page_counts_as_a_change(event, tmp_path, alice, admin):
    state = tmp_path / "state.json"
    assert run(event.config, event.source(), state).outcome == "done"
    overview = event.config.targets.summary
    alice.edit(overview, admin.page_text(overview) + "\nA note.", "note")
    report = run(event.config, event.source(), state)
    assert report.outcome == "done" and report.pages_parsed > 0 and report.edited == []
    assert run(event.config, event.source(), state).outcome == "nothing-changed"


def test_a_second_run_exits_at_once_while_the_first_holds_the_lock(event, tmp_path):
    cfg = _write_config(event, tmp_path)
    state = tmp_path / "state.json"
    with run_lock(state):
        result = _cli(["--config", str(cfg), "--source", "site", "run", "--state", str(state)])
    assert result.returncode == EXIT_LOCKED
    assert "another run holds the lock" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_shrink_guard_refuses_an_emptied_day_until_allowed(event, tmp_path, alice, admin):
    state = tmp_path / "state.json"
    assert run(event.config, event.source(), state).outcome == "done"
    before = event.revisions()
    day3 = event.title("Day 3")
    alice.edit(day3, "{{WMCON 2018 header}}\nThis page is being rewritten.", "blank the day")
    report = run(event.config, event.source(), state)
    assert report.exit == EXIT_REFUSED and report.outcome == "refused"
    reasons = {r["title"]: r["reason"] for r in report.refused}
    assert "shrink from 8 to 6" in reasons[event.config.targets.summary]
    assert event.revisions()[event.config.targets.summary] == before[event.config.targets.summary]
    allowed = run(event.config, event.source(), state, allow_shrink=True)
    assert allowed.outcome == "done" and event.config.targets.summary in {e["title"] for e in allowed.edited}


def test_skipped_pages_exit_3_and_are_retried(event, tmp_path, admin):
    state = tmp_path / "state.json"
    admin.protect(event.config.targets.signups, edit="sysop")
    report = run(event.config, event.source(), state)
    assert report.exit == EXIT_SKIPPED and report.skipped[0]["title"] == event.config.targets.signups
    again = run(event.config, event.source(), state)
    assert again.outcome == "skipped"  # not the fast path: the state was not saved


def test_status_page_changes_only_when_the_outcome_does(event, tmp_path, alice, admin):
    status = f"User:WmBot/status {event.root}"
    config = dataclasses.replace(event.config, bot=dataclasses.replace(event.config.bot, status_page=status))
    state = tmp_path / "state.json"
    assert run(config, event.source(), state).outcome == "done"
    first = admin.latest_revid(status)
    assert "'''done'''" in admin.page_text(status)
    overview = config.targets.summary
    alice.edit(overview, admin.page_text(overview).replace("|title=The Challenges", "|title=Challenges!"), "x")
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("The Challenges ==", "The Big Challenges =="), "x")
    refused = run(config, event.source(), state)
    assert refused.outcome == "refused"
    text = admin.page_text(status)
    assert "'''refused'''" in text and overview in text and "edited by hand" in text
    second = admin.latest_revid(status)
    assert second != first
    alice.edit(day1, admin.page_text(day1) + "\n<!-- a comment -->", "another change, same outcome")
    assert run(config, event.source(), state).outcome == "refused"
    assert admin.latest_revid(status) == second


def test_run_report_json_from_the_command_line(event, tmp_path):
    import json

    cfg = _write_config(event, tmp_path)
    state = tmp_path / "state.json"
    result = _cli(["--config", str(cfg), "--source", "site", "-q", "run", "--state", str(state), "--report-json"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "done" and len(report["edited"]) == 4
    assert json.loads((tmp_path / "state.json.report.json").read_text()) == report
    again = _cli(["--config", str(cfg), "--source", "site", "-q", "run", "--state", str(state), "--report-json"])
    assert json.loads(again.stdout)["outcome"] == "nothing-changed" and again.stderr == ""
