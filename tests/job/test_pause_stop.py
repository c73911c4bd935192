"""Issue 20, findings 3 and 4 on the in-memory wiki: a pause lifts itself when what caused it
changes (a revert of the Day page; the config for a config's problem), and a stop page set
mid-run stops every later save, status pages included."""

from __future__ import annotations

import pytest
from helpers import DAY, A, B, Clock, MemorySource, go, root_text, section, status, wiki

from wmstrategybot.config.job import JobConfig
from wmstrategybot.errors import SourceError
from wmstrategybot.publish import read as read_module

C = "Summit C/Documentation"
VANDAL = "{|\n" * 50  # what the vandal appends; extraction is made to time out on it below
STOP = "User:Bot/Stop"


@pytest.fixture
def slow_on_vandal(monkeypatch):
    """Extraction times out on a page holding the vandal's markup (as `[bot] parse_timeout`
    does on thousands of nested tables); the calls counted."""
    real = read_module.extract_bounded
    calls = []

    def extract(config, texts):
        calls.append(config.root)
        if any(VANDAL in (r.text or "") for r in texts.values()):
            raise SourceError("extracting the event took longer than 1 s ([bot] parse_timeout): a page is too complex")
        return real(config, texts)

    monkeypatch.setattr(read_module, "extract_bounded", extract)
    return calls


def _pause_by_vandal(source, tmp_path, clock):
    source.edit(f"{A}/Day 1", DAY + VANDAL)
    for _ in range(3):
        clock.now += 60
        assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "error"
    assert "failed 3 runs in a row reading its pages" in status(source, A)


def test_a_vandal_edit_pauses_and_the_revert_lifts_it_without_a_config_edit(tmp_path, slow_on_vandal):
    source = wiki(A, B)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    _pause_by_vandal(source, tmp_path, clock)
    said = status(source, A)
    assert f"a new revision of any of the pages it reads ({A}/Day 1)" in said and "reverting" in said
    tries = len(slow_on_vandal)
    for _ in range(2):  # paused: not tried, in the report every run, with what lifts it
        clock.now += 60
        paused = section(go(source, tmp_path, clock=clock), f"page:{A}")
        assert paused.outcome == "paused" and paused.exit == 2 and f"{A}/Day 1" in (paused.error or "")
    assert len(slow_on_vandal) == tries
    source.edit(f"{A}/Day 1", DAY)  # the revert; the config untouched
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    resumed = section(report, f"page:{A}")
    assert resumed.outcome == "done", resumed
    assert any(f"{A}/Day 1 has a new revision" in n for n in resumed.notes)
    assert "paused" not in status(source, A) and "Opening" in source.pages[f"{A}/Overview"]


def test_a_vandal_re_adding_the_markup_costs_one_try_per_edit_and_is_paused_again_at_once(tmp_path, slow_on_vandal):
    source = wiki(A)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    _pause_by_vandal(source, tmp_path, clock)
    for n in range(3):  # re-added, or "reverted" to another bad version: one try each, paused again
        source.edit(f"{A}/Day 1", DAY + f"Vandal {n}\n" + VANDAL)
        tries = len(slow_on_vandal)
        clock.now += 60
        report = go(source, tmp_path, clock=clock)
        assert section(report, f"page:{A}").outcome == "error" and len(slow_on_vandal) == tries + 1
        assert "failed again after its pause was lifted" in status(source, A)
        clock.now += 60
        assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "paused"
        assert len(slow_on_vandal) == tries + 1
    source.edit(f"{A}/Day 1", DAY)
    clock.now += 60
    assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "done"
    # a success counts the failures from 0: the next bad edit takes three runs again
    source.edit(f"{A}/Day 1", DAY + VANDAL)
    clock.now += 60
    go(source, tmp_path, clock=clock)
    assert "paused" not in status(source, A)


def test_a_pause_the_config_caused_needs_a_config_edit(tmp_path):
    source = wiki(A)
    source.pages[A] = root_text("Summit A", dayz="Day 2")  # an unknown parameter
    clock = Clock()
    for _ in range(3):
        clock.now += 60
        assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "error"
    said = status(source, A)
    assert "because of its config" in said and f"an edit to its config on {A}" in said
    assert "edits to its other pages do not lift the pause" in said
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / More ==\nText.\n")
    clock.now += 60
    assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "paused"
    source.edit(A, root_text("Summit A"))
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    assert section(report, f"page:{A}").outcome == "done" and "More" in source.pages[f"{A}/Overview"]


def _saves(source):
    saved = []
    real = source.save

    def save(page, text, *args, **kwargs):
        saved.append(page.title)
        return real(page, text, *args, **kwargs)

    source.save = save
    return saved


