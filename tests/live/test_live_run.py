"""`run`, the scheduled entry point, on the real test wiki: the no-op fast path, the state file,
the lock, the shrink guard, exit codes and the status page."""

from __future__ import annotations

import dataclasses
from datetime import UTC

from live import _cli, _write_config

from wmstrategybot.exits import EXIT_DONE, EXIT_LOCKED, EXIT_REFUSED, EXIT_SKIPPED
from wmstrategybot.job.lock import run_lock
from wmstrategybot.job.run import run
from wmstrategybot.options import Options
from wmstrategybot.render.kinds import target_titles


def test_no_op_run_costs_one_request_and_parses_nothing(event, tmp_path, admin):
    state = tmp_path / "state.db"
    first = run(event.config, event.source(), state)
    assert first.outcome == "done" and first.exit == EXIT_DONE and len(first.edited) == len(target_titles(event.config))
    assert state.is_file()
    before = event.revisions()
    second = run(event.config, event.source(), state)
    assert second.outcome == "nothing-changed" and second.exit == EXIT_DONE
    assert second.api_requests == 1 and second.pages_read == 0 and second.pages_parsed == 0
    assert second.edited == [] and event.revisions() == before


def test_run_after_one_change_reads_in_one_batch_and_edits_only_what_changed(event, tmp_path, alice, admin):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")
    report = run(event.config, event.source(), state)
    edited = {e["title"] for e in report.edited}
    assert edited == {event.navbox, event.config.targets.get("overview"), event.config.targets.get("data")}
    # one request for the revision ids, one for the texts (9 pages, under 50), and per edit
    # one read of the page and the stop page right before it, and the edit
    assert report.api_requests == 2 + 2 * len(edited)
    third = run(event.config, event.source(), state)
    assert third.outcome == "nothing-changed" and third.check == "watchlist", third.changes


def test_a_person_editing_a_target_page_counts_as_a_change(event, tmp_path, alice, admin):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    overview = event.config.targets.get("overview")
    alice.edit(overview, admin.page_text(overview) + "\nA note.", "note")
    report = run(event.config, event.source(), state)
    assert report.outcome == "done" and report.pages_parsed > 0 and report.edited == []
    assert run(event.config, event.source(), state).outcome == "nothing-changed"


def test_a_second_run_exits_at_once_while_the_first_holds_the_lock(event, tmp_path):
    cfg = _write_config(event, tmp_path)
    state = tmp_path / "state.db"
    with run_lock(state):
        result = _cli(["--config", str(cfg), "--source", "site", "run", "--state", str(state)])
    assert result.returncode == EXIT_LOCKED
    assert "another run holds the lock" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_shrink_guard_refuses_an_emptied_day_until_allowed(event, tmp_path, alice, admin):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    before = event.revisions()
    day3 = event.title("Day 3")
    alice.edit(day3, "{{WMCON 2018 header}}\nThis page is being rewritten.", "blank the day")
    report = run(event.config, event.source(), state)
    assert report.exit == EXIT_REFUSED and report.outcome == "refused"
    reasons = {r["title"]: r["reason"] for r in report.refused}
    assert "shrink from 8 to 6" in reasons[event.config.targets.get("overview")]
    assert event.revisions()[event.config.targets.get("overview")] == before[event.config.targets.get("overview")]
    allowed = run(event.config, event.source(), state, Options(allow_shrink=True, full_run=True))
    assert allowed.outcome == "done" and event.config.targets.get("overview") in {e["title"] for e in allowed.edited}


