"""The on-wiki config: {{Event track bot}} on an event's root page, read into an EventConfig."""

from __future__ import annotations

import json
import re

import mwparserfromhell
import pytest
from helpers import REPO

from wmstrategybot.config.event import (
    ConfigError,
    config_from_dict,
    default_id,
    default_name,
    parse_config,
)
from wmstrategybot.config.subtree import (
    AllowRule,
    allow_rule_from_text,
    opt_in_problem,
    subtree_problem,
)
from wmstrategybot.config.wiki import (
    PARAMETERS,
    TEMPLATE,
    ConfigProblem,
    read_wiki_config,
    status_page_for,
)
from wmstrategybot.model.settings import SiteConfig

ROOT = "Wikimedia Summit 2019/Documentation"
SITE = SiteConfig("meta", "meta")

FULL = """'''Documentation''' of the summit.

<div class="box">{{Event track bot
| name    = Wikimedia Summit 2019
| days    = Day 1, Day 2
| summary = Summary
| overview = /Overview
| navbox  = Template:Wikimedia Summit 2019/Documentation/Navigation
| signups = /Working groups/Sign-up
| data    = [[/Data.json]]
| areas   =
* Resource Allocation = Resources; Money
* Roles & Responsibilities = Roles
| markers =
session = ^S(?P<number>\\d+): (?P<title>.+)$
part = ^P(?P<number>\\d+){{!}}Part (?P<title>.+)$
| year    = 2019
| navbox layout = bar
}}</div>

== Day 1 ==
"""


def read(text: str, page: str = ROOT):
    return read_wiki_config(page, text, SITE)


def problems(text: str, page: str = ROOT) -> list[tuple[int | None, str | None]]:
    result = read(text, page)
    assert result.config is None and result.problems
    return [(p.line, p.key) for p in result.problems]


def only_problem(text: str, page: str = ROOT) -> ConfigProblem:
    result = read(text, page)
    assert result.config is None and len(result.problems) == 1, result.problems
    return result.problems[0]


def test_a_full_config_maps_every_parameter():
    result = read(FULL)
    assert result.problems == () and result.page == ROOT
    c = result.config
    assert c.name == "Wikimedia Summit 2019" and c.root == ROOT and c.origin == ROOT
    assert c.id == default_id(ROOT)
    assert c.days == ("Day 1", "Day 2") and c.day_pages == (f"{ROOT}/Day 1", f"{ROOT}/Day 2")
    assert c.summary_page == f"{ROOT}/Summary"
    assert c.targets.get("overview") == f"{ROOT}/Overview"
    assert c.targets.get("navbox") == "Template:Wikimedia Summit 2019/Documentation/Navigation"
    assert c.targets.get("signups") == f"{ROOT}/Working groups/Sign-up"
    assert c.targets.get("data") == f"{ROOT}/Data.json"
    assert c.areas == (("Resource Allocation", ("Resources", "Money")), ("Roles & Responsibilities", ("Roles",)))
    assert c.session_markers == (r"^S(?P<number>\d+): (?P<title>.+)$",)
    assert c.part_markers == (r"^P(?P<number>\d+)|Part (?P<title>.+)$",)  # {{!}} is a '|'
    assert c.year == 2019 and c.navbox_layout == "bar" and c.site == SITE
    assert c.bot.status_page == status_page_for(ROOT) == f"{ROOT}/Bot status"


def test_the_on_wiki_config_is_the_toml_config_it_mirrors():
    toml = f"""
[site]
family = "meta"
code = "meta"
[event]
root = "{ROOT}"
name = "Wikimedia Summit 2019"
days = ["Day 1", "Day 2"]
summary = "Summary"
year = 2019
navbox_layout = "bar"
[targets]
summary = "{ROOT}/Overview"
navbox = "Template:Wikimedia Summit 2019/Documentation/Navigation"
signups = "{ROOT}/Working groups/Sign-up"
data = "{ROOT}/Data.json"
[areas]
"Resource Allocation" = ["Resources", "Money"]
"Roles & Responsibilities" = ["Roles"]
[markers]
session = ['^S(?P<number>\\d+): (?P<title>.+)$']
part = ['^P(?P<number>\\d+)|Part (?P<title>.+)$']
[bot]
status_page = "{ROOT}/Bot status"
"""
    assert read(FULL).config == parse_config(toml)


