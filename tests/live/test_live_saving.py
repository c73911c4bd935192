"""What people do while a run saves, on the real test wiki: the bot's data page edited by hand,
a signup made during an edit conflict, the stop page set and an opt-out added between the
bot's read and its save."""

from __future__ import annotations

import dataclasses
import json

from wmstrategybot.exits import EXIT_DONE, EXIT_REFUSED
from wmstrategybot.job.run import run
from wmstrategybot.options import Options
from wmstrategybot.sources.site import SiteSource

ALICE_ROW = "|-\n| [[User:Alice|Alice]] || en, fr || Tools for small wikis || ~~~~\n"


def _rename_a_heading(event, alice, admin) -> None:
    """A change on a Day page: the navbox, the overview and the data page then change."""
    day2 = event.title("Day 2")
    alice.edit(day2, admin.page_text(day2).replace("The Way Forward ==", "The Way Onward =="), "rename")


def _when_saving(monkeypatch, title: str, act, *, after: bool = False) -> list[str]:
    """Make `act()` happen right before (or after) the bot's first save of `title`; the titles saved."""
    real_save = SiteSource.save
    saves: list[str] = []

    def save(self, page, text, edit_summary, content_model=None):
        first = page.title == title and title not in saves
        saves.append(page.title)
        if first and not after:
            act()
        result = real_save(self, page, text, edit_summary, content_model)
        if first and after:
            act()
        return result

    monkeypatch.setattr(SiteSource, "save", save)
    return saves


def _signup_users(data_text: str, area: str) -> list[str]:
    groups = json.loads(data_text)["data"]["working_groups"]
    return [s["user"] for g in groups if g["area"] == area for s in g["signups"]]


def _counts(text: str) -> str:
    from wmstrategybot.wikitext.regions import find_regions

    region = find_regions(text)["signup-counts"]
    return text[region.content_start : region.content_end]


def test_a_key_a_person_added_to_the_data_page_is_kept_and_the_page_refused(event, tmp_path, alice, admin):
    status = f"User:WmBot/status {event.root}"
    config = dataclasses.replace(event.config, bot=dataclasses.replace(event.config.bot, status_page=status))
    state = tmp_path / "state.db"
    assert run(config, event.source(), state).outcome == "done"
    data = config.targets.get("data")
    page = json.loads(admin.page_text(data))
    page["note"] = "added by hand"  # beside "data": the checksum used to cover "data" only
    alice.edit(data, json.dumps(page), "a note on the data page")
    mine = admin.latest_revid(data)
    report = run(config, event.source(), state)
    assert (report.outcome, report.exit) == ("refused", EXIT_REFUSED)
    assert [r["title"] for r in report.refused] == [data]
    assert "data page" in report.refused[0]["reason"] and "'note'" in report.refused[0]["reason"]
    assert admin.latest_revid(data) == mine and json.loads(admin.page_text(data))["note"] == "added by hand"
    shown = admin.page_text(status)
    assert f"** [[{data}]]" in shown and "'note'" in shown and "''Next step:''" in shown
    _rename_a_heading(event, alice, admin)  # the data would change: still refused, still kept
    again = run(config, event.source(), state)
    assert again.exit == EXIT_REFUSED and [r["title"] for r in again.refused] == [data]
    assert admin.latest_revid(data) == mine


def test_a_data_page_the_wiki_stored_reformatted_is_the_bots(event, tmp_path, admin):
    """MediaWiki stores JSON pages re-formatted (tabs): the checksum holds on the values."""
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    stored = admin.page_text(event.config.targets.get("data"))
    assert '\n\t"data": {' in stored  # not the text the bot sent
    again = run(event.config, event.source(), state, Options(allow_shrink=True, full_run=True))  # a full run
    assert again.exit == EXIT_DONE and again.refused == [] and again.edited == []


def test_a_key_added_to_the_data_page_while_the_run_saves_is_kept(event, tmp_path, alice, admin, monkeypatch):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    _rename_a_heading(event, alice, admin)
    data = event.config.targets.get("data")

    def add_a_key():
        page = json.loads(admin.page_text(data))
        alice.edit(data, json.dumps({"note": "added by hand", **page}, indent="\t"), "a note on the data page")

    _when_saving(monkeypatch, event.navbox, add_a_key)  # after the bot read every page
    report = run(event.config, event.source(), state)
    monkeypatch.undo()
    assert json.loads(admin.page_text(data))["note"] == "added by hand"
    assert report.exit == EXIT_REFUSED and [r["title"] for r in report.refused] == [data]
    assert "data page" in report.refused[0]["reason"]
    assert {e["title"] for e in report.edited} == {event.navbox, event.config.targets.get("overview")}


def test_a_signup_made_during_an_edit_conflict_is_counted(event, tmp_path, alice, admin, monkeypatch):
    """Alice adds the Technology section with her row where the bot appends the missing
    sections: the wiki answers editconflict, and the bot plans the page again from her text."""
    state = tmp_path / "state.db"
    signups = event.config.targets.get("signups")

    def sign_up():
        text = admin.page_text(signups)
        end = "\n[[Category:Movement Strategy 2018-20]]"
        table = '== Technology ==\n{| class="wikitable sortable"\n! User !! Languages !! Why I want to join !! Signature\n'
        alice.edit(signups, text.replace(end, "\n" + table + ALICE_ROW + "|}\n" + end), "signing up")

    saves = _when_saving(monkeypatch, signups, sign_up)
    first = run(event.config, event.source(), state)
    monkeypatch.undo()
    assert saves.count(signups) == 2  # the first save met the conflict
    text = admin.page_text(signups)
    assert text.count("== Technology ==") == 1 and "== Advocacy ==" in text
    assert "area=Technology|members=1|" in _counts(text)
    assert _signup_users(admin.page_text(event.config.targets.get("data")), "Technology") == ["Alice"]
    assert first.outcome == "done"
    second = run(event.config, event.source(), state)
    assert second.outcome in ("nothing-changed", "done") and second.edited == []
    assert "area=Technology|members=1|" in _counts(admin.page_text(signups))


