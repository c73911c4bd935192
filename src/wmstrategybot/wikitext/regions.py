"""The bot's managed regions in pages that people also edit: finding, filling and appending. Pure.

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
import re
from collections.abc import Mapping
from dataclasses import dataclass

from wmstrategybot.errors import MergeRefused
from wmstrategybot.wikitext.spans import REGION_NAME, Positions
from wmstrategybot.wikitext.text import mask_extension_tags

MARKER = re.compile(
    rf"<!-- wmstrategybot:(?P<kind>begin|end) (?P<name>{REGION_NAME})(?: sha1=(?P<sha1>[0-9a-f]{{12}}))? -->"
)
#: a marker-like comment, well formed or not: a mention of the markers in prose or <code>
#: ("the bot's wmstrategybot:begin markers") is text, not a marker
_LOOSE_MARKER = re.compile(r"<!--(?:(?!-->).)*?wmstrategybot:(begin|end)\b", re.S)
_TRANSLATABLE = re.compile(r"<translate\b|<languages\s*/?>", re.I)
_UNIT = re.compile(r"<translate\b[^>]*>.*?(?:</translate\s*>|\Z)", re.I | re.S)


def is_translatable(text: str) -> bool:
    """A page holding <translate> or <languages/> is a Translate source page."""
    return bool(_TRANSLATABLE.search(mask_extension_tags(text)))


def _refuse_regions_in_units(scan: str, regions: Mapping[str, Region]) -> None:
    for unit in _UNIT.finditer(scan):
        for r in regions.values():
            inside = r.content_start <= unit.start() and unit.end() <= r.content_end  # a unit the bot wrote
            if r.begin < unit.end() and r.end > unit.start() and not inside:
                raise MergeRefused(
                    f"region '{r.name}' stands inside a <translate> unit: the bot never writes there, because its"
                    " edits would make every translation outdated; move the marker pair outside"
                    " <translate>...</translate>"
                )


@dataclass(frozen=True)
class Region:
    name: str
    begin: int  # offset of the begin marker
    content_start: int
    content_end: int
    end: int  # offset just past the end marker
    sha1: str | None


#: the unit marker the Translate extension adds at a unit's start when a page is marked for
#: translation (``<translate><!--T:3--> Day ...``), and the space after it
_UNIT_MARKER = re.compile(r"<!--T:[^<>\n]*?--> ?")
_UNIT_OPEN = re.compile(r"<translate\b[^>]*>", re.I)


def without_unit_markers(content: str) -> str:
    """`content` without Translate's unit markers: the text the bot wrote."""
    return _UNIT_MARKER.sub("", content) if "<!--T:" in content else content


def keep_unit_markers(old: str, new: str) -> str:
    """`new` with the unit markers that followed the <translate> tags of `old`, tag by tag in
    order: the units the bot wrote keep the identifiers Translate gave them (they all hold the
    same sentence, so the order is enough), and marking the page again changes nothing there."""
    if "<!--T:" not in old:
        return new
    markers = [m.group(0) if (m := _UNIT_MARKER.match(old, tag.end())) else "" for tag in _UNIT_OPEN.finditer(old)]
    if not any(markers):
        return new
    tags = iter(markers)
    return _UNIT_OPEN.sub(lambda tag: tag.group(0) + next(tags, ""), new)


def checksum(content: str) -> str:
    """The checksum of a region's content, over what the bot wrote (Translate's unit markers,
    added when a translation administrator marks the page, are not a person's edit)."""
    return hashlib.sha1(without_unit_markers(content).encode("utf-8")).hexdigest()[:12]


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
    _refuse_regions_in_units(scan, regions)
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
                "move the change outside the markers, revert the region to the bot's text, or hand it back: "
                "empty it and remove its sha1=... from the begin marker"
            )
        if region.sha1 is None and old.strip():
            raise MergeRefused(
                f"region '{region.name}' holds text but no checksum (a person's, as far as the bot can tell); "
                "empty it to hand it to the bot"
            )
        out.append(current[pos : region.begin])
        out.append(region_text(region.name, keep_unit_markers(old, contents[region.name])))
        pos = region.end
    out.append(current[pos:])
    return "".join(out)


def region_content(text: str, name: str) -> str | None:
    """What a page's region holds now, or None if the page has no such region."""
    region = find_regions(text).get(name)
    return None if region is None else text[region.content_start : region.content_end]


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