def test_the_minimal_config_names_its_days_only():
    c = read("{{Event track bot|days=Day 1}}").config
    assert c.days == ("Day 1",) and c.name == default_name(ROOT) == "Wikimedia Summit 2019"
    assert c.targets.items() == [] and c.summary is None and c.areas == () and c.session_markers == ()
    assert c.bot.status_page == f"{ROOT}/Bot status" and c.bot.stop_page is None
    assert c.year == 2019 and c.navbox_layout == "side"


@pytest.mark.parametrize("text", ["Intro\n\n{{Event track bot}}", "{{Event track bot|days=}}",
                                  "{{Event track bot|name=X|days=<!-- later -->}}"])
def test_days_are_required(text):
    p = only_problem(text)
    assert p.key == "days" and p.line == text.count("\n", 0, text.index("{{")) + 1
    assert "required" in p.message


@pytest.mark.parametrize("days, expected", [
    ("Day 1, Day 2", ("Day 1", "Day 2")),
    ("Day 1,Day 2,", ("Day 1", "Day 2")),
    ("\n* Day 1\n* Day 2\n", ("Day 1", "Day 2")),
    ("[[/Day 1]], [[/Day 2|the second day]]", ("Day 1", "Day 2")),
    ("/Day 1/, ., Day 2", ("Day 1", ".", "Day 2")),
])
def test_days_are_relative_names_in_any_of_the_usual_forms(days, expected):
    assert read(f"{{{{Event track bot|days={days}}}}}").config.days == expected


@pytest.mark.parametrize("call", [
    "{{Event track bot|days=Day 1}}", "{{event track bot|days=Day 1}}", "{{Event_track_bot|days=Day 1}}",
    "{{ event_track  bot \n|days=Day 1}}", "{{Template:Event track bot|days=Day 1}}",
    "{{template : event track bot|days=Day 1}}", "{{Event track bot<!-- x -->|days=Day 1}}",
])
def test_the_call_is_found_by_its_name_as_mediawiki_reads_it(call):
    assert read(f"Intro\n<div>\n{call}\n</div>").config.days == ("Day 1",)


@pytest.mark.parametrize("text", [
    "No template here.", "{{Other template|days=Day 1}}", "<nowiki>{{Event track bot|days=Day 1}}</nowiki>",
    "<!-- {{Event track bot|days=Day 1}} -->", "{{:Event track bot|days=Day 1}}", "{{Event track bots|days=Day 1}}",
])
def test_no_call_is_a_problem(text):
    p = only_problem(text)
    assert (p.line, p.key) == (None, None) and f"does not call {{{{{TEMPLATE}}}}}" in p.message


def test_a_missing_page_is_a_problem():
    result = read_wiki_config(ROOT, None, SITE)
    assert result.config is None and "does not exist" in result.problems[0].message


def test_a_page_over_the_size_cap_is_a_problem_even_with_a_lone_surrogate():
    # counted as the other readers count (surrogatepass); a plain encode raised UnicodeEncodeError
    p = only_problem("{{Event track bot|days=Day 1}}\n\ud800" + "x" * (2 * 1024 * 1024))
    assert (p.line, p.key) == (None, None) and "larger than" in p.message


def test_two_calls_are_a_problem_at_the_second():
    text = "{{Event track bot|days=Day 1}}\nText\n\n{{Box|{{event track bot|days=Day 2}}}}"
    p = only_problem(text)
    assert (p.line, p.key) == (4, None) and "lines 1 and 4" in p.message


