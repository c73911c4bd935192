"""Extraction of the bundled 2018 snapshot: the figures the walking-skeleton issue promises."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from wmstrategybot.config.files import load_config
from wmstrategybot.publish.read import read_event
from wmstrategybot.sources import SnapshotSource


@pytest.fixture(scope="module")
def event():
    return read_event(load_config(), SnapshotSource())[0]


def test_eight_sessions_on_their_days(event):
    assert [s.number for s in event.sessions] == list(range(1, 9))
    assert [s.day for s in event.sessions] == [1, 1, 1, 2, 2, 2, 3, 3]
    assert [s.code for s in event.sessions] == [f"D{d}.{n:02d}" for d, n in zip([1, 1, 1, 2, 2, 2, 3, 3], range(1, 9))]
    assert [s.title for s in event.sessions] == [
        "The Big Picture", "The Possibilities", "The Challenges", "The Way Forward",
        "Preparing to work", "Thematic Inputs & Conversations", "Working groups", "Wrapping up",
    ]


def test_titles_of_the_summary_page_are_kept_and_reported(event):
    s7 = event.sessions[6]
    assert s7.other_titles == ("Getting To Work",)
    assert any("Getting To Work" in w.message for w in event.warnings)
    # differing in case only: kept, not reported
    assert event.sessions[4].other_titles == ("Preparing To Work",)
    assert not any("Preparing" in w.message for w in event.warnings)


def test_sessions_have_parts_summary_and_provenance(event):
    first = event.sessions[0]
    assert first.parts[0].number == 1 and first.parts[0].title == "Welcoming Words"
    assert first.summary.startswith("The [[") and "introduction to the work" in first.summary
    assert first.source.page.endswith("/Day 1") and first.source.anchor == "D1.01 / The Big Picture"
    assert isinstance(first.source.revision, int) and first.source.line > 1
    assert all(s.parts and s.outcomes for s in event.sessions)
    assert any(link.startswith("https://etherpad.wikimedia.org/") for link in first.links)


def test_days_have_dates_and_appendices(event):
    assert [(d.number, d.date) for d in event.days] == [(1, "2018-04-20"), (2, "2018-04-21"), (3, "2018-04-22")]
    assert [a.title for a in event.days[2].appendices] == [
        "Input documents for the working groups", "Micro-inputs on possibilities",
    ]


def test_eight_areas_with_aliases(event):
    names = [a.name for a in event.areas]
    assert names == [
        "Roles & Responsibilities", "Resource Allocation", "Diversity", "Partnerships",
        "Capacity Building", "Community", "Technology", "Advocacy",
    ]
    aliases = {a.name: a.aliases for a in event.areas}
    assert "Resources" in aliases["Resource Allocation"]
    assert "Community Health" in aliases["Community"]
    assert "Capacity" in aliases["Capacity Building"]


def test_signups_of_the_snapshot_page(event):
    groups = {g.area: g for g in event.working_groups}
    users = {area: [s.user for s in g.signups] for area, g in groups.items()}
    assert users["Resource Allocation"] == ["Pebblebrook", "Tidewright", "Oakapple"]  # section "Resources"
    assert users["Community"] == ["Ferrovia", "Cobaltfinch", "Tessaract-wm"]  # "Community Health"
    assert users["Diversity"] == [] and users["Technology"] == []
    assert sum(len(g.signups) for g in groups.values()) == 14
    withdrawn = [s.user for g in groups.values() for s in g.signups if s.withdrawn]
    assert withdrawn == ["Kalinka77"]
    unsigned = [s.user for g in groups.values() for s in g.signups if s.timestamp is None]
    assert unsigned == ["Zephyrine"]
    assert "Oakapple" in users["Partnerships"]  # one user in two areas appears in both
    assert not event.unsorted


def test_working_group_reports_from_day_3(event):
    groups = {g.area: g for g in event.working_groups}
    assert all(g.status_report for g in groups.values())
    assert groups["Resource Allocation"].links[0].endswith("WMCON18-WG-Resources")


def test_json_validates_against_the_shipped_schema(event):
    schema = json.loads(resources.files("wmstrategybot.model").joinpath("event.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(event.to_json()), schema)


def test_json_round_trips_and_is_deterministic(event):
    from wmstrategybot.model.event import Event

    again = read_event(load_config(), SnapshotSource())[0]
    assert again.to_json() == event.to_json()
    assert Event.from_json(event.to_json()).to_json() == event.to_json()


def test_the_data_page_validates_too(event):
    from wmstrategybot.render.datapage import data_page_dict

    schema = json.loads(resources.files("wmstrategybot.model").joinpath("event.schema.json").read_text("utf-8"))
    data = data_page_dict(event)
    jsonschema.validate(data, schema)
    assert "text" not in data["sessions"][0]["parts"][0]
    assert len(json.dumps(data)) < len(json.dumps(event.to_dict())) * 0.7
