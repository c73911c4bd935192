"""`run --all --follow` and `--check-follow` on the command line: a user's mistake is one line
on stderr and exit 2, before anything is read or started."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wmstrategybot.cli.main import cli
from wmstrategybot.job.follow import FOLLOW_VALUE
from wmstrategybot.job.store import StateStore


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("args, said", [
    (["run", "--follow"], "--follow and --check-follow are used with --all"),
    (["run", "--all", "--follow", "--check-follow"], "two jobs"),
    (["run", "--all", "--stream", "http://127.0.0.1:1/x"], "--stream and --debounce are used with --follow"),
    (["run", "--all", "--follow", "--debounce", "0"], "--debounce"),
])
def test_a_mistake_is_one_line_and_exit_2(args, said):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert said in result.output and "Traceback" not in result.output


def test_following_a_source_without_a_stream_is_refused(tmp_path):
    result = run("--source", "snapshot", "run", "--all", "--follow", "--state", str(tmp_path / "job.db"))
    assert result.exit_code == 2 and "has no change stream" in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_watchdog_says_what_is_wrong_in_one_line(tmp_path):
    db = tmp_path / "job.db"
    result = run("--source", "snapshot", "run", "--all", "--check-follow", "--state", str(db))
    assert result.exit_code == 2 and "no state database" in result.output
    with StateStore.open(db) as store:
        store.job_set(FOLLOW_VALUE, {"since": 1.0, "alive": 2.0, "stream": "stopped"})
    result = run("--source", "snapshot", "run", "--all", "--check-follow", "--state", str(db))
    assert result.exit_code == 2, result.output
    assert "unhealthy: the follow job stopped at" in result.output


def test_a_worker_forked_while_following_ends_when_its_pool_ends_it():
    """The follow job's signal handlers are its own: a parse or config worker it forks dies on
    the pool's SIGTERM (with the job's handler it waited forever, and so did the job)."""
    import subprocess
    import sys

    code = (
        "import multiprocessing\n"
        "from wmstrategybot.cli.follow import _Signals\n"
        "with _Signals():\n"
        "    for _ in range(40):\n"
        "        with multiprocessing.get_context('fork').Pool(1) as pool:\n"
        "            assert pool.apply(abs, (-1,)) == 1\n"
        "print('ended')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "ended", done.stderr
