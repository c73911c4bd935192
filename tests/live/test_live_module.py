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
    # this checkout's code (not the one the virtualenv installed)
    env = {"PYWIKIBOT_DIR": str(PYWIKIBOT_DIR), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "PYTHONPATH": str(REPO / "src")}
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


# --- golden: the module's HTML against the wikitext mode's, as the real wiki parses both ---

GOLDEN_DAY_1 = ("== D1.01 / Opening ==\nWe met in the [[Main Page|big hall]], a '''first''' time.\n"
                "=== 01 . Welcome words ===\nText.\n=== 02 . Women's hour - part 2 ===\nText.\n"
                "== D1.02 / The big picture ==\nText.\n")


def _shape(html_text: str) -> dict:
    """What a reader gets from a page's HTML, whitespace normalised: the links (target and text),
    the headings, the navbox's groups and every element's classes, in order."""
    import html as html_lib

    def text(fragment: str) -> str:
        return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    links = [(html_lib.unescape(href), text(inner)) for href, inner in
             re.findall(r'<a [^>]*?href="([^"]*)"[^>]*>(.*?)</a>', html_text, re.S)]
    selflinks = [text(inner) for inner in re.findall(r'<a class="mw-selflink selflink">(.*?)</a>', html_text)]
    return {
        "links": links, "selflinks": selflinks,
        "headings": [text(h) for h in re.findall(r"<h\d[^>]*>(.*?)</h\d>", html_text, re.S)],
        "groups": [text(g) for g in re.findall(r'<div class="event-track-navbox-label"[^>]*>(.*?)</div>', html_text)],
        "classes": [" ".join(c.split()) for c in re.findall(r'class="([^"]*)"', html_text)],
        "text": text(html_text),
    }


def _parsed(api, title: str) -> str:
    return str(api.get(action="parse", page=title, prop="text", disablelimitreport=1, disableeditsection=1,
                       disabletoc=1)["parse"]["text"])


def test_the_module_draws_the_navbox_and_overview_as_the_wikitext_mode_does(admin, wiki, module_event, tmp_path):
    """Golden: one event run in wikitext mode, then in module mode; the overview and the navbox,
    as the real wiki parses them, have the same links, groups, headings, classes and text."""
    root = module_event
    admin.edit(f"{root}/Day 1", GOLDEN_DAY_1, "a Day page with a summary, parts and punctuation")
    config = admin.page_text(root)
    admin.edit(root, config.replace("| render = module\n", "| signups = /Sign-up\n"), "wikitext mode")
    pages = [f"{root}/Overview", f"{root}/Navigation", f"{root}/Day 2"]
    first = _section(_run_all(tmp_path), root)
    assert first["outcome"] == "done", json.dumps(first)[:1500]
    wiki.run_jobs()
    wikitext = {t: _shape(_parsed(admin, t)) for t in pages}
    assert "{{#invoke:" not in admin.page_text(f"{root}/Overview")

    admin.edit(root, config.replace("| render = module\n", "| signups = /Sign-up\n| render = module\n"),
               "module mode")
    second = _section(_run_all(tmp_path), root)
    assert second["outcome"] == "done", json.dumps(second)[:1500]
    wiki.run_jobs()
    assert "{{#invoke:Event track bot|sessions|" in admin.page_text(f"{root}/Overview")
    module = {t: _shape(_parsed(admin, t)) for t in pages}
    (tmp_path / "shapes.json").write_text(json.dumps({"wikitext": wikitext, "module": module}, indent=1))  # to read a failure
    for title in pages:
        for key in ("links", "selflinks", "headings", "groups", "classes", "text"):
            assert module[title][key] == wikitext[title][key], (title, key)
    nav = wikitext[f"{root}/Navigation"]
    assert nav["groups"] == ["Day 1", "Day 2"] and "hlist" in " ".join(nav["classes"])
    assert any(text == "Sign up for a working group" for _, text in nav["links"])
    assert wikitext[f"{root}/Day 2"]["selflinks"] == ["Day 2"]  # the page read, in the box
    overview = wikitext[f"{root}/Overview"]
    assert ("/index.php/Main_Page", "big hall") in overview["links"]  # the summary's link, kept
    assert "Women's hour - part 2" in overview["text"] and "Module event" in overview["selflinks"]


@pytest.mark.parametrize("summary, shown", [
    ("In the [[Main Page|hall]], '''bold'''.", "In the [[Main Page|hall]], '''bold'''."),
    ("__NOINDEX__ and ___", "_&#95;NOINDEX_&#95; and _&#95;_"),
    ("[[Category:X]] [[ file:A.png]] [[de:Seite]] [[Help:Me]]",
     "[[:Category:X]] [[: file:A.png]] [[:de:Seite]] [[Help:Me]]"),
    ("{{subst:X}} {{#if:a|b}}", "&#123;&#123;subst:X&#125;&#125; &#123;&#123;#if:a|b&#125;&#125;"),
    ("a\n== Heading ==", "a\n&#61;= Heading =="),
])
def test_the_module_keeps_a_summary_s_links_and_makes_text_what_would_change_the_page(admin, templates_installed,
                                                                                      summary, shown):
    """The module's summary_text, run by the wiki's Lua (the Scribunto console)."""
    source = (REPO / "templates_wikitext" / "Module" / "Event track bot.lua").read_text("utf-8")
    answer = admin.post(action="scribunto-console", title="Module:Event track bot", content=source,
                        question="=p.summary_text(" + json.dumps(summary) + ")", clear=1)
    assert answer.get("type") == "normal", answer
    assert answer["return"] == shown


