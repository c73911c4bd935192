"""What a fragment of a page holds, as data: its links, files (images, galleries), list items
and tables. Pure; each reads the fragment masked (see ``wikitext.mask``), scanned once.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import mwparserfromhell

from wmstrategybot.wikitext.clean import clean
from wmstrategybot.wikitext.escaping import CATEGORY_NAMESPACES, FILE_NAMESPACES
from wmstrategybot.wikitext.scan import (
    Node,
    mask_unparsed,
    scan_links,
    simple_tables,
    template_params,
)
from wmstrategybot.wikitext.spans import GT, Positions
from wmstrategybot.wikitext.text import SPACES, mask, plain_line


@lru_cache(maxsize=4)  # a session body is read by list_items(), links(), images() and tables() in turn
def _masked(fragment: str) -> str:
    return mask(fragment)


@lru_cache(maxsize=4)  # a session body is scanned by links() and at once by images()
def _scanned(fragment: str) -> tuple[str, str, tuple[Node, ...]]:
    """(masked, masked with unparsed tags blanked, its links and templates) of a fragment."""
    masked = _masked(fragment)
    scanned = mask_unparsed(masked)
    return masked, scanned, tuple(scan_links(scanned))


def links(fragment: str) -> list[str]:
    """Internal link targets and external URLs in order, without files and categories."""
    found: list[str] = []
    for node in _scanned(fragment)[2]:
        if node.kind == "wikilink":
            target = node.value.strip()
            if target.lower().startswith(FILE_NAMESPACES + CATEGORY_NAMESPACES):
                continue
            found.append(target.lstrip(":"))
        elif node.kind != "template":
            found.append(node.value.strip())
    return list(dict.fromkeys(x for x in found if x))  # each once, in the order of the page


def list_items(fragment: str) -> list[str]:
    """The text of each list item (lines starting with * or #), cleaned, in order."""
    items: list[str] = []
    masked = _masked(fragment).split("\n")
    original = fragment.split("\n")
    for m_line, o_line in zip(masked, original):
        s = m_line.lstrip()
        if s[:1] in ("*", "#") and not s.upper().startswith("#REDIRECT"):
            text = clean(o_line.lstrip().lstrip("*#:; "))
            if text:
                items.append(text)
    return items


_GALLERY = re.compile(r"<gallery\b", re.I)
_GALLERY_END = re.compile(r"</gallery\s*>", re.I)
_FILE_PARAMS = ("image", "file", "photo", "picture", "logo")
_FILE_PARAM = re.compile(r"\|\s*(?:image|file|photo|picture|logo)\s*=", re.I)
_FILE_NAME = re.compile(r"^[^\[\]{}|<>\n]+\.(?:jpe?g|png|gif|svg|tiff?|webp|webm|ogv|ogg|pdf|djvu)$", re.I)


def _file_title(name: str) -> str | None:
    name = name.strip()
    if ":" in name and name.lower().startswith(FILE_NAMESPACES):
        name = name.split(":", 1)[1]
    name = SPACES.sub(" ", name.replace("_", " ")).strip()
    return f"File:{name[:1].upper()}{name[1:]}" if name else None


def images(fragment: str) -> list[str]:
    """Files shown in a fragment, as ``File:Name.jpg``, in order: [[File:...]], <gallery>, image= args."""
    found: list[str] = []
    masked, scanned, nodes = _scanned(fragment)
    for node in nodes:
        if node.kind == "wikilink":
            target = node.value.strip()  # [[:File:X]] is a link to the file page, not an image
            if target.lower().startswith(FILE_NAMESPACES):
                found.append(target)
        elif node.kind == "template" and _FILE_PARAM.search(scanned, node.start, node.end):
            for name, value in template_params(scanned[node.start: node.end]):
                value = value.strip()
                if name is not None and name.strip().lower() in _FILE_PARAMS and _FILE_NAME.match(value):
                    found.append(value)
    for gallery in galleries(masked):
        for line in gallery.split("\n"):
            name = line.split("|", 1)[0].strip()
            if name and (name.lower().startswith(FILE_NAMESPACES) or _FILE_NAME.match(name)):
                found.append(name)
    titles = [t for t in (_file_title(f) for f in found) if t]
    return list(dict.fromkeys(titles))


def galleries(text: str) -> list[str]:
    """The contents of each <gallery>, an unclosed one running to the end: group 1 of each match of
    ``<gallery\\b[^>]*>(.*?)(?:</gallery\\s*>|\\Z)`` (DOTALL, IGNORECASE), found in one pass."""
    if "<" not in text:
        return []
    gts = Positions(GT, text)
    ends = [(m.start(), m.end()) for m in _GALLERY_END.finditer(text)]
    starts = [start for start, _ in ends]
    found: list[str] = []
    pos = 0
    for m in _GALLERY.finditer(text):
        if m.start() < pos:
            continue
        gt = gts.first(m.end())
        if gt < 0:
            break
        k = bisect_left(starts, gt + 1)
        if k < len(ends):
            found.append(text[gt + 1: ends[k][0]])
            pos = ends[k][1]
        else:
            found.append(text[gt + 1:])
            pos = len(text)
    return found


def _cell_text(wikitext: str) -> str:
    return " ".join(plain_line(ln) for ln in clean(wikitext).split("\n") if plain_line(ln))


def tables(fragment: str) -> list[list[list[str]]]:
    """Each wikitable of a fragment as rows of cell texts (header cells included), in order."""
    masked = _masked(fragment)
    simple = simple_tables(masked)
    if simple is None:
        return _tables_tree(masked)
    result: list[list[list[str]]] = []
    for lines in simple:
        rows: list[list[str]] = []
        loose: list[str] = []
        current: list[str] | None = None
        for kind, cells in lines:
            if kind == "row":
                if loose:
                    rows.append(loose)
                    loose = []
                if current:
                    rows.append(current)
                current = []
            elif kind == "cells":
                texts = [_cell_text(c) for c in cells]
                (loose if current is None else current).extend(texts)
        if current:
            rows.append(current)
        if loose:
            rows.append(loose)
        if rows:
            result.append(rows)
    return result


def _tables_tree(masked: str) -> list[list[list[str]]]:
    """``tables`` by the parser, for tables with templates, links, tags or tables inside."""
    result: list[list[list[str]]] = []
    code = mwparserfromhell.parse(masked)
    for table in code.ifilter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "table"):
        rows: list[list[str]] = []
        loose: list[str] = []
        for node in table.contents.ifilter_tags(recursive=False):
            tag = str(node.tag).lower()
            if tag in ("td", "th"):
                loose.append(_cell_text(str(node.contents)))
            elif tag == "tr":
                if loose:
                    rows.append(loose)
                    loose = []
                cells = [_cell_text(str(c.contents)) for c in node.contents.ifilter_tags(recursive=False)
                         if str(c.tag).lower() in ("td", "th")]
                if cells:
                    rows.append(cells)
        if loose:
            rows.append(loose)
        if rows:
            result.append(rows)
    return result
