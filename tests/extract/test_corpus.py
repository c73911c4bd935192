"""The corpus of real events that are not the bot's own series (tests/fixtures/events/<slug>/ with
a corpus.md; issue #19): each read with a config that names only its pages, scored against what
a careful reader lists (scripts/corpus_report.py); and again with the one settling key its
config's ``[reading]`` holds, where the evidence left a choice open."""

from __future__ import annotations

import importlib.util
import json
import sys

import jsonschema
import pytest
from helpers import REPO

_spec = importlib.util.spec_from_file_location("corpus_report", REPO / "scripts" / "corpus_report.py")
assert _spec and _spec.loader
corpus = importlib.util.module_from_spec(_spec)
sys.modules["corpus_report"] = corpus  # (its dataclasses look their module up)
_spec.loader.exec_module(corpus)

FOLDERS = corpus.corpus_folders()
SCORES = {f.name: corpus.score(f) for f in FOLDERS}


def test_the_corpus_holds_at_least_twelve_events_two_not_in_english():
    assert len(FOLDERS) >= 12
    assert sum(1 for s in SCORES.values() if s.language != "en") >= 2


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_each_corpus_event_is_written_as_a_reader_lists_it(folder):
    """expected.json: kinds, language, sources, days and sessions with their parts; no break or
    meal listed as a session; a corpus.md with the judgement calls."""
    want = json.loads((folder / "expected.json").read_text("utf-8"))
    schema = {"type": "object", "required": ["kinds", "language", "sources", "days", "sessions"],
              "properties": {"sessions": {"type": "array", "minItems": 1, "items": {
                  "type": "object", "required": ["day", "title", "parts"],
                  "properties": {"day": {"type": "integer", "minimum": 1}, "title": {"type": "string", "minLength": 1},
                                 "parts": {"type": "array", "items": {"type": "string"}}}}}}}
    jsonschema.validate(want, schema)
    breaks = {"lunch", "coffee break", "break", "registration", "dinner", "mittagessen", "pause"}
    assert not [s["title"] for s in want["sessions"] if s["title"].strip().casefold() in breaks]
    assert len((folder / "corpus.md").read_text("utf-8").splitlines()) >= 3


def _total(field: str) -> int:
    return sum(getattr(s, field) for s in SCORES.values())


def test_the_corpus_reads_95_percent_of_its_sessions():
    assert _total("sessions_read") >= 0.95 * _total("sessions")


def test_the_corpus_reads_90_percent_of_its_parts():
    assert _total("parts_read") >= 0.90 * _total("parts")


def _silent(s) -> bool:
    """Read short (or inventing) without a warning that names the structure it could not read."""
    short = s.sessions_read < s.sessions or s.parts_read < s.parts or s.invented
    return bool(short) and not any("could not read" in w or "read as" in w for w in s.warning_lines)


def test_every_event_read_short_names_the_structure_it_could_not_read():
    assert [name for name, s in SCORES.items() if _silent(s)] == []


SETTLED = {f.name: corpus.score(f, settled=True) for f in FOLDERS}


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_one_settling_key_reads_the_event_in_full(folder):
    """Each config's ``[reading]`` table holds at most one key; as the config is written, the
    event reads every session and part, and invents none."""
    assert len(corpus.settling_keys(folder)) <= 1
    s = SETTLED[folder.name]
    assert (s.sessions_read, s.parts_read, s.invented) == (s.sessions, s.parts, 0), s.warning_lines


@pytest.mark.parametrize("folder", [f for f in FOLDERS if corpus.settling_keys(f)], ids=lambda p: p.name)
def test_a_settling_key_settles_what_a_warning_left_open(folder):
    """The key is there for a reason: without it the reading is in doubt (a warning), and the
    warning it answers is gone with it."""
    before, after = SCORES[folder.name].warning_lines, SETTLED[folder.name].warning_lines
    assert set(after) < set(before)


def test_the_readme_gives_the_corpus_figures_as_read_now():
    """"What it reads" states the figures this test computes: sessions and parts read with
    configs that name only the pages, and how many configs hold a settling key."""
    text = " ".join((REPO / "README.md").read_text("utf-8").split())
    n, d = _total("sessions_read"), _total("sessions")
    pn, pd = _total("parts_read"), _total("parts")
    assert f"On {len(FOLDERS)} real events" in text
    assert f"it reads {n} of {d} sessions and {pn} of {pd} parts" in text
    keyed = sum(1 for f in FOLDERS if corpus.settling_keys(f))
    assert f"{keyed} of the {len(FOLDERS)} configs hold one settling key" in text
    assert f"{len(FOLDERS) - keyed} need none" in text
