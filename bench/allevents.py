#!/usr/bin/env python3
"""Every event in one job: `run --all` against the single-event `run` once per event (issue 14).

    make bench-all                                 # 200 events; prints the README's tables
    python bench/allevents.py --events 20          # fewer events
    python bench/allevents.py --events 200 --single-events 50 --rss-events 50,200

The events are bench/manyevents.py's (5 pages each: a root calling {{Event track bot}}, three
Day pages, a summary), imported (importDump.php) onto a fresh throwaway test wiki for each
side, so neither side finds the other's pages already published. Edit throttle 0 on both
sides (each local config's ``[bot] throttle``, the job file's ``[job] throttle``; the test
wiki's ``put_throttle`` is 0 too) and no rate limits on the wiki: the figures are the bot's
own cost, not waiting it chose to do.

- single-event side: one local TOML config per event, equivalent to its on-wiki config
  (what `read_wiki_config` reads from the root, written out as TOML: the same pages, targets
  and status page), and ``wmstrategybot --source site --config X run --state DB`` once per
  event, one process each, all with one state database (each event keyed by its id);
- `run --all` side: ``wmstrategybot --source site run --all --job JOB --state DB``, one process.

Each side runs three times: the first run (everything published), a no-op run, and a run
after another user (WikiAdmin) edited one event's Day 2. Figures per run: the bot's own API
requests (the report's ``api_requests``: pywikibot's login, tokens and siteinfo apart) and
of those the reads; every request the wiki served (php -S logs each one); pages read; edits;
seconds (wall clock of the processes, start-up included, as cron pays it). Peak RSS: the
process's ``ru_maxrss`` as GNU time (``/usr/bin/time -f %M``) reports it (its own peak,
including the parse worker it forks; for the single-event side, the largest of its processes;
see `rss_wrapper` for why not this process's ``os.wait4``). The RSS of `run --all`'s
first run is also measured on wikis of fewer events (``--rss-events``) to show it does not
grow with their number.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import manyevents  # noqa: E402

from wmstrategybot.config.wiki import read_wiki_config
from wmstrategybot.model.settings import EventConfig, SiteConfig
from wmstrategybot.render.kinds import KINDS

SITE = SiteConfig(family="testwiki", code="en")
#: the Day page another user edits before the third run: event `events // 2`'s
CHANGED_DAY = "Day 2"
DEFAULT_EVENTS = manyevents.DEFAULT_EVENTS
RUNS = ("first", "noop", "one_change")


# --------------------------------------------------------------------------
# The configs


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _toml_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_toml_string(v) for v in values) + "]"


def toml_config(config: EventConfig, throttle: float = 0) -> str:
    """A local TOML config equivalent to `config` (read from the wiki): the same id, pages,
    targets and status page; `throttle` seconds between edits."""
    lines = ["[site]", f"family = {_toml_string(config.site.family)}", f"code = {_toml_string(config.site.code)}",
             "", "[event]", f"id = {_toml_string(config.id)}", f"name = {_toml_string(config.name)}",
             f"root = {_toml_string(config.root)}", f"days = {_toml_list(config.days)}"]
    if config.summary:
        lines.append(f"summary = {_toml_string(config.summary)}")
    if config.year is not None:
        lines.append(f"year = {config.year}")
    lines += ["", "[targets]"]
    lines += [f"{KINDS[kind].config_key} = {_toml_string(title)}" for kind, title in config.targets.items()]
    if config.areas:
        lines += ["", "[areas]"]
        lines += [f"{_toml_string(name)} = {_toml_list(aliases)}" for name, aliases in config.areas]
    lines += ["", "[bot]", f"throttle = {throttle}"]
    if config.bot.status_page:
        lines.append(f"status_page = {_toml_string(config.bot.status_page)}")
    return "\n".join(lines) + "\n"


def wiki_config(number: int) -> EventConfig:
    """Event `number`'s config as the bot reads it from its root page."""
    root = manyevents.event_root(number)
    found = read_wiki_config(root, manyevents.root_text(number), SITE)
    if found.config is None:
        raise SystemExit(f"allevents: {root}: {'; '.join(map(str, found.problems))}")
    return found.config


