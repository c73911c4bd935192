"""What every renderer builds with: the rendered page, skeleton arguments, template calls,
links and headings, each value taken from a page escaped (``escaping.escape_value``), each value
that is text, not wikitext (``PlainText``: a config's names), shown as typed. Pure.

Page skeletons and table frames come from ``templates_wikitext/pages/`` (their
``{{{name}}}`` arguments are filled through mwparserfromhell); repeated items are calls of
the wiki templates in ``templates_wikitext/Template/``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from wmstrategybot.wikitext.escaping import PlainText, escape_text, escape_value

SESSION_TEMPLATE = "Event track session"
NAVBOX_TEMPLATE = "Event track navbox"
NAVBOX_DAY_TEMPLATE = "Event track navbox day"
SIGNUP_COUNT_TEMPLATE = "Event track signup count"
GENERATOR = "wmstrategybot"


class Trusted(str):
    """Wikitext this module built itself: inserted as is, not escaped."""


def escaped(value: str) -> str:
    """A value as a generated page holds it: Trusted as built, PlainText as text, anything
    else (wikitext from people's pages) through ``escape_value``."""
    if isinstance(value, Trusted):
        return value
    if isinstance(value, PlainText):
        return escape_text(value)
    return escape_value(value)


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
    #: regions written instead of `regions` where the live page is a Translate source page
    #: (their generated sentences translatable, changing values in <tvar>)
    translatable_regions: Mapping[str, str] = field(default_factory=dict)
    #: how it is merged with the page's live text: regions | whole | template (plan/compose.py)
    merge: str = "regions"


def fill_arguments(skeleton: str, values: Mapping[str, str]) -> str:
    """Replace each ``{{{name}}}`` of a skeleton with its value (escaped unless Trusted)."""
    code = mwparserfromhell.parse(skeleton)
    for arg in code.filter_arguments(recursive=True):
        name = str(arg.name).strip()
        if name not in values:
            raise KeyError(f"skeleton needs a value for {{{{{{{name}}}}}}}")
        value = values[name]
        code.replace(arg, _text(escaped(value)))
    return str(code)


def _text(wikitext: str) -> Wikicode:
    """Wikitext this module built or escaped, placed as it is: never parsed again (a parse of
    people's text is not linear in its size, and escaping already made it safe)."""
    return Wikicode([Text(wikitext)])


def template_call(name: str, params: list[tuple[str, str | None]], *, block: bool = True) -> Trusted:
    """``{{name|key=value...}}``, one parameter a line when `block`; empty values are left out.

    The text of ``Template(name)`` with a ``Parameter(key, value, showkey=True)`` for each
    (tests/wikitext/test_escaping.py compares the two), joined here as strings: building the
    nodes took half the CPU of rendering an event, and the values are escaped either way.
    """
    end = "\n" if block else ""
    parts = ["{{", name, end]
    for key, value in params:
        if value is None or value == "":  # (an optional target the config does not name)
            continue
        parts += ("|", key, "=", escaped(value), end)
    parts.append("}}")
    return Trusted("".join(parts))


_TARGET_UNSAFE = re.compile(r"[\[\]{}|<>~\n]|_(?=_)|(?<=_)_")


def link(page: str, anchor: str | None, label: str) -> Trusted:
    """``[[page#anchor|label]]``; characters that could end the link or the template around it,
    or make a switch (``__``), are percent-encoded in the target (MediaWiki decodes them) and
    escaped in the label. An empty label gives ``[[page#anchor]]`` (``[[page|]]`` is the pipe trick)."""
    target = f"{page}#{anchor}" if anchor else page
    target = _TARGET_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", target)
    if isinstance(label, PlainText):
        label = escape_text(label)
    else:
        label = label.replace("]]", "&#93;&#93;").replace("[[", "&#91;&#91;")
        label = escape_value(label[:-1] + "&#93;" if label.endswith("]") else label)
    if not label.strip():
        return Trusted(str(Wikilink(_text(target))))
    return Trusted(str(Wikilink(_text(target), _text(label))))


def heading(title: str, level: int = 2) -> Trusted:
    """A heading line; the title on one line, escaped."""
    shown = escape_text(title) if isinstance(title, PlainText) else escape_value(" ".join(title.splitlines()))
    return Trusted(str(Heading(_text(f" {shown} "), level)))


_NOT_STORED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_STORED_CHARS = tuple(chr(c) for c in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF))


def as_stored(text: str) -> str:
    """`text` as MediaWiki stores it inside a page (the page's trailing whitespace aside): NFC,
    LF line ends, and U+FFFD for the control characters and non-characters it does not keep."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(c in text for c in _NOT_STORED_CHARS):  # (a substring search per character: ten times the regex's speed)
        text = _NOT_STORED.sub("\ufffd", text)
    return unicodedata.normalize("NFC", text)
