"""Issue 20, findings 3 and 4, on the real test wiki: an event paused by a vandal's edit to a Day
page is served again after the revert, with no config edit (a pause its config caused still
needs a config edit); a stop page set while a run of three events saves stops every later save,
status pages included, and `run` with `[bot] status_page` saves nothing once it says stop.

The job runs in this process (`run_all` on pywikibot's site) so that the stop page can be set
from inside the run, right after a save or right after the read before one: deterministic, no
sleeps. What the bot saved is read back from the wiki (the bot's contributions)."""

from __future__ import annotations

import secrets
from dataclasses import replace

import pytest
from live import _write_config

# the on-wiki events and the API helpers of the run --all tests (their fixtures used here too)
from test_live_runall import Wiki, opt_in, snapshot_texts, wiki_api  # noqa: F401

from wmstrategybot.config.files import load_job
from wmstrategybot.config.job import JobConfig
from wmstrategybot.config.wiki import status_page_for
from wmstrategybot.job.discovery import page_key

#: what the vandal appends to a Day page: nested tables, seconds to parse
VANDAL = "\n" + "{|\n" * 12000


def _site_source(pwb):
    from wmstrategybot.sources.site import SiteSource

    return SiteSource(pwb.Site("en", "testwiki"))


def _run_all(pwb, db, job, source=None):
    from wmstrategybot.job.runall import run_all

    source = source or _site_source(pwb)
    return run_all(source, db, job, site=source.wiki())


def _section(report, key):
    return next(e for e in report.events if e.event == key)


def test_a_vandal_edit_pauses_the_event_and_the_revert_lifts_the_pause(event, pwb, wiki, admin, alice, bob, tmp_path):
    """Pathological markup on a Day page: three runs time out ([bot] parse_timeout = 1), the
    event is paused and its status page says what lifts it; a vandal re-adding it costs one try;
    the revert lifts the pause at the next run, with no config edit."""
    status = f"{event.root}/Bot status"
    toml = _write_config(event, tmp_path)
    toml.write_text(toml.read_text().replace("throttle = 0", f'throttle = 0\nparse_timeout = 1\nstatus_page = "{status}"'))
    (tmp_path / "job.toml").write_text('[job]\nconfigs = ["event.toml"]\n')
    job = load_job(tmp_path / "job.toml")
    db = tmp_path / "job.db"
    key = f"config:{event.config.id}"
    api = Wiki(admin, wiki.bot_user)
    assert _section(_run_all(pwb, db, job), key).outcome == "done"
    day = event.config.day_pages[0]
    good = admin.page_text(day)
    bob.edit(day, good + VANDAL, "vandalism")
    for _ in range(3):
        failed = _section(_run_all(pwb, db, job), key)
        assert failed.outcome == "error" and "parse_timeout" in (failed.error or ""), failed
    said = admin.page_text(status) or ""
    assert "failed 3 runs in a row reading its pages" in said and day in said and "reverting" in said, said
    mark = api.mark()
    paused = _section(_run_all(pwb, db, job), key)
    assert paused.outcome == "paused" and paused.exit == 2 and day in (paused.error or ""), paused
    assert api.bot_edits_since(mark) == [] and paused.pages_parsed == 0
    # the vandal re-adds it (another bad version): one try, paused again at once
    bob.edit(day, good + "\nAgain." + VANDAL, "vandalism again")
    again = _section(_run_all(pwb, db, job), key)
    assert again.outcome == "error" and "failed again after its pause was lifted" in (admin.page_text(status) or "")
    assert _section(_run_all(pwb, db, job), key).outcome == "paused"
    # the revert: the config untouched
    alice.edit(day, good, "revert vandalism")
    resumed = _section(_run_all(pwb, db, job), key)
    assert resumed.outcome == "done", resumed
    assert any("has a new revision" in n for n in resumed.notes), resumed.notes
    assert "paused" not in (admin.page_text(status) or "")


def test_a_pause_its_config_caused_lifts_only_at_a_config_edit(opt_in, pwb, wiki_api, alice, tmp_path):  # noqa: F811
    bad = opt_in("Typo", dayz="Day 1")  # an unknown parameter: its config is not acted on
    db = tmp_path / "job.db"
    for _ in range(3):
        assert _section(_run_all(pwb, db, JobConfig()), page_key(bad.root)).outcome == "error"
    said = wiki_api.text(bad.status) or ""
    assert "because of its config" in said and "edits to its other pages do not lift the pause" in said, said
    day = bad.title("Day 1")
    alice.edit(day, (wiki_api.text(day) or "") + "\nA note.\n", "an edit to a Day page")
    mark = wiki_api.mark()
    assert _section(_run_all(pwb, db, JobConfig()), page_key(bad.root)).outcome == "paused"
    assert wiki_api.bot_edits_since(mark) == []
    bad.set_config()  # the organiser fixes the config
    assert _section(_run_all(pwb, db, JobConfig()), page_key(bad.root)).outcome == "done"
    assert "paused" not in (wiki_api.text(bad.status) or "")


