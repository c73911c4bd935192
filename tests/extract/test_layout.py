"""The reading by evidence (#19): days by weekday or date in five languages, headings that hold
sessions, programmes as tables, timed lists and definition lists, and the doubts said. The real
pages are the corpus (test_corpus.py); these pin each rule on a few lines."""

from __future__ import annotations

import pytest
from helpers import FIXTURES  # noqa: F401

from wmstrategybot.config.files import parse_config
from wmstrategybot.extract.event import extract_event
from wmstrategybot.extract.vocabulary import day_title, heading_date, is_break, wrapper
from wmstrategybot.model.pages import PageRecord

TARGETS = '\n[targets]\nsummary = "E/Overview"\nnavbox = "Template:E navigation"\ndata = "E/Data.json"\n'


def read(text: str, days: str = '["."]'):
    config = parse_config(f'[event]\nroot = "E"\ndays = {days}\nyear = 2017\n' + TARGETS)
    return extract_event(config, {"E": PageRecord("E", text, 1)})


@pytest.mark.parametrize("title, number", [
    ("Day 2 (Friday, 9 Sep)", 2), ("Saturday", None), ("Friday 3 November", None), ("December 19, Friday", None),
    ("Thursday 16th", None), ("Freitag, 31. August", None), ("Samedi 2 décembre", None), ("DAY 1,FRIDAY", 1),
    ("Friday @ NARA", None), ("Tag 3", 3), ("2 December 2017", None),
])
def test_days_are_numbered_days_weekdays_and_dates(title, number):
    assert day_title(title) == (number, True)


@pytest.mark.parametrize("title", ["Opening", "Friday keynote on the future of the movement", "Schedule",
                                   "State of the movement", "Wikimania 2013",
                                   "02 . Nov", "3 | May"])  # (part markers: found by the round-trip property)
def test_sessions_and_wrappers_are_not_days(title):
    assert day_title(title) is None


def test_a_day_heading_gives_its_date_in_each_language():
    assert heading_date("Freitag, 31. August", 2012) == ("2012-08-31", "Freitag, 31. August")
    assert heading_date("December 19, Friday", 2014)[0] == "2014-12-19"
    assert heading_date("Samedi 2 décembre 2017", None)[0] == "2017-12-02"


@pytest.mark.parametrize("title", ["Programme", "Schedule", "Detailed descriptions", "Ordre du jour", "Tagesordnung",
                                   "Agenda (draft)"])
def test_wrappers(title):
    assert wrapper(title)


@pytest.mark.parametrize("title, expected", [
    ("Lunch", True), ("Coffee break", True), ("Morning break", True), ("Walk-in", True), ("Déjeuner", True),
    ("Mittagessen (Mensa)", True), ("Group photo", True), ("Soirée Wiki Loves Monuments", True),
    ("Lunch talk: the future", True),  # (a word at the start decides; the corpus has no such talk)
    ("Opening", False), ("Ice-breaking / team building stuff", False), ("Breakout: partnerships", False),
])
def test_breaks_meals_and_logistics(title, expected):
    assert is_break(title) is expected


def test_a_timed_list_under_weekday_headings_gives_sessions_parts_and_days():
    event = read("== Freitag, 31. August ==\n* 17:00 Begrüssung (45 min, Foyer)\n** Grussworte\n** Team\n"
                 "* 19:30 Abendessen (Mensa)\n== Samstag, 1. September ==\n* 9:00 Keynote\n* ab 9:40 Exkursion\n")
    assert [(s.day, s.title, s.time, [p.title for p in s.parts]) for s in event.sessions] == [
        (1, "Begrüssung", "17:00", ["Grussworte", "Team"]), (2, "Keynote", "9:00", []), (2, "Exkursion", "9:40", [])]
    assert [(d.number, d.date) for d in event.days] == [(1, "2017-08-31"), (2, "2017-09-01")]


def test_a_definition_list_with_french_times():
    event = read("== Programme ==\n;9h30-10h15\n:Accueil\n;10h15-11h\n:Assemblée générale\n:* Rapport moral\n"
                 ";11h-11h30\n:* Présentations des candidats\n:* Vote\n")
    assert [(s.title, s.time, [p.title for p in s.parts]) for s in event.sessions] == [
        ("Assemblée générale", "10h15-11h", ["Rapport moral"]), ("Présentations des candidats", "11h-11h30", []),
        ("Vote", "11h-11h30", [])]


