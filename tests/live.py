"""Fixtures and helpers for the tests against the real test wiki (loaded by conftest.py)."""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest
from helpers import ROOT as SNAPSHOT_ROOT

from wmstrategybot.config.event import parse_config
from wmstrategybot.publish.apply import apply
from wmstrategybot.publish.read import plan
from wmstrategybot.publish.templates import plan_templates
from wmstrategybot.sources import SnapshotSource

NAVBOX = "Template:Wikimedia Conference 2018 Movement Strategy track navigation"
STOP = "User:WmStrategyBot/stop"
_counter = itertools.count(1)
#: pywikibot's folder, which tests/conftest.py made and named in the environment before it loaded
#: this plugin (not `from conftest import`: the name is tests/live/conftest.py's once that loads)
PYWIKIBOT_DIR = Path(os.environ["PYWIKIBOT_DIR"])


@pytest.fixture(scope="session")
def pwb(wiki):
    """pywikibot configured for the test wiki (in this process, and on disk for subprocesses)."""
    wiki.write_pywikibot_dir(PYWIKIBOT_DIR)
    import pywikibot
    from pywikibot import config

    config.register_families_folder(str(PYWIKIBOT_DIR / "families"))
    config.family, config.mylang = "testwiki", "en"
    config.usernames["testwiki"]["en"] = wiki.bot_user
    config.password_file = str(PYWIKIBOT_DIR / "user-password.py")
    config.put_throttle = 0
    config.max_retries, config.retry_wait, config.retry_max = 2, 1, 2
    return pywikibot


@pytest.fixture(scope="session")
def admin(wiki):
    return wiki.admin_session()


@pytest.fixture(scope="session")
def alice(wiki):
    password = secrets.token_hex(12)
    wiki.make_user("Alice", password)
    return wiki.session("Alice", password)


def _rechecksum(text: str) -> str:
    """Renaming the pages changed what the snapshot's bot regions hold: sign them again."""
    from wmstrategybot.wikitext.regions import begin_marker, find_regions

    for region in sorted(find_regions(text).values(), key=lambda r: r.begin, reverse=True):
        if region.sha1:
            content = text[region.content_start : region.content_end]
            marker_end = text.index("-->", region.begin) + 3
            text = text[: region.begin] + begin_marker(region.name, content) + text[marker_end:]
    return text


class Event:
    """One copy of the snapshot's pages on the wiki, under its own root, and its config."""

    def __init__(self, wiki, admin, pwb, prefix: str = ""):
        n = next(_counter)
        self.root = f"{prefix}Event {n}/Movement Strategy track"
        self.navbox = f"Template:Event {n} navigation"
        self.stop = f"User:WmBot/stop {n}"
        base = resources.files("wmstrategybot").joinpath("events", "wmcon2018.toml").read_text("utf-8")
        toml = self._rename(base).replace('family = "meta"\ncode = "meta"', 'family = "testwiki"\ncode = "en"')
        toml = toml.replace("throttle = 10", "throttle = 0")
        self.config = parse_config(toml, f"<event {n}>")
        snapshot = SnapshotSource()
        for title in snapshot.titles():
            admin.edit(self._rename(title), _rechecksum(self._rename(snapshot.read([title])[title].text)), "load snapshot")
        self.admin = admin

    def _rename(self, text: str) -> str:
        return text.replace(SNAPSHOT_ROOT, self.root).replace(NAVBOX, self.navbox).replace(STOP, self.stop)

    def title(self, relative: str) -> str:
        return f"{self.root}/{relative}"

    @property
    def targets(self) -> list[str]:
        return [t for _, t in self.config.targets.items()]

    def source(self):
        from wmstrategybot.sources.site import SiteSource

        return SiteSource.from_config(self.config)

    def publish(self):
        src = self.source()
        return apply(plan(self.config, src), src, self.config)

    def revisions(self) -> dict[str, int | None]:
        return {t: self.admin.latest_revid(t) for t in self.targets}


@pytest.fixture
def event(wiki, admin, pwb, templates_installed):
    return Event(wiki, admin, pwb)


@pytest.fixture(scope="session")
def templates_installed(wiki, admin, pwb):
    """`templates sync` through the bot; the report of the first sync."""
    ev = Event(wiki, admin, pwb)
    src = ev.source()
    report = apply(plan_templates(ev.config, src), src, ev.config)
    return report


@pytest.fixture(scope="session")
def bob(wiki):
    password = secrets.token_hex(12)
    wiki.make_user("Bob", password)
    return wiki.session("Bob", password)


def _cli(args, env_extra=None, pwb_dir=None):
    env = dict(os.environ)
    env["PYWIKIBOT_DIR"] = str(pwb_dir or PYWIKIBOT_DIR)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=300)


def _write_config(event, tmp_path) -> Path:
    base = resources.files("wmstrategybot").joinpath("events", "wmcon2018.toml").read_text("utf-8")
    toml = event._rename(base).replace('family = "meta"\ncode = "meta"', 'family = "testwiki"\ncode = "en"')
    path = tmp_path / "event.toml"
    path.write_text(toml.replace("throttle = 10", "throttle = 0"))
    return path


