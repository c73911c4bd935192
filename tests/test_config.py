"""The event config: defaults for a config that only names pages; one-line errors otherwise."""

from __future__ import annotations

import re

import pytest

from wmstrategybot.config import load_config, parse_config
from wmstrategybot.errors import ConfigError

MINIMAL = '[event]\nroot = "Wikimedia Summit 2019/Documentation"\ndays = ["Day 1", "Day 2"]\n' \
    '[targets]\nsummary = "A"\nnavbox = "B"\nsignups = "C"\ndata = "D"\n'


def test_a_config_that_only_names_pages_works():
    c = parse_config(MINIMAL)
    assert c.day_pages == ("Wikimedia Summit 2019/Documentation/Day 1", "Wikimedia Summit 2019/Documentation/Day 2")
    assert c.year == 2019 and c.id == "documentation" and c.summary_page is None
    assert c.site.family == "meta" and c.bot.throttle is None


def test_bundled_config():
    c = load_config()
    assert len(c.areas) == 8 and c.summary_page.endswith("/Summary") and c.year == 2018


@pytest.mark.parametrize(
    "text, message",
    [
        ("[event]\nroot = 'R'\n", "missing key 'days'"),
        (MINIMAL[: MINIMAL.index("[targets]")], "missing table [targets]"),
        (MINIMAL + '[markers]\nsession = ["(unclosed"]\n', "bad regular expression"),
        (MINIMAL + '[markers]\nsession = ["^S(?P<number>\\\\d+)"]\n', "needs a named group 'title'"),
        (MINIMAL + '[bot]\nthrottle = -1\n', "throttle"),
        (MINIMAL + '[areas]\nX = 3\n', "aliases"),
        (MINIMAL + '[event2]\n', "unknown table [event2]"),
        (MINIMAL.replace('days', 'dayz = []\ndays'), "[event]: unknown key 'dayz'"),
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