GRID = ('== Saturday ==\n{| class="wikitable"\n! Time !! Room 1 !! Room 2\n|-\n| 9:00 || colspan="2" | Registration\n'
        "|-\n| 9:30 || rowspan=\"2\" | '''Partnerships''' || Intro to partnerships\n|-\n| 10:00 || Wikipedia Clinic\n"
        "|-\n| 10:30 || Lightning talks || Tools showcase\n|-\n! colspan=\"3\" | Best Practice I\n|-\n"
        "| 11:00 || colspan=\"2\" | Ann // Outreach\n\nBob // Languages\n|-\n| 12:00 || colspan=\"2\" | Lunch\n|}\n")


def test_a_room_grid_with_a_block_cell_and_a_header_block():
    event = read(GRID)
    assert [(s.title, s.time, [p.title for p in s.parts]) for s in event.sessions] == [
        ("Partnerships", "9:30", ["Intro to partnerships", "Wikipedia Clinic"]), ("Lightning talks", "10:30", []),
        ("Tools showcase", "10:30", []), ("Best Practice I", "11:00", ["Outreach", "Languages"])]


def test_a_table_whose_times_start_again_is_a_new_day_and_said():
    table = '{| class="wikitable"\n|-\n| 9:00 || Opening\n|-\n| 17:00 || Wrap up\n|}\n'
    event = read("== DAY 1, FRIDAY ==\n" + table + "\n" + table.replace("Opening", "Partnerships"))
    assert [(s.day, s.title) for s in event.sessions] == [(1, "Opening"), (1, "Wrap up"), (2, "Partnerships"),
                                                          (2, "Wrap up")]
    assert any("start of day 2" in w.message for w in event.warnings)


def test_a_programme_beating_headings_is_said_with_both_counts():
    event = read("== Notes ==\nSome words.\n== Agenda ==\n* 10:00 Opening\n* 11:00 Talks\n* 12:00 Closing\n")
    assert [s.title for s in event.sessions] == ["Opening", "Talks", "Closing"]
    event = read("== Plan ==\nWords.\n=== Intro ===\nA.\n=== Middle ===\nB.\n* 10:00 Opening\n* 11:00 Talks\n"
                 "* 12:00 Closing\n* 13:00 End\n")
    assert any("read as a programme of 4 sessions" in w.message and "headings would give" in w.message
               for w in event.warnings)


def test_a_programme_left_inside_a_heading_session_is_doubted():
    event = read("== Opening ==\nWelcome.\n== Day in detail ==\nText.\nMore text.\n* 10:00 A\n* 11:00 B\n"
                 "== Closing ==\nBye.\n== Other ==\nX.\n")
    assert [s.title for s in event.sessions] == ["Opening", "Day in detail", "Closing", "Other"]  # 4 with text > 2
    assert any("is read as the text of session 'Day in detail'" in w.message for w in event.warnings)


def test_a_cell_title_that_runs_onto_its_next_line_is_one_title():
    page = ('{| class="wikitable"\n|-\n| 12:00 || Future of the Conference<br />and closing || State of things'
            '<br />experiences & how-to\n|}\n')
    assert [s.title for s in read(page).sessions] == ["Future of the Conference and closing", "State of things"]


@pytest.mark.parametrize("item, title", [
    ("FDC feedback session (round 1)", "FDC feedback session (round 1)"),  # a number in a title is no note
    ("WMF Board meeting", "WMF Board meeting"),  # (capitals after a time are no time zone: "10:00 CEST" is)
    ("Keynote (30 min, Foyer)", "Keynote"), ("Talks (10:00-10:45)", "Talks"), ("Panel (2 h)", "Panel"),
    ("GLAM-Exkursion: Museumsbesuche im Raum Dornbirn nach Wahl (http://127.0.0.1/museen/)",
     "GLAM-Exkursion"),  # a link after the colon: what follows it describes the title
    ("Tour: see https://example.org/tour", "Tour"),
    ("PR: how to deal with press and social media", "PR: how to deal with press and social media"),
    ("Supplies: 7 cool projects", "Supplies: 7 cool projects"),
])
def test_what_is_a_title_and_what_a_note_after_it(item, title):
    assert [s.title for s in read(f"* 10:00 {item}\n* 11:00 Other\n").sessions] == [title, "Other"]


def test_a_row_after_the_close_of_the_meeting_is_read_and_doubted():
    page = ('{| class="wikitable"\n|-\n| 16.00 || Talks\n|-\n| 17.00 || Close of meeting.\n|-\n'
            '| 17.30 || New Board has first meeting. || Retiring to a nearby pub.\n|}\n')
    event = read(page)
    assert [s.title for s in event.sessions] == ["Talks", "New Board has first meeting"]
    [doubt] = [w for w in event.warnings if "closes the programme" in w.message]
    assert doubt.line == 7 and "'Close of meeting.' (line 5)" in doubt.message and "break words" in doubt.message
    settled = read_settled(page, 'break_words = ["first meeting"]')
    assert [s.title for s in settled.sessions] == ["Talks"]
    assert not [w for w in settled.warnings if "closes the programme" in w.message]
    timed = read("* 10:00 Talks\n* 12:00 End of the meeting\n* 12:30 Board meets\n")
    assert [s.title for s in timed.sessions] == ["Talks", "Board meets"]
    assert any("'End of the meeting'" in w.message for w in timed.warnings)


