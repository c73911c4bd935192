"""Small helpers shared by the tests (not fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SNAPSHOT_DIR = REPO / "snapshot"
ROOT = "Wikimedia Conference 2018/Documentation/Movement Strategy track"
SIGNUPS = f"{ROOT}/Working Groups/Sign-up"
NAVBOX = "Template:Wikimedia Conference 2018 Movement Strategy track navigation"
OVERVIEW = f"{ROOT}/Overview"
DATA = f"{ROOT}/Data.json"
DAY1 = f"{ROOT}/Day 1"


def copy_snapshot(dest: Path) -> Path:
    """A writable dir: source holding the snapshot's pages."""
    shutil.copytree(SNAPSHOT_DIR, dest)
    return dest


def page_file(root: Path, title: str) -> Path:
    parts = title.split("/")
    return root.joinpath(*parts[:-1], parts[-1] + ".wikitext")


def files(root: Path) -> dict[str, bytes]:
    """Every file below `root`, by its path relative to `root`: its bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def insert_before(wiki: Path, marker: str, text: str) -> None:
    """Put `text` before `marker` on the Day 1 page of the snapshot in dir: source `wiki`."""
    day = page_file(wiki, DAY1)
    day.write_text(day.read_text().replace(marker, text + marker, 1))


def invoke(*args: str, **kwargs: object):
    """The command line with `args`, through click's CliRunner; an exception is raised, not caught."""
    from click.testing import CliRunner

    from wmstrategybot.cli.main import cli

    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


from wmstrategybot.sources import MemorySource


def stored_state(db: Path, key: str | None = None) -> dict:
    """The run state the store at `db` holds for `key` (its only event if None), as the JSON
    object the state files held ({} if none)."""
    from wmstrategybot.job.store import StateStore

    with StateStore.open(db) as store:
        if key is None:
            keys = store.keys()
            assert len(keys) <= 1, keys
            key = keys[0] if keys else ""
        return store.load(key).to_json()


def put_state(db: Path, key: str | None = None, **changes: object) -> None:
    """Change fields of the run state the store at `db` holds for `key` (its only event if None)."""
    from wmstrategybot.job.state import RunState
    from wmstrategybot.job.store import StateStore

    with StateStore.open(db) as store:
        if key is None:
            (key,) = store.keys()
        store.save(key, RunState.from_json({**store.load(key).to_json(), **changes}))


SIGNUP_CONFIG = """
[event]
root = "E"
days = ["Day 1"]
[targets]
summary = "E/Overview"
navbox = "Template:E nav"
signups = "E/Sign-up"
data = "E/Data.json"
[areas]
"Roles & Responsibilities" = ["Roles"]
"Resource Allocation" = ["Resources"]
"Community" = ["Community Health"]
"Technology" = []
"""
DAY = "== D1.01 / Opening ==\nIntro.\n=== 01 . Welcome ===\nText.\n"


def regenerate_signups(text: str) -> tuple[str | None, object]:
    """The signup page as the bot would save it over `text`, and the planned edit."""
    from wmstrategybot.config.event import parse_config
    from wmstrategybot.publish.read import plan

    config = parse_config(SIGNUP_CONFIG)
    source = MemorySource({"E/Day 1": DAY, "E/Sign-up": text})
    edit = next(e for e in plan(config, source).edits if e.kind == "signups")
    return edit.new_text, edit


#: Markup people might quote (or slip) into session and part titles: one line, no heading end.
CORPUS_TITLE = (
    "a | b || c !! d |} x}} {{!}} -minus +plus ~~~~ ~~~ ~~~~~ ~~<!-- -->~~ __NOINDEX__ __noindex__ __NOTOC__ "
    "{{DEFAULTSORT:Zzz}} {{DISPLAYTITLE:Hijacked}} {{nobots}} {{bots|deny=all}} [[Category:Injected]] "
    "{{subst:Evil}} {{safesubst:Evil}} [[Help:Contents (editing)|<!-- -->]] [[<!-- -->|Reverse]] "
    "<nowiki>|}}</nowiki> [[lone bracket"
)
#: The same and block markup, for session texts and summaries (no heading or unclosed comment,
#: which would change what the Day page itself holds).
CORPUS_TEXT = (
    CORPUS_TITLE + " {{Tl|~~<!-- -->~~}}\n* item with {{#if:x|__NOEDITSECTION__}} and [[Category:Also injected|sort]] ''[[Category:Bold]]''\n"
    "-starts with minus\n+starts with plus\n{{ {{nobots}} }} {{Bots}} ]] }} {{\n"
    "<includeonly>hidden</includeonly><onlyinclude>only</onlyinclude> <ref>a|b [[x</ref> __FORCETOC__ x"
)


def inject_corpus(texts: dict[str, str], root: str) -> dict[str, str]:
    """The 2018 pages with the corpus in the first session's title, its first part's title, its
    intro text and its paragraph on the summary page."""
    out = dict(texts)
    day1, summary = f"{root}/Day 1", f"{root}/Summary"
    day = out[day1].replace("== D1.01 / The Big Picture ==", f"== D1.01 / The Big Picture {CORPUS_TITLE} ==", 1)
    day = day.replace("=== 01 . Welcoming Words ===", f"=== 01 . Welcoming Words {CORPUS_TITLE} ===", 1)
    day = day.replace("This session introduced all", CORPUS_TEXT + "\nThis session introduced all", 1)
    out[day1] = day
    head = "== (Session 1) The Big Picture ==\n"
    assert head in out[summary]
    out[summary] = out[summary].replace(head, head + CORPUS_TEXT + "\n", 1)
    return out

# `run --all` on the in-memory wiki (tests/job/)

A = "Summit A/Documentation"
B = "Summit B/Documentation"


def root_text(name: str, days: str = "Day 1", **extra: str) -> str:
    """A root page calling the template: line 2 its name, 3 name, 4 days, 5 overview, 6 on: `extra`."""
    params = {"overview": "/Overview", **extra}
    lines = "".join(f"\n| {k} = {v}" for k, v in params.items())
    return f"Prose of {name}.\n{{{{Event track bot\n| name = {name}\n| days = {days}{lines}\n}}}}\n"


def wiki(*roots: str, **kwargs) -> MemorySource:
    """The in-memory wiki where each of `roots` opts in (with a Day 1 page), its watchlist on
    unless `watchlist=False`."""
    pages = {}
    for root in roots:
        pages[root] = root_text(root.split("/")[0])
        pages[f"{root}/Day 1"] = DAY
    return MemorySource(pages, **{"watchlist": True, **kwargs})


class Clock:
    """The time, standing still until a test sets `now`."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def go(source, tmp_path, job=None, clock=None, **kwargs):
    """`run --all` on `source` with the state in `tmp_path` (options `kwargs`, time `clock`)."""
    from wmstrategybot.config.job import JobConfig
    from wmstrategybot.job.runall import run_all
    from wmstrategybot.options import Options

    job = JobConfig() if job is None else job
    return run_all(source, tmp_path / "state.db", job, options=Options(clock=clock or Clock(), **kwargs))


def section(report, key):
    return next(e for e in report.events if e.event == key)


def status(source, root):
    return source.pages.get(f"{root}/Bot status", "")
