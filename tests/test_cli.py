"""The command line, driven through click's CliRunner: outputs, exit codes, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import NAVBOX, OVERVIEW, REPO, SIGNUPS, copy_snapshot, page_file

from wmstrategybot.cli.main import cli
from wmstrategybot.render.kinds import KINDS


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_extract_prints_the_event_json():
    result = run("extract")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [s["number"] for s in data["sessions"]] == list(range(1, 9))
    assert "Getting To Work" in result.stderr  # the title mismatch is reported


def test_extract_to_file(tmp_path):
    out = tmp_path / "e.json"
    assert run("extract", "-o", str(out)).exit_code == 0
    assert json.loads(out.read_text())["event"]["id"] == "wmcon2018-strategy"


def test_two_renders_are_byte_identical(tmp_path):
    assert run("render", "-o", str(tmp_path / "a")).exit_code == 0
    assert run("render", "-o", str(tmp_path / "b")).exit_code == 0
    a, b = files(tmp_path / "a"), files(tmp_path / "b")
    assert a == b and len(a) == len(KINDS)  # the bundled config names a page of every kind


def test_diff_on_the_snapshot_shows_changes():
    result = run("diff")
    assert result.exit_code == 1
    assert f"+++ b/{OVERVIEW}" in result.stdout and f"+++ b/{NAVBOX}" in result.stdout


def test_publish_into_a_dir_then_diff_is_clean(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    before = files(wiki)
    result = run("--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert "created" in result.stdout and "updated" in result.stdout
    assert run("--source", f"dir:{wiki}", "diff").exit_code == 0
    # a second publish changes nothing
    after = files(wiki)
    assert run("--source", f"dir:{wiki}", "publish").exit_code == 0
    assert files(wiki) == after
    # the hand-written source pages were not touched
    for name, data in before.items():
        if "Day " in name or name.endswith("Summary.wikitext"):
            assert after[name] == data


def test_text_outside_the_markers_survives_publish(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    assert run("--source", f"dir:{wiki}", "publish").exit_code == 0
    navbox = page_file(wiki, NAVBOX)
    text = navbox.read_text()
    navbox.write_text("Note by a person at the top.\n" + text + "A line added at the end.\n")
    day = page_file(wiki, f"{SIGNUPS.rsplit('/', 2)[0]}/Day 1")
    day.write_text(day.read_text().replace("== D1.01 / The Big Picture ==", "== D1.01 / The Bigger Picture =="))
    assert run("--source", f"dir:{wiki}", "publish").exit_code == 0
    new = navbox.read_text()
    assert new.startswith("Note by a person at the top.\n") and new.endswith("A line added at the end.\n")
    assert "The Bigger Picture" in new


def test_hand_edit_in_region_is_refused_and_kept(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    assert run("--source", f"dir:{wiki}", "publish").exit_code == 0
    overview = page_file(wiki, OVERVIEW)
    edited = overview.read_text().replace("|title=The Possibilities", "|title=The Possibilities (fixed)")
    overview.write_text(edited)
    day = page_file(wiki, f"{OVERVIEW.rsplit('/', 1)[0]}/Day 1")
    day.write_text(day.read_text().replace("The Big Picture ==", "The Big Picture, revised =="))
    result = run("--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 4  # refused (docs/DESIGN.md: 4), not a passing skip (3)
    assert "refused" in result.stdout and "edited by hand" in result.stdout
    assert overview.read_text() == edited


def test_publish_to_the_snapshot_is_refused():
    result = run("publish")
    assert result.exit_code == 2
    assert "read-only" in result.stderr


def test_publish_dry_run_writes_nothing(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    before = files(wiki)
    result = run("--source", f"dir:{wiki}", "publish", "--dry-run")
    assert result.exit_code == 0 and "would create" in result.stdout
    assert files(wiki) == before


def bad(tmp_path: Path, *args: str):
    out = tmp_path / "out"
    result = run(*args, "render", "-o", str(out))
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
    a = run("--source", f"dump:{xml}", "extract").stdout
    assert a == run("extract").stdout


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
    result = run(*command, "--help")
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
    result = run("--config", str(cfg), "--source", f"dir:{wiki}", "diff")
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
    assert run("--source", f"dir:{wiki}", "publish").exit_code == 0
    navbox = page_file(wiki, NAVBOX).read_text()
    calls = [t for t in mwparserfromhell.parse(navbox).filter_templates() if str(t.name).strip() == "Event track navbox day"]
    assert len(calls) == 3 and sum(len(p.value.filter_wikilinks()) for c in calls for p in c.params if str(p.name).isdigit()) == 10
    assert "~~~" not in navbox and "{{subst:" not in navbox
    assert run("--source", f"dir:{wiki}", "diff").exit_code == 0
