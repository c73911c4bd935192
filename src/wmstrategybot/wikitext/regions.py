"""Writing into pages that people also edit. Pure: (current text, new content) -> text or refusal.

The bot owns only its managed regions::

    <!-- wmstrategybot:begin NAME sha1=0123456789ab -->
    ...generated wikitext...
    <!-- wmstrategybot:end NAME -->

Everything outside them is kept byte for byte. The sha1 in the begin marker is the
checksum of what the bot last wrote inside; if the region no longer matches it, a person
edited it and the bot refuses the page rather than overwrite them. A begin marker without
a checksum is a region a person handed over (e.g. an empty pair placed on a page).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from wmstrategybot.wikitext.spans import REGION_NAME, Positions
from wmstrategybot.errors import MergeRefused
from wmstrategybot.wikitext.signuptable import signed_rows
from wmstrategybot.wikitext.text import mask, mask_extension_tags

MARKER = re.compile(
    rf"<!-- wmstrategybot:(?P<kind>begin|end) (?P<name>{REGION_NAME})(?: sha1=(?P<sha1>[0-9a-f]{{12}}))? -->"
)
_LOOSE_MARKER = re.compile(r"wmstrategybot:(begin|end)\b")


@dataclass(frozen=True)
class Region:
    name: str
    begin: int  # offset of the begin marker
    content_start: int
    content_end: int
    end: int  # offset just past the end marker
    sha1: str | None


def checksum(content: str) -> str:
    return hashlib.sha1(content.encode("utf-8")).hexdigest()[:12]


def begin_marker(name: str, content: str | None = None) -> str:
    suffix = f" sha1={checksum(content)}" if content is not None else ""
    return f"<!-- wmstrategybot:begin {name}{suffix} -->"


def end_marker(name: str) -> str:
    return f"<!-- wmstrategybot:end {name} -->"


def region_text(name: str, content: str) -> str:
    """A whole managed region holding `content` (markers on their own lines)."""
    return f"{begin_marker(name, content)}\n{content}\n{end_marker(name)}"


def find_regions(text: str) -> dict[str, Region]:
    """Every managed region of a page; refuses duplicated, unbalanced or nested markers."""
    regions: dict[str, Region] = {}
    open_: tuple[str, int, int, str | None] | None = None
    scan = mask_extension_tags(text)
    if len(_LOOSE_MARKER.findall(scan)) != len(_LOOSE_MARKER.findall(text)):
        raise MergeRefused("a wmstrategybot marker stands inside <nowiki>, <pre> or the like")
    found = list(MARKER.finditer(scan))
    if len(found) != len(_LOOSE_MARKER.findall(scan)):
        raise MergeRefused("a wmstrategybot marker is malformed")
    for m in found:
        name = m.group("name")
        if m.group("kind") == "begin":
            if open_ is not None:
                raise MergeRefused(f"marker 'begin {name}' inside region '{open_[0]}'")
            if name in regions:
                raise MergeRefused(f"region '{name}' appears twice")
            open_ = (name, m.start(), m.end(), m.group("sha1"))
        else:
            if m.group("sha1"):
                raise MergeRefused(f"end marker of '{name}' carries a checksum")
            if open_ is None or open_[0] != name:
                raise MergeRefused(f"marker 'end {name}' has no matching begin")
            content_start = open_[2] + 1 if text[open_[2] : open_[2] + 1] == "\n" else open_[2]
            content_end = m.start() - 1 if m.start() > content_start and text[m.start() - 1] == "\n" else m.start()
            regions[name] = Region(name, open_[1], content_start, content_end, m.end(), open_[3])
            open_ = None
    if open_ is not None:
        raise MergeRefused(f"region '{open_[0]}' has no end marker")
    return regions


def fill(current: str, contents: Mapping[str, str]) -> str:
    """`current` with each named region's content replaced; everything else kept byte for byte.

    Refuses when a region is missing, malformed, was edited by a person since the bot last
    wrote it, or holds text without a checksum (only an empty region is handed over).
    """
    regions = find_regions(current)
    for name in contents:
        if name not in regions:
            raise MergeRefused(f"page has no managed region '{name}' (add an empty marker pair to hand it over)")
    out: list[str] = []
    pos = 0
    for region in sorted(regions.values(), key=lambda r: r.begin):
        if region.name not in contents:
            continue
        old = current[region.content_start : region.content_end]
        if region.sha1 is not None and checksum(old) != region.sha1:
            raise MergeRefused(
                f"region '{region.name}' was edited by hand since the bot wrote it; "
                "move the change outside the markers, or empty the region to hand it back"
            )
        if region.sha1 is None and old.strip():
            raise MergeRefused(
                f"region '{region.name}' holds text but no checksum (a person's, as far as the bot can tell); "
                "empty it to hand it to the bot"
            )
        out.append(current[pos : region.begin])
        out.append(region_text(region.name, contents[region.name]))
        pos = region.end
    out.append(current[pos:])
    return "".join(out)


def region_content(text: str, name: str) -> str | None:
    """What a page's region holds now, or None if the page has no such region."""
    region = find_regions(text).get(name)
    return None if region is None else text[region.content_start : region.content_end]


