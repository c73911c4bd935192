#!/usr/bin/env python3
"""A generated wiki of many events that opt in, for the `run --all` benchmarks (issue 14).

    python bench/manyevents.py -o events.xml           # 200 events as a Special:Export file
    python bench/manyevents.py --events 20 --load      # and onto a throwaway test wiki, timed

Each event has 5 pages under its own root, ``Bench events/Event NNN``:
- the root, calling ``{{Event track bot|name=...|days=Day 1, Day 2, Day 3|summary=Summary|
  overview=/Overview|navbox=/Navigation|data=/Data.json}}``;
- ``Day 1`` to ``Day 3``: the bundled 2018 snapshot's Day pages, their links renamed to the
  event's pages and their navbox call to the event's ``/Navigation``, so that extraction finds
  the same 8 sessions in each event;
- ``Summary``: the snapshot's hand-written summary page, renamed the same way.

`export` writes the pages as a Special:Export file (what ``--source dump:PATH`` reads, and what
importDump.php imports); `load` puts them onto a `scripts/testwiki.py` wiki, by importDump.php
unless told otherwise, the faster or as fast: 200 events (1,000 pages, 6 MB) took 34 s and
54 s (jobs included) against 52 s and 55 s for an API edit per page, on a shared 2-core machine
(2026-11-30; 130 s against 192 s while other tests ran). The import fills the template links
itself: `list=embeddedin` lists the 200 roots before the jobs run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

from wmstrategybot.sources import PageRecord, SnapshotSource, export_xml

#: where the generated events live, and the snapshot's names they replace
PREFIX = "Bench events"
SNAPSHOT_ROOT = "Wikimedia Conference 2018/Documentation/Movement Strategy track"
SNAPSHOT_NAVBOX = "Template:Wikimedia Conference 2018 Movement Strategy track navigation"
DAYS = ("Day 1", "Day 2", "Day 3")
SUMMARY = "Summary"
#: the config template (wikiconfig.TEMPLATE once that module is merged)
TEMPLATE = "Event track bot"
DEFAULT_EVENTS = 200


def event_root(number: int) -> str:
    return f"{PREFIX}/Event {number:03d}"


def event_name(number: int) -> str:
    return f"Bench event {number:03d}"


def root_text(number: int) -> str:
    """The root page: a line of prose and the config template's call."""
    return (f"The documentation of {event_name(number)}, generated for the benchmarks.\n\n"
            f"{{{{{TEMPLATE}|name={event_name(number)}|days={', '.join(DAYS)}|summary={SUMMARY}"
            f"|overview=/Overview|navbox=/Navigation|data=/Data.json}}}}\n")


def _snapshot_texts() -> dict[str, str]:
    """The snapshot's Day pages and summary page, by their title relative to its root."""
    snapshot = SnapshotSource()
    wanted = [f"{SNAPSHOT_ROOT}/{page}" for page in (*DAYS, SUMMARY)]
    return {title.removeprefix(SNAPSHOT_ROOT + "/"): record.text or ""
            for title, record in snapshot.read(wanted).items()}


def _renamed(text: str, root: str) -> str:
    """A snapshot text as the event's: its navbox call names the event's navbox (a subpage,
    called with a colon as pages of the main namespace are), its links the event's pages."""
    navbox_call = "{{" + SNAPSHOT_NAVBOX.removeprefix("Template:") + "}}"
    return text.replace(navbox_call, "{{:" + root + "/Navigation}}").replace(SNAPSHOT_ROOT, root)


def event_pages(number: int, snapshot: dict[str, str] | None = None) -> dict[str, str]:
    """The 5 pages of event `number`, by title."""
    texts = snapshot if snapshot is not None else _snapshot_texts()
    root = event_root(number)
    pages = {root: root_text(number)}
    pages.update({f"{root}/{page}": _renamed(texts[page], root) for page in (*DAYS, SUMMARY)})
    return pages


def wiki_pages(events: int = DEFAULT_EVENTS) -> dict[str, str]:
    """The pages of events 1 to `events`, by title."""
    snapshot = _snapshot_texts()
    pages: dict[str, str] = {}
    for number in range(1, events + 1):
        pages.update(event_pages(number, snapshot))
    return pages


def export(path: Path, events: int = DEFAULT_EVENTS) -> Path:
    """Write the wiki of `events` events as a Special:Export (0.11) file; its path."""
    pages = wiki_pages(events)
    path.write_bytes(export_xml(PageRecord(title, text, revision)
                                for revision, (title, text) in enumerate(pages.items(), start=1)))
    return path


def load(wiki: object, events: int = DEFAULT_EVENTS, *, workdir: Path | None = None, api: bool = False) -> float:
    """Put the events onto a running `testwiki.TestWiki` (importDump.php, or an API edit per page
    with `api`); the seconds it took."""
    started = time.monotonic()
    if api:
        session = wiki.admin_session()  # type: ignore[attr-defined]
        for title, text in wiki_pages(events).items():
            session.edit(title, text, "bench: generated event")
    else:
        with tempfile.TemporaryDirectory(prefix="manyevents-", dir=workdir) as tmp:
            wiki.import_xml(export(Path(tmp) / "events.xml", events))  # type: ignore[attr-defined]
    return time.monotonic() - started


def opted_in(wiki: object) -> int:
    """How many pages the wiki lists as calling the config template (list=embeddedin)."""
    session = wiki.admin_session()  # type: ignore[attr-defined]
    params = {"action": "query", "list": "embeddedin", "eititle": f"Template:{TEMPLATE}", "eilimit": "max",
              "formatversion": 2}
    count = 0
    while True:
        data = session.get(**params)
        count += len(data.get("query", {}).get("embeddedin", []))
        if "continue" not in data:
            return count
        params.update(data["continue"])


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=DEFAULT_EVENTS, help=f"how many events (default {DEFAULT_EVENTS})")
    ap.add_argument("-o", "--output", type=Path, help="write the Special:Export file here")
    ap.add_argument("--load", action="store_true",
                    help="start a throwaway test wiki and load the events, by importDump.php and by the API, timed")
    args = ap.parse_args(argv)
    if args.events < 1:
        print("manyevents: --events must be at least 1", file=sys.stderr)
        return 2
    if args.output:
        export(args.output, args.events)
        print(f"{args.output}: {args.events} events, {5 * args.events} pages")
    if args.load:
        import testwiki

        with tempfile.TemporaryDirectory(prefix="manyevents-wiki-") as tmp:
            with testwiki.TestWiki(Path(tmp)) as wiki:
                dump = load(wiki, args.events, workdir=Path(tmp))
                print(f"importDump.php: {5 * args.events} pages in {dump:.1f} s (jobs run); "
                      f"{opted_in(wiki)} pages call {{{{{TEMPLATE}}}}}")
            with tempfile.TemporaryDirectory(prefix="manyevents-wiki-") as tmp2, testwiki.TestWiki(Path(tmp2)) as wiki:
                edits = load(wiki, args.events, api=True)
                print(f"API edits:      {5 * args.events} pages in {edits:.1f} s; "
                      f"{opted_in(wiki)} pages call {{{{{TEMPLATE}}}}}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
