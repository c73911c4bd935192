"""Golden files: each target page as the bot would save it from the snapshot, and stability.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 make test`` and review the diff.
"""

from __future__ import annotations

import os

import pytest
from helpers import TESTS, copy_snapshot

from wmstrategybot.config.files import load_config
from wmstrategybot.publish.apply import apply
from wmstrategybot.publish.read import plan
from wmstrategybot.sources import DirSource, SnapshotSource

GOLDEN = TESTS / "golden"


@pytest.fixture(scope="module")
def snapshot_plan():
    return plan(load_config(), SnapshotSource())


@pytest.mark.parametrize("kind", ["overview", "navbox", "signups", "data"])
def test_rendered_page_matches_golden(snapshot_plan, kind):
    edit = next(e for e in snapshot_plan.edits if e.kind == kind)
    assert edit.action in ("create", "update")
    suffix = ".json" if kind == "data" else ".wikitext"
    golden = GOLDEN / f"{kind}{suffix}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(edit.new_text, "utf-8")
    assert edit.new_text == golden.read_text("utf-8")


def test_second_run_makes_no_edit(tmp_path):
    source = DirSource(copy_snapshot(tmp_path / "wiki"))
    config = load_config()
    first = apply(plan(config, source), source, config)
    assert first.ok and first.count("created") == 2 and first.count("updated") == 2
    second = plan(config, source)
    assert [e.action for e in second.edits] == ["unchanged"] * 4


def test_dry_run_diff_equals_the_edit(tmp_path):
    source = DirSource(copy_snapshot(tmp_path / "wiki"))
    config = load_config()
    planned = {e.title: e.new_text for e in plan(config, source).edits}
    apply(plan(config, source), source, config)
    saved = source.read(planned)
    assert {t: p.text for t, p in saved.items()} == planned


def test_a_second_conflict_skips_the_page_and_keeps_the_person_s_text(tmp_path):
    from wmstrategybot.sources import DirSource

    class Racing(DirSource):
        """A person saves the navbox every time just before the bot does."""

        def save(self, page, text, edit_summary, content_model=None):
            if page.title.startswith("Template:"):
                path = self.path_of(page.title)
                path.write_text(path.read_text() + "x")
            return super().save(page, text, edit_summary, content_model)

    wiki = copy_snapshot(tmp_path / "wiki")
    source = Racing(wiki)
    config = load_config()
    report = apply(plan(config, source), source, config)
    outcome = {o.title: o for o in report.outcomes}
    navbox = next(t for t in outcome if t.startswith("Template:"))
    assert outcome[navbox].action == "skipped" and "again" in outcome[navbox].reason
    assert source.read([navbox])[navbox].text.endswith("xx")
    assert report.count("created") == 2  # the other pages were published


def test_a_page_over_the_wiki_size_limit_is_refused_up_front(tmp_path, monkeypatch):
    from wmstrategybot.plan import compose

    monkeypatch.setattr(compose, "MAX_PAGE_BYTES", 10_000)  # the data page of the snapshot is ~45 KB
    source = DirSource(copy_snapshot(tmp_path / "wiki"))
    edits = {e.kind: e for e in plan(load_config(), source).edits}
    assert edits["data"].action == "refused" and "MiB" in edits["data"].reason
    assert edits["navbox"].action == "update"
