"""The status page's text, built of wikitext nodes: people's words in it make no markup."""

from __future__ import annotations

import mwparserfromhell

from wmstrategybot.job.statuspage import StatusFacts, status_edit, status_says, status_text
from wmstrategybot.sources import PageRecord

REFUSED = [{"title": "E/Overview", "reason": "edited by hand | {{nobots}} [[Category:X]]"}]
STOPPED = "stop page [[User:Bot/stop]] does not say 'run': no edit is made"
WARNINGS = ["E/Day 1: line 3: ''{{unclosed'' ~~~~"]
SKIPPED = [{"title": "E/Data.json", "reason": "ratelimited (wait 5 s)"}]
NOW = 1_796_000_400.0  # 2026-11-30 01:00 UTC
FACTS = StatusFacts("refused", NOW, REFUSED, SKIPPED, stopped=STOPPED, warnings=WARNINGS)


def test_people_s_words_are_escaped_and_the_run_s_words_are_plain():
    text = status_text(FACTS)
    assert "(The bot says: edited by hand {{!}} &#123;&#123;nobots&#125;&#125; [[:Category:X]].)" in text
    assert "* Stopped: stop page [[User:Bot/stop]] does not say 'run': no edit is made" in text
    assert "* E/Day 1: line 3: ''&#123;&#123;unclosed'' &#126;&#126;&#126;&#126;" in text
    assert "** [[E/Data.json]] (this time: ratelimited (wait 5 s))" in text
    assert text.startswith("Outcome: '''refused'''")
    assert "\n\n'''Last run:''' 2026-11-30 01:00 UTC. '''Next run:''' about 2026-11-30 02:00 UTC" in text


def test_the_status_page_holds_the_text_in_its_region_and_people_s_words_make_no_markup():
    edit = status_edit("User:Bot/status", PageRecord("User:Bot/status", None), FACTS)
    assert edit.action == "create" and edit.rendered.regions["status"] in edit.new_text
    code = mwparserfromhell.parse(edit.new_text)
    assert [str(t.name) for t in code.filter_templates()] == ["!"]  # {{nobots}} is text
    assert sorted(str(link.title) for link in code.filter_wikilinks()) == [
        ":Category:X", "E/Data.json", "E/Overview", "User:Bot/stop"]  # no category is added
    assert status_says(edit.new_text).startswith("Outcome: '''refused'''")
