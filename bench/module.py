#!/usr/bin/env python3
"""Module mode, measured: edits per change in the two render modes, and the module's cost on the
test wiki for events of 10, 100 and 1,000 sessions.

    python bench/module.py                       # 10, 100, 1000 sessions
    python bench/module.py --sessions 10,5000

1. Edits per change (no wiki): the bundled 2018 event, one session renamed on a Day page, planned
   in each mode; the pages the plan would save are counted (the status page aside: it is saved
   in both modes when a run changed pages).
2. The module's cost: a throwaway test wiki (Scribunto, Lua 5.1 standalone) gets the templates
   and the module; for each size a data page of that many sessions (5 days, 3 parts each, titles
   of 40 characters) is saved, and the overview's and navbox's calls are parsed with
   ``action=parse``; the figures are Scribunto's limit report (Lua time and memory) and the
   parser's post-expand include size, against Wikimedia's limits (10 s of Lua, 50 MiB, 2 MB).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from wmstrategybot.config.files import load_config  # noqa: E402
from wmstrategybot.model.event import Day, Event, Part, Provenance, Session  # noqa: E402
from wmstrategybot.publish.apply import apply  # noqa: E402
from wmstrategybot.publish.files import content_model, template_pages  # noqa: E402
from wmstrategybot.publish.read import plan  # noqa: E402
from wmstrategybot.render.datapage import data_json  # noqa: E402
from wmstrategybot.sources import SnapshotSource  # noqa: E402
from wmstrategybot.sources.memory import MemorySource  # noqa: E402

DATA = "Module bench/Data.json"


def edits_per_change() -> dict[str, int]:
    """Pages saved for one session renamed, in each mode, from the same published state."""
    base = load_config(ROOT / "src" / "wmstrategybot" / "events" / "wmcon2018.toml")
    snapshot = SnapshotSource()
    titles = [*base.source_pages, *(t for _, t in base.targets.items())]
    pages = {t: r.text for t, r in snapshot.read(titles).items() if r.text is not None}
    out = {}
    for mode in ("wikitext", "module"):
        config = replace(base, render=mode, bot=replace(base.bot, stop_page=None))  # no stop page here
        source = MemorySource(dict(pages))
        apply(plan(config, source), source, config)  # the event published as it is, in this mode
        day = config.source_pages[0]
        text = source.read([day])[day].text or ""
        source.save(source.read([day])[day], text.replace("The Big Picture", "The Bigger Picture", 1), "rename")
        out[mode] = len(plan(config, source).changed)
    return out


def event_of(sessions: int) -> Event:
    days = tuple(Day(n, f"Module bench/Day {n}", f"2026-05-0{n}") for n in range(1, 6))
    per_day = -(-sessions // 5)
    items = []
    for k in range(sessions):
        day = k // per_day + 1
        page = f"Module bench/Day {day}"
        title = f"Session {k + 1:04} on the movement's strategy"
        items.append(Session(id=f"s{k}", code=f"D{day}.{k:03}", number=k + 1, day=day, title=title,
                             summary="A summary of the session, a sentence long.",
                             parts=tuple(Part(n, f"Part {n} of session {k + 1}", "", Provenance(page, 1, f"p{k}-{n}"))
                                         for n in range(1, 4)),
                             source=Provenance(page, 1, f"Session_{k + 1}")))
    return Event(id="bench", name="Module bench", root="Module bench", days=days, sessions=tuple(items))


def _limits(api, text: str) -> dict[str, float]:
    parsed = api.post(action="parse", title="Module bench/Overview", text=text, contentmodel="wikitext",
                      prop="limitreportdata")["parse"]["limitreportdata"]
    report = {row["name"]: row for row in parsed}
    time_usage = report.get("scribunto-limitreport-timeusage", {}).get("0", "nan")
    # LuaStandalone (the test wiki's engine) reports no memory; LuaSandbox (Wikimedia's) does
    memory = report.get("scribunto-limitreport-memusage", {}).get("0", float("nan"))
    post_expand = report.get("limitreport-postexpandincludesize", {}).get("0", 0)
    return {"lua_seconds": float(time_usage), "lua_mib": float(memory) / 2**20, "post_expand_kb": int(post_expand) / 1000,
            "names": sorted(report)}


def _memory_needed(wiki, api, call: str) -> float:
    """The least memory limit (MiB, to 0.25) the Lua process renders `call` within: LuaStandalone
    reports no memory figure, so its limit (a ulimit on the Lua process, 50 MiB by default) is
    bisected on this wiki, as Wikimedia's LuaSandbox would enforce its own 50 MiB."""
    settings = wiki.settings_file
    original = settings.read_text()

    def renders(mib: float) -> bool:
        limit = int(mib * 2**20)
        settings.write_text(original + f"\n$wgScribuntoEngineConf['luastandalone']['memoryLimit'] = {limit};\n")
        text = str(api.post(action="parse", title="Module bench/Overview", text=call, contentmodel="wikitext",
                            prop="text")["parse"]["text"])
        return "scribunto-error" not in text and "Script error" not in text

    low, high = 1.0, 64.0
    try:
        if not renders(high):
            return float("inf")
        while high - low > 0.25:
            mid = (low + high) / 2
            low, high = (low, mid) if renders(mid) else (mid, high)
    finally:
        settings.write_text(original)
    return high


def module_cost(sizes: list[int]) -> list[tuple[int, str, dict[str, float]]]:
    import testwiki

    rows = []
    with tempfile.TemporaryDirectory(prefix="wmstrategybot-module-bench-") as tmp:
        wiki = testwiki.TestWiki(Path(tmp) / "wiki", extra_settings="$wgRateLimits = [];\n").start()
        try:
            api = wiki.admin_session()
            for title, text in template_pages().items():
                model = content_model(title)
                api.edit(title, text, "install", **({"contentmodel": model} if model != "wikitext" else {}))
            for n in sizes:
                api.edit(DATA, data_json(event_of(n)), f"{n} sessions", contentmodel="json")
                for function in ("sessions", "navbox"):
                    call = "{{#invoke:Event track bot|" + function + "|data=" + DATA + "}}"
                    best = min((_limits(api, call) for _ in range(3)), key=lambda r: r["lua_seconds"])
                    best["lua_mib"] = _memory_needed(wiki, api, call)
                    rows.append((n, function, best))
        finally:
            wiki.stop()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="10,100,1000", help="sizes, comma-separated")
    args = parser.parse_args()
    edits = edits_per_change()
    print(f"edits for one session renamed (2018 event, status page aside): wikitext {edits['wikitext']}, "
          f"module {edits['module']}")
    print(f"{'sessions':>8}  {'call':<9} {'Lua s':>7} {'Lua MiB needed':>14} {'post-expand KB':>15}")
    for n, function, r in module_cost([int(s) for s in args.sessions.split(",")]):
        print(f"{n:>8}  {function:<9} {r['lua_seconds']:>7.3f} {r['lua_mib']:>14.2f} {r['post_expand_kb']:>15.1f}")


if __name__ == "__main__":
    main()
