"""The sessions of the hand-written Summary page joined to the Day pages' sessions: by number
when numbers run across the track, by order (kept in step by titles) when they restart each day. Pure."""

from __future__ import annotations

from dataclasses import replace
from difflib import SequenceMatcher

from wmstrategybot.model.event import Notice, Session


def join_summary(
    built: list[Session], summary: list[tuple[int, str, str, int]], summary_page: str | None, notices: list[Notice]
) -> list[Session]:
    """Summary text and other titles from the Summary page: by number if numbers are global, else by
    order (``_by_order``)."""
    numbers = [s.number for s in built]
    global_numbers = len(numbers) == len(set(numbers))
    by_number = {n: s for s in summary for n in [s[0]]}
    in_order = {} if global_numbers else _by_order([s.title for s in built], [s[1] for s in summary])
    joined: list[Session] = []
    for index, s in enumerate(built):
        match = by_number.get(s.number) if global_numbers else (
            summary[in_order[index]] if index in in_order else None)
        if match is None:
            joined.append(s)
            continue
        other_titles: tuple[str, ...] = ()
        if match[1] != s.title:
            other_titles = (match[1],)
            if match[1].lower() != s.title.lower() and s.source is not None:
                notices.append(Notice(s.source.page, s.source.line,
                                      f"session {s.number} is {s.title!r} here and {match[1]!r} on the summary page"))
        joined.append(replace(s, summary=match[2] or s.intro, other_titles=other_titles))
    if summary and global_numbers:
        for n in sorted(set(by_number) - set(numbers)):
            notices.append(Notice(summary_page or "", by_number[n][3] + 1,
                                  f"session {n} is on the summary page but on no day page"))
    elif summary and len(summary) != len(built):
        notices.append(Notice(summary_page or "", None,
                              f"the summary page has {len(summary)} sessions and the day pages {len(built)}; "
                              f"joined by order where titles agree ({len(in_order)} joined)"))
    return joined


def _by_order(titles: list[str], summary_titles: list[str]) -> dict[int, int]:
    """Day-page session index -> summary section index, by order, kept in step by titles: runs of
    equal titles are joined, and between them runs of the same length (renamed sessions) by
    order; a session or section that only one side has is joined to nothing, so one extra heading
    does not hand every later session the next one's summary."""
    fold = [t.casefold().strip() for t in titles]
    sfold = [t.casefold().strip() for t in summary_titles]
    pairs: dict[int, int] = {}
    for op, i1, i2, j1, j2 in SequenceMatcher(None, fold, sfold, autojunk=False).get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs.update(zip(range(i1, i2), range(j1, j2)))
    return pairs
