"""`run --all` on the in-memory wiki: every event that opts in, served one at a time under one
lock and one state store, its failures its own (runall.py)."""

from __future__ import annotations

import pytest

from helpers import DAY, MemorySource
from wmstrategybot.jobconfig import JobConfig
from wmstrategybot.runall import run_all

A = "Summit A/Documentation"
B = "Summit B/Documentation"


def root_text(name: str, days: str = "Day 1", **extra: str) -> str:
    params = "".join(f"\n| {k} = {v}" for k, v in extra.items())
    return f"Prose of {name}.\n{{{{Event track bot\n| name = {name}\n| days = {days}\n| overview = /Overview{params}\n}}}}\n"


def wiki(*roots: str, **kwargs) -> MemorySource:
    pages = {}
    for root in roots:
        pages[root] = root_text(root.split("/")[0])
        pages[f"{root}/Day 1"] = DAY
    return MemorySource(pages, **kwargs)


class Clock:
    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def go(source, tmp_path, job=JobConfig(), clock=None, **kwargs):
    return run_all(source, tmp_path / "state.db", job, clock=clock or Clock(), **kwargs)


def section(report, key):
    return next(e for e in report.events if e.event == key)


def test_two_events_opting_in_are_both_published(tmp_path):
    source = wiki(A, B, watchlist=True)
    report = go(source, tmp_path)
    assert report.exit == 0, report.to_json()
    assert [e.event for e in report.events] == [f"page:{A}", f"page:{B}"]
    for root in (A, B):
        assert "Opening" in source.pages[f"{root}/Overview"]
        assert {e["title"] for e in section(report, f"page:{root}").edited} == {f"{root}/Overview"}


def test_a_no_op_run_costs_the_discovery_and_the_watchlist_request_and_reads_no_text(tmp_path, monkeypatch):
    roots = [f"Summit {n}/Documentation" for n in range(12)]
    source = wiki(*roots, watchlist=True)
    clock = Clock()
    assert go(source, tmp_path, clock=clock).exit == 0
    clock.now += 3600
    go(source, tmp_path, clock=clock)  # the first runs' own edits (status pages) seen once
    read = []
    real = source.read
    monkeypatch.setattr(source, "read", lambda titles: read.append(list(titles)) or real(titles))
    before = source.requests
    clock.now += 3600
    report = go(source, tmp_path, clock=clock)
    assert source.requests - before == 2 and report.api_requests == 2
    assert read == []
    assert report.exit == 0 and report.events_checked == 12 and report.events_changed == 0
    assert {e.outcome for e in report.events} == {"nothing-changed"}


def test_after_one_event_changed_only_its_pages_are_read(tmp_path, monkeypatch):
    source = wiki(A, B, watchlist=True)
    clock = Clock()
    go(source, tmp_path, clock=clock)
    clock.now += 60
    go(source, tmp_path, clock=clock)
    source.edit(f"{B}/Day 1", DAY + "\n== D1.02 / Closing ==\nBye.\n")
    read = []
    real = source.read
    monkeypatch.setattr(source, "read", lambda titles: read.append(list(titles)) or real(titles))
    clock.now += 60
    report = go(source, tmp_path, clock=clock)
    assert report.events_changed == 1 and report.exit == 0
    assert all(t.startswith(B) for titles in read for t in titles), read
    assert "Closing" in source.pages[f"{B}/Overview"]
    assert section(report, f"page:{A}").outcome == "nothing-changed"
