"""Finding the events that opt in on the real wiki: `list=embeddedin`, one request, every
namespace; the text sources give the same answer for the same pages."""

from __future__ import annotations

import secrets

from wmstrategybot.sources import MemorySource


def test_the_wiki_lists_the_pages_that_transclude_the_template_in_one_request(pwb, admin, alice):
    from wmstrategybot.sources.site import SiteSource

    name = f"Discover test {secrets.token_hex(3)}"
    other = f"{name} other"
    pages = {
        f"{name} A/Root": f"Intro.\n{{{{{name}|name=A|days=Day 1}}}}\n",
        f"{name} B/Root": f"{{{{ template : {name.replace(' ', '_').lower()}\n|name=B}}}}",
        f"User:Alice/{name}": f"{{{{Template:{name}<!-- a comment -->|name=Alice's}}}}",
        f"{name} linking": f"See [[Template:{name}]].",
        f"{name} other": f"{{{{{other}|name=x}}}} <nowiki>{{{{{name}}}}}</nowiki>",
    }
    calling = sorted(pages)[:2] + [f"User:Alice/{name}"]
    admin.edit(f"Template:{name}", "'''{{{name}}}''' opts in.", "a config template")
    admin.edit(f"Template:{other}", "Another template.", "another template")
    for title, text in pages.items():
        (alice if title.startswith("User:Alice/") else admin).edit(title, text, "a page")
    source = SiteSource(pwb.Site("en", "testwiki"))
    before = source.requests
    found = source.embedded_in(name)
    assert sorted(found) == sorted(calling)
    assert source.requests - before == 1 and source.reads == 1
    assert source.embedded_in(f"template:{name.replace(' ', '_')}") == found
    assert source.embedded_in(other) == [f"{name} other"]
    # the text sources read the same texts the same way
    assert MemorySource(pages).embedded_in(name) == sorted(found)
    assert MemorySource(pages).embedded_in(other) == [f"{name} other"]
