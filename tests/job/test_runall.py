"""`run --all` on the in-memory wiki: every event that opts in, served one at a time under one
lock and one state store, its failures its own (runall.py)."""

from __future__ import annotations

import pytest
from helpers import DAY, A, B, Clock, MemorySource, go, page_file, root_text, section, status, wiki

from wmstrategybot.config.job import JobConfig


def test_two_events_opting_in_are_both_published(tmp_path):
    source = wiki(A, B, watchlist=True)
    report = go(source, tmp_path)
    assert report.exit == 0, report.to_json()
    assert [e.event for e in report.events] == [f"page:{A}", f"page:{B}"]
    for root in (A, B):
        assert "Opening" in source.pages[f"{root}/Overview"]
        assert {e["title"] for e in section(report, f"page:{root}").edited} == {f"{root}/Overview"}


def test_a_no_op_run_costs_the_discovery_and_the_watchlist_request_and_reads_no_text(tmp_path, monkeypatch):
    roots = [f"Summit {n}/Documentation" for n in range(12)]
    source = wiki(*roots, watchlist=True)
    clock = Clock()
    assert go(source, tmp_path, clock=clock).exit == 0
    read = []
    real = source.read
    monkeypatch.setattr(source, "read", lambda titles: read.append(list(titles)) or real(titles))
    before = source.requests
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert source.requests - before == 2 and report.api_requests == 2
    assert read == []
    assert report.exit == 0 and report.events_checked == 12 and report.events_changed == 0
    assert {e.outcome for e in report.events} == {"nothing-changed"}


def test_after_one_event_changed_only_its_pages_are_read(tmp_path, monkeypatch):
    source = wiki(A, B, watchlist=True)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    source.edit(f"{B}/Day 1", DAY + "\n== D1.02 / Closing ==\nBye.\n")
    read = []
    real = source.read
    monkeypatch.setattr(source, "read", lambda titles: read.append(list(titles)) or real(titles))
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    assert report.events_changed == 1 and report.exit == 0
    assert all(t.startswith(B) for titles in read for t in titles), read
    assert "Closing" in source.pages[f"{B}/Overview"]
    assert section(report, f"page:{A}").outcome == "nothing-changed"


def test_a_config_with_an_error_is_shown_on_its_status_page_with_line_and_key_and_the_other_is_published(tmp_path):
    source = wiki(A, B, watchlist=True)
    source.pages[B] = root_text("Summit B", dayz="Day 2")  # line 6: an unknown parameter
    report = go(source, tmp_path)
    # the job's health, not the events': an organiser's typo fails that event, not the job
    assert report.exit == 0 and report.outcome == "done" and report.events_failed == [f"page:{B}"]
    assert "Opening" in source.pages[f"{A}/Overview"] and section(report, f"page:{A}").exit == 0
    bad = section(report, f"page:{B}")
    assert bad.outcome == "error" and "line 6, dayz" in bad.error
    assert f"{B}/Overview" not in source.pages
    assert "line 6, dayz: unknown parameter" in status(source, B)


def test_a_target_outside_the_subtree_is_refused_and_shown(tmp_path):
    source = wiki(A, watchlist=True)
    source.pages[A] = root_text("Summit A", overview="Main Page")
    source.pages["Main Page"] = "Welcome."
    before = source.pages["Main Page"]
    report = go(source, tmp_path)
    assert report.exit == 0 and section(report, f"page:{A}").exit == 2
    assert source.pages["Main Page"] == before and f"{A}/Overview" not in source.pages
    assert "line 5, overview" in section(report, f"page:{A}").error and "outside the event's pages" in status(source, A)


def test_the_template_on_a_user_page_writes_only_below_it(tmp_path):
    root = "User:Alice/Summit"
    source = wiki(root, watchlist=True)
    report = go(source, tmp_path)
    assert report.exit == 0 and "Opening" in source.pages[f"{root}/Overview"]
    assert f"{root}/Bot status" not in source.pages or "done" in status(source, root)
    source.edit(root, root_text("Summit", navbox="Template:User:Alice/Summit navigation"))
    report = go(source, tmp_path)
    assert report.exit == 0 and "navbox" in section(report, f"page:{root}").error
    assert not any(t.startswith("Template:") for t in source.pages)


