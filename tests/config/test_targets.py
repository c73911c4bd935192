"""Targets a config must never name (offline: English namespace names and common aliases; the
site source checks again with the wiki's own tables, see test_live_faults.py)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wmstrategybot.cli.main import cli
from wmstrategybot.config.event import parse_config
from wmstrategybot.errors import ConfigError
from wmstrategybot.model.titles import namespace_of, talk_title

BASE = """
[event]
root = "{root}"
days = ["Day 1"]
[targets]
summary = "{summary}"
navbox = "Template:E nav"
signups = "E/Sign-up"
data = "E/Data.json"
"""


def config(summary: str, root: str = "E"):
    return parse_config(BASE.format(root=root, summary=summary.replace("\\", "\\\\")))


@pytest.mark.parametrize(("title", "why"), [
    ("User:Bob", "user's page"),
    ("User talk:Bob", "user's page"),
    ("user_talk:Bob", "user's page"),
    ("UT:Bob", "user's page"),
    ("Talk:Main Page", "talk page"),
    ("Template talk:E nav", "talk page"),
    ("Meta talk:E", "talk page"),
    ("Wikipedia talk:E", "talk page"),
    ("Somewiki talk:E", "talk page"),
    ("Special:BlankPage", "virtual page"),
    ("Media:X.png", "virtual page"),
    ("File:X.png", "namespace 6"),
    ("Category:E", "namespace 14"),
    ("MediaWiki:Common.js", "namespace 8"),
    ("Foo#frag", "fragment"),
    ("E/Overview#Top", "fragment"),
    (":en:Foo", "starts with ':'"),
    (":", "starts with ':'"),
    ("[[E/Overview]]", "'['"),
    ("E|Overview", "'|'"),
    ("E<b>", "'<'"),
    ("E{{x}}", "'{'"),
    ("E/~~~~", "'~~~'"),
    ("E%2FOverview", "'%2F'"),
    ("../Overview", "'../'"),
    ("Template:", "names a namespace"),
    ("   ", "must be a non-empty string"),
    ("E/" + "x" * 300, "longer than"),
])
def test_a_target_outside_an_events_namespaces_or_not_a_title_is_refused(title, why):
    with pytest.raises(ConfigError) as err:
        config(title)
    assert why in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize("title", [
    "E/Overview", "Template:E overview", "Project:E/Overview", "Meta:E/Overview", "WP:E/Overview",
    "Wikimedia Conference 2018: Overview", "Project:E/Data.json",
])
def test_targets_in_main_project_and_template_are_fine(title):
    assert config(title).targets.get("overview") == title


def test_the_roots_own_namespace_is_allowed_but_never_a_users():
    assert config("Help:Events/E/Overview", root="Help:Events/E").targets.get("overview") == "Help:Events/E/Overview"
    with pytest.raises(ConfigError):
        config("Help:Events/E/Overview")
    with pytest.raises(ConfigError, match="user's page"):
        config("User:Bob/E/Overview", root="User:Bob/E")


def test_namespace_prefixes_are_read_as_the_wiki_does():
    assert namespace_of("user_talk:X") == 3 and namespace_of(" Template :X") == 10
    assert namespace_of("Foo:Bar") == 0 and namespace_of("Bar") == 0


def test_a_bad_target_from_the_command_line_is_one_line_and_exit_2(tmp_path):
    cfg = tmp_path / "e.toml"
    cfg.write_text(BASE.format(root="E", summary="User:Bob"))
    result = CliRunner().invoke(cli, ["--config", str(cfg), "diff"])
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"wmstrategybot: error: {cfg} [targets]: summary target 'User:Bob' is a user's page (namespace 2); "
        "the bot writes only in the main, Project and Template namespaces"]


def test_the_status_page_may_be_in_user_space_but_never_a_talk_page():
    base = BASE.format(root="E", summary="E/Overview") + "[bot]\nstatus_page = \"{}\"\n"
    assert parse_config(base.format("User:WmBot/status")).bot.status_page == "User:WmBot/status"
    assert parse_config(base.format("E/Bot status")).bot.status_page == "E/Bot status"
    for bad, why in (("User talk:WmBot/status", "user's page"), ("Talk:E", "talk page"), ("E#x", "fragment")):
        with pytest.raises(ConfigError, match=why):
            parse_config(base.format(bad))


@pytest.mark.parametrize("title, talk", [
    ("Summit A/Documentation", "Talk:Summit A/Documentation"), ("Meta:Event/X", "Project talk:Event/X"),
    ("Template:Event", "Template talk:Event"), ("talk:X", None), ("Special:X", None), ("Topic:abc", None)])
def test_the_talk_page_of_a_root_is_named_as_mediawiki_names_it(title, talk):
    assert talk_title(title) == talk
