"""An organiser's first hour (issue 12): optional targets, exit codes in --help, compressed
dumps, coloured word diffs, progress, dry-run wording and broken pipes."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import re
import subprocess
import sys
from importlib import resources

import pytest
from click.testing import CliRunner
from helpers import REPO, ROOT, SIGNUPS, copy_snapshot, page_file

from wmstrategybot.cli.diffview import REVERSE, colour_diff
from wmstrategybot.cli.main import cli, use_color
from wmstrategybot.cli.progress import Progress
from wmstrategybot.exits import EXIT_TABLE

NO_SIGNUPS = f'''[event]
root = "{ROOT}"
days = ["Day 1", "Day 2", "Day 3"]
summary = "Summary"
[targets]
summary = "{ROOT}/Overview"
navbox = "Template:Track navigation"
'''


def run(*args: str, **kw):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kw)


def test_a_target_left_out_is_neither_rendered_nor_published(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(NO_SIGNUPS)
    out = tmp_path / "out"
    assert run("--config", str(cfg), "render", "-o", str(out)).exit_code == 0
    assert sorted(p.name for p in out.rglob("*.wikitext")) == ["Overview.wikitext", "Template:Track navigation.wikitext"]
    wiki = copy_snapshot(tmp_path / "wiki")
    signups_before = page_file(wiki, SIGNUPS).read_bytes()
    result = run("--config", str(cfg), "--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert SIGNUPS not in result.output and "Data.json" not in result.output
    assert page_file(wiki, SIGNUPS).read_bytes() == signups_before
    assert not page_file(wiki, f"{ROOT}/Data.json").exists()
    assert run("--config", str(cfg), "--source", f"dir:{wiki}", "diff").exit_code == 0
    state = tmp_path / "state.db"
    ran = run("--config", str(cfg), "--source", f"dir:{wiki}", "run", "--state", str(state))
    assert ran.exit_code == 0, ran.output
    assert "4 parsed" in ran.stderr  # the summary and three Day pages: no signup page


def test_an_event_without_targets_extracts_and_publishes_nothing(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(NO_SIGNUPS[: NO_SIGNUPS.index("[targets]")])
    wiki = copy_snapshot(tmp_path / "wiki")
    before = sorted(p for p in wiki.rglob("*"))
    assert run("--config", str(cfg), "--source", f"dir:{wiki}", "extract").exit_code == 0
    result = run("--config", str(cfg), "--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert sorted(p for p in wiki.rglob("*")) == before


def test_two_events_under_documentation_have_their_own_state_files():
    from wmstrategybot.config.event import parse_config
    from wmstrategybot.job.state import default_state_path
    from wmstrategybot.sources import SnapshotSource

    paths = {default_state_path(parse_config(f'[event]\nroot = "Wikimedia Summit {y}/Documentation"\n'
                                             'days = ["Day 1"]\n'), SnapshotSource()) for y in (2019, 2022)}
    assert len(paths) == 2


def test_help_shows_the_one_exit_code_table():
    text = run("--help").stdout
    for code, meaning in EXIT_TABLE:
        assert re.search(rf"^\s+{code}\s+{re.escape(meaning)}$", text, re.M), (code, text)
    readme = (REPO / "README.md").read_text("utf-8")
    assert readme.count("| exit | meaning |") == 1
    for code, meaning in EXIT_TABLE:
        assert f"| {code} | {meaning} |" in readme


def test_run_and_publish_agree_on_the_exit_codes():
    import wmstrategybot.cli.main as cli_module
    import wmstrategybot.exits as exits
    import wmstrategybot.job.report as report_module

    for name in ("EXIT_ERROR", "EXIT_SKIPPED", "EXIT_REFUSED", "EXIT_LOCKED"):
        assert getattr(report_module, name, getattr(exits, name)) == getattr(exits, name)
        assert getattr(cli_module, name, getattr(exits, name)) == getattr(exits, name)


@pytest.mark.parametrize("compress", [gzip.compress, bz2.compress, lzma.compress])
def test_compressed_dumps_are_read_directly_whatever_their_name(tmp_path, compress):
    from wmstrategybot.sources import SNAPSHOT_FILE

    xml = resources.files("wmstrategybot").joinpath("data", SNAPSHOT_FILE).read_bytes()
    plain = tmp_path / "plain.xml"
    plain.write_bytes(xml)
    packed = tmp_path / "export.xml"  # no .gz/.bz2 suffix: known by its magic bytes
    packed.write_bytes(compress(xml))
    a = run("--source", f"dump:{plain}", "extract")
    b = run("--source", f"dump:{packed}", "extract")
    assert a.exit_code == 0 and b.exit_code == 0, b.output
    assert a.stdout == b.stdout


def test_a_broken_compressed_dump_is_one_line(tmp_path):
    bad = tmp_path / "x.xml.gz"
    bad.write_bytes(gzip.compress(b"<mediawiki/>")[:15])
    result = run("--source", f"dump:{bad}", "extract")
    assert result.exit_code == 2 and "cannot decompress" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_long_line_with_one_changed_word_shows_that_word():
    old = " ".join(f"word{i}" for i in range(100))
    new = old.replace("word50", "changed")
    assert len(old) > 500
    import difflib

    diff = "".join(difflib.unified_diff([old + "\n"], [new + "\n"], "a/P", "b/P"))
    coloured = colour_diff(diff)
    marked = re.findall(re.escape(REVERSE) + r"(.*?)\x1b\[0m", coloured)
    assert marked == ["word50", "changed"]
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == diff  # the colours only add, never change


def test_color_option(monkeypatch):
    result = run("--color", "always", "diff")
    assert result.exit_code == 1 and "\x1b[31m" in result.stdout and "\x1b[32m" in result.stdout
    plain = run("--color", "never", "diff")
    assert "\x1b[" not in plain.stdout
    assert "\x1b[" not in run("diff").stdout  # auto, and CliRunner's stdout is no terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", Tty()) and not use_color("auto", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", Tty()) and use_color("always", io.StringIO())


def test_the_progress_line_is_cleared_before_what_follows():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    progress = Progress(0, tty)
    progress("saving")
    progress.clear()
    assert tty.getvalue().endswith("\r\x1b[K") and tty.getvalue().count("saving") == 1
    progress.clear()  # nothing shown: nothing written
    assert tty.getvalue().count("\r\x1b[K") == 2


def test_run_dry_run_says_what_it_would_edit(tmp_path):
    wiki = copy_snapshot(tmp_path / "wiki")
    result = run("--source", f"dir:{wiki}", "run", "--dry-run", "--state", str(tmp_path / "s.db"))
    assert result.exit_code == 0, result.output
    assert "4 to edit (dry run)" in result.stderr and " edited" not in result.stderr
    assert "would" in result.stdout


def test_a_pipe_closed_early_ends_quietly():
    """`wmstrategybot extract | head -1`: no 'Broken pipe' error, no traceback, exit 0."""
    for command in ("extract", "diff", "--version", "--help"):
        proc = subprocess.Popen([sys.executable, "-m", "wmstrategybot.cli.main", "-q", command], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, bufsize=0)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader goes away before anything is written (as `head` may)
        err = proc.stderr.read().decode()
        assert proc.wait() == 0, err
        assert err == ""


@pytest.mark.parametrize("cause", ["hand edit", "stop page"])
def test_publish_and_run_exit_alike_for_the_same_refusal(tmp_path, cause):
    """One table: a refusal is 4 for `publish`, `publish --dry-run` and `run` alike."""
    from helpers import OVERVIEW

    wiki = copy_snapshot(tmp_path / "wiki")
    assert run("--source", f"dir:{wiki}", "publish").exit_code == 0
    assert run("--source", f"dir:{wiki}", "run", "--state", str(tmp_path / "first.db")).exit_code == 0
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
        "publish --dry-run": run("--source", f"dir:{wiki}", "publish", "--dry-run").exit_code,
        "publish": run("--source", f"dir:{wiki}", "publish").exit_code,
        "run": run("--source", f"dir:{wiki}", "run", "--state", str(tmp_path / "s.db")).exit_code,
    }
    assert set(codes.values()) == {4}, codes


def test_pages_name_the_event_not_the_last_segment_of_its_root(tmp_path):
    """The 2022 fixture's config names only pages: the intros say "Wikimedia Summit 2022"."""
    folder = REPO / "tests" / "fixtures" / "events" / "2022"
    out = tmp_path / "out"
    result = run("--config", str(folder / "config.toml"), "--source", f"dir:{folder / 'pages'}", "render", "-o", str(out))
    assert result.exit_code == 0, result.output
    overview = (out / "Wikimedia Summit 2022" / "Documentation" / "Overview.wikitext").read_text("utf-8")
    signups = (out / "Wikimedia Summit 2022" / "Documentation" / "Sign-up.wikitext").read_text("utf-8")
    assert "|Wikimedia Summit 2022]]" in overview
    assert "Working Groups of the Wikimedia Summit 2022:" in signups
    for text in (overview, signups):
        assert "of the Documentation" not in text
