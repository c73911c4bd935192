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
import shutil
import sys
import tempfile
import time
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


_WRAPPER = """#!{python}
import resource, signal, subprocess, sys
lua = subprocess.Popen([{lua!r}, *sys.argv[1:]])
# Scribunto ends the interpreter with SIGTERM at the end of the request: pass it on, then log
signal.signal(signal.SIGTERM, lambda *_: lua.terminate())
code = lua.wait()
with open({log!r}, "a") as f:
    f.write(f"{{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}}\\n")
sys.exit(code)
"""


def _peak_mib(log: Path, before: int) -> float:
    """The peak resident memory of the Lua process of the last request (the wrapper writes it
    once Lua has exited, which may be just after the API answered)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        lines = log.read_text().split() if log.exists() else []
        if len(lines) > before:
            return int(lines[-1]) / 1024
        time.sleep(0.05)
    return float("nan")


def module_cost(sizes: list[int]) -> list[tuple[int, str, dict[str, float]]]:
    import testwiki

    rows = []
    with tempfile.TemporaryDirectory(prefix="wmstrategybot-module-bench-") as tmp:
        # Lua through a wrapper that logs its peak memory (LuaStandalone's limit report has none);
        # the limit raised so that the wrapper's own Python fits under it
        log, wrapper = Path(tmp) / "lua-rss.log", Path(tmp) / "lua-rss"
        wrapper.write_text(_WRAPPER.format(python=sys.executable, lua=shutil.which("lua5.1") or "/usr/bin/lua5.1",
                                           log=str(log)))
        wrapper.chmod(0o755)
        settings = ("$wgRateLimits = [];\n"
                    f"$wgScribuntoEngineConf['luastandalone']['luaPath'] = '{wrapper}';\n"
                    "$wgScribuntoEngineConf['luastandalone']['memoryLimit'] = 1024 * 1024 * 1024;\n")
        wiki = testwiki.TestWiki(Path(tmp) / "wiki", extra_settings=settings).start()
        try:
            api = wiki.admin_session()
            for title, text in template_pages().items():
                model = content_model(title)
                api.edit(title, text, "install", **({"contentmodel": model} if model != "wikitext" else {}))
            for n in sizes:
                api.edit(DATA, data_json(event_of(n)), f"{n} sessions", contentmodel="json")
                for function in ("sessions", "navbox"):
                    call = "{{#invoke:Event track bot|" + function + "|data=" + DATA + "}}"
                    runs = []
                    for _ in range(3):
                        seen = len(log.read_text().split()) if log.exists() else 0
                        runs.append(_limits(api, call))
                        runs[-1]["lua_mib"] = _peak_mib(log, seen)
                    best = min(runs, key=lambda r: r["lua_seconds"])
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
    print(f"{'sessions':>8}  {'call':<9} {'Lua s':>7} {'Lua peak MiB':>12} {'post-expand KB':>15}")
    for n, function, r in module_cost([int(s) for s in args.sessions.split(",")]):
        print(f"{n:>8}  {function:<9} {r['lua_seconds']:>7.3f} {r['lua_mib']:>12.1f} {r['post_expand_kb']:>15.1f}")


if __name__ == "__main__":
    main()