def test_a_person_editing_the_config_between_runs_is_picked_up_next_run(tmp_path):
    source = wiki(A, watchlist=True)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    source.edit(f"{A}/Day 2", "== D2.01 / Second morning ==\nText.\n")
    clock.now += 60
    assert go(source, tmp_path, clock=clock).events_changed == 0  # not its page yet
    source.edit(A, root_text("Summit A", days="Day 1, Day 2"))
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    assert report.events_changed == 1 and report.exit == 0
    assert "Second morning" in source.pages[f"{A}/Overview"]
    clock.now += 60
    before = source.requests
    assert go(source, tmp_path, clock=clock).events_changed == 0 and source.requests - before == 2


def test_a_failing_event_does_not_stop_the_others_and_is_paused_at_the_third_failure_in_a_row(tmp_path):
    source = wiki(A, B, watchlist=True)
    del source.pages[f"{A}/Day 1"]  # its day page missing
    clock = Clock()
    for run in (1, 2, 3):
        source.edit(f"{B}/Day 1", source.pages[f"{B}/Day 1"] + f"\n== D1.0{run + 1} / Talk {run} ==\nText.\n")
        report = go(source, tmp_path, clock=clock)
        clock.now += 60
        failed = section(report, f"page:{A}")
        assert failed.outcome == "error" and "day page not found" in failed.error, run
        assert f"Talk {run}" in source.pages[f"{B}/Overview"] and section(report, f"page:{B}").exit == 0
        assert report.exit == 0 and report.events_failed == [f"page:{A}"]
        assert ("failed 3 runs in a row reading its pages" in status(source, A)) == (run == 3)
    # what lifts it, exactly: a new revision of the page it reads, or its config
    assert f"a new revision of any of the pages it reads ({A}/Day 1)" in status(source, A)
    assert f"an edit to its config on {A}" in status(source, A)
    before = source.requests
    report = go(source, tmp_path, clock=clock)  # paused: not tried again, nothing read
    paused = section(report, f"page:{A}")
    # the discovery, the watchlist, and the revision of the missing Day page (it may come back by a move)
    assert paused.outcome == "paused" and report.exit == 0 and source.requests - before == 3
    assert paused.exit == 2 and f"{A}/Day 1" in paused.error and report.events_failed == [f"page:{A}"]
    source.edit(f"{A}/Day 1", DAY)  # a person writes the page: the pause lifts, no config edit
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    resumed = section(report, f"page:{A}")
    assert resumed.outcome == "done" and any("new revision" in n for n in resumed.notes), resumed
    assert "Opening" in source.pages[f"{A}/Overview"] and "paused" not in status(source, A)


def test_a_paused_event_resumes_when_its_config_page_changes(tmp_path, monkeypatch):
    from wmstrategybot.errors import SourceError
    from wmstrategybot.job import serve as run_module

    source = wiki(A, B, watchlist=True)
    real = run_module.plan

    def plan(config, *args, **kwargs):
        if config.root == A:
            raise SourceError("the wiki failed for a moment")
        return real(config, *args, **kwargs)

    monkeypatch.setattr(run_module, "plan", plan)
    clock = Clock()
    for _ in range(3):  # retried every run (no change needed), paused at the third
        report = go(source, tmp_path, clock=clock)
        clock.now += 60
        assert section(report, f"page:{A}").error == "the wiki failed for a moment"
    assert section(go(source, tmp_path, clock=clock), f"page:{A}").outcome == "paused"
    monkeypatch.setattr(run_module, "plan", real)
    source.edit(A, root_text("Summit A") + "\nMore prose.\n")
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    resumed = section(report, f"page:{A}")
    assert resumed.outcome == "done" and any("resumed" in n for n in resumed.notes)
    assert "Opening" in source.pages[f"{A}/Overview"] and report.exit == 0


