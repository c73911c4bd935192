"""What a terminal shows: changed words in a diff, colour by --color and NO_COLOR, a progress
line cleared before what follows, and nothing at all on a pipe closed early."""

from __future__ import annotations

import io
import re
import subprocess
import sys

from helpers import invoke

from wmstrategybot.cli.diffview import REVERSE, colour_diff
from wmstrategybot.cli.main import use_color
from wmstrategybot.cli.progress import Progress


def test_a_long_line_with_one_changed_word_shows_that_word():
    """First-hour trial (issue 12)."""
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
    """First-hour trial (issue 12)."""
    result = invoke("--color", "always", "diff")
    assert result.exit_code == 1 and "\x1b[31m" in result.stdout and "\x1b[32m" in result.stdout
    plain = invoke("--color", "never", "diff")
    assert "\x1b[" not in plain.stdout
    assert "\x1b[" not in invoke("diff").stdout  # auto, and CliRunner's stdout is no terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color("auto", Tty()) and not use_color("auto", io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_color("auto", Tty()) and use_color("always", io.StringIO())


def test_the_progress_line_is_cleared_before_what_follows():
    """First-hour trial (issue 12)."""
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


def test_a_pipe_closed_early_ends_quietly():
    """`wmstrategybot extract | head -1`: no 'Broken pipe' error, no traceback, exit 0.

    First-hour trial (issue 12)."""
    for command in ("extract", "diff", "--version", "--help"):
        proc = subprocess.Popen([sys.executable, "-m", "wmstrategybot.cli.main", "-q", command], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, bufsize=0)
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader goes away before anything is written (as `head` may)
        err = proc.stderr.read().decode()
        assert proc.wait() == 0, err
        assert err == ""
