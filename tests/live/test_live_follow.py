"""`run --all --follow` on the real test wiki, reading the test wiki's changes from the local
EventStreams stand-in (scripts/eventstream_stub.py: no package provides Wikimedia's service).

The follow job is the installed `wmstrategybot` in a subprocess, as Toolforge's continuous job
starts it; what it did is read back from the wiki (the pages, the bot's contributions), its
state database and its log. Every wait is on a condition, with a deadline; nothing sleeps for
a fixed time to let something happen.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import secrets
import shlex
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import REPO

from wmstrategybot.config.wiki import TEMPLATE
from wmstrategybot.job.follow import FollowRecord, load_record

pytestmark = pytest.mark.wiki
if str(REPO / "scripts") not in sys.path:
    sys.path.insert(0, str(REPO / "scripts"))

_spec = importlib.util.spec_from_file_location("manyevents", REPO / "bench" / "manyevents.py")
assert _spec and _spec.loader
MANYEVENTS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(MANYEVENTS)
#: the session title each Day page starts with, which the overview shows
FIRST_SESSION = {"Day 1": "The Big Picture"}
_numbers = itertools.count(1)


def wait_for(condition: Callable[[], object], what: str, seconds: float = 90.0, every: float = 0.2) -> object:
    """The condition's first true value, checked every `every` seconds until the deadline."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:g} s: {what}")
        time.sleep(every)


