"""Wikitext primitives shared by every layer: masking, headings, plain text, template calls.

Pure: strings in, strings out. Masking keeps positions (same length, same newlines) so that
line numbers found on the masked text are line numbers of the page.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass

from wmstrategybot.wikitext.escaping import FILE_OR_CATEGORY
from wmstrategybot.wikitext.spans import GT, Positions, TagBlocks, blank, region_spans

#: Largest page text we parse; MediaWiki's own default limit is 2 MiB.
MAX_PAGE_BYTES = 2 * 1024 * 1024


def page_bytes(text: str) -> int:
    """The size of a page's text as the wiki counts it (UTF-8 bytes; a lone surrogate counts, never raises)."""
    return len(text.encode("utf-8", "surrogatepass"))

_EXTENSION_TAGS = ("nowiki", "pre", "syntaxhighlight", "source", "math", "templatedata")
#: What MediaWiki does not read as wikitext: comments (an unclosed one runs to the end of the
#: page) and closed extension tags (an unclosed <nowiki> is shown as text, so it masks nothing).
IGNORED_BLOCKS = TagBlocks(_EXTENSION_TAGS, comments=True, self_closing=True)
_EXTENSION_BLOCKS = TagBlocks(_EXTENSION_TAGS, comments=False, self_closing=True)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*?/?>")
_EMPHASIS = re.compile(r"'{2,5}")
SPACES = re.compile(r"[ \t\u00a0]+")
#: Where Translate markup starts; <translate ...> and <tvar ...> run to the next '>'.
#: (the '<' written once, before the alternatives: the search then skips to each '<')
_TRANSLATE = re.compile(r"<(?:(/?(?:translate|tvar)\b)|!--T:\d+-->|languages\s*/?>|/>)", re.I)


def mask(text: str, *, regions: bool = True) -> str:
    """Blank out comments, closed <nowiki>/<pre>/<syntaxhighlight>/<math>, and bot regions.

    What is blanked cannot be a marker, a heading or a table row; positions are kept. The
    bot's own regions are blanked first (their markers are comments themselves), unless
    `regions` is False.
    """
    key = (text, regions)
    with _MASKED_LOCK:
        masked = _MASKED.get(key)
        if masked is not None:
            _MASKED.move_to_end(key)
            return masked
    masked = _compute_mask(text, regions)
    _remember(key, masked)
    return masked


#: Masks computed lately, most recent last: a plan asks for the same page's mask from several
#: readers (sections, table rows, signatures), and each is computed once. Bounded by the
#: characters held, so a page ten times larger evicts the older ones instead of piling up.
_MASKED: OrderedDict[tuple[str, bool], str] = OrderedDict()
_MASKED_LOCK = threading.Lock()
MASK_CACHE_CHARS = 16 * 1024 * 1024
_masked_chars = 0


def _compute_mask(text: str, regions: bool) -> str:
    if regions:
        text = blank(text, region_spans(text))
    return blank(text, IGNORED_BLOCKS.spans(text))


def _remember(key: tuple[str, bool], masked: str) -> None:
    global _masked_chars
    size = 2 * len(masked)
    if size > MASK_CACHE_CHARS:
        return
    with _MASKED_LOCK:
        if key in _MASKED:
            return
        _MASKED[key] = masked
        _masked_chars += size
        while _masked_chars > MASK_CACHE_CHARS:
            (old, _), old_masked = _MASKED.popitem(last=False)
            _masked_chars -= 2 * len(old_masked)


#: A template call's name: after ``{{`` (and an optional ``Template:``), up to ``|`` or ``}}``.
#: (possessive: a run of spaces is read once, never again from each of its characters)
_TEMPLATE_CALL = re.compile(r"\{\{\s*+(?:(?i:template)\s*+:\s*+)?([^{}|\[\]<>\n]++)\s*+(?=\||\}\})")


def template_calls(text: str) -> set[str]:
    """The names of the templates a text calls, as written (``Template:`` dropped), outside comments
    and closed <nowiki>/<pre>... (which the wiki does not transclude). ``{{subst:X}}`` is named
    ``subst:X``."""
    if "{{" not in text:
        return set()
    return {m.group(1).strip() for m in _TEMPLATE_CALL.finditer(mask(text, regions=False))}


def mask_extension_tags(text: str) -> str:
    """Blank only closed extension tags (<nowiki>, <pre>...): comments, markers included, stay."""
    return blank(text, _EXTENSION_BLOCKS.spans(text))


@dataclass(frozen=True)
class Heading:
    level: int
    title: str


def heading(line: str) -> Heading | None:
    """The heading on a (masked) line, with its title as plain text, or None."""
    m = _heading_match(line.strip())
    if not m or not m[1]:
        return None
    return Heading(m[0], plain_line(m[1]))


def _heading_match(s: str) -> tuple[int, str] | None:
    """(level, title) as ``^(={1,6})\\s*(.*?)\\s*\\1\\s*$`` matches a stripped line, or None.

    Without the expression's backtracking, which is cubic in a line of spaces after a '='.
    """
    lead = len(s) - len(s.lstrip("="))
    for level in range(min(lead, 6), 0, -1):
        if len(s) >= 2 * level and s.endswith("=" * level):
            title = s[level: len(s) - level].strip()
            if "\n" not in title:
                return level, title
    return None


