"""The `run --all` benchmark's pieces that need no wiki (bench/allevents.py): each event's local
TOML config says what its on-wiki config says, and the README's tables come out of its figures."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import replace

from helpers import REPO

from wmstrategybot.config.files import load_config


def _allevents():
    sys.path.insert(0, str(REPO / "bench"))  # allevents imports manyevents beside it
    spec = importlib.util.spec_from_file_location("allevents", REPO / "bench" / "allevents.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["allevents"] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_each_local_config_is_the_events_on_wiki_config_with_no_throttle(tmp_path):
    bench = _allevents()
    paths = bench.write_configs(tmp_path, 2)
    assert [p.name for p in paths] == ["event-001.toml", "event-002.toml"]
    for number, path in enumerate(paths, start=1):
        local, on_wiki = load_config(path), bench.wiki_config(number)
        assert local.bot.throttle == 0
        assert replace(local, bot=replace(local.bot, throttle=on_wiki.bot.throttle)) == on_wiki
        assert local.root == f"Bench events/Event {number:03d}"
        assert local.bot.status_page == f"{local.root}/Bot status"
        assert local.targets.get("overview") == f"{local.root}/Overview" and local.targets.get("data") == f"{local.root}/Data.json"
    assert bench.write_job(tmp_path / "job.toml").read_text() == "[job]\nthrottle = 0\n"


def _figures(bench, requests, bot, reads, read, edited, seconds, rss, processes=2):
    f = bench.Figures()
    for _ in range(processes):
        f.add({"api_requests": bot // processes, "api_reads": reads // processes, "pages_read": read // processes,
               "edited": [{}] * (edited // processes)}, requests // processes, seconds / processes, rss, 0)
    return vars(f)


def test_the_table_shows_both_sides_each_run_and_the_rss_by_number_of_events():
    bench = _allevents()
    single = {"first": _figures(bench, 74, 52, 32, 14, 6, 4.2, 46), "noop": _figures(bench, 4, 2, 2, 0, 0, 1.3, 44),
              "one_change": _figures(bench, 8, 4, 4, 8, 2, 1.6, 45)}
    every = {"first": _figures(bench, 40, 30, 6, 14, 6, 3.1, 52, 1), "noop": _figures(bench, 3, 2, 2, 0, 0, 0.8, 44, 1),
             "one_change": _figures(bench, 7, 5, 4, 4, 1, 1.1, 45, 1)}
    results = {"events": 2, "single_events": 2, "machine": "a test machine", "date": "2026-11-30",
               "single": single, "all": every,
               "rss": [{"events": 1, "rss_mb": 50.2, "seconds": 2.0, "edited": 3},
                       {"events": 2, "rss_mb": 52.4, "seconds": 3.1, "edited": 6}]}
    lines = bench.table(results).splitlines()
    assert ("| `run` once per event | 2 | 74 (52, 32) / 4.2 s / 14 read / 6 edits | 4 (2, 2) / 1.3 s / 0 read "
            "| 8 (4, 4) / 1.6 s / 8 read / 2 edits | 46 MB |") in lines
    assert ("| `run --all` | 1 | 40 (30, 6) / 3.1 s / 14 read / 6 edits | 3 (2, 2) / 0.8 s / 0 read "
            "| 7 (5, 4) / 1.1 s / 4 read / 1 edit | 52 MB |") in lines
    assert "| 1 | 5 | 50 MB | 2.0 | 3 |" in lines and "| 2 | 10 | 52 MB | 3.1 | 6 |" in lines
    assert lines[-1] == "Measured 2026-11-30 on a test machine."
