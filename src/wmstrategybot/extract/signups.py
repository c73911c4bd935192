"""Working-group signups read from a signup page: canonical area, user, signature, state. Pure.

Rows are never rewritten here: this only reads. A row in a section that names no configured
area goes to `unsorted` (and stays where it is on the page); a row without a signature is
kept and flagged (timestamp None); a user with two live rows in one area is reported.
"""

from __future__ import annotations

from collections import Counter

from wmstrategybot.model.event import Notice, Provenance, Signup
from wmstrategybot.wikitext import signuptable
from wmstrategybot.wikitext.areas import AreaIndex


def read_signups(
    title: str, text: str, areas: AreaIndex, notices: list[Notice]
) -> tuple[dict[str, list[Signup]], list[Signup]]:
    """(area -> signups, unsorted signups); problems are appended to `notices`.

    The signup page is a target page, which the bot edits: its revision is left out of the
    provenance so that the data does not change because of the bot's own edit.
    """
    groups: dict[str, list[Signup]] = {}
    unsorted: list[Signup] = []
    for section, row in signuptable.signup_rows(text):
        area = areas.canonical(section) if section else None
        if row.single_pipes:
            notices.append(Notice(title, row.line, f"signup row in {_where(section)} is written with single '|' "
                                  "between its cells, which the wiki shows as one cell; write '||' between cells "
                                  "(or one cell a line); not counted until then"))
            continue
        signup = Signup(
            user=row.user,
            signature=row.signature,
            timestamp=row.timestamp,
            fields=tuple(row.fields),
            withdrawn=row.withdrawn,
            source=Provenance(title, None, section, row.line),
        )
        if area is None:
            unsorted.append(signup)
            where = f"{_where(section)}, which names no area" if section else _where(section)
            notices.append(Notice(title, row.line, f"signup row in {where}; kept there, listed as unsorted"))
            continue
        groups.setdefault(area, []).append(signup)
        if signup.timestamp is None:
            notices.append(Notice(title, row.line, f"signup row in {section!r} has no signature timestamp"))
    for area, signups in groups.items():
        live = Counter(s.user for s in signups if s.user and not s.withdrawn)
        for user, n in sorted(live.items()):
            if n > 1:
                line = next(s.source.line for s in signups if s.user == user and s.source)
                notices.append(Notice(title, line, f"{user} signed {n} times for {area}"))
    for line in signuptable.unclosed_tables(text):
        section = next((t for t, start, end in signuptable.sections(text) if start < line <= end), None)
        notices.append(Notice(title, line, f"the table in {_where(section)} (its {{| at line {line}) is not closed "
                              "with |}, so the wiki shows what follows inside it; add a line |} at its end. "
                              "No section is added until then"))
    return groups, unsorted


def _where(section: str | None) -> str:
    return f"section {section!r}" if section else "the lead, outside any section"
