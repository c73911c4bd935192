#!/usr/bin/env python3
"""CPU of extract (the reading) and of extract+render against a bare mwparserfromhell parse.

    python bench/cpu.py                 # every event of tests/fixtures/events, scaled to 100 Day pages
    python bench/cpu.py --pages 1000

``make bench`` measures the same ratio on generated 2018-style pages beside a test wiki; this one
needs no wiki. Each event's Day pages (the 2018 one: the bundled snapshot) are copied until the
event has --pages Day pages, each copy's prose lines repeated to about 8 KB a page and ended with a comment
naming the copy (its headings, sessions and parts stay as they are), then ``cpu_figures``
of bench/run.py measures: best of five, process CPU seconds, in this process.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

from run import cpu_figures  # noqa: E402

from wmstrategybot.config.files import load_config
from wmstrategybot.sources import SnapshotSource, open_source

EVENTS = ROOT / "tests" / "fixtures" / "events"


def scaled(folder: Path, pages: int) -> tuple[str, dict[str, str]]:
    """(config text, page texts) of the event with ``pages`` Day pages made of copies of its own."""
    config = load_config(folder / "config.toml")
    source = open_source(f"dir:{folder / 'pages'}", config) if (folder / "pages").exists() else SnapshotSource()
    texts = [r.text for t, r in source.read(list(config.day_pages)).items() if r.text]
    out: dict[str, str] = {}
    for n in range(1, pages + 1):
        lines = texts[(n - 1) % len(texts)].split("\n")
        prose = [k for k, line in enumerate(lines) if line[:1].isalnum()]
        k = 1
        while prose and sum(len(x) for x in lines) + k * sum(len(lines[i]) for i in prose) < 8000:
            k += 1
        # each copy's prose ends in a comment of its own: no two pages' sessions are the same text
        # (the per-text caches of wikitext would otherwise serve the copies for free)
        out[f"Bench/Day {n}"] = "\n".join(" ".join([line] * k) + f"<!-- {n} -->" if i in prose else line
                                           for i, line in enumerate(lines))
    days = ", ".join(f'"Day {n}"' for n in range(1, pages + 1))
    toml = (f'[event]\nroot = "Bench"\ndays = [{days}]\n[targets]\nsummary = "Bench/Overview"\n'
            'navbox = "Template:Bench"\nsignups = "Bench/Sign-up"\ndata = "Bench/Data.json"\n')
    return toml, out


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=100)
    args = ap.parse_args(argv)
    print("| event | Day pages | MB | parse CPU s | extract CPU s | ratio | extract+render CPU s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="wmstrategybot-cpu-") as tmp:
        for folder in sorted(p for p in EVENTS.iterdir() if p.is_dir()):
            toml, pages = scaled(folder, args.pages)
            config_path = Path(tmp) / f"{folder.name}.toml"
            config_path.write_text(toml, "utf-8")
            r = cpu_figures(config_path, pages)
            print(f"| {folder.name} | {args.pages} | {r['mb']} | {r['parse']} | {r['extract']} | {r['extract_ratio']} "
                  f"| {r['extract_render']} | {r['ratio']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