def test_each_problem_names_its_line_and_parameter():
    text = """Intro

{{Event track bot
|name=X
|dayz=Day 1
|days=Day 1
|overview=/../Other
|navbox=Template:Other
|markers=session = (?P<title>ok)
session = (foo
part = (?P<number>\\d+)
bogus = y
|year=twenty
|Day 2
|navbox layout=top
|days=Day 3
|summary=Summary, Notes
|signups={{FULLPAGENAME}}/Sign-up
|areas=
* Resources = Money
* Finance = money
}}"""
    assert problems(text) == [
        (5, "dayz"), (7, "overview"), (8, "navbox"), (10, "markers"), (11, "markers"), (12, "markers"),
        (13, "year"), (14, None), (15, "navbox layout"), (16, "days"), (17, "summary"), (18, "signups"),
        (19, "areas"),
    ]
    by_key = {(p.line, p.key): p.message for p in read(text).problems}
    assert "did you mean 'days'?" in by_key[(5, "dayz")]
    assert "bad regular expression '(foo'" in by_key[(10, "markers")]
    assert "named group 'title'" in by_key[(11, "markers")]
    assert "'session = regular expression'" in by_key[(12, "markers")]
    assert "a year" in by_key[(13, "year")]
    assert "unnamed value ('Day 2')" in by_key[(14, None)] and "{{!}}" in by_key[(14, None)]
    assert "'navbox layout' must be" in by_key[(15, "navbox layout")]
    assert "given twice (first on line 6)" in by_key[(16, "days")]
    assert "template call ({{FULLPAGENAME}})" in by_key[(18, "signups")]
    assert "listed under both" in by_key[(19, "areas")]
    assert str(read(text).problems[0]).startswith("line 5, dayz: unknown parameter")


def test_problems_print_with_their_line_and_key():
    assert str(ConfigProblem(4, "days", "required")) == "line 4, days: required"
    assert str(ConfigProblem(None, "days", "required")) == "days: required"
    assert str(ConfigProblem(4, None, "unnamed")) == "line 4: unnamed"
    assert str(ConfigProblem(None, None, "no call")) == "no call"


def test_an_unknown_parameter_with_underscores_is_told_its_name():
    p = only_problem("{{Event track bot|days=Day 1|navbox_layout=bar}}")
    assert p.key == "navbox_layout" and "did you mean 'navbox layout'?" in p.message


# hostile values: what the wiki itself would read, never more


def test_a_closing_brace_ends_the_call_as_on_the_wiki():
    c = read("{{Event track bot|days=Day 1}}, Day 2}}|overview=/Overview}}").config
    assert c.days == ("Day 1",) and c.targets.get("overview") is None


def test_a_pipe_in_a_value_starts_an_unnamed_value():
    assert problems("{{Event track bot|days=Day 1|Day 2}}") == [(1, None)]


def test_nowiki_is_read_as_its_text():
    c = read("{{Event track bot|days=Day 1|name=A <nowiki>}}|[[x]]</nowiki> B}}").config
    assert c.name == "A }}|[[x]] B"
    p = only_problem("{{Event track bot|days=Day <nowiki>1}}</nowiki>}}")
    assert p.key == "days" and "'}'" in p.message  # no page title holds a brace


def test_links_in_values():
    p = only_problem("{{Event track bot|days=Day 1|overview=[[Main Page]]}}")
    assert p.key == "overview" and "outside the event's pages" in p.message
    p = only_problem("{{Event track bot|days=Day 1|overview=[[/A]] [[/B]]}}")
    assert p.key == "overview"
    p = only_problem("{{Event track bot|days=Day [[1]]]}}")
    assert p.key == "days"
    c = read("{{Event track bot|days=Day 1|name=The [[Summit]]}}").config
    assert c.name == "The [[Summit]]"  # a name is text: the renderer escapes it


