"""The event config: defaults for a config that only names pages; one-line errors otherwise."""

from __future__ import annotations

import re

import pytest

from wmstrategybot.config.event import parse_config
from wmstrategybot.config.files import load_config
from wmstrategybot.errors import ConfigError

MINIMAL = '[event]\nroot = "Wikimedia Summit 2019/Documentation"\ndays = ["Day 1", "Day 2"]\n' \
    '[targets]\nsummary = "A"\nnavbox = "B"\nsignups = "C"\ndata = "D"\n'


def test_a_config_that_only_names_pages_works():
    c = parse_config(MINIMAL)
    assert c.day_pages == ("Wikimedia Summit 2019/Documentation/Day 1", "Wikimedia Summit 2019/Documentation/Day 2")
    assert c.year == 2019 and c.id == "wikimedia-summit-2019-documentation" and c.summary_page is None
    assert c.name == "Wikimedia Summit 2019"  # what people read: never "Documentation"
    assert c.site.family == "meta" and c.bot.throttle is None


def test_bundled_config():
    c = load_config()
    assert len(c.areas) == 8 and c.summary_page.endswith("/Summary") and c.year == 2018


@pytest.mark.parametrize(
    "text, message",
    [
        ("[event]\nroot = 'R'\n", "missing key 'days'"),
        ("[targets]\nsummary = 'A'\n", "missing table [event]"),
        (MINIMAL + '[markers]\nsession = ["(unclosed"]\n', "bad regular expression"),
        (MINIMAL + '[markers]\nsession = ["^S(?P<number>\\\\d+)"]\n', "needs a named group 'title'"),
        (MINIMAL + '[bot]\nthrottle = -1\n', "throttle"),
        (MINIMAL + '[areas]\nX = 3\n', "aliases"),
        (MINIMAL + '[areas]\nX = "Y"\n', "aliases of 'X' must be a list of strings, not a string"),
        (MINIMAL + '[event2]\n', "unknown table [event2]"),
        (MINIMAL.replace('days', 'dayz = []\ndays'),
         "[event]: unknown key 'dayz' (known: id, name, root, days, summary, year, navbox_layout)"),
        (MINIMAL.replace('summary = "A"', 'overview = "A"'),
         "[targets]: unknown key 'overview' (known: navbox, summary, signups, data)"),
        (MINIMAL.replace('["Day 1", "Day 2"]', '"Day 1, Day 2"'), "'days' must be a list of page titles"),
        (MINIMAL + '[markers]\nsession = "^S(?P<title>.*)"\n', "'session' must be a list"),
        (MINIMAL.replace('summary = "A"', 'summary = 3'), "'summary' must be a non-empty string, not an integer"),
        (MINIMAL + '[site]\nfamily = ["meta"]\n', "'family' must be a non-empty string, not a list"),
        ("site = 3\n" + MINIMAL, "[site] must be a table, not an integer"),
        (MINIMAL.replace("[event]\n", "[event]\nid = 'a/b'\n"), "'id' must be letters"),
    ],
)
def test_errors_name_the_problem(text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_config(text, "c.toml")


@pytest.mark.parametrize("line", ["year = true", "maxlag = true", "throttle = false", "parse_timeout = 0", "year = 18"])
def test_booleans_and_odd_numbers_are_refused(line):
    table = "event" if line.startswith("year") else "bot"
    text = MINIMAL.replace("[event]\n", f"[event]\n{line}\n") if table == "event" else MINIMAL + f"[bot]\n{line}\n"
    with pytest.raises(ConfigError):
        parse_config(text, "c.toml")


def test_the_id_comes_from_the_whole_root():
    """Two events whose roots both end in /Documentation get different ids (state files, locks)."""
    a = parse_config(MINIMAL)
    b = parse_config(MINIMAL.replace("Summit 2019", "Summit 2022"))
    assert a.id != b.id and b.id == "wikimedia-summit-2022-documentation"
    assert parse_config(MINIMAL.replace("[event]\n", "[event]\nname = 'X'\n")).id == a.id  # not from the name
    long = parse_config(MINIMAL.replace("Wikimedia Summit 2019", "W" * 120))
    assert len(long.id) <= 80 and long.id != parse_config(MINIMAL.replace("Wikimedia Summit 2019", "W" * 121)).id


@pytest.mark.parametrize("root, name", [
    ("Wikimedia Summit 2022/Documentation", "Wikimedia Summit 2022"),
    ("Wikimedia Conference 2017/Documentation/Movement Strategy track",
     "Wikimedia Conference 2017: Movement Strategy track"),
    ("Documentation", "Documentation"),
])
def test_the_default_name_says_which_event(root, name):
    assert parse_config(MINIMAL.replace("Wikimedia Summit 2019/Documentation", root)).name == name


def test_every_target_is_optional():
    c = parse_config(MINIMAL.replace('signups = "C"\n', "").replace('data = "D"\n', ""))
    assert [k for k, _ in c.targets.items()] == ["navbox", "overview"]  # by kind, in the registry's order
    assert parse_config(MINIMAL[: MINIMAL.index("[targets]")]).targets.items() == []


def test_the_readme_documents_every_key():
    """The config doc's table of keys (docs/config.md, linked from the README) names every key the config knows."""

    from helpers import REPO

    from wmstrategybot.config.event import _KNOWN

    readme = (REPO / "docs" / "config.md").read_text("utf-8")
    section = readme[readme.index("## The event config"):]
    section = section[: section.index("\n## ", 5)]
    for table, keys in _KNOWN.items():
        assert f"[{table}]" in section, table
        for key in keys or ():
            assert f"| `{key}` |" in section, f"[{table}] {key}"
