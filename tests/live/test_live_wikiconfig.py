"""{{Event track bot}} as organisers see it: installed by `templates sync`, rendered by the real
MediaWiki (action=parse), and read by the bot from the same text."""

from __future__ import annotations

import html
import re
import urllib.parse

import pytest

from wmstrategybot.config.wiki import read_wiki_config, status_page_for
from wmstrategybot.model.settings import SiteConfig

CONFIG = """Intro of the event.

{{Event track bot
| name     = Box Summit 2019
| days     = Day 1, Day 2
| summary  = Summary
| overview = /Overview
| navbox   = Template:%(root)s/Navigation
| data     = %(root)s/Data.json
| areas    =
* Roles & Responsibilities = Responsibilities
}}

== Notes ==
"""


def _parse(api, text: str, title: str) -> str:
    parsed = api.get(action="parse", title=title, contentmodel="wikitext", prop="text", text=text,
                     disablelimitreport=1)["parse"]
    return str(parsed["text"])


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _links(fragment: str) -> set[str]:
    """The pages the fragment links to, as titles ('_' as spaces)."""
    found = set()
    for href in re.findall(r'<a [^>]*href="([^"]+)"', fragment):
        href = html.unescape(href)
        m = re.search(r"[?&]title=([^&]+)", href) or re.search(r"/index\.php/([^?#]+)", href)
        if m:
            found.add(urllib.parse.unquote(m.group(1)).replace("_", " "))
    return found


@pytest.mark.parametrize("root", ["Boxtest 2019/Documentation", "User:Alice/Box summit"])
def test_the_box_names_the_pages_and_shows_the_status(templates_installed, admin, root):
    text = CONFIG % {"root": root}
    read = read_wiki_config(root, text, SiteConfig("testwiki", "en"))
    if root.startswith("User:"):  # a user's page has no Template: pages of its own, and its
        # .json subpages only the user may edit
        assert [p.key for p in read.problems] == ["navbox", "data"]
    else:
        assert read.problems == () and read.config.targets.get("navbox") == f"Template:{root}/Navigation"
    out = _parse(admin, text, root)
    assert "{{{" not in out and "}}}" not in out and "error" not in out
    shown = _text(out)
    assert "Box Summit 2019" in shown and "Day 1, Day 2" in shown
    links = _links(out)
    assert {f"{root}/Summary", f"{root}/Overview", f"Template:{root}/Navigation", f"{root}/Data.json",
            status_page_for(root)} <= links, links
    assert "thematic areas" in shown and "Responsibilities" not in shown
    assert "has not reported on this event yet" in shown  # no status page yet: the fallback
    admin.edit(status_page_for(root), "== Bot status ==\nOutcome of the bot's runs: '''done''' (box test).", "test")
    out = _parse(admin, text, root)
    assert re.search(r"<h2>.*Bot status", out)  # the status page's own markup, headings included
    shown = _text(out)
    assert "Outcome of the bot's runs: done (box test)." in shown
    assert "has not reported" not in shown


def test_the_box_says_when_days_are_missing(templates_installed, admin):
    out = _parse(admin, "{{Event track bot|name=Nothing yet}}", "Boxtest empty")
    assert "(no days given to Template:Event track bot" in _text(out) and "{{{" not in out
