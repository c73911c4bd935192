#!/usr/bin/env python3
"""What editors see: every page the bot makes, rendered by a real MediaWiki, checked and photographed.

Starts the throwaway test wiki (``testwiki.py``), loads each fixture event of
``tests/fixtures/events/*/`` (its ``pages/`` folder, or the bundled 2018 snapshot for an event
without one) with its ``config.toml``, runs ``templates sync`` and ``publish`` as the bot, runs
MediaWiki's job queue, and then, for every generated page and the first Day page of each event:

- checks the rendered HTML: no raw template syntax (``{{``, ``}}``), no red link to a page the
  bot makes or reads, no missing template;
- takes a screenshot with Debian's chromium, headless (``apt-get install chromium``).

    .venv/bin/python scripts/screenshots.py [--out DIR] [--events 2017,2019] [--no-screenshots]

Exit 0: every check passed; 1: a check failed (listed on stderr); 2: the wiki, the bot or
chromium could not run. Only the standard library, ``requests`` (through testwiki) and the
package's config loader.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import testwiki  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "events"
CHROMIUM = "/usr/bin/chromium"
WINDOW = (1000, 760)
_CHROMIUM_TIMEOUT = 120


#: no rate limits for the bot's many edits; a blank logo instead of MediaWiki's "Set $wgLogos" placeholder
SETTINGS = ("$wgRateLimits = [];\n"
            "$wgLogos = ['1x' => \"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='135' "
            "height='135'/%3E\"];\n")


class ScreenshotError(Exception):
    """chromium is missing or failed."""


@dataclass(frozen=True)
class FixtureEvent:
    """A fixture event: its name (the folder), its config and its pages (None: the bundled snapshot)."""

    name: str
    config: Path
    pages: Path | None


@dataclass
class PageResult:
    """One page looked at: its kind (overview, navbox, signups, data, day), what is wrong, its picture."""

    event: str
    kind: str
    title: str
    problems: list[str] = field(default_factory=list)
    screenshot: Path | None = None


def fixture_events(root: Path = FIXTURES, names: list[str] | None = None) -> list[FixtureEvent]:
    """The fixture events (folders with a config.toml), by name, all of them unless `names` says;
    not the corpus of other events' pages (a folder with a corpus.md: read, never published)."""
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / "config.toml").is_file() and not (p / "corpus.md").exists()):
        if names is None or folder.name in names:
            pages = folder / "pages"
            found.append(FixtureEvent(folder.name, folder / "config.toml", pages if pages.is_dir() else None))
    return found


def load_pages(admin: testwiki.ApiSession, wiki: testwiki.TestWiki, event: FixtureEvent) -> None:
    """Put the event's source pages on the wiki: one edit per file of pages/, or the snapshot."""
    if event.pages is None:
        wiki.import_xml(testwiki.SNAPSHOT_XML)
        return
    for path in sorted(event.pages.rglob("*.wikitext")):
        title = path.relative_to(event.pages).with_suffix("").as_posix()
        admin.edit(title, path.read_text("utf-8"), "load fixture")


def publish(wiki: testwiki.TestWiki, events: list[FixtureEvent], workdir: Path, *,
            sync_templates: bool = True) -> dict[str, Path]:
    """Load every event, install the templates and publish each as the bot, run the job queue.

    Returns the config written for each event (pointed at the test wiki); raises WikiError when
    the bot exits with an error.
    """
    admin = wiki.admin_session()
    pwb = wiki.write_pywikibot_dir(workdir / "pywikibot")
    configs: dict[str, Path] = {}
    for n, event in enumerate(events):
        load_pages(admin, wiki, event)
        config = testwiki.write_event_config(workdir / f"{event.name}.toml", event.config)
        commands = [("templates", "sync"), ("publish",)] if n == 0 and sync_templates else [("publish",)]
        codes = testwiki.run_bot(pwb, config, commands, quiet=True)
        if any(code != 0 for code in codes):
            raise testwiki.WikiError(f"the bot exited {codes} for {' / '.join(' '.join(c) for c in commands)} "
                                     f"of event {event.name}")
        configs[event.name] = config
    wiki.run_jobs()  # pages that transclude the navbox (Day pages, the overview) are rendered again
    wiki.purge(title for config in configs.values() for title in testwiki.event_pages(config))
    return configs