def test_an_event_whose_template_is_removed_is_not_served_and_its_state_dropped_after_the_grace(tmp_path):
    from wmstrategybot.job.store import StateStore

    source = wiki(A, B, watchlist=True)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    source.edit(A, "The event is over.")
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / Late ==\nText.\n")
    pages = dict(source.pages)
    clock.now += 3600
    report = go(source, tmp_path, clock=clock, job=JobConfig(removal_grace_days=2))
    assert [e.event for e in report.events] == [f"page:{B}"] and report.removed == [f"page:{A}"]
    assert source.pages == pages  # no edit: its pages left as they are
    with StateStore.open(tmp_path / "state.db") as store:
        assert f"page:{A}" in store.keys()
    clock.now += 3 * 86400
    report = go(source, tmp_path, clock=clock, job=JobConfig(removal_grace_days=2))
    assert report.dropped == [f"page:{A}"] and source.pages == pages
    with StateStore.open(tmp_path / "state.db") as store:
        assert store.keys() == [f"page:{B}"] and store.job_get(f"event page:{A}") is None


def test_local_configs_of_the_job_file_are_served_beside_the_on_wiki_ones(tmp_path):
    from wmstrategybot.config.files import load_job

    source = wiki(A, watchlist=True)
    source.pages["Local event/Day 1"] = DAY
    (tmp_path / "local.toml").write_text('[event]\nid = "local"\nname = "Local"\nroot = "Local event"\n'
                                         'days = ["Day 1"]\n[targets]\nsummary = "Local event/Summary"\n')
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\nthrottle = 0\n')
    report = go(source, tmp_path, job=load_job(tmp_path / "job.toml"))
    assert report.exit == 0 and report.events_found == 2
    assert [e.event for e in report.events] == ["config:local", f"page:{A}"]
    assert "Opening" in source.pages["Local event/Summary"] and "Opening" in source.pages[f"{A}/Overview"]


def _dump(db):
    import sqlite3

    with sqlite3.connect(db) as c:
        return list(c.iterdump())


def test_a_dry_run_saves_nothing_and_keeps_the_store_unchanged(tmp_path):
    source = wiki(A, B, watchlist=True)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    source.edit(f"{A}/Day 1", DAY + "\n== D1.02 / Late ==\nText.\n")
    source.edit(B, root_text("Summit B", dayz="x"))
    source.pages["Summit C/Documentation"] = root_text("Summit C")
    source.pages["Summit C/Documentation/Day 1"] = DAY
    pages, stored = dict(source.pages), _dump(tmp_path / "state.db")
    clock.now += 3600
    report = go(source, tmp_path, clock=clock, dry_run=True)
    assert source.pages == pages and _dump(tmp_path / "state.db") == stored
    assert section(report, f"page:{A}").edited[0]["action"] == "would update"
    assert section(report, f"page:{B}").outcome == "error" and report.exit == 0
    assert section(report, "page:Summit C/Documentation").edited[0]["action"] == "would create"


def test_a_page_two_nested_events_name_in_one_run_is_the_one_whose_root_holds_it(tmp_path):
    """Rewritten twice on purpose (issue 20): "inner event wins" let any editor take a page by
    nesting an event, so a page no event wrote yet goes to the earliest opt-in; two events met in
    the same run tie, and the tie goes to the event whose root holds the page (red team 20: an
    enclosing root must not take a new event's /Overview). One save per page per run still."""
    inner = f"{A}/Workshop"
    source = wiki(A, inner, watchlist=True)
    source.pages[A] = root_text("Summit A", overview="/Workshop/Overview")
    report = go(source, tmp_path)
    first, second = section(report, f"page:{A}"), section(report, f"page:{inner}")
    assert f"{inner}/Overview" in [e["title"] for e in second.edited]
    assert f"{inner}/Overview" not in [e["title"] for e in first.edited]
    assert first.refused[0]["title"] == f"{inner}/Overview"
    assert f"the event on [[{inner}]]" in first.refused[0]["reason"] and first.exit == 4 and report.exit == 0
    assert len(first.refused) == 1  # listed once
    # and on its status page, where its organisers look
    assert f"[[{inner}/Overview]]" in status(source, A) and f"[[{inner}]]" in status(source, A)