def test_an_agenda_described_by_headings_below_it_takes_their_text_and_sub_headings():
    page = ("== Tagesordnung ==\n# Eröffnung\n# Bericht\n# Allfälliges\n== Eröffnung ==\n17:00 Begrüßung.\n"
            "=== Prüfung der Stimmen ===\nGeprüft.\n==== Antrag ====\nAngenommen.\n== Bericht ==\nText.\n")
    event = read(page)
    assert [(s.title, [p.title for p in s.parts]) for s in event.sessions] == [
        ("Eröffnung", ["Prüfung der Stimmen"]), ("Bericht", []), ("Allfälliges", [])]
    assert "Angenommen." in event.sessions[0].text and "Text." in event.sessions[1].text


def test_the_one_page_of_a_one_day_event_is_day_one_without_a_doubt():
    event = read("# Opening\n# Reports\n")
    assert [s.day for s in event.sessions] == [1, 1]
    assert not [w for w in event.warnings if "cannot tell the day's number" in w.message]
    two = parse_config('[event]\nroot = "E"\ndays = ["A", "B"]\n' + TARGETS)
    event = extract_event(two, {"E/A": PageRecord("E/A", "# Opening\n# Reports\n", 1),
                                "E/B": PageRecord("E/B", "# More\n# Close\n", 1)})
    assert any("cannot tell the day's number" in w.message for w in event.warnings)


def test_break_words_may_be_phrases():
    page = "* 10:00 Opening\n* 10:30 Board meets first\n* 11:00 Talks\n"
    assert [s.title for s in read_settled(page, 'break_words = ["board meets"]').sessions] == ["Opening", "Talks"]
    assert [s.title for s in read_settled(page, 'break_words = ["board first"]').sessions] == [
        "Opening", "Board meets first", "Talks"]


@pytest.mark.parametrize("title, expected", [
    ("CAKE + PHOTO", True), ("Coffee & snacks", True), ("Room closed", True), ("(chill space)", True), ("(open)", True),
    ("Lunch and registration", True),
    ("Cake decorating workshop", False), ("Wikidata + cake", False), ("(Session 2) Maps", False),
    ("Open Space", False), ("Schluss der Versammlung", True),
])
def test_fillers_and_breaks_made_of_break_words(title, expected):
    assert is_break(title) is expected


@pytest.mark.parametrize("item, title", [
    ("Wikipedia at 18 (video)", "Wikipedia at 18"), ("Talks ([http://127.0.0.1/x video])", "Talks"),
    ("Public Domain and the Commons [http://127.0.0.1/x video]", "Public Domain and the Commons"),
    ("State of the Wiki, [http://127.0.0.1/x video]", "State of the Wiki"),
    ("The future of video", "The future of video"), ("How to upload video", "How to upload video"),  # no link
    ("Sprawozdanie Zarządu za 2017 rok, w tym:", "Sprawozdanie Zarządu za 2017 rok"),
    ("Beyond the edit: how Wikipedia editors can collaborate with scientists to improve research coverage",
     "Beyond the edit: how Wikipedia editors can collaborate with scientists to improve research coverage"),
])
def test_link_labels_and_lead_ins_are_no_part_of_a_title(item, title):
    assert [s.title for s in read(f"* 10:00 {item}\n* 11:00 Other\n").sessions] == [title, "Other"]


SPEAKERS = ("* 10:00 Wikipedia at 18, Phoebe Ayers\n* 11:00 New Maps for Bias, Carwil Bjork-James\n"
            "* 12:00 Gender Gap in Wikipedia, Middle East\n* 13:00 Lessons learnt, Next Steps Ahead\n")


