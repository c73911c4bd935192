"""apply() when pages change while it saves, on a dir: source (no wiki needed)."""

from __future__ import annotations

import json

from helpers import DATA, SIGNUPS, copy_snapshot, page_file, stored_state

from wmstrategybot.config.files import load_config
from wmstrategybot.job.run import run
from wmstrategybot.sources import DirSource

ROW = "|-\n| [[User:Alice|Alice]] || en || Tools || [[User:Alice|Alice]] 10:00, 1 June 2018 (UTC)\n"
HEADER = "== Diversity ==\n{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n"


def _diversity(data_text: str) -> list[str]:
    groups = json.loads(data_text)["data"]["working_groups"]
    return [s["user"] for g in groups if g["area"] == "Diversity" for s in g["signups"]]


def test_a_page_saved_before_a_page_it_derives_from_changed_is_read_again(tmp_path, monkeypatch):
    """Were the data page saved before the signup page, a signup made in between would make
    it stale: the run must not record it as seen, so that the next run writes it again."""
    from wmstrategybot.plan import plan as planning

    real_render = planning.render_event
    monkeypatch.setattr(planning, "render_event",
                        lambda *a: sorted(real_render(*a), key=lambda p: p.kind != "data"))
    wiki = copy_snapshot(tmp_path / "wiki")
    signups = page_file(wiki, SIGNUPS)

    class SignupDuringTheRun(DirSource):
        def save(self, page, text, edit_summary, content_model=None):
            result = super().save(page, text, edit_summary, content_model)
            if page.title == DATA:
                signups.write_text(signups.read_text().replace(HEADER, HEADER + ROW, 1))
            return result

    state = tmp_path / "state.db"
    config = load_config()
    first = run(config, SignupDuringTheRun(wiki), state)
    data_saved = first.edited[0]
    assert data_saved["title"] == DATA and _diversity(DirSource(wiki).read([DATA])[DATA].text) == []
    assert "area=Diversity|members=1|" in signups.read_text()  # the signup page was planned again
    assert any(DATA in n and "derives from changed" in n for n in first.notes)
    assert stored_state(state)["revisions"][DATA] != data_saved["revision"]
    second = run(config, DirSource(wiki), state)
    assert [e["title"] for e in second.edited] == [DATA]
    assert _diversity(DirSource(wiki).read([DATA])[DATA].text) == ["Alice"]
    assert run(config, DirSource(wiki), state).outcome == "nothing-changed"