def test_the_operators_rule_decides_which_pages_may_opt_in(tmp_path):
    source = wiki(A, "User:Mallory/Event", watchlist=True)
    source.pages["Project:Bot/Allowed"] = f"* [[{A}]]\n* [[User:Alice/]]\n"
    report = go(source, tmp_path, job=JobConfig(allowlist="Project:Bot/Allowed"))
    assert [e.event for e in report.events] == [f"page:{A}"]
    assert report.refused_pages[0]["title"] == "User:Mallory/Event"
    assert not any(t.startswith("User:Mallory/Event/") and t != "User:Mallory/Event/Day 1" for t in source.pages)
    report = go(source, tmp_path, job=JobConfig(namespaces=frozenset({2})))
    assert [e.event for e in report.events] == ["page:User:Mallory/Event"]


def test_the_command_line_serves_every_event_of_a_folder_and_exits_with_the_job_s_health(tmp_path):
    import json

    from click.testing import CliRunner

    from wmstrategybot.cli.main import cli

    folder = tmp_path / "wiki"
    for title, text in {A: root_text("Summit A"), f"{A}/Day 1": DAY + "== D1.01 / Opening ==\nAgain.\n",
                        B: root_text("Summit B", dayz="x"), f"{B}/Day 1": DAY}.items():
        page_file(folder, title).parent.mkdir(parents=True, exist_ok=True)
        page_file(folder, title).write_text(text)
    db = tmp_path / "job.db"

    def run(*args):
        return CliRunner().invoke(cli, ["--source", f"dir:{folder}", "run", "--all", "--state", str(db), *args],
                                  catch_exceptions=False)

    result = run("--dry-run")
    assert result.exit_code == 0 and f"page:{A}" in result.stdout and not page_file(folder, f"{A}/Overview").exists()
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[1].split()[:2] == ["error", f"page:{B.split()[0]}"]
    assert "2 events found" in result.stderr
    # what it could not read, each event's, on stderr as `run` says it (a second session 1)
    warned = [x for x in result.stderr.splitlines() if x.startswith(f"warning: page:{A}: ")]
    assert len(warned) == 1 and "a second session numbered 1 on day 1" in warned[0]
    assert warned == [f"warning: page:{A}: {w}" for w in json.loads(run("--dry-run", "--report-json").stdout)
                      ["events"][0]["warnings"]]
    result = run("--report-json")
    report = json.loads(result.stdout)
    assert result.exit_code == report["exit"] == 0 and report["events_found"] == 2
    assert report["events_failed"] == [f"page:{B}"] and report["events"][1]["exit"] == 2
    assert [e["event"] for e in report["events"]] == [f"page:{A}", f"page:{B}"]
    assert report["events"][0]["edited"][0]["title"] == f"{A}/Overview" and page_file(folder, f"{A}/Overview").exists()
    assert json.loads((tmp_path / "job.db.report.json").read_text())["exit"] == 0
    bad = CliRunner().invoke(cli, ["--config", "x.toml", "run", "--all"])
    assert bad.exit_code == 2 and "--config is not used with run --all" in bad.stderr
    job = tmp_path / "job.toml"
    job.write_text("[job]\nthrotle = 5\n")
    bad = run("--job", str(job))
    assert bad.exit_code == 2 and "unknown key 'throtle'" in bad.stderr and len(bad.stderr.splitlines()) <= 2


def test_a_config_too_complex_to_parse_in_time_is_a_problem_of_its_event_only(tmp_path, monkeypatch):
    from wmstrategybot.job import discovery as events

    monkeypatch.setattr(events, "CONFIG_PARSE_TIMEOUT", 0.5)
    source = wiki(A, B, watchlist=True)
    source.pages[B] = root_text("Summit B") + "{|\n" * 20000  # mwparserfromhell: some 17 s
    report = go(source, tmp_path)
    assert "took longer than 0.5 s" in section(report, f"page:{B}").error and report.exit == 0
    assert "Opening" in source.pages[f"{A}/Overview"] and f"{B}/Overview" not in source.pages