def test_a_name_after_a_comma_is_kept_and_doubted_until_settled():
    """The evidence cannot tell a speaker ("…, Phoebe Ayers") from a place ("…, Middle East"):
    titles stay as written and a warning names them; `speakers_after_comma` settles it."""
    event = read(SPEAKERS)
    assert [s.title for s in event.sessions] == ["Wikipedia at 18, Phoebe Ayers", "New Maps for Bias, Carwil Bjork-James",
                                                 "Gender Gap in Wikipedia, Middle East", "Lessons learnt, Next Steps Ahead"]
    [doubt] = [w for w in event.warnings if "speaker's name after a comma" in w.message]
    assert doubt.line == 1 and doubt.message.startswith("3 title(s)") and "speakers after comma = yes" in doubt.message
    dropped = read_settled(SPEAKERS, "speakers_after_comma = true")
    assert [s.title for s in dropped.sessions] == ["Wikipedia at 18", "New Maps for Bias", "Gender Gap in Wikipedia",
                                                   "Lessons learnt, Next Steps Ahead"]  # (title words: no name)
    kept = read_settled(SPEAKERS, "speakers_after_comma = false")
    assert [s.title for s in kept.sessions] == [s.title for s in event.sessions]
    assert not [w for w in kept.warnings + dropped.warnings if "speaker's name" in w.message]


def test_a_close_is_forgotten_where_the_times_start_again():
    table = '{| class="wikitable"\n|-\n| 16:00 || Talks\n|-\n| 17:00 || End of day\n|}\n'
    event = read(table + "\n" + table.replace("16:00", "09:00").replace("End of day", "Wrap up"))
    assert not [w for w in event.warnings if "closes the programme" in w.message]
    timed = read("* 16:00 Talks\n* 17:00 End of the day\n* 9:00 Opening\n* 10:00 Talks again\n")
    assert not [w for w in timed.warnings if "closes the programme" in w.message]


def test_numbered_headings_are_numbered_per_day():
    event = read("= Day 1 =\n== 1. Opening ==\nA.\n== 2. Reports ==\nB.\n= Day 2 =\n== 1. Elections ==\nC.\n"
                 "== 2. Closing ==\nD.\n")
    assert [(s.day, s.number, s.title) for s in event.sessions] == [
        (1, 1, "Opening"), (1, 2, "Reports"), (2, 1, "Elections"), (2, 2, "Closing")]


def test_numbered_headings_give_the_sessions_number_and_title():
    event = read("Minutes.\n== 1. Opening ==\nA.\n== 2. Agenda approved ==\nB.\n== 3. Reports ==\nC.\n")
    assert [(s.number, s.title) for s in event.sessions] == [(1, "Opening"), (2, "Agenda approved"), (3, "Reports")]
    mixed = read("== 1. Opening ==\nA.\n== Reports ==\nB.\n")  # not all numbered: titles as written
    assert [s.title for s in mixed.sessions] == ["1. Opening", "Reports"]


def test_a_year_in_the_page_title_is_no_day_number():
    config = parse_config('[event]\nroot = "Wikipedia Day 2019"\ndays = ["."]\n' + TARGETS)
    event = extract_event(config, {"Wikipedia Day 2019": PageRecord("Wikipedia Day 2019", "== Talks ==\nA.\n", 1)})
    assert [s.day for s in event.sessions] == [1]


# ---------------------------------------------------------------- one line to settle it: [reading]

def read_settled(text: str, reading: str, days: str = '["."]'):
    config = parse_config(f'[event]\nroot = "E"\ndays = {days}\nyear = 2017\n' + TARGETS + "\n[reading]\n" + reading)
    return extract_event(config, {"E": PageRecord("E", text, 1)})


GROUPED = "== Talks ==\n=== Opening ===\nA.\n=== Closing ===\nB.\n== Workshops ==\n=== Maps ===\nC.\n"


def test_heading_level_settles_which_headings_are_the_sessions():
    assert [s.title for s in read(GROUPED).sessions] == ["Talks", "Workshops"]
    assert [s.title for s in read_settled(GROUPED, "heading_level = 3").sessions] == ["Opening", "Closing", "Maps"]


TIMED = "== Plan ==\nWords.\n== Venue ==\nMore.\n* 10:00 Opening\n* 11:00 Talks\n* 12:00 Closing\n"


def test_sessions_from_settles_headings_or_programme():
    assert [s.title for s in read(TIMED).sessions] == ["Opening", "Talks", "Closing"]
    assert [s.title for s in read_settled(TIMED, 'sessions_from = "headings"').sessions] == ["Plan", "Venue"]
    few = "== Plan ==\nWords.\n== Venue ==\nMore.\n== More ==\nText.\n* 10:00 Opening\n"
    assert [s.title for s in read(few).sessions] == ["Plan", "Venue", "More"]
    assert [s.title for s in read_settled(few, 'sessions_from = "programme"').sessions] == ["Opening"]


