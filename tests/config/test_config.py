"""The event config: defaults for a config that only names pages; one-line errors otherwise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import REPO, ROOT, SIGNUPS, copy_snapshot, invoke, page_file

from wmstrategybot.cli.main import cli
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
         "[event]: unknown key 'dayz' (known: id, name, root, days, summary, year, navbox_layout, render, accept)"),
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
    from wmstrategybot.config.event import _KNOWN

    readme = (REPO / "docs" / "config.md").read_text("utf-8")
    section = readme[readme.index("## The event config"):]
    section = section[: section.index("\n## ", 5)]
    for table, keys in _KNOWN.items():
        assert f"[{table}]" in section, table
        for key in keys or ():
            assert f"| `{key}` |" in section, f"[{table}] {key}"


def _config(tmp_path: Path, old: str, new: str) -> Path:
    base = (REPO / "src/wmstrategybot/events").glob("*2018*.toml")
    text = next(iter(base)).read_text()
    assert old in text, old
    path = tmp_path / "event.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_finding3_throttle_nan_is_accepted(tmp_path):
    """`throttle = nan` passes the config check; on a site run pywikibot's atexit handler then
    prints a traceback (ValueError: cannot convert float NaN to integer), even with -q.

    Found by the red team on main a9bf541."""
    wiki = copy_snapshot(tmp_path / "wiki")
    cfg = _config(tmp_path, "throttle = 10", "throttle = nan")
    r = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "extract")
    assert r.exit_code == 2, r.output[-300:]


def test_finding4_event_id_escapes_the_state_folder(tmp_path, monkeypatch):
    """`id = "../../x"` puts the lock (and state, report) file outside $XDG_DATA_HOME/wmstrategybot.

    Found by the red team on main a9bf541, which already refused this id."""
    wiki = copy_snapshot(tmp_path / "wiki")
    cfg = _config(tmp_path, 'id = "wmcon2018-strategy"', 'id = "../../escaped"')
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    r = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "run", "--dry-run")
    assert not list(tmp_path.glob("escaped*")), r.output[-300:]


DAYS_ONLY = '[event]\nroot = "Wikimedia Summit 2019/Documentation"\ndays = ["Day 1", "Day 2"]\n'


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e308", "-1"])
def test_a_throttle_or_timeout_out_of_range_is_refused_at_load(value):
    """Found by the red team on main a9bf541."""
    for key in ("throttle", "parse_timeout"):
        with pytest.raises(ConfigError, match=f"'{key}' must be a number of seconds"):
            parse_config(DAYS_ONLY + f"[bot]\n{key} = {value}\n", "c.toml")


def test_a_throttle_of_nan_exits_2_with_one_line(tmp_path):
    """Found by the red team on main a9bf541."""
    cfg = _config(tmp_path, "throttle = 10", "throttle = nan")
    r = CliRunner().invoke(cli, ["--config", str(cfg), "--source", f"dir:{tmp_path}", "extract"])
    assert r.exit_code == 2 and "'throttle' must be" in r.output and "Traceback" not in r.output


def test_a_day_named_twice_is_refused():
    """Found by the red team on main a9bf541."""
    with pytest.raises(ConfigError, match="'days' names the page 'Day 1' twice"):
        parse_config(DAYS_ONLY.replace('["Day 1", "Day 2"]', '["Day 1", " Day 1"]'), "c.toml")


def test_an_alias_under_two_areas_is_refused_naming_both():
    """Found by the red team on main a9bf541."""
    text = DAYS_ONLY + '[areas]\nAdvocacy = ["Outreach"]\n"Capacity Building" = ["outreach", "CB"]\n'
    with pytest.raises(ConfigError, match="'outreach' is listed under both 'Advocacy' and 'Capacity Building'"):
        parse_config(text, "c.toml")
    parse_config(DAYS_ONLY + '[areas]\nAdvocacy = ["advocacy", "Outreach"]\n', "c.toml")  # its own name: fine


NO_SIGNUPS = f'''[event]
root = "{ROOT}"
days = ["Day 1", "Day 2", "Day 3"]
summary = "Summary"
[targets]
summary = "{ROOT}/Overview"
navbox = "Template:Track navigation"
'''


def test_a_target_left_out_is_neither_rendered_nor_published(tmp_path):
    """First-hour trial (issue 12)."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(NO_SIGNUPS)
    out = tmp_path / "out"
    assert invoke("--config", str(cfg), "render", "-o", str(out)).exit_code == 0
    assert sorted(p.name for p in out.rglob("*.wikitext")) == ["Overview.wikitext", "Template:Track navigation.wikitext"]
    wiki = copy_snapshot(tmp_path / "wiki")
    signups_before = page_file(wiki, SIGNUPS).read_bytes()
    result = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert SIGNUPS not in result.output and "Data.json" not in result.output
    assert page_file(wiki, SIGNUPS).read_bytes() == signups_before
    assert not page_file(wiki, f"{ROOT}/Data.json").exists()
    assert invoke("--config", str(cfg), "--source", f"dir:{wiki}", "diff").exit_code == 0
    state = tmp_path / "state.db"
    ran = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "run", "--state", str(state))
    assert ran.exit_code == 0, ran.output
    assert "4 parsed" in ran.stderr  # the summary and three Day pages: no signup page


def test_an_event_without_targets_extracts_and_publishes_nothing(tmp_path):
    """First-hour trial (issue 12)."""
    cfg = tmp_path / "c.toml"
    cfg.write_text(NO_SIGNUPS[: NO_SIGNUPS.index("[targets]")])
    wiki = copy_snapshot(tmp_path / "wiki")
    before = sorted(p for p in wiki.rglob("*"))
    assert invoke("--config", str(cfg), "--source", f"dir:{wiki}", "extract").exit_code == 0
    result = invoke("--config", str(cfg), "--source", f"dir:{wiki}", "publish")
    assert result.exit_code == 0, result.output
    assert sorted(p for p in wiki.rglob("*")) == before
