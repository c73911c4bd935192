"""After a first `run --all` on the real test wiki, without running its job queue: the status
page says in plain words what happened and whom to ask, the root page's box shows the same
at once, and no generated page shows a red link to another (the bot purges what shows the pages
it created)."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys

import pytest
from helpers import DAY, REPO

pytestmark = pytest.mark.wiki

_RED_LINK = re.compile(r'href="[^"]*[?&](?:amp;)?title=([^&"]+)&amp;action=edit&amp;redlink=1"')


def _run_all(pwb_dir, tmp_path) -> tuple[int, dict, str]:
    job = tmp_path / "job.toml"
    job.write_text('[job]\noperator = "User:Live operator"\nthrottle = 0\n')
    env = {"PYWIKIBOT_DIR": str(pwb_dir), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "--source", "site", "run", "--all",
                           "--job", str(job), "--state", str(tmp_path / "job.db"), "--report-json"],
                          capture_output=True, text=True, env=env, timeout=600, cwd=REPO)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout), done.stderr


def _cached_html(api, title: str) -> str:
    """The page as a reader gets it: from the parser cache (action=parse of the page itself)."""
    return str(api.get(action="parse", page=title, prop="text", disablelimitreport=1)["parse"]["text"])


def _fresh_html(api, title: str) -> str:
    """The page's current text rendered now, what it transcludes read as it is now."""
    return str(api.get(action="parse", title=title, text=api.page_text(title) or "", contentmodel="wikitext",
                       prop="text", disablelimitreport=1)["parse"]["text"])


@pytest.fixture
def event_root(admin, templates_installed):
    root = f"Status live {secrets.token_hex(3)}/Documentation"
    admin.edit(f"{root}/Day 1", DAY + "== D1.02 / Closing ==\nText.\n", "a Day page")
    admin.edit(root, "An event.\n{{Event track bot\n| name = Live status\n| days = Day 1\n"
                     "| overview = /Overview\n| navbox = /Navigation\n| data = /Data.json\n}}\n", "opt in")
    yield root
    admin.edit(root, "An event, no longer served.\n", "opt out")


def test_a_first_run_leaves_a_plain_status_page_a_fresh_box_and_no_red_link(admin, pwb, event_root, tmp_path):
    from live import PYWIKIBOT_DIR

    root = event_root
    code, report, stderr = _run_all(PYWIKIBOT_DIR, tmp_path)
    assert code == 0, (report, stderr)
    section = next(e for e in report["events"] if e["event"] == f"page:{root}")
    assert section["outcome"] == "done", section
    status = admin.page_text(f"{root}/Bot status") or ""
    assert "'''Last run:'''" in status and "'''Next run:''' about" in status
    assert f"* [[{root}/Overview]] (created)" in status and f"* [[{root}/Navigation]] (created)" in status
    assert "[[User:Live operator]]" in status
    # the root's box shows the status page as it is now, not "not reported yet"
    box = _cached_html(admin, root)
    assert "has not reported on this event yet" not in box and "every page the bot writes is up to date" in box
    generated = {f"{root}/{p}" for p in ("Overview", "Navigation", "Data.json", "Bot status")}
    for title in [root, f"{root}/Overview", f"{root}/Navigation"]:
        red = {t.replace("_", " ") for t in _RED_LINK.findall(_cached_html(admin, title))}
        red = {re.sub(r"%2F", "/", t) for t in red}
        assert not (red & generated), (title, red)


def test_a_typo_fails_its_event_not_the_job_and_the_box_says_so(admin, pwb, templates_installed, tmp_path):
    from live import PYWIKIBOT_DIR

    root = f"Status typo {secrets.token_hex(3)}/Documentation"
    admin.edit(f"{root}/Day 1", DAY, "a Day page")
    admin.edit(root, "{{Event track bot\n| name = Typo\n| dayz = Day 1\n}}\n", "opt in, with a typo")
    try:
        code, report, stderr = _run_all(PYWIKIBOT_DIR, tmp_path)
        assert code == 0 and f"page:{root}" in report["events_failed"], (report, stderr)
        status = admin.page_text(f"{root}/Bot status") or ""
        assert "has problems" in status and "dayz" in status and "''Next step:''" in status
        box = _cached_html(admin, root)
        assert "has problems" in box and "has not reported on this event yet" not in box
    finally:
        admin.edit(root, "No longer served.\n", "opt out")


def test_a_stop_set_after_the_run_shows_on_the_status_page_and_the_box(admin, pwb, event_root, tmp_path):
    """A stop stops every save, status pages too: the status page reads the stop page when the
    wiki renders it, so a stop shows there (and in the root's box) without a save."""
    from live import PYWIKIBOT_DIR

    stop = f"User:WmBot/Stop {secrets.token_hex(3)}"
    admin.edit(stop, "run", "the bot may run")
    job = tmp_path / "job.toml"
    job.write_text(f'[job]\nstop_page = "{stop}"\nthrottle = 0\n')
    env = {"PYWIKIBOT_DIR": str(PYWIKIBOT_DIR), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "--source", "site", "run", "--all",
                           "--job", str(job), "--state", str(tmp_path / "job.db")], capture_output=True, text=True,
                          env=env, timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "Stopped now" not in _cached_html(admin, f"{event_root}/Bot status")
    admin.edit(stop, "stop: checking a bad edit", "stop the bot")
    # rendered afresh, as the wiki does once the stop page's edit reaches what transcludes it
    # (its job queue; the parser cache here compares whole seconds, and the test is faster)
    assert "Stopped now" in _fresh_html(admin, f"{event_root}/Bot status")
    assert "Stopped now" in _fresh_html(admin, event_root)
    admin.edit(stop, "run", "the bot may run again")
    assert "Stopped now" not in _fresh_html(admin, event_root)
