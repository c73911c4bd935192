"""The command line, driven through click's CliRunner: outputs, exit codes, bad input."""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import NAVBOX, OVERVIEW, REPO, ROOT, SIGNUPS, copy_snapshot, files, invoke, page_file

from wmstrategybot.cli.main import cli
from wmstrategybot.exits import EXIT_TABLE
from wmstrategybot.render.kinds import KINDS


def test_extract_prints_the_event_json():
    result = invoke("extract")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [s["number"] for s in data["sessions"]] == list(range(1, 9))
    assert "Getting To Work" in result.stderr  # the title mismatch is reported


def test_extract_to_file(tmp_path):
    out = tmp_path / "e.json"
    assert invoke("extract", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text())["event"]["id"] == "wmcon2018-strategy"


def test_two_renders_are_byte_identical(tmp_path):
    assert invoke("render", "-o", str(tmp_path / "a")).exit_code == 0
    assert invoke("render", "-o", str(tmp_path / "b")).exit_code == 0
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a == b and len(a) == len(KINDS)  # the bundled config names a page of every kind


def test_diff_on_the_snapshot_shows_changes():
    result = invoke("diff")
    assert result.exit_code == 1
    assert f"+++ b/{OVERVIEW}" in result.stdout and f"+++ b/{NAVBOX}" in result.stdout