def test_a_page_ten_times_larger_reads_the_same():
    filler = "".join(f"== Section {n} ==\nText with [[links]], {{{{tl|x}}}} and <ref>a</ref>.\n" for n in range(400))
    small = read(FULL)
    big_text = filler * 5 + FULL + filler * 5
    assert len(big_text) > 10 * len(FULL)
    big = read(big_text)
    assert big.config == small.config
    bad = big_text.replace("| year    = 2019", "| year    = soon")
    (p,) = read(bad).problems
    assert p.key == "year" and p.line == big_text.count("\n", 0, big_text.index("| year")) + 1


# the subtree of the root: where an on-wiki config may make the bot write


@pytest.mark.parametrize("title", [
    f"{ROOT}/Overview", f"{ROOT}/A/B", "wikimedia_Summit 2019/Documentation/Overview",
    f"Template:{ROOT}", f"Template:{ROOT}/Navigation", f"Template:{ROOT}/Navbox",
    "template:wikimedia Summit 2019/Documentation/Navigation",
])
def test_inside_the_subtree(title):
    assert subtree_problem(ROOT, title) is None


def test_a_root_in_the_project_namespace_names_its_templates_by_any_of_its_names():
    for title in ("Template:Meta:Summit/Navigation", "Template:Project:Summit/Navbox", "Meta:Summit/Overview",
                  "Project:Summit/Overview"):
        assert subtree_problem("Meta:Summit", title) is None, title
    assert subtree_problem("Meta:Summit", "Template:Summit/Navigation")
    assert subtree_problem("Meta:Summit", "Summit/Overview")


@pytest.mark.parametrize("title", [
    ROOT, f"{ROOT}/", f"{ROOT}/../Other", f"{ROOT}/./Overview", "Wikimedia Summit 2019/Other",
    "Wikimedia Summit 2019/Documentation2/x", f"{ROOT}2/x", "Template:Other", f"Template:{ROOT}2",
    "Main Page", f"Talk:{ROOT}/Overview", f"User:X/{ROOT}", "User:X/..", f"Template:{ROOT} navigation",
])
def test_outside_the_subtree(title):
    assert subtree_problem(ROOT, title)


@pytest.mark.parametrize("value", [
    "/../Other", "/./x/../../Other", "Wikimedia Summit 2019/Documentation2/x", "Template:Other",
    "User:X/..", "User:X/Sandbox", "Main Page", f"Template:{ROOT}2", "Talk:Overview",
])
def test_a_target_outside_the_subtree_is_refused(value):
    p = only_problem(f"{{{{Event track bot|days=Day 1\n|data={value}}}}}")
    assert (p.line, p.key) == (2, "data") and repr(p.message)


def test_a_full_title_inside_the_subtree_is_taken_in_the_root_s_spelling():
    c = read("{{Event track bot|days=Day 1|overview=wikimedia_Summit 2019/Documentation/Overview}}").config
    assert c.targets.get("overview") == f"{ROOT}/Overview"


def test_days_and_summary_stay_inside_the_subtree():
    assert problems("{{Event track bot|days=Day 1, ../Other}}") == [(1, "days")]
    assert problems("{{Event track bot|days=Day 1|summary=../Summary}}") == [(1, "summary")]


def test_a_root_on_a_user_page_writes_only_below_it():
    page = "User:Alice/Summit"
    c = read("{{Event track bot|days=Day 1|overview=/Overview|signups=User:Alice/Summit/Signups}}", page).config
    assert c.targets.get("overview") == "User:Alice/Summit/Overview"
    assert c.targets.get("signups") == "User:Alice/Summit/Signups"
    assert c.bot.status_page == "User:Alice/Summit/Bot status" and c.day_pages == ("User:Alice/Summit/Day 1",)
    for value in ("Template:User:Alice/Summit", "Template:Alice/Summit", "User:Alice/Other", "User:Bob/Summit/x",
                  "User talk:Alice/Summit/x"):
        p = only_problem(f"{{{{Event track bot|days=Day 1|navbox={value}}}}}", page)
        assert p.key == "navbox", value