class Following:
    """One `wmstrategybot --source site run --all --follow` process and what it left."""

    def __init__(self, args: list[str], env: dict[str, str], db: Path, log: Path):
        self.db, self.log_path = db, log
        self._log = open(log, "ab")  # noqa: SIM115 - the child's stderr, closed in stop()
        import testwiki

        self.proc = subprocess.Popen([*shlex.split(testwiki.bot_command()), *args], env=env,
                                     stdout=subprocess.DEVNULL, stderr=self._log, start_new_session=True)

    def log(self) -> str:
        return self.log_path.read_text("utf-8", errors="replace")

    def record(self) -> FollowRecord:
        return load_record(self.db) if self.db.exists() else FollowRecord()

    def runs(self) -> list[str]:
        """The reason of each run begun, as the log says them."""
        return re.findall(r" follow: run: (.*)$", self.log(), re.M)

    def served(self) -> int:
        return len(re.findall(r" follow: served: ", self.log()))

    def wait_runs(self, count: int, seconds: float = 120.0) -> None:
        wait_for(lambda: self.served() >= count or self.proc.poll() is not None, f"{count} run(s)", seconds)
        assert self.proc.poll() is None, self.log()[-3000:]

    def stop(self, timeout: float = 120.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AssertionError("the follow job did not stop within the deadline: " + self.log()[-3000:]) from None
        self._log.close()
        return code


def job_env(pwb_dir: Path, home: Path) -> dict[str, str]:
    """A job's environment: pywikibot's directory, a home of its own, nothing beyond 127.0.0.1."""
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    dead = "http://127.0.0.1:9"
    env.update(PYWIKIBOT_DIR=str(pwb_dir), PYTHONFAULTHANDLER="1", HOME=str(home), XDG_DATA_HOME=str(home / "share"),
               HTTP_PROXY=dead, HTTPS_PROXY=dead, http_proxy=dead, https_proxy=dead,
               NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return env


@pytest.fixture
def stream(wiki):
    import eventstream_stub

    with eventstream_stub.StreamStub(wiki.api_url, drop_after=4.0) as stub:
        yield stub


@pytest.fixture
def follow(tmp_path, pwb, stream):
    """`follow(*extra, pwb_dir=None)` -> a running Following (stopped when the test ends)."""
    from live import PYWIKIBOT_DIR

    started: list[Following] = []
    home = tmp_path / "home"
    home.mkdir()

    def start(*extra: str, pwb_dir: Path | None = None, stream_arg: bool = True) -> Following:
        db = tmp_path / "job.db"
        args = ["--source", "site", "run", "--all", "--state", str(db), "--follow",
                *(["--stream", stream.url] if stream_arg else []), *extra]
        f = Following(args, job_env(pwb_dir or PYWIKIBOT_DIR, home), db, tmp_path / f"follow{len(started)}.log")
        started.append(f)
        return f

    yield start
    for f in started:
        f.stop()


@pytest.fixture
def opt_in(admin, templates_installed):
    """`opt_in(label)` -> the root of a new event on the wiki; off the template when the test ends."""
    texts = MANYEVENTS._snapshot_texts()
    token = secrets.token_hex(3)
    made: list[str] = []

    def make(label: str) -> str:
        root = f"Follow {token}/{label} {next(_numbers)}"
        for page in (*MANYEVENTS.DAYS, MANYEVENTS.SUMMARY):
            admin.edit(f"{root}/{page}", MANYEVENTS._renamed(texts[page], root), "write the event's pages")
        call = "\n".join([f"{{{{{TEMPLATE}", f"| name = Follow {label} {token}", "| days = Day 1, Day 2, Day 3",
                          "| summary = Summary", "| overview = /Overview", "| navbox = /Navigation",
                          "| data = /Data.json", "}}"])
        admin.edit(root, f"Organisers' notes.\n\n{call}\n", "configure the bot")
        made.append(root)
        return root

    yield make
    for root in made:
        admin.edit(root, "No longer served (test over).", "test over")


def retitle(admin, root: str, marker: str, day: str = "Day 1") -> None:
    """A person renames the day's first session (the overview shows the new title)."""
    title = f"{root}/{day}"
    text = admin.page_text(title) or ""
    text = re.sub(r"(== D1\.01 / The Big Picture)[^=\n]*( ==)", rf"\1 {marker}\2", text, count=1)
    admin.edit(title, text, f"rename: {marker}")


def overview_has(admin, root: str, marker: str) -> bool:
    return marker in (admin.page_text(f"{root}/Overview") or "")


def bot_edits_since(admin, bot_user: str, mark: int) -> list[str]:
    contribs = admin.get(action="query", list="usercontribs", ucuser=bot_user, ucprop="ids|title",
                         uclimit="max")["query"]["usercontribs"]
    return [c["title"] for c in sorted(contribs, key=lambda c: c["revid"]) if c["revid"] > mark]


def check_follow(db: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """The watchdog, as its scheduled job runs it."""
    import testwiki
    from live import PYWIKIBOT_DIR

    return subprocess.run([*shlex.split(testwiki.bot_command()), "--source", "site", "run", "--all", "--check-follow",
                           "--state", str(db)], env=job_env(PYWIKIBOT_DIR, home), capture_output=True, text=True,
                          timeout=120)


def newest_revision(admin) -> int:
    rc = admin.get(action="query", list="recentchanges", rcprop="ids", rclimit=1)["query"]["recentchanges"]
    return int(rc[0]["revid"]) if rc else 0


# ---------------------------------------------------------------- the cases


def test_an_edit_to_a_day_page_is_published_within_seconds(follow, opt_in, admin, stream, tmp_path, wiki):
    """The stream's address from the pywikibot family (eventstreams_host), as on Wikimedia's wikis."""
    from live import PYWIKIBOT_DIR

    pwb_dir = tmp_path / "pywikibot"
    shutil.copytree(PYWIKIBOT_DIR, pwb_dir, ignore=shutil.ignore_patterns("apicache*", "*.lwp", "logs"))
    family = pwb_dir / "families" / "testwiki_family.py"
    family.write_text(family.read_text() + f"\n    def eventstreams_host(self, code):\n        return {stream.host!r}\n\n"
                      "    def eventstreams_path(self, code):\n        return '/v2/stream'\n")
    root = opt_in("Edited")
    f = follow(pwb_dir=pwb_dir, stream_arg=False)
    f.wait_runs(1)
    assert overview_has(admin, root, "The Big Picture")
    marker = f"renamed-{secrets.token_hex(3)}"
    saved = time.monotonic()
    retitle(admin, root, marker)
    wait_for(lambda: overview_has(admin, root, marker), "the overview showing the edit", seconds=60)
    seconds = time.monotonic() - saved
    assert seconds < 30, seconds
    record = wait_for(lambda: (r := f.record()).last_event and r.last_served and r, "the record of the run")
    assert record.stream == "up"
    status = admin.page_text(f"User:{wiki.bot_user}/Bot status") or ""
    assert "Following the wiki's changes since" in status and ", last event " in status
    healthy = check_follow(f.db, tmp_path / "home")
    assert healthy.returncode == 0 and "follow: healthy: stream up" in healthy.stdout, healthy.stderr


def test_a_new_opt_in_is_served_without_waiting_for_the_hour(follow, opt_in, admin):
    f = follow()
    f.wait_runs(1)
    root = opt_in("Newcomer")
    wait_for(lambda: overview_has(admin, root, "The Big Picture"), "the new event's overview", seconds=150)
    assert any("may opt a page in" in why for why in f.runs()), f.runs()


def test_a_dropped_stream_and_a_restart_are_resumed_with_no_change_lost(follow, opt_in, admin, stream):
    root = opt_in("Dropped")
    f = follow()
    f.wait_runs(1)
    markers = []
    for n in range(3):  # spread over several of the stub's drops (every 4 s)
        markers.append(f"drop{n}-{secrets.token_hex(2)}")
        retitle(admin, root, markers[-1])
        wait_for(lambda: overview_has(admin, root, markers[-1]), f"edit {n} served", seconds=60)
        before = len(stream.connections)
        wait_for(lambda: len(stream.connections) > before, "the stub dropping and the bot reconnecting", seconds=30)
    assert any(c["last_event_id"] for c in stream.connections[1:]), stream.connections  # resumed, not started anew
    # a restart: the job stopped, an edit meanwhile, started again from the position it kept
    assert f.stop() == 0
    kept = f.record().last_id
    assert kept
    missed = f"missed-{secrets.token_hex(2)}"
    retitle(admin, root, missed)
    connections = len(stream.connections)
    g = follow()
    wait_for(lambda: len(stream.connections) > connections, "the restarted job connecting")
    assert stream.connections[connections]["last_event_id"] == kept
    wait_for(lambda: overview_has(admin, root, missed), "the edit made while the job was stopped", seconds=90)
    assert g.proc.poll() is None


def test_a_burst_of_twenty_edits_is_served_in_one_run_and_the_bots_own_saves_start_none(follow, opt_in, admin,
                                                                                        wiki):
    root = opt_in("Burst")
    f = follow("--debounce", "10")
    f.wait_runs(1)
    mark = newest_revision(admin)
    for n in range(20):
        retitle(admin, root, f"burst{n:02d}")
    wait_for(lambda: overview_has(admin, root, "burst19"), "the burst's last edit published", seconds=120)
    f.wait_runs(2)
    runs = f.runs()
    assert runs[1:] == ["20 change(s) to the events' pages"], runs
    assert bot_edits_since(admin, wiki.bot_user, mark).count(f"{root}/Overview") == 1
    # the bot's saves went through the stream too and started nothing: once the stream's
    # position is past them, still two runs, and no change counted by the bot's account
    last = newest_revision(admin)
    wait_for(lambda: _offset(f.record().last_id) >= _rcid_of(admin, last), "the stream past the bot's saves",
             seconds=60)
    assert f.served() == 2 and f"by {wiki.bot_user})" not in f.log()


def _offset(last_id: str | None) -> int:
    match = re.search(r'"offset": (\d+)', last_id or "")
    return int(match.group(1)) if match else 0


def _rcid_of(admin, revid: int) -> int:
    rows = admin.get(action="query", list="recentchanges", rcprop="ids", rclimit=50)["query"]["recentchanges"]
    return max((int(r["rcid"]) for r in rows if int(r.get("revid") or 0) <= revid), default=0)


def test_sigterm_mid_run_stops_between_events_and_leaves_the_state_whole(follow, opt_in, admin, tmp_path, pwb):
    roots = [opt_in(f"Signal{n}") for n in range(3)]
    f = follow("--debounce", "1")
    f.wait_runs(1)
    for n, root in enumerate(roots):
        retitle(admin, root, f"signal{n}")
    wait_for(lambda: len(f.runs()) >= 2, "the run serving the edits begun", seconds=60, every=0.05)
    code = f.stop()
    assert code == 0, f.log()[-3000:]
    db = sqlite3.connect(f.db)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        db.close()
    assert f.record().stream == "stopped"
    watchdog = check_follow(f.db, tmp_path / "home")
    assert watchdog.returncode == 2 and "unhealthy: the follow job stopped at" in watchdog.stderr, watchdog.stderr
    # the next run serves whatever the stopped one left, nothing refused, nothing broken
    import testwiki
    from live import PYWIKIBOT_DIR

    done = subprocess.run([*shlex.split(testwiki.bot_command()), "--source", "site", "run", "--all", "--state",
                           str(f.db)], env=job_env(PYWIKIBOT_DIR, tmp_path / "home"), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    for n, root in enumerate(roots):
        assert overview_has(admin, root, f"signal{n}")