def test_publish_into_a_dir_then_diff_is_clean(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    before = files(wiki)
    result = invoke("--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert "created" in result.stdout and "updated" in result.stdout
    assert invoke("--source", f"dir:{wiki}", "diff").exit_code == 0
    # a second publish changes nothing
    after = files(wiki)
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    assert files(wiki) == after
    # the hand-written source pages were not touched
    for name, data in before.items():
        if "Day " in name or name.endswith("Summary.wikitext"):
            assert after[name] == data


def test_text_outside_the_markers_survives_publish(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    navbox = page_file(wiki, NAVBOX)
    text = navbox.read_text()
    navbox.write_text("Note by a person at the top.\n" + text + "A line added at the end.\n")
    day = page_file(wiki, f"{SIGNUPS.rsplit('/', 2)[0]}/Day 1")
    day.write_text(day.read_text().replace("== D1.01 / The Big Picture ==", "== D1.01 / The Bigger Picture =="))
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    new = navbox.read_text()
    assert new.startswith("Note by a person at the top.\n") and new.endswith("A line added at the end.\n")
    assert "The Bigger Picture" in new


def test_hand_edit_in_region_is_refused_and_kept(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    overview = page_file(wiki, OVERVIEW)
    edited = overview.read_text().replace("|title=The Possibilities", "|title=The Possibilities (fixed)")
    overview.write_text(edited)
    day = page_file(wiki, f"{OVERVIEW.rsplit('/', 1)[0]}/Day 1")
    day.write_text(day.read_text().replace("The Big Picture ==", "The Big Picture, revised =="))
    result = invoke("--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 4  # refused (docs/DESIGN.md: 4), not a passing skip (3)
    assert "refused" in result.stdout and "edited by hand" in result.stdout
    assert overview.read_text() == edited


def test_publish_to_the_snapshot_is_refused():
    result = invoke("publish")
    assert result.exit_code == 2
    assert "read-only" in result.stderr


def test_publish_dry_run_writes_nothing(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    before = files(wiki)
    result = invoke("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert result.exit_code == 0 and "would create" in result.stdout
    assert files(wiki) == before


def bad(tmp_path: Path, *args: str):
    out = tmp_path / "out"
    result = invoke(*args, "render", "-o", str(out))
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wmstrategybot: error: ")
    assert "Traceback" not in result.output
    assert not out.exists()
    return lines[0]


def test_malformed_toml(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text("[event\nroot = 1")
    assert "malformed TOML" in bad(tmp_path, "--config", str(cfg))


def test_missing_config_key(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[event]\nroot = "R"\n[targets]\nsummary = "S"\nnavbox = "N"\ndata = "D"\n')
    assert "missing key 'days'" in bad(tmp_path, "--config", str(cfg))


def test_missing_config_file(tmp_path):
    assert "config file not found" in bad(tmp_path, "--config", str(tmp_path / "nope.toml"))


def test_unknown_day_page(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(
        '[event]\nroot = "Wikimedia Conference 2018/Documentation/Movement Strategy track"\n'
        'days = ["Day 1", "Day 9"]\n[targets]\nsummary = "S"\nnavbox = "N"\nsignups = "U"\ndata = "D"\n'
    )
    assert "day page not found" in bad(tmp_path, "--config", str(cfg)) 


def test_xml_that_is_not_an_export(tmp_path):
    x = tmp_path / "x.xml"
    x.write_text("<html><body>hi</body></html>")
    assert "not a MediaWiki XML export" in bad(tmp_path, "--source", f"dump:{x}")
    x.write_text("not xml at all <")
    assert "not a MediaWiki XML export" in bad(tmp_path, "--source", f"dump:{x}")


def test_missing_folder_and_unknown_source(tmp_path):
    assert "folder not found" in bad(tmp_path, "--source", f"dir:{tmp_path / 'nope'}")
    assert "unknown source" in bad(tmp_path, "--source", "ftp:x")
    for kind in ("dir", "dump"):  # no path: said so, not "unknown source"
        line = bad(tmp_path, "--source", f"{kind}:")
        assert f"--source {kind}: needs a path" in line and "unknown" not in line


def test_dump_source_reads_an_export(tmp_path):
    from importlib import resources

    xml = tmp_path / "export.xml"
    xml.write_bytes(resources.files("wmstrategybot").joinpath("data", "wmcon2018-snapshot.xml").read_bytes())
    a = invoke("--source", f"dump:{xml}", "extract").stdout
    assert a == invoke("extract").stdout


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and subcommand of the CLI, as the words that call it (the group itself first)."""
    paths = [prefix]
    for name, command in sorted(group.commands.items()):
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append((*prefix, name))
    return paths


@pytest.mark.parametrize("command", _command_paths(cli), ids=lambda c: " ".join(c) or "wmstrategybot")
def test_every_command_has_help(command):
    result = invoke(*command, "--help")
    usage = result.stdout.split("\n", 1)[0]
    assert result.exit_code == 0 and usage.startswith("Usage:")
    assert " ".join(command) in usage  # the help of this command, not the group's


def test_the_help_test_reaches_every_command():
    paths = {" ".join(p) for p in _command_paths(cli)}
    assert {"extract", "render", "diff", "publish", "run", "templates", "templates sync"} <= paths


def test_every_command_is_in_the_readme_or_the_docs():
    repo = REPO
    readme = "\n".join(p.read_text("utf-8") for p in [repo / "README.md", *sorted((repo / "docs").glob("*.md"))])
    for path in _command_paths(cli)[1:]:
        name = " ".join(path)
        assert f"wmstrategybot {name}" in readme or f"  {name}" in readme, name


def test_a_page_too_complex_to_parse_in_time_is_one_line_and_exit_2(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    day = page_file(wiki, f"{OVERVIEW.rsplit('/', 1)[0]}/Day 2")
    day.write_text(day.read_text() + "{|\n" * 20000)  # mwparserfromhell is quadratic on this
    cfg = tmp_path / "event.toml"
    from importlib import resources

    cfg.write_text(resources.files("wmstrategybot").joinpath("events", "wmcon2018.toml").read_text()
                   .replace("throttle = 10", "throttle = 10\nparse_timeout = 1"))
    result = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "diff")
    assert result.exit_code == 2
    assert "took longer than 1 s" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_session_titles_that_look_like_markup_cannot_break_the_navbox(tmp_path):
    import mwparserfromhell

    wiki = copy_snapshot(tmp_path / "wiki")
    day = page_file(wiki, f"{OVERVIEW.rsplit('/', 1)[0]}/Day 1")
    text = day.read_text()
    for old, new in [("The Big Picture ==", "a]]b | c ~~~~ =="), ("The Challenges ==", "c}}d {{subst:X}} ==")]:
        text = text.replace(old, new)
    day.write_text(text)
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    navbox = page_file(wiki, NAVBOX).read_text()
    calls = [t for t in mwparserfromhell.parse(navbox).filter_templates() if str(t.name).strip() == "Event track navbox day"]
    assert len(calls) == 3 and sum(len(p.value.filter_wikilinks()) for c in calls for p in c.params if str(p.name) == "list") == 10
    assert "~~~" not in navbox and "{{subst:" not in navbox
    assert invoke("--source", f"dir:{wiki}", "diff").exit_code == 0


def test_help_shows_the_one_exit_code_table():
    """First-hour trial (issue 12)."""
    text = invoke("--help").stdout
    for code, meaning in EXIT_TABLE:
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}$", text, re.M), (code, text)
    readme = (REPO / "README.md").read_text("utf-8")
    assert readme.count("| exit | meaning |") == 1
    for code, meaning in EXIT_TABLE:
        assert f"| {code} | {meaning} |" in readme


def test_run_and_publish_agree_on_the_exit_codes():
    """First-hour trial (issue 12)."""
    import wmstrategybot.cli.main as cli_module
    import wmstrategybot.exits as exits
    import wmstrategybot.job.report as report_module

    for name in ("EXIT_ERROR", "EXIT_SKIPPED", "EXIT_REFUSED", "EXIT_LOCKED"):
        assert getattr(report_module, name, getattr(exits, name)) == getattr(exits, name)
        assert getattr(cli_module, name, getattr(exits, name)) == getattr(exits, name)


def test_run_dry_run_says_what_it_would_edit(tmp_path):
    """First-hour trial (issue 12)."""
    wiki = copy_snapshot(tmp_path / "wiki")
    result = invoke("--source", f"dir:{wiki}", "run", "--dry-run", "--state", str(tmp_path / "s.db"))
    assert result.exit_code == 0, result.output
    assert "4 to edit (dry run)" in result.stderr and " edited" not in result.stderr
    assert "would" in result.stdout


@pytest.mark.parametrize("cause", ["hand edit", "stop page"])
def test_publish_and_run_exit_alike_for_the_same_refusal(tmp_path, cause):
    """One table: a refusal is 4 for `publish`, `publish --dry-run` and `run` alike.

    First-hour trial (issue 12)."""
    wiki = copy_snapshot(tmp_path / "wiki")
    assert invoke("--source", f"dir:{wiki}", "publish").exit_code == 0
    assert invoke("--source", f"dir:{wiki}", "run", "--state", str(tmp_path / "first.db")).exit_code == 0
    if cause == "hand edit":
        page = page_file(wiki, OVERVIEW)
        text = page.read_text("utf-8")
        page.write_text(text.replace("{{Event track session", "A note.\n{{Event track session", 1), "utf-8")
        day = page_file(wiki, f"{ROOT}/Day 2")  # and a change for the bot to make there
        day.write_text(day.read_text("utf-8").replace("The Way Forward ==", "The Way Onward =="), "utf-8")
    else:
        stop = page_file(wiki, "User:WmStrategyBot/stop")
        stop.parent.mkdir(parents=True, exist_ok=True)
        stop.write_text("stop", "utf-8")
        day = page_file(wiki, f"{ROOT}/Day 2")
        day.write_text(day.read_text("utf-8").replace("The Way Forward ==", "The Way Onward =="), "utf-8")
    codes = {
        "publish --dry-run": invoke("--source", f"dir:{wiki}", "publish", "--dry-run").exit_code,
        "publish": invoke("--source", f"dir:{wiki}", "publish").exit_code,
        "run": invoke("--source", f"dir:{wiki}", "run", "--state", str(tmp_path / "s.db")).exit_code,
    }
    assert set(codes.values()) == {4}, codes