def test_a_json_page_below_a_users_page_is_a_problem_at_its_line():
    """MediaWiki lets only the user (and interface administrators) edit User:Alice/.../X.json
    (customjsonprotected): the wiki would refuse the bot's save every run."""
    p = only_problem("{{Event track bot\n|days=Day 1\n|data=/Data.json\n}}", "User:Alice/Summit")
    assert (p.line, p.key) == (3, "data") and "JSON page" in p.message
    assert read("{{Event track bot|days=Day 1|data=/Data.json}}").config is not None  # elsewhere a page like any


@pytest.mark.parametrize("data", ["/Data", "User:Alice/Summit/Data"])
def test_a_data_page_below_a_users_page_is_a_problem_whatever_its_title(data):
    """The data page is saved as JSON: once it exists, MediaWiki lets only Alice edit it
    (customjsonprotected), so the bot's first save works and every later one is refused."""
    p = only_problem(f"{{{{Event track bot\n|days=Day 1\n|data={data}\n}}}}", "User:Alice/Summit")
    assert (p.line, p.key) == (3, "data") and "JSON" in p.message and "leave data out" in p.message


def test_a_toml_config_still_never_writes_on_a_user_page():
    raw = {"event": {"root": "User:Alice/Summit", "days": ["Day 1"]},
           "targets": {"summary": "User:Alice/Summit/Overview"}}
    with pytest.raises(ConfigError, match="user's page"):
        config_from_dict(raw)
    assert config_from_dict(raw, own_subpages=True).targets.get("overview") == "User:Alice/Summit/Overview"


@pytest.mark.parametrize("page", ["Talk:Summit", "User talk:Alice/Summit", "Special:Summit"])
def test_a_root_where_no_status_page_may_be_is_a_problem(page):
    p = only_problem("{{Event track bot|days=Day 1}}", page)
    assert p.key is None and p.line == 1 and "status_page" in p.message


def test_a_root_in_another_namespace_keeps_its_targets_there():
    c = read("{{Event track bot|days=Day 1|overview=/Overview|navbox=Template:Help:Summit}}", "Help:Summit").config
    assert c.targets.get("overview") == "Help:Summit/Overview" and c.targets.get("navbox") == "Template:Help:Summit"


@pytest.mark.parametrize("root, title", [
    ("Wikimedia", "Template:Wikimedia Foundation"),  # a common-word root reaches others' templates
    ("Event track", "Template:Event track bot"),  # the config template every event calls
    ("Event track", "Template:Event track navbox"),  # a template the bot installed (its last editor)
    ("Summit/Documentation", "Template:Summit/Documentation navigation"),
])
def test_a_template_named_after_the_root_then_a_space_is_outside_the_subtree(root, title):
    """Found by the red team of `run --all` (issue 14)."""
    assert subtree_problem(root, title)
    text = f"{{{{Event track bot|days=Day 1|navbox={title}}}}}"
    assert read_wiki_config(root, text, SiteConfig()).config is None


@pytest.mark.parametrize("title", ["Template:Wikimedia", "Template:Wikimedia/Navbox", "Tm:Wikimedia/Navbox"])
def test_a_template_at_the_root_or_below_it_stays_inside(title):
    """Found by the red team of `run --all` (issue 14)."""
    assert subtree_problem("Wikimedia", title) is None


@pytest.mark.parametrize("value", [
    "/../Other", "/./Overview", "/x/../../Evil", "Summit/Documentation/ ../x", "Summit/Documentation/%2F..",
    "Summit/Documentation%2FOverview", ":Summit/Documentation/x", "en:Summit/Documentation/x",
    ":en:Summit/Documentation/x", "Summit/Documentation\uff0fx", "Summit/Documentation\u200b/x",
    "Summit_/Documentation/x", "Summit/Documentation/x#y", "T:Summit/Documentation/x", "Talk:Summit/Documentation/x",
    "User:Summit/Documentation/x", "MediaWiki:Summit/Documentation/x", "Module:Summit/Documentation/x",
    "Summit/Documentation", "/", "Template:Summit", "Template:Summit/Documentation2",
])
def test_a_name_outside_the_subtree_is_refused_whatever_its_spelling(value):
    """Found by the red team of `run --all` (issue 14)."""
    text = f"{{{{Event track bot|days=Day 1|overview={value}}}}}"
    read = read_wiki_config("Summit/Documentation", text, SiteConfig())
    assert read.config is None and read.problems[0].key == "overview", value