def _add_row(session, title: str, area: str, row: str, admin) -> None:
    header = f"== {area} ==\n{{| class=\"wikitable sortable\"\n! User !! Languages !! Why I want to join !! Signature\n"
    text = admin.page_text(title)
    assert header in text
    session.edit(title, text.replace(header, header + row, 1), "signing up")


def test_a_signup_made_after_the_read_is_counted_without_a_failed_save(event, tmp_path, alice, bob, admin, monkeypatch):
    state = tmp_path / "state.db"
    signups = event.config.targets.get("signups")
    data = event.config.targets.get("data")
    # the first run fills the counts: Alice signs up after the bot read the pages
    saves = _when_saving(monkeypatch, event.navbox, lambda: _add_row(alice, signups, "Diversity", ALICE_ROW, admin))
    report = run(event.config, event.source(), state)
    monkeypatch.undo()
    assert saves == [event.navbox, event.config.targets.get("overview"), signups, data]  # no save failed
    assert "area=Diversity|members=1|" in _counts(admin.page_text(signups))
    assert _signup_users(admin.page_text(data), "Diversity") == ["Alice"]
    assert report.outcome == "done"
    assert run(event.config, event.source(), state).outcome == "nothing-changed"
    # the counts need no change, but the data page does: Bob signs up meanwhile
    _rename_a_heading(event, alice, admin)
    bob_row = "|-\n| [[User:Bob|Bob]] || de || Outreach || ~~~~\n"
    _when_saving(monkeypatch, event.navbox, lambda: _add_row(bob, signups, "Diversity", bob_row, admin))
    run(event.config, event.source(), state)
    monkeypatch.undo()
    after = run(event.config, event.source(), state)  # the run that follows reads the signup page again
    assert after.outcome == "done" and signups in {c["title"] for c in after.changes}
    assert "area=Diversity|members=2|" in _counts(admin.page_text(signups))
    assert sorted(_signup_users(admin.page_text(data), "Diversity")) == ["Alice", "Bob"]
    assert run(event.config, event.source(), state).outcome == "nothing-changed"


def test_the_stop_page_set_after_the_first_save_stops_the_next_ones(event, tmp_path, alice, admin, monkeypatch):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    _rename_a_heading(event, alice, admin)
    before = event.revisions()
    saves = _when_saving(monkeypatch, event.navbox, lambda: alice.edit(event.stop, "stop", "stop"), after=True)
    report = run(event.config, event.source(), state)
    monkeypatch.undo()
    assert saves == [event.navbox]
    assert (report.outcome, report.exit) == ("stopped", EXIT_REFUSED) and "does not say 'run'" in report.stopped
    assert [e["title"] for e in report.edited] == [event.navbox]
    assert {t: r for t, r in event.revisions().items() if t != event.navbox} == {
        t: r for t, r in before.items() if t != event.navbox}
    assert run(event.config, event.source(), state).outcome in ("stopped", "nothing-changed")
    alice.edit(event.stop, "run", "go on")
    resumed = run(event.config, event.source(), state)
    assert resumed.outcome == "done" and "The Way Onward" in admin.page_text(event.config.targets.get("overview"))


def test_an_opt_out_added_while_the_run_saves_is_honoured(event, tmp_path, alice, admin, monkeypatch, wiki):
    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    _rename_a_heading(event, alice, admin)
    overview = event.config.targets.get("overview")

    def opt_out():
        alice.edit(overview, admin.page_text(overview) + f"\n{{{{bots|deny={wiki.bot_user}}}}}", "not this bot")

    saves = _when_saving(monkeypatch, event.navbox, opt_out)
    report = run(event.config, event.source(), state)
    monkeypatch.undo()
    mine = admin.page_text(overview)
    assert overview not in saves
    assert "The Way Onward" not in mine and mine.endswith(f"{{{{bots|deny={wiki.bot_user}}}}}")
    refused = {r["title"]: r["reason"] for r in report.refused}
    assert "opts out" in refused[overview] and report.exit == EXIT_REFUSED


def test_a_data_page_of_the_former_format_is_taken_over_once(event, tmp_path, alice, admin):
    """Deployed pages carry a checksum over "data" only: accepted (if nothing else is on them)
    and written once in the new format; with a key added, refused."""
    import hashlib

    state = tmp_path / "state.db"
    assert run(event.config, event.source(), state).outcome == "done"
    data = event.config.targets.get("data")
    page = json.loads(admin.page_text(data))
    page["sha1"] = hashlib.sha1(json.dumps(page["data"], indent=2, ensure_ascii=False).encode()).hexdigest()
    admin.edit(data, json.dumps(page, indent=2, ensure_ascii=False), "as the former version wrote it")
    report = run(event.config, event.source(), state)
    assert report.exit == EXIT_DONE and [e["title"] for e in report.edited] == [data]
    assert json.loads(admin.page_text(data))["sha1"] != page["sha1"]
    assert run(event.config, event.source(), state).outcome == "nothing-changed"
    page["note"] = "added by hand"
    alice.edit(data, json.dumps(page, indent=2, ensure_ascii=False), "the former format, and a key")
    refused = run(event.config, event.source(), state)
    assert refused.exit == EXIT_REFUSED and [r["title"] for r in refused.refused] == [data]
    assert json.loads(admin.page_text(data))["note"] == "added by hand"
