"""Credentials against the real test wiki (issue 12): no password file, no password_file, a
refused BotPassword: one line, exit 2, no prompt with stdin closed, and `run` rewrites its
report; pywikibot's own `simulate` is honoured and reported as such."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import stored_state
from live import _write_config

pytestmark = pytest.mark.usefixtures("templates_installed")


def _cli(args: list[str], pwb: Path) -> subprocess.CompletedProcess[str]:
    """The CLI as cron runs it: stdin closed (no terminal to prompt on)."""
    env = {**os.environ, "PYWIKIBOT_DIR": str(pwb)}
    return subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", *args], capture_output=True, text=True,
                          env=env, stdin=subprocess.DEVNULL, timeout=300)


def _one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    # (pywikibot's own "Logging in to ... as ..." before it tries, hidden by -q, is no error line)
    lines = [x for x in result.stderr.strip().splitlines() if not x.startswith("Logging in to ")]
    assert len(lines) == 1 and lines[0].startswith("wmstrategybot: error: "), result.stderr
    assert "Password for user" not in result.stdout + result.stderr  # no prompt, no getpass warning
    assert "skipped" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.parametrize("case", ["no password file", "no password_file", "refused"])
def test_a_missing_or_refused_login_is_one_line_and_exit_2(wiki, event, tmp_path, case):
    cfg = _write_config(event, tmp_path)
    pwb = wiki.write_pywikibot_dir(tmp_path / "pwb")
    if case == "no password file":
        (pwb / "user-password.py").unlink()
    elif case == "no password_file":
        config = pwb / "user-config.py"
        config.write_text(config.read_text().replace("password_file = 'user-password.py'\n", ""))
    else:
        (pwb / "user-password.py").write_text(f"({wiki.bot_user!r}, BotPassword('wrong', 'not-the-password'))\n")
    before = event.revisions()
    line = _one_error_line(_cli(["--config", str(cfg), "--source", "site", "publish"], pwb))
    assert "login failed" in line
    if case == "no password file":
        assert "user-password.py is missing" in line and "BotPassword" in line
    elif case == "no password_file":
        assert "password_file" in line
    state = tmp_path / "state.db"
    report = state.with_name("state.db.report.json")
    report.write_text(json.dumps({"outcome": "nothing-changed", "exit": 0}))  # an earlier run's
    line = _one_error_line(_cli(["--config", str(cfg), "--source", "site", "run", "--state", str(state)], pwb))
    written = json.loads(report.read_text())
    assert written["outcome"] == "error" and written["exit"] == 2 and "login failed" in written["error"]
    assert event.revisions() == before  # nothing saved


def test_pywikibots_simulate_is_honoured_and_said(wiki, event, tmp_path):
    cfg = _write_config(event, tmp_path)
    pwb = wiki.write_pywikibot_dir(tmp_path / "pwb")
    with (pwb / "user-config.py").open("a") as fh:
        fh.write("simulate = True\n")
    before = event.revisions()
    published = _cli(["--config", str(cfg), "--source", "site", "publish"], pwb)
    assert published.returncode == 0, published.stdout + published.stderr
    assert "simulated" in published.stdout
    assert "updated" not in published.stdout and "created" not in published.stdout
    assert event.revisions() == before
    state = tmp_path / "state.db"
    ran = _cli(["--config", str(cfg), "--source", "site", "run", "--state", str(state)], pwb)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "simulated" in ran.stdout and "simulated" in ran.stderr and " edited" not in ran.stderr
    report = json.loads(state.with_name("state.db.report.json").read_text())
    assert report["outcome"] == "simulated" and all(e["action"] == "simulated" for e in report["edited"])
    assert stored_state(state) == {}  # the state is not advanced as if saved
    assert event.revisions() == before
    # without simulate, the same run saves: nothing was recorded as done
    real = _cli(["--config", str(cfg), "--source", "site", "run", "--state", str(state)],
                wiki.write_pywikibot_dir(tmp_path / "pwb2"))
    assert real.returncode == 0, real.stdout + real.stderr
    assert "updated" in real.stdout or "created" in real.stdout