@pytest.mark.parametrize("value", ["../Main Page", "./Day 1", "%2E%2E/x", "Day 1, ../../Main Page"])
def test_a_day_outside_the_subtree_is_refused(value):
    """Found by the red team of `run --all` (issue 14)."""
    text = f"{{{{Event track bot|days={value}}}}}"
    assert read_wiki_config("Summit/Documentation", text, SiteConfig()).config is None


@pytest.mark.parametrize("root, alias", [("Meta:Summit", "WP"), ("Meta:Summit", "Project"), ("Project:Summit", "Meta"),
                                         ("Testwiki:Summit", "Wikipedia")])
def test_a_subpage_named_with_another_alias_of_the_root_s_namespace_is_written_in_the_root_s_spelling(root, alias):
    # the offline table reads every wiki's alias as namespace 4; a wiki that does not know the
    # alias would read WP:Summit/Overview as a main-namespace page: the bot writes the root's spelling
    """Found by the red team of `run --all` (issue 14)."""
    text = f"{{{{Event track bot|days=Day 1|overview={alias}:Summit/Overview}}}}"
    assert read_wiki_config(root, text, SiteConfig()).config.targets.get("overview") == f"{root}/Overview"


@pytest.mark.parametrize("root, value", [
    ("Summit/Documentation", "Tm:Summit/Documentation/Navigation"),  # Tm: is no namespace on Meta
    ("Summit/Documentation", "tm:summit/Documentation/Navigation"),
    ("Summit/Documentation", "Template:Summit/Documentation/Navigation"),
    ("Meta:Summit", "Tm:WP:Summit/Navigation"),
    ("Meta:Summit", "Template:Project:Summit/Navigation"),
])
def test_a_template_named_with_an_alias_is_written_under_template_in_the_root_s_spelling(root, value):
    # the offline table reads 'Tm:' as Template: (as English Wikipedia does); on a wiki that does
    # not, Tm:Summit/Documentation/Navigation is a main-namespace page outside the subtree
    """Found by the red team of `run --all` (issue 14)."""
    text = f"{{{{Event track bot|days=Day 1|navbox={value}}}}}"
    assert read_wiki_config(root, text, SiteConfig()).config.targets.get("navbox") == f"Template:{root}/Navigation"


@pytest.mark.parametrize("root, value", [("Template:Foo", "Template:Foo"), ("Template:Foo", "Tm:Foo"),
                                         ("Summit", "Summit"), ("Meta:Summit", "Project:Summit")])
def test_the_config_page_itself_is_never_a_target(root, value):
    """Found by the red team of `run --all` (issue 14)."""
    text = f"{{{{Event track bot|days=Day 1|navbox={value}}}}}"
    assert read_wiki_config(root, text, SiteConfig()).config is None


# who may opt in


def test_no_rule_lets_every_page_opt_in():
    assert opt_in_problem("User:Alice/Summit", AllowRule()) is None


def test_namespaces_restrict_who_opts_in():
    rule = AllowRule(namespaces=frozenset({0, 4}))
    assert opt_in_problem(ROOT, rule) is None and opt_in_problem("Meta:Summit", rule) is None
    assert "namespace 2" in opt_in_problem("User:Alice/Summit", rule)


