"""The outline as read, on the event's status page of the real test wiki: after a run that read
the pages, a collapsed block lists the days, sessions and parts with their lines, and the
warnings where they apply; `extract --outline` prints the same reading from the wiki."""

from __future__ import annotations

import html
import re
import secrets
import subprocess
import sys

import pytest
from helpers import REPO

pytestmark = pytest.mark.wiki

DAY_1 = ("Notes of the first day.\n"
         "== D1.01 / Opening ==\nIntro.\n=== 01 . Welcome ===\nText.\n=== 02 . Ground rules ===\nText.\n"
         "== D1.02 / <b>Bold</b> & [[File:Evil.png]] ==\nText.\n"
         "== D1.0x / Coffee break ==\nA marker that cannot be read.\n")
DAY_2 = "== D2.01 / Working groups ==\nText.\n=== 01 . Forming groups ===\nText.\n"


def _cli(pwb_dir, tmp_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PYWIKIBOT_DIR": str(pwb_dir), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", *args], capture_output=True, text=True,
                          env=env, timeout=600, cwd=REPO)
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _outline_html(api, title: str) -> str:
    """The collapsed outline block of a page as the wiki renders it."""
    text = str(api.get(action="parse", page=title, prop="text", disablelimitreport=1)["parse"]["text"])
    m = re.search(r'<div class="mw-collapsible mw-collapsed event-track-bot-outline".*?</div>', text, re.S)
    assert m, text
    return html.unescape(m.group(0))


@pytest.fixture
def event_root(admin, templates_installed):
    root = f"Outline live {secrets.token_hex(3)}/Documentation"
    admin.edit(f"{root}/Day 1", DAY_1, "a Day page")
    admin.edit(f"{root}/Day 2", DAY_2, "a Day page")
    admin.edit(root, "An event.\n{{Event track bot\n| name = Live outline\n| days = Day 1, Day 2\n"
                     "| overview = /Overview\n| navbox = /Navigation\n| data = /Data.json\n}}\n", "opt in")
    yield root
    admin.edit(root, "An event, no longer served.\n", "opt out")


def test_the_status_page_shows_the_outline_as_read_and_follows_an_edit(admin, pwb, event_root, tmp_path):
    from live import PYWIKIBOT_DIR

    root = event_root
    job = tmp_path / "job.toml"
    job.write_text("[job]\nthrottle = 0\n")
    run = ["--source", "site", "run", "--all", "--job", str(job), "--state", str(tmp_path / "job.db")]
    assert _cli(PYWIKIBOT_DIR, tmp_path, *run).returncode == 0
    block = _outline_html(admin, f"{root}/Bot status")
    # days link their pages; sessions and parts in reading order, each with its line
    assert block.index("Day 1") < block.index("1. Opening (line 2)") < block.index("1.1 Welcome (line 4)") \
        < block.index("1.2 Ground rules (line 6)") < block.index("2. Bold & File:Evil.png (line 8)") \
        < block.index("Day 2") < block.index("1. Working groups (line 1)") < block.index("1.1 Forming groups (line 3)")
    assert f'title="{root}/Day 1"' in block and f'title="{root}/Day 2"' in block
    # the warning sits under the session it is about, with its line
    assert re.search(r"<li>[^<]*Coffee break[^<]*\(line 10\)\n<ul><li><i>warning:</i>[^<]*Coffee break[^<]*"
                     r"\(line 10\)</li></ul>", block), block
    # what people wrote shows as text: no image, no link, no bold from a title
    assert "<img" not in block and "Evil.png\"" not in block and "<b>" not in block

    # the CLI prints the same reading, from the wiki
    config = tmp_path / "event.toml"
    config.write_text(f'[event]\nroot = "{root}"\nname = "Live outline"\ndays = ["Day 1", "Day 2"]\n'
                      f'[targets]\nsummary = "{root}/Overview"\nnavbox = "{root}/Navigation"\n'
                      '[site]\nfamily = "testwiki"\ncode = "en"\n')
    printed = _cli(PYWIKIBOT_DIR, tmp_path, "--config", str(config), "--source", "site", "extract", "--outline")
    assert printed.returncode == 0, printed.stderr
    assert "  1. Opening  (line 2)\n    1.1 Welcome  (line 4)\n" in printed.stdout
    assert re.search(r"\n    warning: 'D1.0x / Coffee break'.*\(line 10\)\n", printed.stdout), printed.stdout

    # an organiser's edit is read again, and the outline follows it
    admin.edit(f"{root}/Day 2", DAY_2.replace("Working groups", "Working groups at work"), "rename a session")
    assert _cli(PYWIKIBOT_DIR, tmp_path, *run).returncode == 0
    assert "1. Working groups at work (line 1)" in _outline_html(admin, f"{root}/Bot status")