def test_the_jobs_stop_page_stops_every_event_and_they_are_served_once_it_says_run(tmp_path):
    stop = "User:Bot/Stop"
    job = JobConfig(stop_page=stop)
    source = wiki(A, B, watchlist=True)
    source.pages[stop] = "stop"
    clock = Clock()
    report = go(source, tmp_path, job=job, clock=clock)
    assert report.exit == 4 and {e.outcome for e in report.events} == {"stopped"}
    assert not any(t.endswith(("/Overview", "/Bot status")) for t in source.pages)
    source.edit(stop, "run")
    clock.now += 60
    report = go(source, tmp_path, job=job, clock=clock)
    assert report.exit == 0 and "Opening" in source.pages[f"{A}/Overview"] and "Opening" in source.pages[f"{B}/Overview"]


def test_a_paused_local_config_resumes_when_its_file_changes(tmp_path, monkeypatch):
    from wmstrategybot.config.files import load_job
    from wmstrategybot.errors import SourceError
    from wmstrategybot.job import serve as run_module

    source = MemorySource({"Local event/Day 1": DAY}, watchlist=True)
    toml = tmp_path / "local.toml"
    toml.write_text('[event]\nid = "local"\nroot = "Local event"\ndays = ["Day 1"]\n'
                    '[targets]\nsummary = "Local event/Summary"\n')
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\n')
    job = load_job(tmp_path / "job.toml")
    clock = Clock()
    assert section(go(source, tmp_path, job=job, clock=clock), "config:local").outcome == "done"
    real = run_module.plan
    monkeypatch.setattr(run_module, "plan", lambda *a, **k: (_ for _ in ()).throw(SourceError("down")))
    source.edit("Local event/Day 1", DAY + "\n== D1.02 / More ==\nText.\n")
    source._seconds += 3600  # the runs an hour later on the wiki: past the watchlist's margin
    for _ in range(3):  # the change, then tried again twice
        clock.now += 60
        assert section(go(source, tmp_path, job=job, clock=clock), "config:local").outcome == "error"
    monkeypatch.setattr(run_module, "plan", real)
    clock.now += 3600
    before = source.requests
    report = go(source, tmp_path, job=job, clock=clock)
    assert section(report, "config:local").outcome == "paused" and source.requests - before == 2
    assert report.events_changed == 0
    toml.write_text(toml.read_text() + '[bot]\nparse_timeout = 60\n')
    report = go(source, tmp_path, job=load_job(tmp_path / "job.toml"), clock=clock)
    assert section(report, "config:local").outcome == "done" and "Opening" in source.pages["Local event/Summary"]


def test_a_local_config_edited_is_served_again_though_no_page_changed(tmp_path):
    """A local TOML config is on the bot's machine, not on the wiki: the watchlist cannot see it
    edited. Its digest can: a new name alone makes the next run serve the event again."""
    from wmstrategybot.config.files import load_job

    source = MemorySource({"Local event/Day 1": DAY}, watchlist=True)
    toml = tmp_path / "local.toml"
    config = ('[event]\nid = "local"\nname = "%s"\nroot = "Local event"\ndays = ["Day 1"]\n'
              '[targets]\nsummary = "Local event/Summary"\ndata = "Local event/Data.json"\n')
    toml.write_text(config % "First name")
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["local.toml"]\n')
    clock = Clock()
    assert section(go(source, tmp_path, job=load_job(tmp_path / "job.toml"), clock=clock), "config:local").outcome == "done"
    clock.now += 3600
    assert section(go(source, tmp_path, job=load_job(tmp_path / "job.toml"), clock=clock),
                   "config:local").outcome == "nothing-changed"
    toml.write_text(config % "Second name")
    clock.now += 3600
    report = go(source, tmp_path, job=load_job(tmp_path / "job.toml"), clock=clock)
    assert section(report, "config:local").outcome == "done" and "Second name" in source.pages["Local event/Data.json"]
    clock.now += 3600
    assert section(go(source, tmp_path, job=load_job(tmp_path / "job.toml"), clock=clock),
                   "config:local").outcome == "nothing-changed"