def pages_of(config_path: Path) -> list[tuple[str, str]]:
    """(kind, title) of every page the bot makes for an event, then its first Day page."""
    from wmstrategybot.config.files import load_config
    from wmstrategybot.render.kinds import target_pages

    config = load_config(config_path)
    return [*((page.kind, page.title) for page in target_pages(config)), ("day", config.day_pages[0])]


BOT_TEMPLATES = {f"Template:{p.stem}" for p in (ROOT / "templates_wikitext" / "Template").glob("*.wikitext")}
#: the generated pages people read that must name the event
NAMED = ("overview", "navbox")  # a sign-up page may be a hand-written one
#: the navbox's title linking the overview, once that exists (a stale box shows the name unlinked)
NAVBOX_LINKS_OVERVIEW = re.compile(r'<div class="event-track-navbox-title"[^>]*>\s*<a ')
NAVBOX_STALE = "does not link the overview from the navbox's title: a stale navbox"
_RED_LINK = re.compile(r'<a [^>]*href="[^"]*[?&](?:amp;)?title=([^&"]+)&amp;action=edit&amp;redlink=1"')


def check_page(api: testwiki.ApiSession, title: str, known: set[str], *, generated: bool = True,
               raw_syntax: bool = True, navbox: str | None = None, theirs: frozenset[str] = frozenset(),
               event_name: str | None = None) -> list[str]:
    """What is wrong with a page as MediaWiki renders it; `known` are the pages the bot makes or reads.

    On a page people write (`generated` False) only the bot's own templates must exist; on a
    generated page every template but those of `theirs` (used on the pages people wrote, whose
    text the overview quotes: on Meta-Wiki they exist). A page that is or shows the `navbox`
    must show its link to the overview (a stale box has none). With `event_name`, the page must
    show it (the event's name, not the last segment of its root).
    """
    parsed = api.get(action="parse", page=title, prop="text|templates", disablelimitreport=1)["parse"]
    out = str(parsed["text"])
    problems = []
    visible = html.unescape(re.sub(r"<[^>]+>", "", out))
    used = {t["title"] for t in parsed.get("templates", [])}
    if navbox and (title == navbox or navbox in used) and not NAVBOX_LINKS_OVERVIEW.search(out):
        problems.append(NAVBOX_STALE)
    if event_name and event_name not in visible:
        problems.append(f"does not name the event {event_name!r}")
    if raw_syntax:
        for syntax in ("{{{", "{{", "}}"):
            if syntax in visible:
                at = visible.index(syntax)
                problems.append(f"raw template syntax {syntax!r}: ...{visible[max(0, at - 40):at + 40]!r}...")
                break
    for target in sorted({unquote(m).replace("_", " ") for m in _RED_LINK.findall(out)}):
        if target in known:
            problems.append(f"red link to {target}, a page the bot makes or reads")
    for template in parsed.get("templates", []):
        name = template["title"]
        if not template.get("exists") and name not in theirs and (generated or name in known or name in BOT_TEMPLATES):
            problems.append(f"missing template {name}")
    return problems


def chromium() -> str | None:
    """Debian's chromium, if installed."""
    return CHROMIUM if Path(CHROMIUM).is_file() else shutil.which("chromium")


def ensure_chromium() -> str:
    """chromium's path; installed with apt-get when missing and root, else ScreenshotError."""
    found = chromium()
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise ScreenshotError("chromium is missing; install it as root: apt-get install -y chromium")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    with testwiki.apt_lock():  # (another test worker may be installing the wiki's packages)
        if chromium():
            return str(chromium())
        for argv in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
            proc = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                raise ScreenshotError(f"`{' '.join(argv)}` failed (exit {proc.returncode})")
    found = chromium()
    if not found:
        raise ScreenshotError("chromium is still missing after apt-get install")
    return found


