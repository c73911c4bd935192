"""How well the bot reads the corpus of real events (tests/fixtures/events/<slug>/ with a
corpus.md): per event and per kind of structure, sessions and parts read as a careful reader
lists them (expected.json), sessions invented, warnings printed.

    python scripts/corpus_report.py            # the table
    python scripts/corpus_report.py --json     # the figures, for tests and the README

Each event is read twice: with its config's ``[reading]`` table left out (a config that names
only the pages, as an organiser's first one does), and as its config is written, with the one
settling key (``[reading]``, at most one key) that settles what the evidence leaves open.

A read session matches an expected one on the same day with the same title, compared without
case, punctuation or spacing; its parts are matched the same way, in the session. Offline.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EVENTS = REPO / "tests" / "fixtures" / "events"


def corpus_folders() -> list[Path]:
    """The corpus events: fixture folders with a corpus.md (the five of the bot's own series have none)."""
    return sorted(p for p in EVENTS.iterdir() if (p / "corpus.md").exists())


def _key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


@dataclass
class Score:
    event: str
    kinds: list[str]
    language: str
    sessions: int
    sessions_read: int  # expected sessions the bot read (day and title)
    parts: int
    parts_read: int
    invented: int  # sessions the bot read that no reader lists
    warnings: int
    warning_lines: list[str] = field(default_factory=list)
    key: str | None = None  # the settling key the config holds ("sessions_from = 'programme'")


def settling_keys(folder: Path) -> dict[str, object]:
    """The keys of the event's ``[reading]`` table."""
    raw = tomllib.loads((folder / "config.toml").read_text("utf-8"))
    return dict(raw.get("reading", {}))


def score(folder: Path, settled: bool = False) -> Score:
    """How the event is read with only its pages named, or (`settled`) with its settling key."""
    from wmstrategybot.config.files import load_config
    from wmstrategybot.model.settings import ReadingSettings
    from wmstrategybot.publish.read import read_event
    from wmstrategybot.sources import open_source

    want = json.loads((folder / "expected.json").read_text("utf-8"))
    config = load_config(folder / "config.toml")
    keys = settling_keys(folder)
    if not settled:
        config = dataclasses.replace(config, reading=ReadingSettings())
    event, _ = read_event(config, open_source(f"dir:{folder / 'pages'}", config))
    got = [(s.day, _key(s.title), [_key(p.title) for p in s.parts]) for s in event.sessions]
    used = [False] * len(got)
    sessions_read = parts_read = parts = 0
    for s in want["sessions"]:
        parts += len(s.get("parts", []))
        for i, (day, title, got_parts) in enumerate(got):
            if not used[i] and day == s["day"] and title == _key(s["title"]):
                used[i] = True
                sessions_read += 1
                remaining = list(got_parts)
                for part in s.get("parts", []):
                    if _key(part) in remaining:
                        remaining.remove(_key(part))
                        parts_read += 1
                break
    lines = [f"{w.page.rpartition('/')[2]}:{w.line}: {w.message}" for w in event.warnings]
    key = "; ".join(f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in keys.items()) if settled and keys else None
    return Score(folder.name, want.get("kinds", []), want.get("language", "en"), len(want["sessions"]), sessions_read,
                 parts, parts_read, used.count(False), len(event.warnings), lines, key)


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:.0f} %" if d else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    args = parser.parse_args(argv)
    folders = corpus_folders()
    scores = [score(f) for f in folders]
    settled = [score(f, settled=True) for f in folders]
    if args.json:
        print(json.dumps({"pages_only": [asdict(s) for s in scores], "settled": [asdict(s) for s in settled]},
                         indent=1, ensure_ascii=False))
        return 0
    print("Configs that name only the pages ([reading] left out):\n")
    print(f"{'event':32} {'sessions':>12} {'parts':>12} {'invented':>9} {'warnings':>9}")
    for s in scores:
        print(f"{s.event:32} {s.sessions_read:>4}/{s.sessions:<3} {_pct(s.sessions_read, s.sessions):>4} "
              f"{s.parts_read:>4}/{s.parts:<3} {_pct(s.parts_read, s.parts):>4} {s.invented:>9} {s.warnings:>9}")
    total = Score("all", [], "", *(sum(getattr(s, k) for s in scores) for k in
                                   ("sessions", "sessions_read", "parts", "parts_read", "invented", "warnings")))
    print(f"{'all (' + str(len(scores)) + ' events)':32} {total.sessions_read:>4}/{total.sessions:<3} "
          f"{_pct(total.sessions_read, total.sessions):>4} {total.parts_read:>4}/{total.parts:<3} "
          f"{_pct(total.parts_read, total.parts):>4} {total.invented:>9} {total.warnings:>9}")
    kinds = sorted({k for s in scores for k in s.kinds})
    print("\nper kind of structure (an event counts under each of its kinds):")
    for kind in kinds:
        of = [s for s in scores if kind in s.kinds]
        n, d = sum(s.sessions_read for s in of), sum(s.sessions for s in of)
        pn, pd = sum(s.parts_read for s in of), sum(s.parts for s in of)
        print(f"  {kind:30} sessions {n}/{d} ({_pct(n, d)}), parts {pn}/{pd} ({_pct(pn, pd)}), {len(of)} events")
    print("\nWith the one settling key of each config ([reading]):\n")
    print(f"{'event':32} {'sessions':>12} {'parts':>12} {'invented':>9} {'warnings':>9}  key")
    for s in settled:
        print(f"{s.event:32} {s.sessions_read:>4}/{s.sessions:<3} {_pct(s.sessions_read, s.sessions):>4} "
              f"{s.parts_read:>4}/{s.parts:<3} {_pct(s.parts_read, s.parts):>4} {s.invented:>9} {s.warnings:>9}  "
              f"{s.key or '-'}")
    print(f"\n{sum(1 for s in settled if s.key)} of {len(settled)} events have a settling key")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    sys.exit(main())
