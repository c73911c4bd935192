"""The event as data -> wikitext of each target page. Pure.

Page skeletons and table frames come from ``templates_wikitext/pages/`` (their
``{{{name}}}`` arguments are filled through mwparserfromhell); repeated items are calls of
the wiki templates in ``templates_wikitext/Template/``, built as mwparserfromhell nodes,
with every value taken from a page escaped (``escaping.escape_value``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wmstrategybot.wikitext.spans import Positions
from wmstrategybot.config.event import EventConfig
from wmstrategybot.errors import MergeRefused
from wmstrategybot.wikitext.escaping import escape_value
from wmstrategybot.wikitext.regions import find_regions
from wmstrategybot.model.event import Event, Session, Signup
from wmstrategybot.wikitext.text import plain_line

SESSION_TEMPLATE = "Event track session"
NAVBOX_TEMPLATE = "Event track navbox"
NAVBOX_DAY_TEMPLATE = "Event track navbox day"
SIGNUP_COUNT_TEMPLATE = "Event track signup count"
GENERATOR = "wmstrategybot"


class Trusted(str):
    """Wikitext this module built itself: inserted as is, not escaped."""


@dataclass(frozen=True)
class RenderedPage:
    """A target page: a fresh text (for when it does not exist) and the regions it owns."""

    kind: str
    title: str
    fresh: str
    regions: Mapping[str, str] = field(default_factory=dict)
    #: signups: area -> section text, added for areas the live page has no section for
    area_sections: Mapping[str, str] = field(default_factory=dict)
    content_model: str = "wikitext"


def fill_arguments(skeleton: str, values: Mapping[str, str]) -> str:
    """Replace each ``{{{name}}}`` of a skeleton with its value (escaped unless Trusted)."""
    code = mwparserfromhell.parse(skeleton)
    for arg in code.filter_arguments(recursive=True):
        name = str(arg.name).strip()
        if name not in values:
            raise KeyError(f"skeleton needs a value for {{{{{{{name}}}}}}}")
        value = values[name]
        code.replace(arg, _text(value if isinstance(value, Trusted) else escape_value(value)))
    return str(code)


def _text(wikitext: str) -> Wikicode:
    """Wikitext this module built or escaped, placed as it is: never parsed again (a parse of
    people's text is not linear in its size, and escaping already made it safe)."""
    return Wikicode([Text(wikitext)])


def template_call(name: str, params: list[tuple[str, str | None]], *, block: bool = True) -> Trusted:
    """``{{name|key=value...}}``, one parameter a line when `block`; empty values are left out.

    The text of ``Template(name)`` with a ``Parameter(key, value, showkey=True)`` for each
    (tests/test_escaping.py compares the two), joined here as strings: building the
    nodes took half the CPU of rendering an event, and the values are escaped either way.
    """
    end = "\n" if block else ""
    parts = ["{{", name, end]
    for key, value in params:
        if value is None or value == "":  # (an optional target the config does not name)
            continue
        parts += ("|", key, "=", value if isinstance(value, Trusted) else escape_value(value), end)
    parts.append("}}")
    return Trusted("".join(parts))


_TARGET_UNSAFE = re.compile(r"[\[\]{}|<>~\n]|_(?=_)|(?<=_)_")


def link(page: str, anchor: str | None, label: str) -> Trusted:
    """``[[page#anchor|label]]``; characters that could end the link or the template around it,
    or make a switch (``__``), are percent-encoded in the target (MediaWiki decodes them) and
    escaped in the label. An empty label gives ``[[page#anchor]]`` (``[[page|]]`` is the pipe trick)."""
    target = f"{page}#{anchor}" if anchor else page
    target = _TARGET_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", target)
    label = label.replace("]]", "&#93;&#93;").replace("[[", "&#91;&#91;")
    label = escape_value(label[:-1] + "&#93;" if label.endswith("]") else label)
    if not label.strip():
        return Trusted(str(Wikilink(_text(target))))
    return Trusted(str(Wikilink(_text(target), _text(label))))


def heading(title: str, level: int = 2) -> Trusted:
    """A heading line; the title on one line, escaped."""
    return Trusted(str(Heading(_text(f" {escape_value(' '.join(title.splitlines()))} "), level)))


def _session_link(s: Session) -> Trusted:
    page = s.source.page if s.source else ""
    anchor = s.source.anchor if s.source else None
    return link(page, anchor, s.title)  # without its time slot (Session.time)


def _folded(title: str) -> str:
    """A title without case, spaces and punctuation: "Preparing To Work" = "Preparing to work"."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", title).casefold() if ch.isalnum())


def shown_other_titles(s: Session) -> list[str]:
    """The session's other titles that differ from its title beyond case and punctuation."""
    shown: list[str] = []
    seen = {_folded(s.title)}
    for other in s.other_titles:
        if _folded(other) not in seen:
            seen.add(_folded(other))
            shown.append(other)
    return shown


def render_sessions(event: Event) -> str:
    """The 'sessions' region of the overview page: a heading per day, a template call per session."""
    blocks: list[str] = []
    for day in event.days:
        label = f"Day {day.number}" + (f": {day.date_text}" if day.date_text else "")
        blocks.append(heading(label, 2))
        for s in (x for x in event.sessions if x.day == day.number):
            parts = "\n".join(
                f"# {escape_value(p.title)}" for p in s.parts
            )
            blocks.append(
                template_call(
                    SESSION_TEMPLATE,
                    [
                        ("number", str(s.number)),
                        ("code", s.code),
                        ("day", str(s.day)),
                        ("title", s.title),
                        ("time", s.time or ""),  # shown apart from the title
                        ("other_titles", ", ".join(shown_other_titles(s))),
                        ("page", s.source.page if s.source else ""),
                        ("anchor", (s.source.anchor or "") if s.source else ""),
                        ("summary", s.summary),
                        ("parts", Trusted(parts)),
                    ],
                )
            )
    return "\n".join(blocks)


#: How many links a row of the navbox takes (the numbered parameters of its day template).
NAVBOX_DAY_LINKS = 40


def render_navbox(event: Event, config: EventConfig, layout: str = "side") -> str:
    """The 'navbox' region: the track navigation box, one row per day.

    `layout` is ``side`` (a box at the right, as on the 2018 pages) or ``bar`` (a full-width bar,
    each day's links on one line); the templates draw both from the same calls.
    """
    layout_param = [("layout", layout)] if layout != "side" else []
    rows = []
    for day in event.days:
        items = [_session_link(s) for s in event.sessions if s.day == day.number]
        items += [link(day.page, a.anchor, a.title) for a in day.appendices]
        if len(items) > NAVBOX_DAY_LINKS:  # the last parameter takes the rest, so no link is lost
            rest = (" · " if layout == "bar" else ",<br>» ").join(items[NAVBOX_DAY_LINKS - 1 :])
            items = [*items[: NAVBOX_DAY_LINKS - 1], Trusted(rest)]
        numbered = [(str(n), item) for n, item in enumerate(items, 1)]
        rows.append(template_call(NAVBOX_DAY_TEMPLATE, [("label", f"Day {day.number}"), *layout_param, *numbered], block=False))
    return template_call(
        NAVBOX_TEMPLATE,
        [
            ("title", config.name),
            ("summary", config.summary_page or ""),
            ("overview", config.targets.overview),
            *layout_param,
            ("days", Trusted("\n" + "\n".join(rows))),
        ],
    )


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


_ITEM_PATTERNS = {
    "overview": re.compile(r"\{\{\s*" + re.escape(SESSION_TEMPLATE) + r"\s*[|}\n]"),
    "navbox": re.compile(r"(?:»|\|\d+=)\s*\[\["),
}


def region_items(kind: str) -> Callable[[str], int | None]:
    """Counts the items of `kind` (an overview's session calls, a navbox's links) inside a page's
    managed regions."""
    pattern = _ITEM_PATTERNS[kind]

    def count(text: str) -> int | None:
        try:
            regions = find_regions(text)
        except MergeRefused:
            return None
        return sum(len(pattern.findall(text[r.content_start : r.content_end])) for r in regions.values())

    return count


_NOT_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def as_stored(text: str) -> str:
    """`text` as MediaWiki stores it inside a page (the page's trailing whitespace aside): NFC,
    LF line ends, and U+FFFD for the control characters and non-characters it does not keep."""
    text = _NOT_STORED.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text)