def screenshot(url: str, path: Path, window: tuple[int, int] = WINDOW, browser: str | None = None) -> Path:
    """A PNG of `url` as headless chromium shows it in a window of this size (a fresh profile)."""
    browser = browser or chromium()
    if not browser:
        raise ScreenshotError("chromium is missing (apt-get install -y chromium)")
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="screenshots-chromium-") as profile:
        argv = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={profile}", f"--screenshot={path}",
                f"--window-size={window[0]},{window[1]}", url]
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=_CHROMIUM_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ScreenshotError(f"chromium took more than {_CHROMIUM_TIMEOUT}s for {url}") from exc
    if proc.returncode != 0 or not path.is_file():
        raise ScreenshotError(f"chromium failed (exit {proc.returncode}) for {url}: {testwiki._tail(proc.stderr, 3)}")
    return path


def look_at(wiki: testwiki.TestWiki, configs: dict[str, Path], out: Path | None,
            window: tuple[int, int] = WINDOW, photograph: set[str] | None = None) -> list[PageResult]:
    """Check every page of every event; with `out`, a screenshot of each as ``<event>-<kind>.png``
    (of the events named in `photograph`, when given)."""
    api = testwiki.ApiSession(wiki.api_url)
    known = {title for config in configs.values() for _, title in pages_of(config)}
    from wmstrategybot.config.files import load_config

    for config in configs.values():
        event = load_config(config)
        known.update([*event.source_pages, *([event.root] if event.root else [])])
    results = []
    for name, config in configs.items():
        navbox = dict(pages_of(config))["navbox"]
        theirs = frozenset(t["title"] for page in load_config(config).source_pages
                           for t in api.get(action="parse", page=page, prop="templates")["parse"]["templates"]
                           if t["title"] not in BOT_TEMPLATES and t["title"] != navbox)
        event_name = load_config(config).name
        for kind, title in pages_of(config):
            # the data page is JSON: a person's '{{!}}' in a signup field is data there, not syntax
            result = PageResult(name, kind, title, check_page(api, title, known, generated=kind != "day",
                                                                 raw_syntax=kind != "data",
                                                                 navbox=navbox, theirs=theirs,
                                                                 event_name=event_name if kind in NAMED else None))
            if out is not None and (photograph is None or name in photograph):
                url = f"{wiki.index_url}?title={quote(title.replace(' ', '_'))}"
                result.screenshot = screenshot(url, out / f"{name}-{kind}.png", window)
            results.append(result)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="out/screenshots", help="folder for the PNGs (default: %(default)s)")
    parser.add_argument("--events", default=None, help="comma-separated fixture folders (default: all)")
    parser.add_argument("--no-screenshots", action="store_true", help="check the HTML only")
    parser.add_argument("--window", default=f"{WINDOW[0]}x{WINDOW[1]}", help="WIDTHxHEIGHT (default: %(default)s)")
    args = parser.parse_args(argv)
    try:
        window = tuple(int(x) for x in args.window.lower().split("x"))
        if len(window) != 2:
            raise ValueError
    except ValueError:
        print(f"screenshots: --window must be WIDTHxHEIGHT, not {args.window!r}", file=sys.stderr)
        return 2
    events = fixture_events(names=args.events.split(",") if args.events else None)
    if not events:
        print(f"screenshots: no fixture event named {args.events!r} in {FIXTURES}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="screenshots-") as tmp:
        try:
            if not args.no_screenshots:
                ensure_chromium()
            with testwiki.TestWiki(Path(tmp) / "wiki", extra_settings=SETTINGS) as wiki:
                configs = publish(wiki, events, Path(tmp))
                results = look_at(wiki, configs, None if args.no_screenshots else Path(args.out),
                                  (window[0], window[1]))
        except (testwiki.WikiError, ScreenshotError) as exc:
            print(f"screenshots: {exc}", file=sys.stderr)
            return 2
    failed = 0
    for r in results:
        status = "ok" if not r.problems else "FAILED"
        print(f"{status:6} {r.event:5} {r.kind:8} {r.title}" + (f"  -> {r.screenshot}" if r.screenshot else ""))
        for problem in r.problems:
            print(f"       {problem}", file=sys.stderr)
        failed += bool(r.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
