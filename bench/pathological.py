#!/usr/bin/env python3
"""Pathological inputs at size x and 2x: does the time double (linear) or quadruple?

    make bench-pathological                  # x = 20,000; prints a Markdown table
    python bench/pathological.py --size 2000 --only pre

Offline, through the library (no wiki): an event of one Day page whose target pages
(overview, navbox, signup page, data page) already exist, as the bot made them. Each input
writes N copies of something people may write (an unclosed <pre>, a run of '{{'...) on the
Day page, below the overview's managed region or in a section of the signup page, then
times, best of --repeat:

- extract: ``extract_event`` (in the run it is inside the forked, time-bound worker);
- render:  ``render_event`` of the extracted event;
- compose: ``planning.compose`` and the shrink check of every target page against its live
  text (merge, the {{bots}} check, the signature guard): outside the time bound in a run;
- plan:    ``publish.plan`` over an in-memory export of the pages (all of the above).

The ratio is the time at 2x over the time at x: about 2 for a linear pass, 4 for a
quadratic one.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable
from pathlib import Path

try:
    import wmstrategybot  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.plan.compose import compose, shrink_reason
from wmstrategybot.publish.files import load_skeletons
from wmstrategybot.publish.read import plan
from wmstrategybot.render.kinds import render_event
from wmstrategybot.sources import DumpSource, export_xml
from wmstrategybot.wikitext.areas import AreaIndex

CONFIG = parse_config("""
[site]
family = "testwiki"
code = "en"
[event]
id = "pathological"
name = "Pathological event"
root = "Patho"
days = ["Day 1"]
[targets]
summary = "Patho/Overview"
navbox = "Template:Patho navigation"
signups = "Patho/Sign-up"
data = "Patho/Data.json"
[areas]
"Roles & Responsibilities" = ["Roles"]
"Resource Allocation" = ["Resources"]
[bot]
parse_timeout = 3600
""")
DAY = CONFIG.day_pages[0]
T = CONFIG.targets


def day_page(extra: str = "", summary: str = "The group discussed roles.") -> str:
    return "\n".join([
        "{{Patho header}}", "Friday, April 20th", "",
        "== D1.01 / Roles and responsibilities ==", summary, "",
        "=== 01 . Warm-up ===", "People met.", "* An outcome with a [[Link|link]].", "",
        "== D1.02 / Resources ==", "Money and time.", extra, "",
    ])


def signup_page(extra: str = "") -> str:
    """The signup page as the bot creates it, with one signed row per area and `extra` in the first section."""
    event = extract_event(CONFIG, {DAY: PageRecord(DAY, day_page(), 1)})
    fresh = {p.kind: p for p in render_event(event, CONFIG, load_skeletons())}["signups"].fresh
    rows = fresh.replace("! User !! Languages !! Why I want to join !! Signature\n|}",
                         "! User !! Languages !! Why I want to join !! Signature\n|-\n"
                         "| [[User:Ann|Ann]] || English, French || To help || [[User:Ann|Ann]] 12:00, 1 May 2018 (UTC)\n|}")
    first = rows.index("\n== ", rows.index("== ") + 1) if rows.count("\n== ") > 1 else len(rows)
    return rows[:first] + "\n" + extra + rows[first:]


def live_pages(day: str, signups: str, below_overview: str = "") -> dict[str, PageRecord]:
    """Every page of the event as it stands on the wiki: targets as the bot last wrote them."""
    event = extract_event(CONFIG, {DAY: PageRecord(DAY, day_page(), 1), T.signups: PageRecord(T.signups, signup_page(), 1)})
    rendered = {p.kind: p for p in render_event(event, CONFIG, load_skeletons())}
    pages = {
        DAY: day,
        T.overview: rendered["overview"].fresh + below_overview,
        T.navbox: rendered["navbox"].fresh,
        T.signups: signups,
        T.data: rendered["data"].fresh,
    }
    return {title: PageRecord(title, text, i + 1, None, "json" if title.endswith(".json") else "wikitext")
            for i, (title, text) in enumerate(pages.items())}


#: (name, what it is, where it goes: day | overview | signups | summary, the unit repeated N times)
INPUTS: list[tuple[str, str, str, str]] = [
    ("pre", "unclosed `<pre>` on a Day page", "day", "<pre>x\n"),
    ("nowiki", "unclosed `<nowiki>` on a Day page", "day", "<nowiki>x\n"),
    ("comment", "unclosed `<!--` on a Day page", "day", "<!--x\n"),
    ("template", "unclosed `{{` on a Day page", "day", "{{x\n"),
    ("table", "unclosed (nested) `{|` on a Day page", "day", "{|\n| x\n"),
    ("link", "unclosed `[[`, `[//x y` on one line of a Day page", "day", "[[x [//x y "),
    ("overview-pre", "unclosed `<pre>` below the overview's region", "overview", "<pre>x\n"),
    ("overview-nowiki", "unclosed `<nowiki>` below the overview's region", "overview", "<nowiki>x\n"),
    ("overview-comment", "unclosed `<!--` below the overview's region", "overview", "<!--x\n"),
    ("overview-template", "unclosed `{{` below the overview's region", "overview", "{{x\n"),
    ("overview-begin", "unmatched begin markers below the overview's region", "overview",
     "<!-- wmstrategybot:begin x -->\n"),
    ("signup-pre", "unclosed `<pre>` on the signup page", "signups", "<pre>x\n"),
    ("signup-nowiki", "unclosed `<nowiki>` on the signup page", "signups", "<nowiki>x\n"),
    ("signup-comment", "unclosed `<!--` on the signup page", "signups", "<!--x\n"),
    ("signup-template", "unclosed `{{` on the signup page", "signups", "{{x\n"),
    ("signup-table", "unclosed nested `{|` with rows on the signup page", "signups", "{|\n|-\n| x\n"),
    ("signup-heading", "a heading line of spaces on the signup page (x = spaces)", "signups", " "),
    ("signup-cell", "a signup cell of many lines", "signups", "x\n"),
    ("summary", "a long session summary with `|`, `{{`, `~~~` (escape_value)", "summary", "a | b {{ c ~~~ "),
]


def pages_for(where: str, unit: str, n: int) -> dict[str, PageRecord]:
    text = unit * n
    if where == "day":
        return live_pages(day_page(text), signup_page())
    if where == "overview":
        return live_pages(day_page(), signup_page(), "\n" + text)
    if where == "summary":
        return live_pages(day_page(summary=text), signup_page())
    if unit == " ":
        text = "=" + text + "x\n"
    elif unit == "x\n":
        text = "{|\n|-\n| [[User:Bo]] 12:00, 2 May 2018 (UTC)\n" + text + "|}\n"
    return live_pages(day_page(), signup_page(text))


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(records: dict[str, PageRecord], repeat: int) -> dict[str, float]:
    texts = {t: PageRecord(t, r.text, r.revision) for t, r in records.items() if r.text is not None}
    skeletons = load_skeletons()
    areas = AreaIndex(CONFIG.areas)
    event = extract_event(CONFIG, texts)
    rendered = render_event(event, CONFIG, skeletons)

    def compose_all() -> None:
        for page in rendered:
            current = records[page.title]
            try:
                new = compose(page, current, areas)
            except Exception:  # a refusal is an answer too
                continue
            shrink_reason(page.kind, current.text, new)

    source = DumpSource("memory", data=export_xml(records.values()))
    return {
        "extract": best(lambda: extract_event(CONFIG, texts), repeat),
        "render": best(lambda: render_event(event, CONFIG, skeletons), repeat),
        "compose": best(compose_all, repeat),
        "plan": best(lambda: plan(CONFIG, source, skeletons), repeat),
    }


STAGES = ("extract", "render", "compose", "plan")
#: Inputs still above linear in mwparserfromhell (see the README), timed at a tenth of x.
SMALLER = {"table": 10}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20000, help="x: copies of the input (2x is timed too)")
    ap.add_argument("--repeat", type=int, default=1, help="best of this many runs")
    ap.add_argument("--only", default="", help="comma-separated input names")
    args = ap.parse_args(argv)
    only = {x for x in args.only.split(",") if x}
    out = [
        "| input | x | " + " | ".join(f"{s} s at x / 2x (ratio)" for s in STAGES) + " |",
        "|---|---:|" + "---|" * len(STAGES),
    ]
    print("\n".join(out), flush=True)
    for name, label, where, unit in INPUTS:
        if only and name not in only:
            continue
        size = args.size // SMALLER.get(name, 1)
        at_x = measure(pages_for(where, unit, size), args.repeat)
        at_2x = measure(pages_for(where, unit, 2 * size), args.repeat)
        cells = [f"{at_x[s]:.2f} / {at_2x[s]:.2f} ({at_2x[s] / max(at_x[s], 1e-3):.1f})" for s in STAGES]
        print(f"| {label} | {size:,} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