# --- translatable pages, at the markup level (the test wiki has no Translate extension) ---

UNITS = ("<translate>\n<!--T:1-->\nThe event's own words, with a <tvar name=\"year\">2026</tvar>.\n</translate>",
         "<translate>\n== Notes == <!--T:2-->\nMore words.\n</translate>")


def _people_s_units(text: str) -> list[str]:
    """The <translate> units of a page outside the bot's regions, byte for byte."""
    from wmstrategybot.wikitext.regions import find_regions

    regions = sorted(find_regions(text).values(), key=lambda r: r.begin)
    outside, pos = [], 0
    for r in regions:
        outside.append(text[pos:r.begin])
        pos = r.end
    outside.append(text[pos:])
    return re.findall(r"<translate>.*?</translate>", "".join(outside), re.S)


def _wikitext_mode(admin, root: str) -> str:
    config = admin.page_text(root)
    admin.edit(root, config.replace("| render = module\n", ""), "wikitext mode")
    return config


def test_a_translatable_overview_keeps_its_units_byte_identical_in_both_modes(admin, module_event, tmp_path):
    root = module_event
    config = _wikitext_mode(admin, root)
    overview = f"{root}/Overview"
    text = ("<languages/>\n" + UNITS[0] + "\n{{:" + root + "/Navigation}}\n<!-- wmstrategybot:begin sessions -->\n"
            "<!-- wmstrategybot:end sessions -->\n" + UNITS[1] + "\n")
    admin.edit(overview, text, "a translatable overview, its region handed to the bot")
    first = _section(_run_all(tmp_path), root)
    assert first["outcome"] == "done", json.dumps(first)[:1500]
    after = admin.page_text(overview)
    assert _people_s_units(after) == list(UNITS)
    assert after.startswith("<languages/>\n" + UNITS[0]) and "Welcome words" in after
    assert '== <translate>Day <tvar name="day">1</tvar></translate> ==' in after  # the bot's own unit
    assert any("marked for translation again" in w for w in first["warnings"] + first["notes"]), first

    admin.edit(root, config, "module mode")
    second = _section(_run_all(tmp_path), root)
    assert second["outcome"] == "done", json.dumps(second)[:1500]
    after = admin.page_text(overview)
    assert _people_s_units(after) == list(UNITS) and "{{#invoke:Event track bot|sessions|" in after
    assert "<translate>Day" not in after  # the module's call: no sentence on the page


def test_a_region_inside_a_unit_is_refused_with_why(admin, module_event, tmp_path):
    root = module_event
    overview = f"{root}/Overview"
    text = ("<languages/>\n<translate>\n<!--T:1-->\nIntro.\n<!-- wmstrategybot:begin sessions -->\n"
            "<!-- wmstrategybot:end sessions -->\n</translate>\n")
    admin.edit(overview, text, "a region inside a unit")
    before = admin.latest_revid(overview)
    report = _section(_run_all(tmp_path), root)
    (refused,) = [r for r in report["refused"] if r["title"] == overview]
    assert "inside a <translate> unit" in refused["reason"] and "outdated" in refused["reason"], refused
    assert "move the marker pair outside" in refused["reason"]
    assert admin.latest_revid(overview) == before and admin.page_text(overview) == text.rstrip()


def test_the_module_on_a_de_page_shows_german_interface_words(admin, wiki, module_event, tmp_path):
    root = module_event
    assert _section(_run_all(tmp_path), root)["outcome"] == "done"
    admin.edit(f"{root}/Day 1/de", "Tag 1, auf Deutsch.", "a translated Day page")
    # a translation page as Translate builds it: what stands outside the units, copied as it is
    for page in ("Overview", "Navigation"):
        admin.edit(f"{root}/{page}/de", admin.page_text(f"{root}/{page}"), "a translation page")
    html = _parsed(admin, f"{root}/Overview/de")
    assert "Tag 1" in html and "Tag 2" in html and ">Day 1<" not in html, html
    assert "Welcome words" in html  # session titles stay as written
    assert f'href="/index.php/{root.replace(" ", "_")}/Day_1/de#' in html  # the translated Day page, linked
    nav = _parsed(admin, f"{root}/Navigation/de")
    assert "Tag 1" in nav and "Day 1" not in _shape(nav)["text"]
    english = _parsed(admin, f"{root}/Overview")
    assert "Day 1" in english and "Tag 1" not in english


@pytest.mark.parametrize("render", ["wikitext", "module"])
def test_the_first_run_leaves_no_red_link_on_any_generated_page(admin, wiki, module_event, tmp_path, render):
    root = module_event
    if render == "wikitext":
        _wikitext_mode(admin, root)
    report = _section(_run_all(tmp_path), root)
    assert report["outcome"] == "done", json.dumps(report)[:1500]
    assert {e["title"] for e in report["edited"]} >= {f"{root}/Overview", f"{root}/Navigation", f"{root}/Data.json"}
    for title in (f"{root}/Overview", f"{root}/Navigation", root):  # as readers see them, no job run
        html = _parsed(admin, title)
        assert 'class="new"' not in html, (title, re.findall(r'<a [^>]*class="new"[^>]*>', html))
        assert "event-track-missing" not in html, title
    wiki.run_jobs()
    html = _parsed(admin, f"{root}/Day 2")  # a Day page showing the navbox
    assert 'class="new"' not in html and "Working groups" in html