def test_day_headings_settles_which_headings_are_days():
    page = "== Saturday ==\n=== Opening ===\nA.\n== Morning ==\n=== Talks ===\nB.\n"
    assert [(s.day, s.title) for s in read(page).sessions] == [(1, "Opening"), (1, "Talks")]  # Morning: a session's part?
    settled = read_settled(page, 'day_headings = ["Saturday", "Morning"]')
    assert [(s.day, s.title) for s in settled.sessions] == [(1, "Opening"), (2, "Talks")]
    none = read_settled("== Saturday ==\nA session named so.\n== Sunday ==\nAnother.\n", "day_headings = []")
    assert [s.title for s in none.sessions] == ["Saturday", "Sunday"]


def test_break_words_settle_what_is_a_break():
    page = "* 10:00 Opening\n* 10:30 Brotzeit im Hof\n* 11:00 Talks\n"
    assert [s.title for s in read(page).sessions] == ["Opening", "Brotzeit im Hof", "Talks"]
    assert [s.title for s in read_settled(page, 'break_words = ["Brotzeit"]').sessions] == ["Opening", "Talks"]


def test_the_settling_keys_are_parameters_of_the_template_and_listed_in_the_readme():
    from wmstrategybot.config.wiki import read_wiki_config
    from wmstrategybot.model.settings import ReadingSettings, SiteConfig

    text = ("{{Event track bot\n| days = .\n| heading level = 3\n| sessions from = programme\n"
            "| day headings = Saturday, Sunday 13th\n| break words = Fika, Kaffee\n}}")
    wiki = read_wiki_config("E", text, SiteConfig())
    assert wiki.problems == () and wiki.config is not None
    assert wiki.config.reading == ReadingSettings(3, "programme", ("Saturday", "Sunday 13th"), ("Fika", "Kaffee"))
    none = read_wiki_config("E", "{{Event track bot|days=.|day headings=none}}", SiteConfig())
    assert none.config is not None and none.config.reading.day_headings == ()
    bad = read_wiki_config("E", "{{Event track bot|days=.|sessions from=tables|heading level=9}}", SiteConfig())
    assert {p.key for p in bad.problems} == {"sessions from", "heading level"}
    readme = (FIXTURES.parents[1] / "README.md").read_text("utf-8")
    for param in ("heading level", "sessions from", "day headings", "break words", "speakers after comma"):
        assert f"`{param} = " in readme, param


# ---------------------------------------------------------------- extract --report counts what was read

def _report(text: str, reading: str = ""):
    from wmstrategybot.extract.coverage import coverage_report

    config = parse_config('[event]\nroot = "E"\ndays = ["."]\n' + TARGETS + (f"\n[reading]\n{reading}" if reading else ""))
    [c] = coverage_report(config, {"E": PageRecord("E", text, 1)})
    return c


FOLDED = ("== Opening ==\nWelcome to all.\n== Day in detail ==\nText of the day.\nMore text here.\n"
          "* 10:00 Alpha talk\n* 11:00 Beta talk\n== Closing ==\nGood bye.\n== Other ==\nSomething.\n")


def test_the_report_counts_a_programme_folded_into_a_session_as_not_read():
    c = _report(FOLDED)
    assert c.sessions == 4 and (6, 7) in c.unused and c.percent < 100
    settled = _report(FOLDED, 'sessions_from = "programme"')  # read as the extraction reads it
    assert settled.sessions == 2 and (6, 7) not in settled.unused


def test_the_report_reads_the_page_as_the_extraction_does():
    page = "== Programme ==\nSome words.\n* 10:00 Opening\n* 11:00 Talks\n* 12:00 Closing words\n"
    c = _report(page)
    assert c.sessions == 3 and not [r for r in c.unused if r[0] <= 5 <= r[1]]


def test_a_break_word_of_no_letter_breaks_nothing():
    """`break words = Fika, -`: the "-" is a config problem; read anyway, it matches no title (a
    phrase of no word would have matched every one and emptied the programme)."""
    from wmstrategybot.config.wiki import read_wiki_config
    from wmstrategybot.errors import ConfigError
    from wmstrategybot.extract.layout import programme
    from wmstrategybot.model.settings import SiteConfig
    from wmstrategybot.wikitext.text import mask

    page = "* 10:00 Opening\n* 10:30 Fika\n* 11:00 Talks\n"
    lines = mask(page).split("\n")
    assert [i.title for i in programme(lines, list(range(len(lines))), ("Fika", "-", "()"))] == ["Opening", "Talks"]
    with pytest.raises(ConfigError, match="break_words"):
        read_settled(page, 'break_words = ["Fika", "-"]')
    wiki = read_wiki_config("E", "{{Event track bot|days=.|break words=Fika, -}}", SiteConfig())
    assert [p.key for p in wiki.problems] == ["break words"]
