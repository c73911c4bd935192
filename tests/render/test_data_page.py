"""The data page's checksum: it covers everything on the page but itself, by value."""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wmstrategybot.config.files import load_config
from wmstrategybot.extract.event import extract_event
from wmstrategybot.model.pages import existing
from wmstrategybot.render.datapage import data_json, data_page_edit
from wmstrategybot.sources import SnapshotSource


@pytest.fixture(scope="module")
def page() -> str:
    config = load_config()
    titles = [*config.source_pages, config.targets.get("signups")]
    return data_json(extract_event(config, existing(SnapshotSource().read(titles))))


def _edit(text: str, change) -> str:
    value = json.loads(text)
    change(value)
    return json.dumps(value, indent=2, ensure_ascii=False)


def test_the_page_as_written_and_as_the_wiki_stores_it_is_the_bots(page):
    assert data_page_edit(page) is None
    # MediaWiki re-formats a JSON page on save: tabs, escaped non-ASCII, "\/"
    stored = json.dumps(json.loads(page), indent="\t", ensure_ascii=True).replace("/", "\\/")
    assert stored != page and data_page_edit(stored) is None


@pytest.mark.parametrize("change, why", [
    (lambda p: p.update(note="mine"), "'note'"),
    (lambda p: p["data"]["sessions"][0].update(title="Changed"), "checksum"),
    (lambda p: p["data"]["sessions"][0].update(mine=1), "checksum"),
    (lambda p: p["data"].update(schema="1"), "checksum"),
    (lambda p: p.update(generator="someone"), "not written by the bot"),
    (lambda p: p.pop("sha1"), "not written by the bot"),
    (lambda p: p.update(generator=p.pop("generator")), "checksum"),  # keys reordered
])
def test_any_change_a_person_makes_is_found(page, change, why):
    reason = data_page_edit(_edit(page, change))
    assert reason and why in reason and "data page" in reason


def test_a_page_of_the_former_format_passes_only_with_nothing_else_on_it(page):
    def former(p):
        p["sha1"] = hashlib.sha1(json.dumps(p["data"], indent=2, ensure_ascii=False).encode()).hexdigest()

    assert data_page_edit(_edit(page, former)) is None
    assert "'x'" in data_page_edit(_edit(page, lambda p: (former(p), p.update(x=1))))
    changed = data_page_edit(_edit(page, lambda p: (former(p), p["data"].update(schema=2))))
    assert changed and "checksum" in changed


def test_not_json_is_not_the_bots():
    assert "not valid JSON" in data_page_edit("{ no")
    assert "not written by the bot" in data_page_edit("[1, 2]")


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20) | st.floats(allow_nan=True),
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(st.text(max_size=8) | st.integers(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(value=_JSON)
def test_json_text_is_json_dumps_indented(value):
    from wmstrategybot.render.datapage import json_text

    assert json_text(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_provenance_is_written_as_asdict_writes_it():
    """model._prov spells the fields out (asdict's recursive copy is slow): a field added to
    Provenance must be added there too."""
    from dataclasses import asdict

    from wmstrategybot.model.event import Provenance, _prov

    for p in (Provenance("P"), Provenance("P", 5, "a", 3), Provenance("Day 1", "abc", None, None)):
        assert list(_prov(p).items()) == list(asdict(p).items())