def test_the_allowlist_admits_titles_and_prefixes():
    rule = AllowRule(pages=allow_rule_from_text(
        "Events the bot may serve:\n* [[Wikimedia Summit 2019/Documentation]]\n"
        "*[[:Wikimedia Conference/|every conference]]\n* User:Alice/Summit\nNot a list line [[Other]]\n"))
    assert rule.pages == frozenset({ROOT, "Wikimedia Conference/", "User:Alice/Summit"})
    assert opt_in_problem("Wikimedia_Summit 2019/Documentation", rule) is None
    assert opt_in_problem("wikimedia Conference/2018/Documentation", rule) is None
    assert opt_in_problem("User:Alice/Summit", rule) is None
    for page in ("Other", "Wikimedia Summit 2019/Documentation/Day 1", "Wikimedia Conference", "User:Alice/Summit2"):
        assert "not on the bot operator's list" in opt_in_problem(page, rule), page
    both = AllowRule(namespaces=frozenset({0}), pages=rule.pages)
    assert opt_in_problem("User:Alice/Summit", both) and opt_in_problem(ROOT, both) is None


def test_an_allowlist_line_with_markup_names_nothing():
    assert allow_rule_from_text("* [[Title|x]]\n* {{Template}}\n* a|b\n* [[]]") == frozenset({"Title"})


# the template on the wiki and the parameters the bot reads: one contract


TEMPLATE_DIR = REPO / "templates_wikitext" / "Template"


def test_the_template_and_its_templatedata_name_exactly_the_parameters_the_bot_reads():
    doc = (TEMPLATE_DIR / TEMPLATE / "doc.wikitext").read_text("utf-8")
    data = json.loads(doc.split("<templatedata>")[1].split("</templatedata>")[0])
    assert list(data["params"]) == data["paramOrder"] == list(PARAMETERS)
    assert [name for name, p in data["params"].items() if p.get("required")] == ["days"]
    for name in PARAMETERS:
        assert f"<code>{name}</code>" in doc, name  # each is explained in words too
    box = (TEMPLATE_DIR / f"{TEMPLATE}.wikitext").read_text("utf-8")
    used = set(re.findall(r"\{\{\{([^|{}]+)", box))
    assert used <= set(PARAMETERS) and used >= set(PARAMETERS) - {"year", "navbox layout", "render", "accept",
                                                                 "heading level", "sessions from", "day headings",
                                                                 "break words", "speakers after comma"}


def test_neither_the_template_nor_its_doc_is_an_event():
    # discovery lists the pages that transclude the template: its own pages must not call it
    for path in (TEMPLATE_DIR / f"{TEMPLATE}.wikitext", TEMPLATE_DIR / TEMPLATE / "doc.wikitext"):
        (p,) = read_wiki_config(f"Template:{path.stem}", path.read_text("utf-8"), SITE).problems
        assert "does not call" in p.message
    example = (TEMPLATE_DIR / TEMPLATE / "doc.wikitext").read_text("utf-8").split("<pre>")[1].split("</pre>")[0]
    assert read(example).problems == ()  # the documented example is a valid config


def test_markup_in_the_name_reaches_the_generated_pages_as_text():
    from wmstrategybot.model.event import Day, Event
    from wmstrategybot.render.sessions import render_navbox

    text = "{{Event track bot|days=Day 1|name=<nowiki>{{nobots}} [[Category:Spam]] __NOINDEX__</nowiki>}}"
    config = read(text).config
    assert config.name == "{{nobots}} [[Category:Spam]] __NOINDEX__"
    navbox = render_navbox(Event("x", config.name, ROOT, days=(Day(1, f"{ROOT}/Day 1"),)), config, "side")
    code = mwparserfromhell.parse(navbox)
    assert not [t for t in code.filter_templates() if str(t.name).strip().lower() == "nobots"]
    assert not [link for link in code.filter_wikilinks() if str(link.title).lower().startswith("category")]
    assert "__NOINDEX__" not in navbox


def test_the_readme_documents_every_parameter():
    readme = (REPO / "docs" / "config.md").read_text("utf-8")
    section = readme.split("## The event config on the wiki")[1].split("\n## ")[0]
    for name in PARAMETERS:
        assert f"`{name}`" in section, name
    example = section.split("```\n")[1].split("```")[0]
    assert read(example).problems == ()
