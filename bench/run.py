#!/usr/bin/env python3
"""Benchmarks on the throwaway test wiki: API requests, seconds, CPU and memory of `run`.

    make bench                        # 10, 100 and 1,000 pages; prints a Markdown table
    python bench/run.py --sizes 10    # just one size

For each size it generates an event of that many Day pages (about 8 KB each), imports them
(importDump.php), then measures, each in a fresh subprocess so pywikibot's start-up is paid
the same way every time:

- `run` three times: the first run, a no-op run, and a run after one Day page changed;
- a naive pywikibot loop over the same pages (Page.get per page, Page.save per target,
  as most one-off bot scripts do), before and after the same one-page change;
- API requests counted on the server (php -S logs every request) and, for `run`, the
  requests the bot itself made (login, tokens and siteinfo are pywikibot's, reported apart);
- CPU seconds of extract+render against the bare mwparserfromhell parse of the same pages,
  in this process, and peak RSS of the 1,000-page first run (the subprocess's ru_maxrss).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import testwiki  # noqa: E402

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.render.kinds import render_event
from wmstrategybot.sources import export_xml

EVENT_ROOT = "Bench/Track"
PARAGRAPH = (
    "Participants discussed how the [[Strategy/Wikimedia movement/2018-20|movement strategy]] "
    "could change their work, in small groups and then in a plenary. '''Notes''' were taken on "
    "the [https://etherpad.wikimedia.org/p/bench-{n} session Etherpad].<!-- a comment -->"
)


def day_page(day: int, sessions: int = 3, parts: int = 3) -> str:
    """A Day page of about 8 KB in the 2018 style: header templates, date, sessions, parts."""
    out = ["{{WMCON 2018 header}}", "{{Bench navigation}}", "__NOTOC__",
           f'<div style="font-weight:bold">Friday, April {day % 28 + 1}th</div>', ""]
    for s in range(sessions):
        number = (day - 1) * sessions + s + 1
        out += [f"== D{day}.{number:02d} / Session {number} of day {day} ==", PARAGRAPH.format(n=number) * 2, ""]
        for p in range(1, parts + 1):
            out += [f"=== {p:02d} . Part {p} ===", PARAGRAPH.format(n=number) * 2,
                    "* An outcome with a [[Link target|link]].", "* Another outcome, in ''italics''.",
                    f"[[File:Bench {number}.jpg|thumb|Picture {p}]]", ""]
        out += ['{| class="wikitable"', "! Cluster !! Votes", "|-", "| Resources || 12", "|-", "| Roles || 9", "|}", ""]
    return "\n".join(out) + "\n"


def config_text(days: int) -> str:
    day_list = ", ".join(f'"Day {d}"' for d in range(1, days + 1))
    return textwrap.dedent(f"""\
        [site]
        family = "testwiki"
        code = "en"
        [event]
        id = "bench-{days}"
        name = "Bench event"
        root = "{EVENT_ROOT}{days}"
        days = [{day_list}]
        [targets]
        summary = "{EVENT_ROOT}{days}/Overview"
        navbox = "Template:Bench{days} navigation"
        signups = "{EVENT_ROOT}{days}/Sign-up"
        data = "{EVENT_ROOT}{days}/Data.json"
        [bot]
        throttle = 0
        """)


NAIVE = textwrap.dedent("""\
    # The naive loop: what a one-off pywikibot script does, for comparison.
    import json, sys, time
    sys.path.insert(0, sys.argv[2])
    import pywikibot
    from wmstrategybot.config.files import load_config
    from wmstrategybot.extract.event import extract_event
    from wmstrategybot.model.pages import PageRecord
    from wmstrategybot.plan.compose import compose
    from wmstrategybot.publish.files import load_skeletons
    from wmstrategybot.wikitext.areas import AreaIndex
    from wmstrategybot.render.kinds import render_event
    config = load_config(sys.argv[1])
    site = pywikibot.Site(config.site.code, config.site.family)
    site.login()
    started = time.monotonic()
    texts = {}
    for title in [*config.day_pages, config.targets.get("signups")]:
        page = pywikibot.Page(site, title)
        if page.exists():
            texts[title] = PageRecord(title, page.get(), page.latest_revision_id)
    event = extract_event(config, texts)
    saved, failed = 0, []
    for rendered in render_event(event, config, load_skeletons()):
        page = pywikibot.Page(site, rendered.title)
        current = PageRecord(rendered.title, page.get() if page.exists() else None)
        page.text = compose(rendered, current, AreaIndex(config.areas))
        try:
            page.save("naive loop", minor=False)
            saved += 1
        except pywikibot.exceptions.Error as exc:  # e.g. a page over the wiki's size limit
            failed.append(f"{rendered.title}: {type(exc).__name__}")
    print(json.dumps({"seconds": round(time.monotonic() - started, 2), "saved": saved, "failed": failed}))
    """)


class Bench:
    def __init__(self, workdir: Path):
        self.workdir = workdir
        limits = "$wgRateLimits = [];\n"
        self.wiki = testwiki.TestWiki(workdir / "wiki", extra_settings=limits).start()
        self.pwb = self.wiki.write_pywikibot_dir(workdir / "pywikibot")
        self.log = self.wiki.log_dir / "server.log"
        self.admin = self.wiki.admin_session()

    def requests_since(self, offset: int) -> int:
        with open(self.log, "rb") as fh:
            fh.seek(offset)
            return sum(1 for line in fh if b"/api.php" in line and b"]: " in line)

    def offset(self) -> int:
        return self.log.stat().st_size

    def cli(self, config: Path, *args: str) -> tuple[dict, int, float]:
        """Run the bot in a subprocess; (its JSON report, server-side requests, max RSS MB)."""
        env = dict(os.environ, PYWIKIBOT_DIR=str(self.pwb), PYTHONPATH=str(ROOT / "src"))
        before = self.offset()
        started = time.monotonic()
        with tempfile.TemporaryFile("w+") as out_file, tempfile.TemporaryFile("w+") as err_file:
            proc = subprocess.Popen(
                [sys.executable, "-m", "wmstrategybot.cli.main", "--config", str(config), "--source", "site", "-q", *args],
                env=env, stdout=out_file, stderr=err_file, text=True,
            )
            # wait4: this process's own peak RSS (with the worker it forks), not the largest of
            # every child the bench has had (importDump.php is one of them)
            _, raw_status, usage = os.wait4(proc.pid, 0)
            status = os.waitstatus_to_exitcode(raw_status)
            out_file.seek(0)
            err_file.seek(0)
            out, err = out_file.read(), err_file.read()
        wall = time.monotonic() - started
        rss = usage.ru_maxrss / 1024
        if status not in (0, 3, 4):  # done, pages skipped, a page refused (e.g. over the size limit)
            raise SystemExit(f"bench: wmstrategybot {' '.join(args)} exited {status}: {err.strip()[-500:]}")
        report = json.loads(out) if out.strip().startswith("{") else {"seconds": wall}
        report.setdefault("wall", round(wall, 2))
        return report, self.requests_since(before), rss

    def naive(self, config: Path) -> tuple[dict, int]:
        env = dict(os.environ, PYWIKIBOT_DIR=str(self.pwb))
        script = self.workdir / "naive.py"
        script.write_text(NAIVE)
        before = self.offset()
        proc = subprocess.run([sys.executable, str(script), str(config), str(ROOT / "src")], env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            error = [line for line in proc.stderr.strip().splitlines() if line.strip()][-1:] or ["?"]
            return {"seconds": float("nan"), "error": error[0][:200]}, self.requests_since(before)
        return json.loads(proc.stdout.strip().splitlines()[-1]), self.requests_since(before)

    def load(self, days: int) -> tuple[Path, dict[str, str]]:
        config = self.workdir / f"bench-{days}.toml"
        config.write_text(config_text(days))
        pages = {f"{EVENT_ROOT}{days}/Day {d}": day_page(d) for d in range(1, days + 1)}
        xml = self.workdir / f"bench-{days}.xml"
        xml.write_bytes(export_xml(PageRecord(t, text, i + 1) for i, (t, text) in enumerate(pages.items())))
        self.wiki.import_xml(xml)
        return config, pages

    def change_one(self, days: int) -> None:
        title = f"{EVENT_ROOT}{days}/Day {max(1, days // 2)}"
        text = self.admin.page_text(title)
        self.admin.edit(title, text.replace("== D", "== D", 1).replace("Session", "Session (edited)", 1), "bench")


def cpu_figures(config_path: Path, pages: dict[str, str]) -> dict[str, float]:
    """CPU seconds, best of five, the garbage collector off while timed: bare parse of every page (trees dropped, then kept) vs extract+render."""
    import mwparserfromhell

    config = parse_config(config_path.read_text())
    texts = {t: PageRecord(t, x, 1) for t, x in pages.items()}
    size = sum(len(x.encode()) for x in pages.values())
    skeletons = load_skeletons()
    results = {}
    for name, fn in {
        "parse": lambda: [mwparserfromhell.parse(x) for x in pages.values()] and None,
        "extract": lambda: extract_event(config, texts),
        "extract_render": lambda: render_event(extract_event(config, texts), config, skeletons),
    }.items():
        best = float("inf")
        for _ in range(5):
            gc.collect()
            gc.disable()  # (as timeit does: the collector's passes, set off by what ran before, are noise)
            try:
                t = time.process_time()
                fn()
                best = min(best, time.process_time() - t)
            finally:
                gc.enable()
        results[name] = round(best, 3)
    kept = time.process_time()
    trees = [mwparserfromhell.parse(x) for x in pages.values()]
    results["parse_kept"] = round(time.process_time() - kept, 3)
    del trees
    results["mb"] = round(size / 1e6, 2)
    results["ratio"] = round(results["extract_render"] / results["parse"], 2)
    results["extract_ratio"] = round(results["extract"] / results["parse"], 2)
    return results


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10,100,1000")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = ap.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="wmstrategybot-bench-") as tmp:
        bench = Bench(Path(tmp))
        try:
            for days in (int(x) for x in args.sizes.split(",")):
                config, pages = bench.load(days)
                state = Path(tmp) / f"state-{days}.json"
                row: dict = {"pages": days, "kb_per_page": round(sum(map(len, pages.values())) / days / 1024, 1)}
                first, first_req, rss = bench.cli(config, "run", "--state", str(state), "--report-json")
                row["first"] = {"requests": first_req, "bot_requests": first["api_requests"], "reads": first["api_reads"],
                                "seconds": first["seconds"],
                                "edited": len(first["edited"]), "skipped": first["skipped"], "rss_mb": round(rss, 1)}
                noop, noop_req, _ = bench.cli(config, "run", "--state", str(state), "--report-json")
                row["noop"] = {"requests": noop_req, "bot_requests": noop["api_requests"], "reads": noop["api_reads"],
                               "seconds": noop["seconds"], "outcome": noop["outcome"], "check": noop["check"]}
                bench.change_one(days)
                one, one_req, _ = bench.cli(config, "run", "--state", str(state), "--report-json")
                row["one_change"] = {"requests": one_req, "bot_requests": one["api_requests"], "reads": one["api_reads"],
                                     "seconds": one["seconds"], "edited": len(one["edited"]), "check": one["check"]}
                naive, naive_req = bench.naive(config)
                row["naive_noop"] = {"requests": naive_req, "seconds": naive["seconds"], "error": naive.get("error"),
                                     "failed": naive.get("failed")}
                bench.change_one(days)
                naive2, naive2_req = bench.naive(config)
                row["naive_one_change"] = {"requests": naive2_req, "seconds": naive2["seconds"],
                                           "error": naive2.get("error"), "failed": naive2.get("failed")}
                row["cpu"] = cpu_figures(config, pages)
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
        finally:
            bench.wiki.stop()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n")
    print(table(rows))
    return 0


def table(rows: list[dict]) -> str:
    out = [
        "| pages | first run: requests (bot's, reads) / s / edits | no-op run: requests (bot's) / s "
        "| one change: requests (bot's, reads) / s / edits "
        "| naive loop, no-op: requests / s | naive loop, one change: requests / s | parse CPU s | extract+render CPU s | ratio "
        "| peak RSS, first run |",
        "|---:|---|---|---|---|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        f, n, o, c = r["first"], r["noop"], r["one_change"], r["cpu"]
        out.append(
            f"| {r['pages']:,} | {f['requests']} ({f['bot_requests']}, {f['reads']}) / {f['seconds']:.1f} / {f['edited']} "
            f"| {n['requests']} ({n['bot_requests']}) / {n['seconds']:.2f} "
            f"| {o['requests']} ({o['bot_requests']}, {o['reads']}) / {o['seconds']:.1f} / {o['edited']} "
            f"| {r['naive_noop']['requests']} / {r['naive_noop']['seconds']:.1f} "
            f"| {r['naive_one_change']['requests']} / {r['naive_one_change']['seconds']:.1f} "
            f"| {c['parse']:.2f} | {c['extract_render']:.2f} | {c['ratio']:.2f} | {f['rss_mb']:.0f} MB |"
        )
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