def test_a_protected_page_waits_for_a_person_not_every_run(event, tmp_path, admin, monkeypatch):
    """Protection is a skip that will not pass by itself: the runs do not retry it every hour;
    lifting it (a log entry on the page) brings the bot back."""
    from wmstrategybot.job import changes

    # A log entry within READ_LAG before a run's read counts on the next run (the read may have
    # missed it). An hour puts this test's entries inside it whatever the machine's speed, so
    # the one extra run is certain, not a matter of the wiki's clock.
    monkeypatch.setattr(changes, "READ_LAG", 3600)
    state = tmp_path / "state.db"
    signups = event.config.targets.get("signups")
    admin.protect(signups, edit="sysop")
    report = run(event.config, event.source(), state)
    assert report.exit == EXIT_SKIPPED and report.skipped[0]["title"] == signups and report.skipped[0]["lasting"]
    again = run(event.config, event.source(), state)  # the protection's entry, close to that read
    assert again.check == "watchlist" and again.exit == EXIT_SKIPPED and again.skipped[0]["lasting"]
    waits = run(event.config, event.source(), state)
    assert waits.outcome == "nothing-changed" and waits.check == "watchlist"
    admin.protect(signups, edit="all")  # a person lifts the protection
    healed = run(event.config, event.source(), state)
    assert healed.outcome == "done" and [e["title"] for e in healed.edited] == [signups]
    after = run(event.config, event.source(), state)
    assert after.outcome == "nothing-changed" and not after.edited


def test_a_page_skipped_beside_a_refusal_is_still_retried(event, tmp_path, alice, admin, monkeypatch):
    """A run that both refuses a page and skips another is saved (refusals wait for a person),
    but the skipped page must not be forgotten."""
    from wmstrategybot.errors import SlowDown
    from wmstrategybot.sources.site import SiteSource

    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    admin.delete(event.navbox, "not wanted")
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")
    summary = event.config.targets.get("overview")
    real_save = SiteSource.save

    def maxlag_on_the_summary(self, page, text, summary_, content_model=None):
        if page.title == summary:
            raise SlowDown("the wiki kept asking the bot to wait (maxlag)")
        return real_save(self, page, text, summary_, content_model)

    monkeypatch.setattr(SiteSource, "save", maxlag_on_the_summary)
    first = run(event.config, event.source(), state)
    monkeypatch.undo()
    assert first.outcome == "refused" and summary in {s["title"] for s in first.skipped}
    assert "The Way Onward" not in admin.page_text(summary)
    second = run(event.config, event.source(), state)
    assert second.check == "retry" and summary in {e["title"] for e in second.edited}
    assert "The Way Onward" in admin.page_text(summary) and second.outcome == "refused"
    # the deletion's log entry was seen by the first run's watchlist check: the next run waits
    # (changed on purpose, issue 20: the navbox's refusal stands, so it is told again, exit 4)
    after = run(event.config, event.source(), state)
    assert after.outcome == "refused" and after.check == "watchlist" and not after.edited
    assert event.navbox in {r["title"] for r in after.refused}


def test_status_page_changes_only_when_the_outcome_does_or_pages_were_saved(event, tmp_path, alice, admin):
    status = f"User:WmBot/status {event.root}"
    config = dataclasses.replace(event.config, bot=dataclasses.replace(event.config.bot, status_page=status))
    state = tmp_path / "state.db"
    assert run(config, event.source(), state).outcome == "done"
    first = admin.latest_revid(status)
    assert "'''done'''" in admin.page_text(status)
    overview = config.targets.get("overview")
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
    again = run(config, event.source(), state)
    assert again.outcome == "refused"
    # saved again only to list the pages this run changed (the data page names Day 1's revision)
    assert (admin.latest_revid(status) != second) == bool(again.edited), again.edited
    if again.edited:
        assert f"* [[{again.edited[0]['title']}]] (updated)" in admin.page_text(status)


def test_run_report_json_from_the_command_line(event, tmp_path):
    import json

    cfg = _write_config(event, tmp_path)
    state = tmp_path / "state.db"
    result = _cli(["--config", str(cfg), "--source", "site", "-q", "run", "--state", str(state), "--report-json"])
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outcome"] == "done" and len(report["edited"]) == len(target_titles(event.config))
    assert json.loads((tmp_path / "state.db.report.json").read_text()) == report
    again = _cli(["--config", str(cfg), "--source", "site", "-q", "run", "--state", str(state), "--report-json"])
    assert json.loads(again.stdout)["outcome"] == "nothing-changed" and again.stderr == ""


# -- the watchlist: how a run finds out what changed


def _state(path):
    from helpers import stored_state

    return stored_state(path)


def _put_state(path, **changes):
    from helpers import put_state

    put_state(path, **changes)


