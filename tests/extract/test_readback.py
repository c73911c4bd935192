"""The outline as read (extract --outline, the status page's collapsed block): days, sessions and
parts in reading order with their lines, warnings under the item they fall in."""

from __future__ import annotations

from click.testing import CliRunner
from helpers import MemorySource

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.readback import format_outline, outline
from wmstrategybot.job.statuspage import StatusFacts, status_text
from wmstrategybot.model.event import Day, Event, Notice, Part, Provenance, Session
from wmstrategybot.publish.read import read_event

D1, D2 = "E/Day 1", "E/Day 2"


def _session(number, day, title, page, line, parts=(), **extra):
    return Session(id=f"s{number}", code=f"D{day}.{number:02}", number=number, day=day, title=title,
                   parts=tuple(Part(n, t, "", Provenance(page, None, None, ln)) for n, (t, ln) in enumerate(parts, 1)),
                   source=Provenance(page, None, None, line), **extra)


EVENT = Event(
    id="e", name="E", root="E",
    days=(Day(1, D1, "2018-04-20"), Day(2, D2)),
    sessions=(_session(1, 1, "Opening", D1, 3, [("Welcome", 5), ("Rules", 9)], time="9:00"),
              _session(2, 1, "Strategy", D1, 12),
              _session(3, 2, "Groups", D2, 1, number_source="given"),
              _session(4, 7, "Lost", "E/Day 7", 2)),
    warnings=(Notice(D1, 10, "a heading that is neither a session nor a part"),
              Notice(D1, 1, "the day's date is not written"),
              Notice(D2, 40, "a table folded into a session"),
              Notice("E/Sign-up", 3, "a row without a signature")),
)


def test_the_outline_lists_days_sessions_parts_in_order_with_lines_and_places_each_warning():
    lines = format_outline(outline(EVENT)).splitlines()
    assert lines == [
        "Day 1 (2018-04-20)  (E/Day 1)",
        "  warning: the day's date is not written  (line 1)",
        "  1. [9:00] Opening  (line 3)",
        "    1.1 Welcome  (line 5)",
        "    1.2 Rules  (line 9)",
        "      warning: a heading that is neither a session nor a part  (line 10)",
        "  2. Strategy  (line 12)",
        "Day 2  (E/Day 2)",
        "  3. Groups (numbered by the bot)  (line 1)",
        "    warning: a table folded into a session  (line 40)",
        "  4. Lost (day 7: no such day page)  (E/Day 7:2)",
        "warning: a row without a signature  (E/Sign-up:3)",
    ]


def test_the_status_page_shows_the_outline_collapsed_and_peoples_text_as_text():
    hostile = _session(1, 1, "[[Special:Block]] {{delete}} ''x'' <div style=\"position:fixed\">", D1, 3)
    event = Event(id="e", name="E", root="E", days=(Day(1, D1),), sessions=(hostile,),
                  warnings=(Notice(D1, 4, "'[[File:X.png]]' is not read"),))
    text = status_text(StatusFacts("done", 0.0, outline=outline(event)))
    block = text[text.index("'''What the bot read'''"):]
    assert '<div class="mw-collapsible mw-collapsed event-track-bot-outline"' in block and "</div>" in block
    assert "* [[E/Day 1|Day 1]]\n** 1. " in block
    for markup in ("[[Special:Block]]", "{{delete}}", "''x''", "<div style", "[[File:X.png]]"):
        assert markup not in block.replace("'''What the bot read'''", ""), markup
    assert "(line 3)" in block and "*** ''warning:'' " in block and "(line 4)" in block


def test_no_outline_block_when_nothing_was_read():
    assert "What the bot read" not in status_text(StatusFacts("error", 0.0))


def test_extract_outline_prints_the_reading_and_not_the_json():
    from wmstrategybot.cli.main import cli

    result = CliRunner().invoke(cli, ["extract", "--outline"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Day 1 (2018-04-20)  (Wikimedia Conference 2018/Documentation/")
    assert "\n  1. The Big Picture  (line 7)\n    1.1 Welcoming Words  (line 10)\n" in result.stdout
    assert '"sessions"' not in result.stdout


def test_the_outline_follows_the_reading_of_real_pages():
    config = parse_config('[event]\nroot = "E"\ndays = ["Day 1"]\n[targets]\nsummary = "E/Overview"\n'
                          'navbox = "Template:E nav"\n')
    source = MemorySource({"E/Day 1": "== D1.01 / Opening ==\nIntro.\n=== 01 . Welcome ===\nText.\n"
                                      "== D1.0x / Break ==\nText.\n"})
    event, _ = read_event(config, source)
    text = format_outline(outline(event))
    assert "  1. Opening  (line 1)\n    1.1 Welcome  (line 3)\n" in text
    assert "warning: 'D1.0x / Break'" in text and "(line 5)" in text
