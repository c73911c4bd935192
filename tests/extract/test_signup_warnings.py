"""Signup warnings name their section and line; a row written with single '|' between its
cells (one cell on the wiki) is a warning, not a member."""

from __future__ import annotations

from helpers import SIGNUP_CONFIG

from wmstrategybot.config.event import parse_config
from wmstrategybot.extract.signups import read_signups
from wmstrategybot.wikitext.areas import AreaIndex
from wmstrategybot.wikitext.signuptable import signed_rows

AREAS = AreaIndex(parse_config(SIGNUP_CONFIG).areas)
SIG = "[[User:{0}|{0}]] 10:00, 16 May 2018 (UTC)"


def _read(text):
    notices = []
    groups, unsorted = read_signups("Sign-up", text, AREAS, notices)
    return groups, unsorted, notices


def test_an_unclosed_table_names_its_section_and_line():
    text = (f"Intro.\n== Roles ==\n{{| class=\"wikitable\"\n! User\n|-\n| {SIG.format('Aa')}\n"
            f"== Resources ==\n{{| class=\"wikitable\"\n! User\n|-\n| {SIG.format('Bb')}\n|}}\n")
    _, _, notices = _read(text)
    [unclosed] = [n for n in notices if "not closed" in n.message]
    assert unclosed.line == 3 and "section 'Roles'" in unclosed.message and "add a line |}" in unclosed.message


def test_a_row_with_single_pipes_is_a_warning_not_a_member_and_is_kept():
    row = f"| {SIG.format('Aa')} | English | Berlin"
    text = f"== Roles ==\n{{| class=\"wikitable\"\n! User !! Languages !! City\n|-\n{row}\n|-\n| {SIG.format('Bb')} || German || Paris\n|}}\n"
    groups, unsorted, notices = _read(text)
    members = [s.user for signups in groups.values() for s in signups]
    assert members == ["Bb"] and not unsorted
    [warning] = [n for n in notices if "single '|'" in n.message]
    assert warning.line == 5 and "section 'Roles'" in warning.message
    assert any(row in r for r in signed_rows(text))  # still a signed row no edit may drop
