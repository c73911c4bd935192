"""`make wiki PAGES=DIR` on the real test wiki: an event's own pages (one not among the
fixtures) loaded with stubs of the templates they call, subpages on in the main namespace as on
Meta, and the event served by the printed `run --all` command."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
import sys

import pytest
from helpers import REPO

sys.path.insert(0, str(REPO / "scripts"))
import wikipages  # noqa: E402

pytestmark = pytest.mark.wiki

DAY_1 = """{{%(root)s/Navigation}}
{{TOC right}}
Friday, 2 May 2025

== Opening (9:00 - 10:00 UTC) ==
Welcome words by the organisers.
{{Quote box|quote=Hack all the things}}
* Outcome: teams formed

== Introduction to Toolforge ==
How to run a bot on Toolforge.
"""


def test_an_events_folder_is_loaded_with_stubs_and_served(wiki, admin, pwb, templates_installed, tmp_path):
    from live import PYWIKIBOT_DIR

    root = f"Hackathon {secrets.token_hex(3)}/Documentation"
    folder = tmp_path / "pages"
    (folder / root).mkdir(parents=True)
    (folder / f"{root}.wikitext").write_text(
        "The hackathon.\n{{Event track bot\n| name = Hackathon\n| days = [[/Day 1]]\n| overview = /Overview\n"
        f"| navbox = Template:{root}/Navigation\n}}}}\n")
    (folder / root / "Day 1.wikitext").write_text(DAY_1 % {"root": "Template:" + root})
    loaded = wikipages.load(admin, folder)
    assert loaded.roots == [root] and sorted(loaded.pages) == [root, f"{root}/Day 1"]
    assert all(admin.page_text(t) is not None for t in ("Template:TOC right", "Template:Quote box"))
    assert admin.page_text(f"Template:{root}/Navigation") is None  # the bot's to write, never a stub
    # subpages in the main namespace, as on Meta: the root's [[/Day 1]] is a link to its Day page
    html = admin.get(action="parse", page=root, prop="links")["parse"]["links"]
    assert any(link["title"] == f"{root}/Day 1" and link.get("exists") for link in html), html
    done = subprocess.run([sys.executable, "-m", "wmstrategybot.cli.main", "--source", "site", "run", "--all",
                           "--state", str(tmp_path / "job.db"), "--report-json"], capture_output=True, text=True,
                          env={"PYWIKIBOT_DIR": str(PYWIKIBOT_DIR), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
                          timeout=600, cwd=REPO)
    assert done.returncode == 0, done.stderr
    section = next(e for e in json.loads(done.stdout)["events"] if e["event"] == f"page:{root}")
    assert section["outcome"] == "done", section
    day = str(admin.get(action="parse", page=f"{root}/Day 1", prop="text")["parse"]["text"])
    assert not re.findall(r"redlink=1", day), "the Day page shows a red link after the run"
    admin.edit(root, "No longer served.\n", "opt out")