def test_the_first_run_watches_every_page_and_the_next_ones_ask_the_watchlist(event, tmp_path, alice, admin):
    state = tmp_path / "state.db"
    first = run(event.config, event.source(), state)
    assert first.check == "none" and first.notes == []
    src = event.source()
    src.login()
    src.revisions([*event.config.source_pages, *event.targets])
    assert all(src.session.watched.values()) and len(src.session.watched) == len(event.config.source_pages) + 4
    noop = run(event.config, event.source(), state)
    assert (noop.check, noop.outcome, noop.api_requests) == ("watchlist", "nothing-changed", 1)
    day1 = event.title("Day 1")
    rev = alice.edit(day1, admin.page_text(day1) + "\n<!-- note -->", "a note")["newrevid"]
    seen = run(event.config, event.source(), state)
    assert seen.check == "watchlist" and [c["revision"] for c in seen.changes] == [rev]
    # a comment changes no generated text; the data page names the source revisions
    assert seen.outcome == "done" and [e["title"] for e in seen.edited] == [event.config.targets.get("data")]


def test_an_edit_whose_recent_change_showed_up_late_is_not_missed(event, tmp_path, alice, admin):
    """The watchlist is asked from a margin before the last check: a wiki writes its recent
    changes after the edit, so an edit made just before a check may be listed only later."""
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    day2 = event.title("Day 2")
    edit = alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")
    # as if the last check had come 5 minutes after this edit without listing it
    from datetime import datetime, timedelta

    stamp = datetime.strptime(edit["newtimestamp"], "%Y-%m-%dT%H:%M:%SZ")
    _put_state(state, checked_at=(stamp + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    report = run(event.config, event.source(), state)
    assert report.check == "watchlist" and {c["title"] for c in report.changes} == {day2}
    assert event.config.targets.get("overview") in {e["title"] for e in report.edited}


def test_a_deleted_target_page_is_seen_and_not_recreated(event, tmp_path, admin):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    admin.delete(event.navbox, "not wanted")
    report = run(event.config, event.source(), state)
    assert report.check == "watchlist" and any(c.get("log") for c in report.changes)
    assert report.exit == EXIT_REFUSED
    reason = {r["title"]: r["reason"] for r in report.refused}[event.navbox]
    assert reason.startswith("deleted by WikiAdmin") and "not recreated" in reason
    assert admin.latest_revid(event.navbox) is None
    again = run(event.config, event.source(), state)
    # changed on purpose (issue 20): the refusal stands and is told again, never nothing-changed
    assert again.outcome == "refused" and again.exit == EXIT_REFUSED and admin.latest_revid(event.navbox) is None
    # the watchlist, and the revision of the page that does not exist; nothing watched again
    assert again.api_requests == 2
    forced = run(event.config, event.source(), state, Options(allow_shrink=True, full_run=True))  # a full run: still refused
    assert event.navbox in {r["title"] for r in forced.refused} and admin.latest_revid(event.navbox) is None


def test_a_target_deleted_before_the_first_run_is_not_created(event, tmp_path, admin):
    admin.delete(event.navbox, "not wanted")
    report = run(event.config, event.source(), tmp_path / "state.db")
    assert report.exit == EXIT_REFUSED and report.refused[0]["title"] == event.navbox
    assert "deleted by WikiAdmin" in report.refused[0]["reason"]
    assert len(report.edited) == 3 and admin.latest_revid(event.navbox) is None


def test_a_target_moved_away_is_not_recreated(event, tmp_path, admin):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    summary = event.config.targets.get("overview")
    admin.move(summary, summary + " (archived)")
    report = run(event.config, event.source(), state)
    reason = {r["title"]: r["reason"] for r in report.refused}[summary]
    assert reason.startswith(f"moved to [[{summary} (archived)]]") and admin.latest_revid(summary) is None


def test_new_titles_are_checked_by_revision_then_watched(event, tmp_path, admin):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    admin.edit(event.stop + " new", "run", "a new stop page")
    config = dataclasses.replace(event.config, bot=dataclasses.replace(event.config.bot, stop_page=event.stop + " new"))
    changed = run(config, event.source(), state)
    assert changed.check == "revisions" and changed.outcome == "done"
    assert run(config, event.source(), state).check == "watchlist"


def test_a_watchlist_emptied_by_someone_is_refilled_within_a_week(event, tmp_path, alice, admin):
    import time

    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    titles = [*event.config.source_pages, *event.targets, event.stop]
    src = event.source()
    src.login()
    src._request(action="watch", titles=titles, unwatch=True, token=src.site.tokens["watch"])
    # a week on, the run checks revisions, which also say what is watched
    _put_state(state, verified=time.time() - 8 * 24 * 3600)
    week = run(event.config, event.source(), state)
    assert week.check == "revisions" and week.outcome == "nothing-changed" and week.api_requests == 2  # + watch
    day3 = event.title("Day 3")
    alice.edit(day3, admin.page_text(day3) + "\n<!-- note -->", "a note")
    after = run(event.config, event.source(), state)
    assert after.check == "watchlist" and {c["title"] for c in after.changes} == {day3}


def test_a_dry_run_checks_revisions_without_logging_in(event, tmp_path):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    before = _state(state)
    dry = run(event.config, event.source(), state, Options(dry_run=True))
    assert dry.check == "revisions" and dry.outcome == "nothing-changed" and _state(state) == before


def test_without_watchlist_grants_runs_fall_back_to_the_revision_check(event, tmp_path, wiki):
    import json

    grants = ("basic", "highvolume", "editpage", "createeditmovepage")
    password = wiki.create_botpassword("nowatch", grants)
    pwb_dir = wiki.write_pywikibot_dir(tmp_path / "pwb", botpassword=("nowatch", password))
    cfg = _write_config(event, tmp_path)
    state = tmp_path / "state.db"
    args = ["--config", str(cfg), "--source", "site", "-q", "run", "--state", str(state), "--report-json"]
    first = _cli(args, pwb_dir=pwb_dir)
    assert first.returncode == 0, first.stderr
    report = json.loads(first.stdout)
    assert report["outcome"] == "done" and len(report["notes"]) == 1 and "cannot watch" in report["notes"][0]
    assert "watch" not in " ".join(report["warnings"])  # notes are for the operator, not the status page
    second = json.loads(_cli(args, pwb_dir=pwb_dir).stdout)
    assert (second["check"], second["outcome"], second["api_requests"]) == ("revisions", "nothing-changed", 1)
    assert second["notes"] == []  # not tried again within a day


def test_titles_in_another_spelling_than_the_wikis_are_still_followed(wiki, admin, pwb, templates_installed, tmp_path,
                                                                      alice):
    """`Project:` is `TestWiki:` on this wiki: the watchlist lists the wiki's spelling."""
    from live import Event

    ev = Event(wiki, admin, pwb, prefix="Project:")
    state = tmp_path / "state.db"
    first = run(ev.config, ev.source(), state)
    assert first.outcome == "done" and first.notes == []
    assert run(ev.config, ev.source(), state).check == "watchlist"
    day1 = ev.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("The Challenges ==", "The Big Challenges =="), "x")
    seen = run(ev.config, ev.source(), state)
    assert seen.check == "watchlist" and [c["title"] for c in seen.changes] == [day1]
    assert ev.config.targets.get("overview") in {e["title"] for e in seen.edited}


def test_a_page_moved_back_long_after_is_seen(event, tmp_path, admin):
    from datetime import datetime, timedelta

    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    summary = event.config.targets.get("overview")
    admin.move(summary, summary + " (archived)")
    assert run(event.config, event.source(), state).outcome == "refused"
    moved = admin.move(summary + " (archived)", summary)
    assert moved["move"]["to"] == summary
    # as if the move back had come long after the last check: only its own entry can show it
    _put_state(state, checked_at=(datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    back = run(event.config, event.source(), state)
    assert back.check == "watchlist" and summary in {c["title"] for c in back.changes}
    assert back.outcome == "done" and back.refused == []


def test_an_edit_the_wiki_merged_with_a_persons_is_read_again(event, tmp_path, alice, admin, monkeypatch):
    """MediaWiki merges edits that do not overlap instead of answering editconflict: the bot's
    save then holds a person's text it did not plan from, so the next run must read it again."""
    from wmstrategybot.sources.site import SiteSource

    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    summary = event.config.targets.get("overview")
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")
    real_save = SiteSource.save

    def save_after_a_person(self, page, text, summary_, content_model=None):
        if page.title == summary:
            # a person adds a line at the end of the summary page after the bot's last read
            alice.edit(summary, admin.page_text(summary) + "\nAlice was here.", "a line at the end")
        return real_save(self, page, text, summary_, content_model)

    monkeypatch.setattr(SiteSource, "save", save_after_a_person)
    first = run(event.config, event.source(), state)
    monkeypatch.undo()
    text = admin.page_text(summary)
    assert "Alice was here." in text and "The Way Onward" in text  # the wiki merged both edits
    assert [e["title"] for e in first.edited if e.get("merged")] == [summary]
    assert any(summary in n and "merged" in n for n in first.notes)
    again = run(event.config, event.source(), state)
    assert again.check == "watchlist" and summary in {c["title"] for c in again.changes}
    assert run(event.config, event.source(), state).outcome == "nothing-changed"


def test_a_typo_in_a_marker_makes_the_next_run_edit_nothing_and_say_why(event, tmp_path, alice, admin):
    """After a normal first run, a person's typo on the Day page (D1.O2 for D1.02): the next
    run edits no page of the event, exits 4, lists the warning in its report and on stderr (not
    with -q), and the status page names the session that would disappear."""
    import json

    status = f"User:WmBot/status {event.root}"
    cfg = _write_config(event, tmp_path)
    cfg.write_text(cfg.read_text() + f'status_page = "{status}"\n')
    state = tmp_path / "state.db"
    args = ["--config", str(cfg), "--source", "site", "run", "--state", str(state), "--report-json"]
    first = _cli(args)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["outcome"] == "done"
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1).replace("== D1.02 / The Possibilities ==", "== D1.O2 / The Possibilities =="),
               "typo")
    before = {**event.revisions(), status: admin.latest_revid(status)}
    quiet = _cli(["-q", *args, "--dry-run"])
    assert quiet.returncode == EXIT_REFUSED and "warning:" not in quiet.stderr, quiet.stderr
    second = _cli(args)
    assert second.returncode == EXIT_REFUSED, second.stderr
    report = json.loads(second.stdout)
    assert report["outcome"] == "refused" and report["edited"] == []
    assert {t: admin.latest_revid(t) for t in event.targets} == {t: before[t] for t in event.targets}
    typo = [w for w in report["warnings"] if w.startswith(f"{day1}:") and "D1.O2 / The Possibilities" in w]
    assert len(typo) == 1 and report["warning_count"] == len(report["warnings"])
    assert f"warning: {typo[0]}" in second.stderr.splitlines()
    assert {r["title"] for r in report["refused"]} == set(event.targets)
    assert all("'The Possibilities'" in r["reason"] for r in report["refused"])
    text = admin.page_text(status)
    assert admin.latest_revid(status) != before[status] and "'''refused'''" in text
    assert "'The Possibilities'" in text and "D1.O2 / The Possibilities" in text


def test_a_first_run_that_is_refused_writes_the_status_page_and_a_deleted_one_comes_back(event, tmp_path, alice, admin):
    status = f"User:WmBot/status {event.root}"
    config = dataclasses.replace(event.config, bot=dataclasses.replace(event.config.bot, status_page=status))
    state = tmp_path / "state.db"
    alice.edit(event.navbox, admin.page_text(event.navbox).replace("The Big Picture]]", "The Big Picture!]]"), "x")
    assert run(config, event.source(), state).outcome == "refused"
    text = admin.page_text(status)
    assert "'''refused'''" in text and event.navbox in text
    admin.delete(status, "spring cleaning")
    day1 = event.title("Day 1")
    alice.edit(day1, admin.page_text(day1) + "\n<!-- a comment -->", "a change, same outcome")
    assert run(config, event.source(), state).outcome == "refused"
    assert "'''refused'''" in (admin.page_text(status) or "")  # the page said nothing: written again
    kept = admin.latest_revid(status)
    alice.edit(day1, admin.page_text(day1) + "\n<!-- another -->", "another change, same outcome")
    assert run(config, event.source(), state).outcome == "refused"
    assert admin.latest_revid(status) == kept  # it already says so: no edit