def guard_signatures(before: str, after: str) -> None:
    """Refuse an edit that would lose any signed row (compared as a multiset of row texts)."""
    lost = signed_rows(before) - signed_rows(after)
    if lost:
        n = sum(lost.values())
        raise MergeRefused(f"the edit would drop {n} signed row(s); refusing the page")


def append_sections(current: str, sections: list[str]) -> str:
    """Add whole new sections at the end of a page, before its trailing category links.

    Only inserts: every character of `current` stays, in order.
    """
    if not sections:
        return current
    cut = trailing_categories(current)
    head, tail = current[:cut], current[cut:]
    added = "\n\n".join(s.strip("\n") for s in sections)
    if not head or head.endswith("\n\n"):
        lead = ""
    elif head.endswith("\n"):
        lead = "\n"
    else:
        lead = "\n\n"
    return head + lead + added + ("\n\n" if tail else "\n") + tail


_CATEGORY_START = re.compile(r"\[\[\s*Category\s*:", re.I)
_SPACE_RUN = re.compile(r"\s*")
_CLOSING_BRACKET = re.compile(r"\]")


def trailing_categories(text: str) -> int:
    """Where the category links (and spaces) that end a page begin; len(text) if none.

    What ``re.search(r"(?:\\[\\[\\s*Category\\s*:[^\\]]*\\]\\]\\s*)+\\Z", text, re.I)`` finds, from the
    end backwards in one pass (the expression tries each ``[[Category:`` left open to the end).
    """
    closing = Positions(_CLOSING_BRACKET, text)
    links = [(m.start(), closing.first(m.end())) for m in _CATEGORY_START.finditer(text)]
    ends: set[int] = {len(text)}  # where a run of category links reaching the end may start
    spaces: dict[int, int] = {}
    for start, close in reversed(links):
        if close < 0 or not text.startswith("]]", close):
            continue
        if close not in spaces:
            spaces[close] = _SPACE_RUN.match(text, close + 2).end()  # type: ignore[union-attr]
        if spaces[close] in ends:
            ends.add(start)
    return min(ends)


_BOTS = re.compile(r"\{\{\s*(nobots|bots)\s*(\|[^{}]*)?\}\}", re.I)


def stop_page_allows(text: str | None) -> bool:
    """A stop page lets the bot run only while its first word is 'run' (or yes/true/on)."""
    if text is None:
        return False
    words = mask(text, regions=False).split()
    return bool(words) and words[0].strip(".:;!").lower() in ("run", "yes", "true", "on")


def bots_allow(text: str, user: str, content_model: str = "wikitext") -> bool:
    """Whether {{bots}}/{{nobots}} on a page let `user` edit it (the convention of en:Template:Bots).

    Only what people wrote counts: the bot's own regions are not read (a {{nobots}} quoted in
    a session's text must not make the bot refuse its own page), nor a JSON page, which
    transcludes nothing.
    """
    if content_model == "json":
        return True
    user = user.lower()
    for m in _BOTS.finditer(mask(text)):
        name, params = m.group(1).lower(), (m.group(2) or "").lstrip("|")
        args = dict(p.split("=", 1) for p in params.split("|") if "=" in p)
        if name == "nobots":
            if not args:
                return False
            names = {n.strip().lower() for n in args.get("allow", "").split(",")}
            return user in names
        allow = {n.strip().lower() for n in args.get("allow", "").split(",") if n.strip()}
        deny = {n.strip().lower() for n in args.get("deny", "").split(",") if n.strip()}
        if "allow" in args:
            return user in allow or "all" in allow
        if "deny" in args:
            return not (user in deny or "all" in deny)
    return True


def same_text(a: str, b: str, content_model: str = "wikitext") -> bool:
    """Whether saving `a` over `b` would change the page, as MediaWiki saves text.

    A save right-trims the text and turns CRLF into LF; a JSON page is stored re-formatted,
    so two JSON texts are the same when their values are.
    """
    if content_model == "json":
        try:
            return bool(json.loads(a) == json.loads(b))
        except ValueError:
            pass
    return a.replace("\r\n", "\n").rstrip() == b.replace("\r\n", "\n").rstrip()
