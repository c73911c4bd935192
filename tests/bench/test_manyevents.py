"""The generated wiki of many events (bench/manyevents.py): an export the dump: source reads,
whose roots call the config template and whose Day pages extract like the snapshot's."""

from __future__ import annotations

import importlib.util

from helpers import REPO

from wmstrategybot.config.event import parse_config
from wmstrategybot.config.files import load_config
from wmstrategybot.publish.read import read_event
from wmstrategybot.sources import DumpSource, SnapshotSource


def _manyevents():
    spec = importlib.util.spec_from_file_location("manyevents", REPO / "bench" / "manyevents.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _config(root: str, name: str):
    """The TOML config the root's template call stands for (the on-wiki parser is wave 2's)."""
    return parse_config(f"""
[site]
family = "meta"
code = "meta"

[event]
name = "{name}"
root = "{root}"
days = ["Day 1", "Day 2", "Day 3"]
summary = "Summary"

[targets]
summary = "{root}/Overview"
navbox = "{root}/Navigation"
data = "{root}/Data.json"
""")


def test_the_export_holds_5_pages_an_event_whose_roots_opt_in_and_whose_days_extract(tmp_path):
    bench = _manyevents()
    source = DumpSource(bench.export(tmp_path / "events.xml", 3))
    assert len(source.titles()) == 15
    roots = [bench.event_root(n) for n in (1, 2, 3)]
    assert source.embedded_in(bench.TEMPLATE) == roots
    root_text = source.read([roots[1]])[roots[1]].text
    assert "|name=Bench event 002|days=Day 1, Day 2, Day 3|summary=Summary|overview=/Overview" in root_text
    event, records = read_event(_config(roots[1], "Bench event 002"), source)
    expected, _ = read_event(load_config(), SnapshotSource())
    assert [(s.id, s.title) for s in event.sessions] == [(s.id, s.title) for s in expected.sessions]
    assert len(event.sessions) == 8
    day = records[f"{roots[1]}/Day 1"].text
    assert "{{:Bench events/Event 002/Navigation}}" in day and bench.SNAPSHOT_ROOT not in day