def plain_line(line: str) -> str:
    """A line's text without tags, emphasis, translate markup and spare spaces."""
    # (each step only where its markup can be: most lines of a page have none of it)
    if "<" in line:
        line = _TAG.sub("", strip_translate(line))
    if "''" in line:
        line = _EMPHASIS.sub("", line)
    if "[" in line:
        line = strip_links(line)
    if "  " in line or "\t" in line or "\u00a0" in line:
        line = SPACES.sub(" ", line)
    return line.strip()


_LINK_STOP = re.compile(r"[\]|]")
_EXTLINK = re.compile(r"\[(?:https?:)?//")
_URL_STOP = re.compile(r"[\s\]]")
_CLOSING_BRACKET = re.compile(r"\]")
_SPACE_RUN = re.compile(r"\s*")


def strip_links(text: str) -> str:
    """[[A|b]] -> b, [[A]] -> A, [http://x y] -> y.

    As ``\\[\\[(?:[^\\]|]*\\|)?([^\\]|]*)\\]\\]`` -> group 1, then
    ``\\[(?:https?:)?//[^\\s\\]]+(?:\\s+([^\\]]*))?\\]`` -> group 1 would, in one pass each (the
    expressions search to the end of the text again for each ``[[`` or ``[//`` left open).
    """
    return _strip_extlinks(_strip_wikilinks(text))


def _strip_wikilinks(text: str) -> str:
    i = text.find("[[")
    if i < 0:
        return text
    stops = Positions(_LINK_STOP, text)
    out: list[str] = []
    pos = 0
    while i >= 0:
        end = -1
        a = stops.first(i + 2)
        if a >= 0 and text[a] == "|":
            b = stops.first(a + 1)
            if b >= 0 and text.startswith("]]", b):
                end, keep = b + 2, text[a + 1: b]
        elif a >= 0 and text.startswith("]]", a):
            end, keep = a + 2, text[i + 2: a]
        if end < 0:
            i = text.find("[[", i + 1)
            continue
        out += (text[pos:i], keep)
        pos = end
        i = text.find("[[", end)
    out.append(text[pos:])
    return "".join(out)


def _strip_extlinks(text: str) -> str:
    if "//" not in text:
        return text
    stops = Positions(_URL_STOP, text)
    closing = Positions(_CLOSING_BRACKET, text)
    out: list[str] = []
    pos = 0
    for m in _EXTLINK.finditer(text):
        if m.start() < pos:
            continue
        u = stops.first(m.end())
        if u <= m.end():
            continue
        if text[u] == "]":
            end, keep = u + 1, ""
        else:
            b = closing.first(u)
            if b < 0:
                continue
            end, keep = b + 1, text[_SPACE_RUN.match(text, u).end(): b]  # type: ignore[union-attr]
        out += (text[pos: m.start()], keep)
        pos = end
    out.append(text[pos:])
    return "".join(out)


def strip_translate(text: str) -> str:
    """Text without Translate markup (<translate>, <!--T:n-->, <tvar>, <languages/>); content kept.

    As ``</?translate\\b[^>]*>|<!--T:\\d+-->|<languages\\s*/?>|</?tvar\\b[^>]*>|</>`` (ignoring case)
    would, without searching to the end again for each tag left open.
    """
    if "<" not in text:
        return text
    gts: list[Positions] = []  # of '>': found at the first tag that needs them
    out: list[str] = []
    pos = 0
    for m in _TRANSLATE.finditer(text):
        if m.start() < pos:
            continue
        end = m.end()
        if m.group(1):
            if not gts:
                gts.append(Positions(GT, text))
            end = gts[0].first(end) + 1
            if not end:
                continue
        out.append(text[pos: m.start()])
        pos = end
    out.append(text[pos:])
    return "".join(out)


_FILE_OR_CATEGORY_LINK = re.compile(
    rf"\[\[\s*(?:{FILE_OR_CATEGORY})\s*:(?:[^\[\]]|\[\[[^\[\]]*\]\])*\]\]",
    re.I,
)
_TABLE_SYNTAX = re.compile(r"^\s*(?:\{\|.*|\|\}|\|-.*|\|\+)\s*$")


def reader_text(masked_line: str) -> str:
    """Roughly what a reader sees of one (masked) line: no markup, boxes, files or table syntax.

    A line that is one template call (a box, a navigation bar) counts as nothing.
    """
    s = strip_translate(masked_line).strip()
    if not s or _TABLE_SYNTAX.match(s) or (s.startswith("{{") and s.endswith("}}") and s.count("{{") == 1):
        return ""
    s = _FILE_OR_CATEGORY_LINK.sub("", s)
    s = re.sub(r"__[A-Z]+__", "", s)
    s = re.sub(r"^[*#:;]+", "", s)
    s = re.sub(r"^[|!]|\|\||!!", " ", s)
    return plain_line(s)
