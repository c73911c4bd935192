"""Module mode on the real test wiki (Scribunto, Lua 5.1): the overview, the navbox and the
signup counts call Module:Event track bot, which renders them from the data page; a change to
the event is one edit, the data page's, and the pages show it once the wiki renders them again."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys

import pytest
from helpers import REPO

pytestmark = pytest.mark.wiki

DAY_1 = ("== D1.01 / Opening ==\nIntro.\n=== 01 . Welcome words ===\nText.\n"
         "== D1.02 / The big picture ==\nText.\n")
DAY_2 = "== D2.01 / Working groups ==\nText.\n=== 01 . Forming groups ===\nText.\n"


def _run_all(tmp_path, *extra: str) -> dict:
    from live import PYWIKIBOT_DIR

    job = tmp_path / "job.toml"
    job.write_text("[job]\nthrottle = 0\n")
    env = {"PYWIKIBOT_DIR": str(PYWIKIBOT_DIR), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "--source", "site", "run", "--all",
                           "--job", str(job), "--state", str(tmp_path / "job.db"), "--report-json", *extra],
                          capture_output=True, text=True, env=env, timeout=600, cwd=REPO)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _html(api, title: str) -> str:
    return str(api.get(action="parse", page=title, prop="text", disablelimitreport=1)["parse"]["text"])


def _section(report: dict, root: str) -> dict:
    return next(e for e in report["events"] if e["event"] == f"page:{root}")


@pytest.fixture
def module_event(admin, templates_installed):
    root = f"Module live {secrets.token_hex(3)}/Documentation"
    admin.edit(f"{root}/Day 1", DAY_1, "a Day page")
    admin.edit(f"{root}/Day 2", "{{:" + root + "/Navigation}}\n" + DAY_2, "a Day page with the navbox")
    admin.edit(root, "An event.\n{{Event track bot\n| name = Module event\n| days = Day 1, Day 2\n"
                     "| overview = /Overview\n| navbox = /Navigation\n| data = /Data.json\n| render = module\n}}\n",
               "opt in")
    yield root
    admin.edit(root, "An event, no longer served.\n", "opt out")


def test_module_mode_publishes_and_a_rename_is_one_edit(admin, wiki, pwb, module_event, tmp_path):
    root = module_event
    first = _section(_run_all(tmp_path), root)
    assert first["outcome"] == "done", json.dumps(first)[:1500]
    overview, navbox = admin.page_text(f"{root}/Overview"), admin.page_text(f"{root}/Navigation")
    assert "{{#invoke:Event track bot|sessions|data=" + root + "/Data.json}}" in overview
    assert "{{#invoke:Event track bot|navbox|data=" + root + "/Data.json|" in navbox
    html = _html(admin, f"{root}/Overview")
    assert "Script error" not in html and "scribunto-error" not in html, html
    assert "The big picture" in html and "Welcome words" in html and "Forming groups" in html
    assert html.index("Day 1") < html.index("Opening") < html.index("Day 2") < html.index("Working groups")
    nav = _html(admin, f"{root}/Navigation")
    assert f'href="/index.php/{root.replace(" ", "_")}/Day_1#' in nav and "The big picture" in nav

    # one edit to a Day page: one edit of the event's pages, the data page's
    before = {t: admin.latest_revid(t) for t in (f"{root}/Overview", f"{root}/Navigation")}
    admin.edit(f"{root}/Day 1", DAY_1.replace("The big picture", "The bigger picture"), "rename a session")
    second = _section(_run_all(tmp_path), root)
    assert [e["title"] for e in second["edited"]] == [f"{root}/Data.json"], second
    assert {t: admin.latest_revid(t) for t in before} == before
    wiki.run_jobs()
    for title in (f"{root}/Overview", f"{root}/Navigation", f"{root}/Day 2"):
        html = _html(admin, title)
        assert "The bigger picture" in html and "The big picture<" not in html, title
