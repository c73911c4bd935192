"""The status page's text, built of wikitext nodes: the same bytes the run has written since
the page was first made (so that no status page is edited for its form alone)."""

from __future__ import annotations

import mwparserfromhell

from wmstrategybot.job.statuspage import status_edit, status_says, status_text
from wmstrategybot.sources import PageRecord

REFUSED = [{"title": "E/Overview", "reason": "edited by hand | {{nobots}} [[Category:X]]"}]
STOPPED = "stop page [[User:Bot/stop]] does not say 'run': no edit is made"
WARNINGS = ["E/Day 1: line 3: ''{{unclosed'' ~~~~"]
SKIPPED = [{"title": "E/Data.json", "reason": "ratelimited (wait 5 s)"}]
WHEN = "2026-11-30 01:00 UTC"


def test_the_status_text_is_the_same_bytes_as_before():
    assert status_text("refused", REFUSED, STOPPED, WARNINGS, WHEN, SKIPPED) == (
        "Outcome of the bot's runs since 2026-11-30 01:00 UTC: '''refused'''.\n"
        "* Stopped: stop page [[User:Bot/stop]] does not say 'run': no edit is made\n"
        "* [[E/Overview]] left alone: edited by hand {{!}} &#123;&#123;nobots&#125;&#125; [[:Category:X]]\n"
        "* [[E/Data.json]] not saved this time, tried again next run: ratelimited (wait 5 s)\n"
        "Warnings about the source pages:\n"
        "* E/Day 1: line 3: ''&#123;&#123;unclosed'' &#126;&#126;&#126;&#126;"
    )
    assert status_text("done", [], None, [], WHEN) == "Outcome of the bot's runs since 2026-11-30 01:00 UTC: '''done'''."


def test_the_status_page_holds_the_text_in_its_region_and_people_s_words_make_no_markup():
    edit = status_edit("User:Bot/status", PageRecord("User:Bot/status", None), "refused", REFUSED, STOPPED, WARNINGS,
                       WHEN, SKIPPED)
    assert edit.action == "create" and edit.rendered.regions["status"] in edit.new_text
    code = mwparserfromhell.parse(edit.new_text)
    assert [str(t.name) for t in code.filter_templates()] == ["!"]  # {{nobots}} is text
    assert sorted(str(link.title) for link in code.filter_wikilinks()) == [
        ":Category:X", "E/Data.json", "E/Overview", "User:Bot/stop"]  # no category is added
    assert status_says(edit.new_text).startswith("since: '''refused'''.\n* Stopped:")
