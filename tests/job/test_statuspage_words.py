"""The status page for organisers, in plain words: when the bot ran and runs next, what it
changed (a page a line), what it could not do once per cause with the next step on the wiki,
whom to ask; and the pages that show pages a run created are purged."""

from __future__ import annotations

from helpers import DAY, MemorySource

from wmstrategybot.config.job import JobConfig
from wmstrategybot.job.causes import CAUSES, cause_of
from wmstrategybot.job.runall import run_all
from wmstrategybot.job.statuspage import StatusFacts, status_says, status_text
from wmstrategybot.options import Options
from wmstrategybot.wikitext.regions import region_text

NOW = 1_796_000_400.0  # 2026-11-30 01:00 UTC
SHRINK = "the generated list would shrink from 5 to 3 items; use --allow-shrink if that is right"
ROOT = "Summit A/Documentation"


def _text(**facts) -> str:
    return status_text(StatusFacts(facts.pop("outcome", "refused"), NOW, **facts))


def test_one_cause_is_told_once_with_its_step_and_its_pages_one_a_line():
    text = _text(refused=[{"title": "E/Overview", "reason": SHRINK}, {"title": "E/Navigation", "reason": SHRINK}])
    assert text.count("would get shorter") == 1 and text.count("shrink from 5 to 3") == 1
    assert "''Next step:''" in text and "--allow-shrink" not in text  # the operator's words are not for organisers
    assert "** [[E/Overview]]\n** [[E/Navigation]]" in text


def test_different_details_of_one_cause_are_each_on_a_line_under_it():
    text = _text(outcome="error", refused=[
        {"title": "E", "reason": "its config is not acted on: line 6, dayz: unknown parameter"},
        {"title": "E", "reason": "its config is not acted on: line 7, year: must be a year"}])
    assert text.count("has problems") == 1
    assert "** line 6, dayz: unknown parameter\n** line 7, year: must be a year" in text


def test_when_it_ran_when_it_runs_next_and_whom_to_ask():
    text = _text(outcome="done", operator="User:Op", run_every=1800)
    assert "'''Last run:''' 2026-11-30 01:00 UTC" in text and "about 2026-11-30 01:30 UTC" in text
    assert "every 30 minutes" in text and "Ask [[User:Op]], who runs the bot." in text
    # in the root's box "this page" would be the root, on the status page itself the status page
    assert "Ask on the talk page of the event's page: [[Special:EditPage/Talk:Summit A/Documentation|Talk:Summit A/Documentation]]." in \
        _text(outcome="done", root=ROOT)
    assert "Ask on the talk page of the status page." in _text(outcome="done")
    assert "this page" not in _text(outcome="done") + _text(outcome="done", root=ROOT)


def test_the_warnings_header_promises_a_line_only_where_a_warning_has_one():
    text = _text(outcome="done", warnings=["E/Friday: cannot tell the day's number", "E/Day 1:3: heading 'X'"])
    assert "each names its page, and its line where it has one" in text and "fix the line" not in text


def test_what_it_changed_is_a_linked_page_a_line():
    text = _text(outcome="done", edited=[{"title": "E/Overview", "action": "created", "revision": 3},
                                         {"title": "E/Data.json", "action": "updated", "revision": 4}])
    assert "* [[E/Overview]] (created)\n* [[E/Data.json]] (updated)" in text


def test_every_cause_has_a_step_and_every_reason_a_cause():
    assert all(c.says and c.step for c in CAUSES)
    assert cause_of("region 'x' was edited by hand since the bot wrote it").key == "hand"
    assert cause_of("the page opts out of bots ({{nobots}} or {{bots|deny=...}})").key == "nobots"
    assert cause_of("something new").key == "other"


def test_times_and_changed_pages_alone_do_not_make_it_say_something_else():
    a = region_text("status", _text(outcome="done", edited=[{"title": "E/Overview", "action": "created"}]))
    b = region_text("status", status_text(StatusFacts("done", NOW + 3600)))
    assert status_says(a) == status_says(b)
    c = region_text("status", _text(refused=[{"title": "E/Overview", "reason": SHRINK}]))
    assert status_says(a) != status_says(c)


def _wiki() -> MemorySource:
    root = "Prose.\n{{Event track bot\n| name = A\n| days = Day 1\n| overview = /Overview\n| navbox = /Navigation\n}}\n"
    return MemorySource({ROOT: root, f"{ROOT}/Day 1": DAY}, watchlist=True)


def test_a_first_run_purges_the_targets_and_the_root_and_names_the_operator(tmp_path):
    source = _wiki()
    report = run_all(source, tmp_path / "job.db", JobConfig(operator="User:Op"), options=Options(clock=lambda: NOW))
    assert report.exit == 0, report.to_json()
    status = source.pages[f"{ROOT}/Bot status"]
    assert "[[User:Op]]" in status and f"* [[{ROOT}/Overview]] (created)" in status
    purged = {t for batch in source.purged for t in batch}
    assert {ROOT, f"{ROOT}/Overview", f"{ROOT}/Navigation"} <= purged


def test_a_run_that_changes_nothing_purges_nothing(tmp_path):
    source = _wiki()
    run_all(source, tmp_path / "job.db", options=Options(clock=lambda: NOW))
    source.purged.clear()
    run_all(source, tmp_path / "job.db", options=Options(clock=lambda: NOW + 3600))
    assert source.purged == []


def test_the_stop_page_is_read_by_the_wiki_when_it_renders_the_page():
    text = _text(outcome="done", stop_page="User:Bot/Stop")
    assert "{{#switch:{{lc:{{:User:Bot/Stop}}}}|run|yes|true|on=|#default=" in text and "Stopped now" in text
    assert "#switch" not in _text(outcome="done", stop_page="User:Bot/{{evil}}")
    assert "#switch" not in _text(outcome="done")