def test_a_stop_set_after_the_first_save_of_a_run_of_three_events_stops_every_later_save(tmp_path):
    source = wiki(A, B, C)
    source.pages[STOP] = "run"
    saved = _saves(source)
    real = source.save

    def save_then_stop(page, text, *args, **kwargs):
        result = real(page, text, *args, **kwargs)
        source.pages[STOP] = "stop"  # an editor stops the bot right after its first save
        source.save = real
        return result

    source.save = save_then_stop
    report = go(source, tmp_path, job=JobConfig(stop_page=STOP))
    assert saved == [f"{A}/Overview"], saved  # no status page, no other event's page
    assert report.outcome == "stopped" and report.exit == 4
    assert [e.outcome for e in report.events] == ["stopped"] * 3


def test_a_stop_set_between_the_read_and_the_save_lets_that_one_save_through_and_no_other(tmp_path):
    source = wiki(A, B, C)
    source.pages[STOP] = "run"
    saved = _saves(source)
    real_read = source.read
    reads = []

    def read(titles):
        got = real_read(titles)
        reads.append(list(titles))
        if list(titles) == [f"{A}/Overview", STOP]:  # apply's read right before the save
            source.pages[STOP] = ""  # blanked right after the bot read it
            source.read = real_read
        return got

    source.read = read
    report = go(source, tmp_path, job=JobConfig(stop_page=STOP))
    assert saved == [f"{A}/Overview"] and report.outcome == "stopped", saved


@pytest.mark.parametrize("how", ["blanked", "deleted"])
def test_a_stop_page_blanked_or_deleted_stops_the_job(tmp_path, how):
    source = wiki(A)
    source.pages[STOP] = "run"
    clock = Clock()
    go(source, tmp_path, job=JobConfig(stop_page=STOP), clock=clock)
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / More ==\nText.\n")
    if how == "blanked":
        source.edit(STOP, "")
    else:
        del source.pages[STOP]
    saved = _saves(source)
    clock.now += 60
    report = go(source, tmp_path, job=JobConfig(stop_page=STOP), clock=clock)
    assert saved == [] and report.exit == 4


def test_run_with_a_status_page_saves_nothing_once_the_stop_page_says_stop(tmp_path):
    from wmstrategybot.config.event import parse_config
    from wmstrategybot.job.run import run

    config = parse_config('[event]\nid = "e"\nroot = "E"\ndays = ["Day 1"]\n[targets]\nsummary = "E/Overview"\n'
                          f'[bot]\nstop_page = "{STOP}"\nstatus_page = "E/Bot status"\n')
    source = MemorySource({"E/Day 1": DAY, STOP: "stop"}, watchlist=True)
    saved = _saves(source)
    report = run(config, source, tmp_path / "state.db")
    assert saved == [] and report.outcome == "stopped" and report.exit == 4
    # set mid-run: after the overview's save, the status page is not saved
    source.edit(STOP, "run")
    real = source.save

    def save_then_stop(page, text, *args, **kwargs):
        result = real(page, text, *args, **kwargs)
        source.pages[STOP] = "stop"
        return result

    source.save = save_then_stop
    report = run(config, source, tmp_path / "state.db")
    assert saved == ["E/Overview"] and report.outcome == "stopped", (saved, report)


def test_an_edit_to_a_page_the_pause_does_not_name_does_not_lift_it(tmp_path, slow_on_vandal):
    source = wiki(A)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    _pause_by_vandal(source, tmp_path, clock)
    tries = len(slow_on_vandal)
    source.edit(f"{A}/Overview", source.pages[f"{A}/Overview"] + "\nA note by hand.\n")  # a target, not read
    clock.now += 60
    assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "paused"
    assert len(slow_on_vandal) == tries


def test_a_stop_set_while_a_failing_event_is_read_keeps_its_status_page_and_every_later_one(tmp_path, slow_on_vandal):
    source = wiki(A, B, C)
    source.pages[STOP] = "run"
    source.pages[f"{A}/Day 1"] = DAY + VANDAL
    saved = _saves(source)
    real = source.read

    def read(titles):
        got = real(titles)
        if f"{A}/Day 1" in titles:  # the plan's read of the failing event
            source.pages[STOP] = "stop"
            source.read = real
        return got

    source.read = read
    report = go(source, tmp_path, job=JobConfig(stop_page=STOP))
    assert saved == [], saved
    failed = section(report, f"page:{A}")
    assert failed.outcome == "error" and failed.stopped and "stop page" in failed.stopped
    assert [section(report, f"page:{k}").outcome for k in (B, C)] == ["stopped", "stopped"]
