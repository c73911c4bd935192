#!/usr/bin/env python3
"""Seconds from a person's save to the overview showing it, with `run --all --follow` (issue 23).

    make bench-follow                      # 20 edits; prints the README's figures
    python bench/follow.py --edits 5       # fewer

A fresh throwaway test wiki with bench/manyevents.py's events (a root calling {{Event track
bot}}, three Day pages, a summary), the local EventStreams stand-in (scripts/eventstream_stub.py,
dropping each connection every 60 s) and the follow job (`--source site run --all --follow
--stream URL`, debounce 5 s, the default) in a subprocess. Then:

1. latency: `--edits` times, WikiAdmin renames a session on a Day page and the bench reads the
   overview (`prop=revisions`, every 0.1 s) until it shows the new title: seconds from the
   save's answer to that read, median and worst;
2. requests while nothing changes: the follow job restarted on the unchanged wiki (its start's
   full check is what its hourly check costs), then an idle window of `--idle` seconds in which
   nobody edits: the bot's requests counted from the wiki's server log (every request php -S
   served but the stub's own polling).

The hourly `run --all` shows a change 30 minutes after the save on average and 60 at worst
(plus its run time); its no-op run costs 2 requests (README, "Benchmarks: every event in one job").
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "bench"))

import eventstream_stub  # noqa: E402
import manyevents  # noqa: E402
import testwiki  # noqa: E402


def wait_for(condition, what: str, seconds: float = 120.0, every: float = 0.1):
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise SystemExit(f"follow bench: not within {seconds:g} s: {what}")
        time.sleep(every)


class Job:
    """The follow job in a subprocess, its log in a file."""

    def __init__(self, workdir: Path, pwb: Path, stream: str, n: int):
        self.log = workdir / f"follow{n}.log"
        env = dict(os.environ, PYWIKIBOT_DIR=str(pwb))
        with open(self.log, "wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "wmstrategybot.cli.main", "--source", "site", "run",
                                          "--all", "--state", str(workdir / "job.db"), "--follow", "--stream", stream],
                                         env=env, stdout=subprocess.DEVNULL, stderr=err)

    def text(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def served(self) -> list[str]:
        return re.findall(r"follow: served: .*$", self.text(), re.M)

    def stop(self) -> int:
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(120)


def bot_requests(log: Path, offset: int) -> int:
    """The requests php -S served after `offset` of its log that are not the stub's polling
    (``GET ...list=recentchanges&rcprop=user|title|...``): nobody else talks to the wiki."""
    with open(log, "rb") as fh:
        fh.seek(offset)
        return sum(1 for line in fh if b"/api.php" in line and b"]: " in line
                   and b"list=recentchanges&rcprop=user%7Ctitle" not in line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--events", type=int, default=3)
    parser.add_argument("--idle", type=float, default=300.0, help="seconds of the idle window")
    parser.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (the wiki, the job's logs)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-follow-") as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        wiki = testwiki.TestWiki(work / "wiki", extra_settings="$wgRateLimits = [];\n").start()
        try:
            pwb = wiki.write_pywikibot_dir(work / "pywikibot")
            manyevents.load(wiki, args.events, workdir=work)
            jobs = []
            admin = wiki.admin_session()
            jobs: list[Job] = []
            with eventstream_stub.StreamStub(wiki.api_url, drop_after=60.0) as stub:
                job = Job(work, pwb, stub.url, 1)
                jobs.append(job)
                wait_for(lambda: job.served(), "the first run", 600)
                root = manyevents.event_root(1)
                day, overview = f"{root}/Day 1", f"{root}/Overview"
                latencies = []
                for n in range(args.edits):
                    text = admin.page_text(day) or ""
                    title = re.search(r"^== (D1\.01 / [^=\n]*?) ==$", text, re.M)
                    assert title, text[:400]
                    new = re.sub(r" \(bench \d+\)$", "", title.group(1)) + f" (bench {n})"
                    admin.edit(day, text.replace(f"== {title.group(1)} ==", f"== {new} ==", 1), f"bench {n}")
                    saved = time.monotonic()
                    wait_for(lambda: new in (admin.page_text(overview) or ""), f"edit {n} on the overview")
                    latencies.append(time.monotonic() - saved)
                    print(f"edit {n + 1}: {latencies[-1]:.1f} s", file=sys.stderr)
                assert job.stop() == 0
                # the restart on the unchanged wiki: its start's check is what the hourly one costs
                again = Job(work, pwb, stub.url, 2)
                jobs.append(again)
                wait_for(lambda: again.served(), "the restart's check", 600)
                time.sleep(5)  # the start's status page save, before the window opens
                check = again.served()[0]
                log = wiki.log_dir / "server.log"
                before, conns = log.stat().st_size, len(stub.connections)
                time.sleep(args.idle)  # the idle window: nobody edits
                idle = bot_requests(log, before)
                connections = len(stub.connections) - conns
                assert again.stop() == 0
        finally:
            for j in jobs:
                if j.proc.poll() is None:
                    print(f"follow bench: the job's log: {j.text()[-2000:]}", file=sys.stderr)
                    j.proc.kill()
            wiki.stop()
    check_requests = int(re.search(r"(\d+) request\(s\)", check).group(1))
    per_hour = check_requests + idle * 3600 / args.idle
    print(f"save to overview, {args.edits} edits: median {statistics.median(latencies):.1f} s, "
          f"worst {max(latencies):.1f} s (the hourly run: 1800 s on average, 3600 s at worst)")
    print(f"while nothing changes: the hourly full check {check_requests} request(s); "
          f"{idle} other wiki request(s) in {args.idle:g} s idle; about {per_hour:.0f} wiki request(s) an hour "
          f"(the hourly run: 2), plus the stream: {connections} connection(s) in the window "
          f"(the stub drops every 60 s; Wikimedia's about every 15 min: 4 an hour)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