def _stop(admin, stop, how):
    if how == "said":
        admin.edit(stop, "stop: the bot misbehaves", "stop the bot")
    elif how == "blanked":
        admin.edit(stop, "", "stop the bot")
    else:
        admin.delete(stop, "stop the bot")


@pytest.mark.parametrize("how", ["said", "blanked", "deleted"])
def test_a_stop_set_after_the_first_save_of_three_events_stops_every_later_save(opt_in, pwb, wiki_api, admin,  # noqa: F811
                                                                                 tmp_path, how):
    events = [opt_in(f"Stop {how} {n}") for n in range(3)]
    stop = f"User:WmBot/Stop pause {secrets.token_hex(3)}"
    admin.edit(stop, "run", "the bot may run")
    source = _site_source(pwb)
    real = source.save
    first: list[str] = []

    def save_then_stop(page, text, *args, **kwargs):
        result = real(page, text, *args, **kwargs)
        if not first:
            first.append(page.title)
            _stop(admin, stop, how)  # an editor stops the bot right after its first save
        return result

    source.save = save_then_stop
    mark = wiki_api.mark()
    report = _run_all(pwb, tmp_path / "job.db", JobConfig(stop_page=stop), source)
    assert wiki_api.bot_edits_since(mark) == first, report.to_json()  # one save, the one before the stop
    assert report.outcome == "stopped" and report.exit == 4
    assert [_section(report, page_key(e.root)).outcome for e in events] == ["stopped"] * 3
    assert all(wiki_api.text(status_page_for(e.root)) is None for e in events)


def test_a_stop_set_between_the_read_and_the_save_lets_only_that_save_through(opt_in, pwb, wiki_api, admin,  # noqa: F811
                                                                              tmp_path):
    """The stop page is read with the page right before its save: a stop set in between cannot
    be seen (MediaWiki saves no page on a condition about another); that one save goes through,
    no other."""
    events = [opt_in(f"Between {n}") for n in range(3)]
    stop = f"User:WmBot/Stop between {secrets.token_hex(3)}"
    admin.edit(stop, "run", "the bot may run")
    source = _site_source(pwb)
    real = source.read
    done: list[list[str]] = []

    def read(titles):
        got = real(titles)
        if not done and len(titles) == 2 and titles[1] == stop:  # the read right before a save
            done.append(list(titles))
            admin.edit(stop, "stop", "stop the bot")
        return got

    source.read = read
    mark = wiki_api.mark()
    report = _run_all(pwb, tmp_path / "job.db", JobConfig(stop_page=stop), source)
    assert done and wiki_api.bot_edits_since(mark) == [done[0][0]], report.to_json()
    assert report.outcome == "stopped" and len(events) == 3


def test_run_with_a_status_page_saves_nothing_while_the_stop_page_says_stop(event, pwb, wiki, admin, tmp_path):
    from wmstrategybot.job.run import run

    api = Wiki(admin, wiki.bot_user)
    status = f"{event.root}/Bot status"
    config = replace(event.config, bot=replace(event.config.bot, status_page=status))
    admin.edit(event.stop, "stop", "stop the bot")
    mark = api.mark()
    report = run(config, event.source(), tmp_path / "state.db")
    assert report.outcome == "stopped" and report.exit == 4
    assert api.bot_edits_since(mark) == [] and admin.page_text(status) is None
    # set mid-run, right after the first save: neither the other pages nor the status page saved
    admin.edit(event.stop, "run", "the bot may run")
    source = event.source()
    real = source.save
    first: list[str] = []

    def save_then_stop(page, text, *args, **kwargs):
        result = real(page, text, *args, **kwargs)
        if not first:
            first.append(page.title)
            admin.edit(event.stop, "stop", "stop the bot")
        return result

    source.save = save_then_stop
    mark = api.mark()
    report = run(config, source, tmp_path / "state.db")
    assert report.outcome == "stopped" and api.bot_edits_since(mark) == first, report.to_json()
    assert admin.page_text(status) is None
