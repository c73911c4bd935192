"""The signup counts: members, withdrawals, languages and the latest signup of each area. Pure.

Only numbers, dates, configured area names and plain words reach this table.
"""

from __future__ import annotations

import re

from wmstrategybot.model.event import Event, Signup
from wmstrategybot.render.base import (
    SIGNUP_COUNT_TEMPLATE,
    Trusted,
    fill_arguments,
    template_call,
)
from wmstrategybot.wikitext.spans import Positions
from wmstrategybot.wikitext.text import plain_line

_NOT_PLAIN = re.compile(r"[^\w\s.,;()/+-]", re.UNICODE)


def plain_words(text: str) -> str:
    """Text reduced to words and light punctuation: no markup can come through.

    For values people wrote that go into a table the bot owns (the languages column): a link,
    template, category or signature in a signup cell must not reappear in the counts.
    """
    return " ".join(_NOT_PLAIN.sub(" ", plain_line(_without_markup(text))).split())


_MARKUP_START = re.compile(r"\{\{|<!--|\[\[\s*category\s*:", re.I)


_TEMPLATE_END = re.compile(r"(?=\}\})")


_CLOSING_BRACKET = re.compile(r"\]")


def _without_markup(text: str) -> str:
    """`text` with each template call, comment and category link a space: what
    ``re.sub(r"\\{\\{.*?\\}\\}|<!--.*?(-->|$)|\\[\\[\\s*category\\s*:[^\\]]*\\]\\]", " ", text, flags=re.I | re.S)``
    gives, in one pass (the expression searches to the end again for each ``{{`` left open)."""
    if not _MARKUP_START.search(text):
        return text
    template_ends = Positions(_TEMPLATE_END, text)
    closing = Positions(_CLOSING_BRACKET, text)
    last = len(text) - 1 if text.endswith("\n") else len(text)  # where '$' first matches
    out: list[str] = []
    pos = 0
    for m in _MARKUP_START.finditer(text):
        i = m.start()
        if i < pos:
            continue
        if m.group(0) == "{{":
            end = template_ends.first(i + 2)
            if end < 0:
                continue
            end += 2
        elif m.group(0) == "<!--":
            arrow = text.find("-->", i + 4)
            dollar = last if last >= i + 4 else len(text)
            end = arrow + 3 if 0 <= arrow <= dollar else dollar
        else:
            end = closing.first(m.end())
            if end < 0 or not text.startswith("]]", end):
                continue
            end += 2
        out += (text[pos:i], " ")
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _languages(signups: list[Signup]) -> list[str]:
    found: list[str] = []
    for s in signups:
        for key, value in s.fields:
            if key.lower().startswith(("language", "lang")):
                for lang in re.split(r"[,;/]| and ", plain_words(value)):
                    lang = lang.strip(" .()+-")
                    if lang and lang not in found:
                        found.append(lang)
    return sorted(found, key=str.lower)


def render_signup_counts(event: Event, frame: str) -> str:
    """The 'signup-counts' region: per area, members, withdrawn, languages, latest signup.

    Only numbers, dates, configured area names and plain words reach this table.
    """
    rows = []
    groups = [(g.area, g.signups) for g in event.working_groups]
    if event.unsorted:
        groups.append(("(rows in no area's section)", event.unsorted))
    for area, signups in groups:
        active = [s for s in signups if not s.withdrawn]
        users = {s.user or s.signature for s in active}
        stamps = [s.timestamp for s in signups if s.timestamp]
        rows.append(
            template_call(
                SIGNUP_COUNT_TEMPLATE,
                [
                    ("area", area),
                    ("members", str(len(users))),
                    ("withdrawn", str(sum(1 for s in signups if s.withdrawn))),
                    ("languages", ", ".join(_languages(active))),
                    ("latest", max(stamps)[:10] if stamps else ""),
                ],
                block=False,
            )
        )
    return fill_arguments(frame, {"rows": Trusted("\n".join(rows))}).strip("\n")
