"""Issue #20, point 5: an event's name is text. Any editor may write `{{Event track bot}}`, so a
name holding markup (a fixed-position box, an external link, a file, a template, a switch) must
reach the generated pages as the characters typed, in both render modes, on the real wiki."""

from __future__ import annotations

import re

import pytest

from test_live_runall import job, opt_in, snapshot_texts, wiki_api  # noqa: F401

pytestmark = pytest.mark.wiki

#: what a hostile editor writes as the name ('|' as {{!}}, as the template's doc says)
HOSTILE = ('<div style="position:fixed;top:0;left:0">FREE PRIZES</div> '
           "[http://evil.example/claim claim here] [[File:Evil.png]] "
           "''big'' __NOTOC__ <nowiki>~~~~</nowiki> &lt;b&gt; x\" style=\"position:fixed;top:0")
#: the same as readers must see it: every character as typed ({{!}} is the '|' it stands for)
SHOWN = ('<div style="position:fixed;top:0;left:0">FREE PRIZES</div> '
         "[http://evil.example/claim claim here] [[File:Evil.png]] ''big'' __NOTOC__ ~~~~ <b> x\" style=\"position:fixed;top:0")


def _html(api, title: str) -> str:
    """The page's HTML as readers get it (parsed afresh)."""
    text = api.page_text(title) or ""
    return str(api.get(action="parse", title=title, text=text, contentmodel="wikitext", prop="text",
                       disablelimitreport=1)["parse"]["text"])


def _shown(html: str) -> str:
    import html as entities

    return " ".join(entities.unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.mark.parametrize("render", ["wikitext", "module"])
def test_a_name_holding_markup_is_published_as_its_text(render, opt_in, job, wiki_api, admin):
    event = opt_in(f"Hostile name {render}", name=HOSTILE, render=render)
    ran = job()
    assert ran.code == 0, ran.why()
    section = ran.section(event.root)
    assert section.get("exit", 0) == 0, ran.why()
    for page in ("Navigation", "Overview"):
        html = _html(admin, event.title(page))
        styles = " ".join(re.findall(r'style="[^"]*"', html))  # (an attribute the name could have opened)
        assert "position:fixed" not in styles, page
        assert 'href="http://evil.example' not in html, page
        assert "<img" not in html and 'href="/index.php?title=File:Evil.png' not in html, page
        assert "<b>big</b>" not in html and "<i>big</i>" not in html, page
        assert 'class="mw-redirect"' not in html
        if page == "Navigation":  # the navbox's title is the name, shown whole
            assert " ".join(SHOWN.split()) in _shown(html), (page, _shown(html)[:600])
    # the saved wikitext holds no signature: '~~~~' stayed text through the pre-save transform
    assert "~~~~" not in (admin.page_text(event.title("Navigation")) or "")
