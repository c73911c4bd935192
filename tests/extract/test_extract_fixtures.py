"""Extraction of the family's pages, each event read with a config that only names the pages.

tests/fixtures/events/<event>/ holds pages written from the structure of the real Meta-Wiki pages
(headings and their levels, titles as written, day headings, date lines, boilerplate, quote boxes,
navigation templates; prose trimmed), a config.toml and expected.json; 2018's pages are the bundled
snapshot. tests/fixtures/synthetic/ holds two older sets written for marker styles with noise
(templates, images, tables, comments, translate units, HTML, markers hidden in
<nowiki>/<pre>/<math>/<syntaxhighlight>), laid out the same way. ``test_fixture_event`` reads every
folder of both; the sets tested further below (2017, 2018, 2019) also give their session codes
and their coverage in expected.json.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from helpers import FIXTURES

from wmstrategybot.cli.main import cli
from wmstrategybot.config.files import load_config
from wmstrategybot.extract.coverage import coverage_report
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import PageRecord
from wmstrategybot.publish.read import read_event
from wmstrategybot.sources import SnapshotSource, open_source
from wmstrategybot.wikitext.areas import AreaIndex

EVENTS = FIXTURES / "events"
SYNTHETIC = FIXTURES / "synthetic"
SETS = {"2017": SYNTHETIC / "2017-codes", "2018": EVENTS / "2018", "2019": SYNTHETIC / "2019-markers"}
TRANSLATE_MARKUP = re.compile(r"<translate|</translate|<!--T:|<tvar|</>|<languages", re.I)


def expected(folder: Path) -> dict:
    """What a fixture event's extraction must give (the folder's expected.json)."""
    return json.loads((folder / "expected.json").read_text("utf-8"))


def load(year: str | Path):
    folder = year if isinstance(year, Path) else SETS[year]
    config = load_config(folder / "config.toml")
    pages_dir = folder / "pages"
    source = open_source(f"dir:{pages_dir}", config) if pages_dir.exists() else SnapshotSource()
    event, records = read_event(config, source)
    pages = {t: PageRecord(t, r.text, r.revision) for t, r in records.items() if r.text is not None}
    return config, event, pages


@pytest.fixture(scope="module", params=["2017", "2018", "2019"])
def fixture_set(request):
    return (request.param, *load(request.param))


def _relative(config, title: str) -> str:
    return title.removeprefix(config.root).lstrip("/") or "."


#: the corpus of other events (a folder with a corpus.md) is scored in test_corpus.py
FOLDERS = (sorted(p for p in EVENTS.iterdir() if p.is_dir() and not (p / "corpus.md").exists())
           + sorted(p for p in SYNTHETIC.iterdir() if p.is_dir()))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda p: p.name)
def test_fixture_event(folder):
    """Every session (day, title, number read or given, range, time) and part, every day with its
    date, and the extraction warnings with page and line: as expected.json says, nothing invented."""
    config, event, _ = load(folder)
    want = expected(folder)
    days = [{"number": d.number, "page": _relative(config, d.page), "date": d.date} for d in event.days]
    sessions = [{"day": s.day, "title": s.title, "number": s.number, "number_source": s.number_source,
                 **({"number_end": s.number_end} if s.number_end else {}), **({"time": s.time} if s.time else {}),
                 "parts": [p.title for p in s.parts]} for s in event.sessions]
    warnings = [[_relative(config, w.page), w.line] for w in event.warnings
                if w.page in config.source_pages or w.page == config.root]
    assert days == want["days"]
    assert sessions == want["sessions"]
    assert warnings == want["warnings"]
    assert all(d.number >= 1 for d in event.days)
    assert len({s.id for s in event.sessions}) == len(event.sessions)
    schema = json.loads(resources.files("wmstrategybot.model").joinpath("event.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(event.to_json()), schema)


def test_every_session_and_part_in_order(fixture_set):
    year, _, event, _ = fixture_set
    want = expected(SETS[year])
    got = [(s.day, s.code, s.number, s.title, [p.title for p in s.parts]) for s in event.sessions]
    assert got == [(s["day"], code, s["number"], s["title"], s["parts"]) for s, code in zip(want["sessions"], want["codes"],
                                                                                            strict=True)]
    for s in event.sessions:
        assert [p.number for p in s.parts] == list(range(1, len(s.parts) + 1))


def test_ids_hold_whether_numbers_run_across_the_track_or_restart(fixture_set):
    _, _, event, _ = fixture_set
    ids = [s.id for s in event.sessions]
    assert len(ids) == len(set(ids))
    assert all(s.id == f"d{s.day}-s{s.number:02d}" for s in event.sessions)


def test_no_translate_markup_in_extracted_text(fixture_set):
    _, _, event, _ = fixture_set
    data = event.to_dict()
    for s in data["sessions"]:
        strings = [s["title"], s["summary"], s["intro"], s["text"], *s["outcomes"], *s["links"], *s["images"],
                   *(p["title"] for p in s["parts"]), *(p["text"] for p in s["parts"]),
                   *(cell for t in s["tables"] for row in t for cell in row)]
        assert not [x for x in strings if TRANSLATE_MARKUP.search(x)]
        assert not [x for x in strings if "<!--" in x]


def test_every_item_has_provenance(fixture_set):
    _, config, event, pages = fixture_set
    for s in event.sessions:
        for item in (s, *s.parts):
            src = item.source
            assert src is not None and src.page in config.day_pages
            assert src.revision == pages[src.page].revision and src.line >= 1
            marker_line = pages[src.page].text.split("\n")[src.line - 1]
            assert item.title in re.sub(r"<[^>]*>|'''|\{\{!\}\}", "", marker_line).replace("|", " | ") or "{{" in marker_line
    for day in event.days:
        for a in day.appendices:
            assert a.line and a.title in pages[day.page].text.split("\n")[a.line - 1]


def test_json_validates_and_is_deterministic(fixture_set):
    _, config, event, pages = fixture_set
    schema = json.loads(resources.files("wmstrategybot.model").joinpath("event.schema.json").read_text("utf-8"))
    jsonschema.validate(json.loads(event.to_json()), schema)
    assert extract_event(config, pages).to_json() == event.to_json()


def test_2017_translated_pages_and_hidden_markers():
    _, event, _ = load("2017")
    first = event.sessions[0]
    assert first.intro.startswith("The opening plenary introduced the [[Strategy/Wikimedia movement/2017|")
    assert first.parts[0].text.startswith("The organisers welcomed everyone and introduced the [[Wikimedia Deutschland|")
    assert first.images == ("File:WMCON17 opening plenary.jpg",)
    assert first.tables == ((("Cycle", "Topic"), ("1", "Where do we want to go?"), ("2", "Thematic conversations")),)
    assert first.source.anchor == "D1.01 / Official Introduction"
    # markers inside a comment, <nowiki>, <pre>, <math> and <syntaxhighlight> open nothing
    assert {s.number for s in event.sessions if s.day == 1} == {1, 2, 3}
    assert event.sessions[3].images == ("File:WMCON17 recap wall.jpg",)  # from a <gallery>
    assert [(d.number, d.date) for d in event.days] == [(1, "2017-03-31"), (2, "2017-04-01")]
    assert [a.title for a in event.days[1].appendices] == ["Photos"]
    assert [(w.page.rsplit("/", 1)[-1], w.line) for w in event.warnings] == [("Day 1", 62)]
    assert "D1.0x / Coffee break" in event.warnings[0].message


def test_2019_templates_bold_and_div_markers_joined_by_order():
    _, event, _ = load("2019")
    s = {x.id: x for x in event.sessions}
    assert s["d1-s01"].source.anchor == "Morning" and s["d1-s03"].source.anchor == "Afternoon"
    assert s["d1-s01"].summary == "Small groups shared news from their communities."
    assert s["d2-s02"].summary == "The timeline after the Summit."
    assert s["d2-s02"].other_titles == ("What Comes Next",)
    assert s["d1-s02"].tables[0][1] == ("Resource Allocation", "14")
    assert s["d1-s01"].outcomes == ("Participants found others from their region.",
                                    "Everyone wrote one hope for the Summit on a card.")
    assert [(d.number, d.date) for d in event.days] == [(1, "2019-03-29"), (2, "2019-03-30")]
    warnings = [(w.page.rsplit("/", 1)[-1], w.line, w.message) for w in event.warnings]
    assert [(p, n) for p, n, _ in warnings] == [("Day 1", 40), ("Day 2", 14)]
    assert "'Session : Open Space' looks like a session marker" in warnings[0][2]
    assert "'Next Steps' here and 'What Comes Next'" in warnings[1][2]


def test_2018_joined_by_number_with_a_config_that_only_names_the_pages():
    _, event, _ = load("2018")
    assert event.sessions[6].other_titles == ("Getting To Work",)
    assert event.sessions[0].summary.startswith("The [[Wikimedia Conference 2018/Documentation/")
    assert event.sessions[2].images == ("File:WMCON18 Strategy track wall.jpg",)
    assert event.sessions[2].tables[0][0] == ("Challenge cluster", "Votes")
    extraction = [w for w in event.warnings if "/Day " in w.page or w.page.endswith("/Summary")]
    assert [(w.page.rsplit("/", 1)[-1], w.line) for w in extraction] == [("Day 3", 7)]


def test_areas_and_working_groups_by_canonical_name_and_alias():
    index = AreaIndex(load_config().areas)
    assert index.canonical("Resources") == "Resource Allocation"
    assert index.canonical("Community Health") == "Community"
    assert index.canonical("'''Capacity'''") == "Capacity Building"
    event = read_event(load_config(), SnapshotSource())[0]
    groups = {g.area: g for g in event.working_groups}
    assert groups["Resource Allocation"].source.anchor == "Resources"
    assert groups["Community"].source.anchor == "Community Health"
    assert groups["Capacity Building"].source.anchor == "Capacity"
    assert all(g.source and g.source.line and g.status_report for g in groups.values())


def test_missing_summary_and_a_day_without_sessions_are_warnings():
    config = load_config(SETS["2019"] / "config.toml")
    pages = {t: p for t, p in load("2019")[2].items() if not t.endswith("/Summary")}
    pages[config.day_pages[1]] = PageRecord(config.day_pages[1], "Lunch: soup.\n", 7)
    event = extract_event(config, pages)
    messages = [(w.page.rsplit("/", 1)[-1], w.message) for w in event.warnings]
    assert ("Day 2", "no session found on this day page") in messages
    assert ("Summary", "summary page not found; sessions have no summary") in messages
    assert [s.day for s in event.sessions] == [1, 1, 1]


def test_missing_day_page_is_an_error(tmp_path):
    pages = tmp_path / "pages"
    (pages / "Wikimedia Summit 2019" / "Documentation").mkdir(parents=True)
    result = CliRunner().invoke(cli, ["--config", str(SETS["2019"] / "config.toml"),
                                      "--source", f"dir:{pages}", "extract"])
    assert result.exit_code == 2 and "day page not found" in result.output


def test_coverage_report(fixture_set):
    year, config, _, pages = fixture_set
    report = coverage_report(config, pages)
    got = {c.page.rsplit("/", 1)[-1]: (c.sessions, c.parts, c.unused) for c in report}
    # page suffix -> [sessions, parts, lines not used]
    want = {page: (n, parts, tuple(tuple(r) for r in unused))
            for page, (n, parts, unused) in expected(SETS[year])["coverage"].items()}
    assert got == want
    for c in report:
        assert 0 < c.used <= c.total and c.percent >= 80


def test_extract_report_on_the_command_line():
    result = CliRunner().invoke(cli, ["--config", str(SETS["2019"] / "config.toml"),
                                      "--source", f"dir:{SETS['2019'] / 'pages'}", "extract", "--report"])
    assert result.exit_code == 0, result.output
    assert "Wikimedia Summit 2019/Documentation/Day 1" in result.output
    assert "lines not used" in result.output and "7, 9" in result.output