def write_configs(directory: Path, events: int) -> list[Path]:
    """One local TOML config per event, equivalent to its on-wiki one; their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(1, events + 1):
        path = directory / f"event-{number:03d}.toml"
        path.write_text(toml_config(wiki_config(number)), encoding="utf-8")
        paths.append(path)
    return paths


def write_job(path: Path) -> Path:
    """The operator's job file for `run --all`: no edit throttle."""
    path.write_text("[job]\nthrottle = 0\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------
# Running the bot


@dataclass
class Figures:
    """One run of one side: summed over its processes."""

    requests: int = 0  # every API request the wiki served
    bot_requests: int = 0  # the bot's own (the reports' api_requests)
    reads: int = 0  # of which reads
    pages_read: int = 0
    edited: int = 0
    seconds: float = 0.0  # wall clock, process start-up included
    rss_mb: float = 0.0  # the largest peak RSS of its processes
    processes: int = 0
    exits: dict[str, int] = field(default_factory=dict)

    def add(self, report: dict[str, Any], requests: int, seconds: float, rss_mb: float, status: int) -> None:
        self.requests += requests
        self.bot_requests += int(report.get("api_requests") or 0)
        self.reads += int(report.get("api_reads") or 0)
        self.pages_read += int(report.get("pages_read") or 0)
        self.edited += _edits(report)
        self.seconds += seconds
        self.rss_mb = max(self.rss_mb, rss_mb)
        self.processes += 1
        self.exits[str(status)] = self.exits.get(str(status), 0) + 1


def _edits(report: dict[str, Any]) -> int:
    edited = report.get("edited")
    if isinstance(edited, list):
        return len(edited)
    if isinstance(edited, int):
        return edited
    return 0


#: GNU time: the peak RSS of the bot's process as it reports it (%M: its wait4's ru_maxrss)
TIME = Path("/usr/bin/time")


def rss_wrapper(rss_file: Path) -> list[str]:
    """The command that runs the bot's process and writes its peak RSS (KB) to `rss_file`.

    Not this process's own ``os.wait4``: Linux counts, in a child's ru_maxrss, the peak RSS of
    the process it was forked from, up to its exec (``setmax_mm_hiwater_rss`` in exec), so a
    child of this bench, which held the generated pages, reports at least the bench's peak
    (57 MB at 200 events, however little the child used). GNU time is small: its child's figure
    is the child's own, the parse worker it forks included."""
    return [str(TIME), "-f", "%M", "-o", str(rss_file)] if TIME.is_file() else []


class Wiki:
    """A fresh test wiki holding `events` events, and the bot run against it."""

    def __init__(self, workdir: Path, events: int) -> None:
        import testwiki

        self.workdir = workdir
        self.wiki = testwiki.TestWiki(workdir / "wiki", extra_settings="$wgRateLimits = [];\n").start()
        try:
            self.pwb = self.wiki.write_pywikibot_dir(workdir / "pywikibot")
            self.log = self.wiki.log_dir / "server.log"
            self.load_seconds = manyevents.load(self.wiki, events, workdir=workdir)
            self.opted_in = manyevents.opted_in(self.wiki)
        except BaseException:
            self.wiki.stop()
            raise

    def stop(self) -> None:
        self.wiki.stop()

    def _requests_since(self, offset: int) -> int:
        with open(self.log, "rb") as fh:
            fh.seek(offset)
            return sum(1 for line in fh if b"/api.php" in line and b"]: " in line)

    def bot(self, *args: str) -> tuple[dict[str, Any], int, float, float, int]:
        """Run wmstrategybot in a subprocess: (its JSON report, requests the wiki served, wall
        seconds, peak RSS in MB, exit code)."""
        env = dict(os.environ, PYWIKIBOT_DIR=str(self.pwb), PYTHONPATH=str(ROOT / "src"))
        before = self.log.stat().st_size
        rss_file = self.workdir / "maxrss"
        started = time.monotonic()
        with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
            proc = subprocess.Popen([*rss_wrapper(rss_file), sys.executable, "-m", "wmstrategybot.cli.main", "-q", *args],
                                    env=env, stdout=out_file, stderr=err_file, text=True)
            _, raw_status, usage = os.wait4(proc.pid, 0)
            status = os.waitstatus_to_exitcode(raw_status)
            out_file.seek(0)
            err_file.seek(0)
            out, err = out_file.read(), err_file.read()
        wall = time.monotonic() - started
        if status not in (0, 3, 4) or not out.strip().startswith("{"):
            raise SystemExit(f"allevents: wmstrategybot {' '.join(args)} exited {status}: {err.strip()[-800:]}")
        rss_kb = int(rss_file.read_text().split()[-1]) if TIME.is_file() else usage.ru_maxrss
        return json.loads(out), self._requests_since(before), wall, rss_kb / 1024, status

    def change_one(self, events: int) -> str:
        """Another user edits one event's Day page; its title."""
        title = f"{manyevents.event_root(max(1, events // 2))}/{CHANGED_DAY}"
        admin = self.wiki.admin_session()
        text = admin.page_text(title) or ""
        admin.edit(title, text.replace("Session", "Session (edited)", 1), "bench: one event changed")
        return title


def single_side(wiki: Wiki, configs: list[Path], state: Path, events: int,
                progress: bool = True) -> dict[str, Figures]:
    """The single-event `run` once per event, three times over."""
    out: dict[str, Figures] = {}
    for run in RUNS:
        if run == "one_change":
            wiki.change_one(events)
        figures = Figures()
        for n, config in enumerate(configs, start=1):
            report, requests, wall, rss, status = wiki.bot("--source", "site", "--config", str(config),
                                                          "run", "--state", str(state), "--report-json")
            figures.add(report, requests, wall, rss, status)
            if progress and n % 10 == 0:
                print(f"  single-event {run}: {n}/{len(configs)} ({figures.seconds:.0f} s)", file=sys.stderr, flush=True)
        out[run] = figures
    return out


def all_run(wiki: Wiki, job: Path, state: Path) -> tuple[Figures, dict[str, Any]]:
    report, requests, wall, rss, status = wiki.bot("--source", "site", "run", "--all", "--job", str(job),
                                                  "--state", str(state), "--report-json")
    figures = Figures()
    figures.add(report, requests, wall, rss, status)
    if not figures.pages_read and isinstance(report.get("events"), list):  # the job's figures, summed
        figures.pages_read = sum(int(e.get("pages_read") or 0) for e in report["events"] if isinstance(e, dict))
    if not figures.edited and isinstance(report.get("events"), list):
        figures.edited = sum(_edits(e) for e in report["events"] if isinstance(e, dict))
    return figures, report


def all_side(wiki: Wiki, job: Path, state: Path, events: int) -> dict[str, Figures]:
    """`run --all`, one process, three times over."""
    out: dict[str, Figures] = {}
    for run in RUNS:
        if run == "one_change":
            wiki.change_one(events)
        out[run], _ = all_run(wiki, job, state)
    return out


# --------------------------------------------------------------------------
# The tables


def _cell(f: dict[str, Any], edits: bool = True, read: bool = False) -> str:
    text = f"{f['requests']:,} ({f['bot_requests']:,}, {f['reads']:,}) / {f['seconds']:.1f} s"
    if read:
        text += f" / {f['pages_read']:,} read"
    if edits:
        text += f" / {f['edited']:,} edit{'' if f['edited'] == 1 else 's'}"
    return text


def table(results: dict[str, Any]) -> str:
    """The README's tables from `results` (what `main` measured, as `--json` writes it)."""
    out = [
        f"{results['events']:,} events of 5 pages (the single-event side: {results['single_events']:,} of them); "
        "requests the wiki served (the bot's own, of which reads) / seconds (wall clock, processes' start-up "
        "included) / pages read / edits:",
        "",
        "| | processes | first run | no-op run | after one event changed | peak RSS, first run |",
        "|---|---:|---|---|---|---:|",
    ]
    for name, label in (("single", "`run` once per event"), ("all", "`run --all`")):
        side = results.get(name)
        if not side:
            continue
        first, noop, one = side["first"], side["noop"], side["one_change"]
        out.append(f"| {label} | {first['processes']:,} | {_cell(first, read=True)} | {_cell(noop, edits=False, read=True)} "
                   f"| {_cell(one, read=True)} | {first['rss_mb']:.0f} MB |")
    rss = results.get("rss") or []
    if rss:
        out += ["", "Peak RSS of `run --all`'s first run, by the number of events:", "",
                "| events | pages | peak RSS | seconds | edits |", "|---:|---:|---:|---:|---:|"]
        out += [f"| {r['events']:,} | {5 * r['events']:,} | {r['rss_mb']:.0f} MB | {r['seconds']:.1f} | {r['edited']:,} |"
                for r in rss]
    by = f" (peak RSS by {results['rss_by']})" if results.get("rss_by") else ""
    out += ["", f"Measured {results['date']} on {results['machine']}{by}."]
    return "\n".join(out)


def machine() -> str:
    cpus = os.cpu_count() or 0
    try:
        model = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                     if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or platform.machine()
    return f"{model}, {cpus} cores, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=DEFAULT_EVENTS, help=f"events on the wiki (default {DEFAULT_EVENTS})")
    ap.add_argument("--single-events", type=int, help="how many of them the single-event side runs (default: all)")
    ap.add_argument("--rss-events", default="", help="also the first run of `run --all` on wikis of these many "
                                                     "events, for its peak RSS (comma-separated, e.g. 50)")
    ap.add_argument("--sides", default="all,single", help="which sides to measure (all, single)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the test wikis on the way out
    single_events = args.single_events or args.events
    if args.events < 1 or not 1 <= single_events <= args.events:
        print("allevents: --events must be at least 1, --single-events between 1 and --events", file=sys.stderr)
        return 2
    sides = {s.strip() for s in args.sides.split(",") if s.strip()}
    results: dict[str, Any] = {"events": args.events, "single_events": single_events, "machine": machine(),
                               "date": datetime.now(UTC).strftime("%Y-%m-%d"),
                               "rss_by": "GNU time %M" if TIME.is_file() else "os.wait4 (at least this process's peak)"}
    with tempfile.TemporaryDirectory(prefix="wmstrategybot-allevents-") as tmp_name:
        tmp = Path(tmp_name)
        job = write_job(tmp / "job.toml")
        if "all" in sides:
            wiki = Wiki(tmp / "all", args.events)
            try:
                print(f"run --all: {args.events} events loaded in {wiki.load_seconds:.0f} s, "
                      f"{wiki.opted_in} opted in", file=sys.stderr, flush=True)
                figures = all_side(wiki, job, tmp / "all.db", args.events)
                results["all"] = {run: vars(f) for run, f in figures.items()}
                print(json.dumps(results["all"]), file=sys.stderr, flush=True)
            finally:
                wiki.stop()
        if "single" in sides:
            wiki = Wiki(tmp / "single", args.events)
            try:
                print(f"single-event runs: {args.events} events loaded in {wiki.load_seconds:.0f} s",
                      file=sys.stderr, flush=True)
                configs = write_configs(tmp / "configs", single_events)
                figures = single_side(wiki, configs, tmp / "single.db", single_events)
                results["single"] = {run: vars(f) for run, f in figures.items()}
                print(json.dumps(results["single"]), file=sys.stderr, flush=True)
            finally:
                wiki.stop()
        results["rss"] = []
        for events in (int(x) for x in args.rss_events.split(",") if x.strip()):
            if events == args.events and "all" in results:
                first = results["all"]["first"]
            else:
                wiki = Wiki(tmp / f"rss-{events}", events)
                try:
                    first = vars(all_run(wiki, job, tmp / f"rss-{events}.db")[0])
                finally:
                    wiki.stop()
            results["rss"].append({"events": events, "rss_mb": first["rss_mb"], "seconds": first["seconds"],
                                   "edited": first["edited"]})
            print(json.dumps(results["rss"][-1]), file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n")
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
