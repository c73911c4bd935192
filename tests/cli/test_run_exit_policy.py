"""`run --all` exits with the job's health, not the events': an organiser's typo fails its
event (report, status page) and the job exits 0; `run` exits with its one event's outcome."""

from __future__ import annotations

import json

from click.testing import CliRunner
from helpers import DAY, page_file

from wmstrategybot.cli.main import cli

A, B = "Summit A/Documentation", "Summit B/Documentation"


def _root(name: str, days_key: str = "days") -> str:
    return f"Prose.\n{{{{Event track bot\n| name = {name}\n| {days_key} = Day 1\n| overview = /Overview\n}}}}\n"


def _folder(tmp_path, typo: bool):
    folder = tmp_path / "wiki"
    pages = {A: _root("Summit A"), f"{A}/Day 1": DAY, B: _root("Summit B", "dayz" if typo else "days"),
             f"{B}/Day 1": DAY}
    for title, text in pages.items():
        page_file(folder, title).parent.mkdir(parents=True, exist_ok=True)
        page_file(folder, title).write_text(text)
    return folder


def _run_all(folder, db, *args):
    return CliRunner().invoke(cli, ["--source", f"dir:{folder}", "run", "--all", "--state", str(db), *args],
                              catch_exceptions=False)


def test_an_events_typo_under_run_all_is_exit_0_and_the_event_shown_failed(tmp_path):
    folder, db = _folder(tmp_path, typo=True), tmp_path / "job.db"
    result = _run_all(folder, db)
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "job.db.report.json").read_text())
    assert report["exit"] == 0 and report["events_failed"] == [f"page:{B}"]
    failed = [e for e in report["events"] if e["event"] == f"page:{B}"][0]
    assert failed["outcome"] == "error" and failed["exit"] == 2 and "dayz" in failed["error"]
    assert "1 with problems" in result.stderr
    assert "dayz" in page_file(folder, f"{B}/Bot status").read_text()  # where its organisers look
    assert page_file(folder, f"{A}/Overview").exists()


def test_a_job_level_failure_still_fails_the_job(tmp_path):
    folder, db = _folder(tmp_path, typo=False), tmp_path / "job.db"
    db.write_text("not a database")
    result = _run_all(folder, db)
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1


def test_run_for_one_event_exits_with_its_outcome(tmp_path):
    config = tmp_path / "event.toml"
    config.write_text('[event]\nroot = "Summit B/Documentation"\ndayz = ["Day 1"]\n')
    result = CliRunner().invoke(cli, ["--config", str(config), "--source", f"dir:{_folder(tmp_path, False)}",
                                      "run", "--state", str(tmp_path / "one.db")])
    assert result.exit_code == 2 and "dayz" in result.stderr


def test_a_dry_run_writes_no_file(tmp_path):
    folder, db = _folder(tmp_path, typo=True), tmp_path / "state" / "job.db"
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    result = _run_all(folder, db, "--dry-run")
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before


def test_run_all_from_the_bundled_snapshot_says_so():
    result = CliRunner().invoke(cli, ["run", "--all", "--dry-run"])
    assert result.exit_code == 0 and "serving the bundled 2018 snapshot" in result.stderr


def test_run_help_describes_all_itself():
    text = CliRunner().invoke(cli, ["run", "--help"]).stdout
    assert "{{Event track bot}}" in text and "exit 0 unless the job itself fails" in text
    assert "README" not in text


def test_a_missing_user_config_is_one_line_naming_the_file_and_pywikibot_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PYWIKIBOT_DIR", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(cli, ["--source", "site", "run", "--all", "--dry-run"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "user-config.py" in result.stderr and "PYWIKIBOT_DIR" in result.stderr
    assert "test.wikipedia.org" not in result.stderr