class Ticking(Clock):
    """A clock that moves on `step` seconds each time the run reads it."""

    def __init__(self, step: float):
        super().__init__()
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def test_events_not_begun_within_the_jobs_time_budget_are_served_next_run(tmp_path):
    """Many slow events cannot stretch a run past the next one's start: once the job's time
    budget is spent, the events left wait for the next run (exit 3, no failure counted)."""
    from wmstrategybot.job.store import StateStore

    roots = [f"Summit {c}" for c in "ABC"]
    source = wiki(*roots, watchlist=True)
    job = JobConfig(time_budget=1000)
    report = go(source, tmp_path, job=job, clock=Ticking(600))  # each event takes "600 s" to begin
    outcomes = [section(report, f"page:{r}").outcome for r in roots]
    assert outcomes[0] == "done" and "deferred" in outcomes and report.exit == 3, outcomes
    left = [r for r, o in zip(roots, outcomes) if o == "deferred"]
    assert all(f"{r}/Overview" not in source.pages for r in left)
    with StateStore.open(tmp_path / "state.db") as store:
        assert all(store.event(f"page:{r}") is None or store.event(f"page:{r}").failures == 0 for r in left)
    again = go(source, tmp_path, job=JobConfig(), clock=Clock(1_800_007_200.0))
    assert all(section(again, f"page:{r}").outcome == "done" for r in left) and again.exit == 0
    assert all(f"{r}/Overview" in source.pages for r in roots)


def test_the_job_files_time_budget_is_read_and_checked():
    from wmstrategybot.config.job import TIME_BUDGET, job_from_dict
    from wmstrategybot.errors import ConfigError

    assert job_from_dict({}).time_budget == TIME_BUDGET
    assert job_from_dict({"job": {"time_budget": 600}}).time_budget == 600.0
    for bad in (0, -5, "1h", True):
        with pytest.raises(ConfigError, match="time_budget must be a number"):
            job_from_dict({"job": {"time_budget": bad}})


def test_a_config_on_a_talk_page_is_reported_but_nothing_is_written_there(tmp_path):
    source = wiki("Talk:Summit", A, watchlist=True)
    report = go(source, tmp_path)
    assert section(report, "page:Talk:Summit").outcome == "error" and report.exit == 0
    assert sorted(t for t in source.pages if t.startswith("Talk:")) == ["Talk:Summit", "Talk:Summit/Day 1"]
    assert "Opening" in source.pages[f"{A}/Overview"]


def test_the_site_of_the_job_is_pywikibots_configured_one_with_the_jobs_limits_set_first(monkeypatch):
    import pywikibot

    from wmstrategybot.sources import site
    from wmstrategybot.sources.open import open_source

    calls = []

    class FakeSite:
        class family:
            name = "testwiki"

        code = "en"

    def make_site(code, family):
        calls.append(("site", code, family))
        return FakeSite()

    def init(self, wiki_site):
        self.site = wiki_site

    monkeypatch.setattr(site, "apply_limits", lambda maxlag, throttle: calls.append(("limits", maxlag, throttle)))
    monkeypatch.setattr(pywikibot, "Site", make_site)
    monkeypatch.setattr(site.SiteSource, "__init__", init)
    job = JobConfig(throttle=7, maxlag=3)
    source = open_source("site", limits=(job.maxlag, job.throttle))
    assert calls == [("limits", 3, 7), ("site", None, None)]  # the throttle is read when the site is made
    assert (source.site.family.name, source.site.code) == ("testwiki", "en")


def test_the_wiki_asking_the_bot_to_wait_stops_the_job_and_no_change_is_lost(tmp_path, monkeypatch):
    from wmstrategybot.errors import SlowDown
    from wmstrategybot.job import serve as run_module
    from wmstrategybot.job.store import StateStore

    source = wiki(A, B, watchlist=True)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    for root in (A, B):
        source.edit(f"{root}/Day 1", DAY + "\n== D1.02 / Late ==\nText.\n")
    source._seconds += 3600  # the next runs an hour later on the wiki: past the watchlist's margin
    real = run_module.plan
    monkeypatch.setattr(run_module, "plan", lambda *a, **k: (_ for _ in ()).throw(SlowDown("maxlag")))
    clock.now += 60
    with pytest.raises(SlowDown):
        go(source, tmp_path, clock=clock)
    with StateStore.open(tmp_path / "state.db") as store:
        assert store.event(f"page:{A}").failures == 0  # not the event's failure
    monkeypatch.setattr(run_module, "plan", real)
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    assert report.events_changed == 2 and all("Late" in source.pages[f"{r}/Overview"] for r in (A, B))
