"""The wikitext functions as they were before ``wikiscan``: each parses with mwparserfromhell.

Kept only as the reference that tests/wikitext/test_wikitext_fast.py compares the scanner-based
functions of ``wmstrategybot.wikitext`` with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Tag, Template, Wikilink

#: Largest page text we parse; MediaWiki's own default limit is 2 MiB.
MAX_PAGE_BYTES = 2 * 1024 * 1024

_EXTENSION_TAGS = "nowiki|pre|syntaxhighlight|source|math|templatedata"
#: What MediaWiki does not read as wikitext: comments (an unclosed one runs to the end of the
#: page) and closed extension tags (an unclosed <nowiki> is shown as text, so it masks nothing).
_IGNORED_BLOCKS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    rf"|<(?:{_EXTENSION_TAGS})\b[^>]*?/>"
    rf"|<({_EXTENSION_TAGS})\b[^>]*>.*?</\1\s*>",
    re.DOTALL | re.IGNORECASE,
)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_EXTENSION_BLOCKS = re.compile(
    rf"<(?:{_EXTENSION_TAGS})\b[^>]*?/>|<({_EXTENSION_TAGS})\b[^>]*>.*?</\1\s*>", re.DOTALL | re.IGNORECASE
)
_MANAGED_REGION = re.compile(
    r"<!-- wmstrategybot:begin ([a-z0-9-]+)[^>]*?-->.*?<!-- wmstrategybot:end \1 -->", re.DOTALL
)
_HEADING = re.compile(r"^(={1,6})\s*(.*?)\s*\1\s*$")
_TAG = re.compile(r"</?[a-zA-Z][^<>]*?/?>")
_EMPHASIS = re.compile(r"'{2,5}")
_SPACES = re.compile(r"[ \t\u00a0]+")
_TRANSLATE = re.compile(r"</?translate\b[^>]*>|<!--T:\d+-->|<languages\s*/?>|</?tvar\b[^>]*>|</>", re.I)
FILE_NAMESPACES = ("file:", "image:", "datei:", "fichier:", "media:")
CATEGORY_NAMESPACES = ("category:", "kategorie:", "catégorie:")


def _blank(match: re.Match[str]) -> str:
    return re.sub(r"[^\n]", " ", match.group(0))


def mask(text: str, *, regions: bool = True) -> str:
    """Blank out comments, closed <nowiki>/<pre>/<syntaxhighlight>/<math>, and bot regions.

    What is blanked cannot be a marker, a heading or a table row; positions are kept. The
    bot's own regions are blanked first (their markers are comments themselves), unless
    `regions` is False.
    """
    if regions:
        text = _MANAGED_REGION.sub(_blank, text)
    return _IGNORED_BLOCKS.sub(_blank, text)


def mask_extension_tags(text: str) -> str:
    """Blank only closed extension tags (<nowiki>, <pre>...): comments, markers included, stay."""
    return _EXTENSION_BLOCKS.sub(_blank, text)


@dataclass(frozen=True)
class Heading:
    level: int
    title: str


def heading(line: str) -> Heading | None:
    """The heading on a (masked) line, with its title as plain text, or None."""
    m = _HEADING.match(line.strip())
    if not m or not m.group(2):
        return None
    return Heading(len(m.group(1)), plain_line(m.group(2)))


def plain_line(line: str) -> str:
    """A line's text without tags, emphasis, translate markup and spare spaces."""
    line = _TRANSLATE.sub("", line)
    line = _TAG.sub("", line)
    line = _EMPHASIS.sub("", line)
    line = strip_links(line)
    return _SPACES.sub(" ", line).strip()


_LINK = re.compile(r"\[\[(?:[^\]|]*\|)?([^\]|]*)\]\]")
_EXTLINK = re.compile(r"\[(?:https?:)?//[^\s\]]+(?:\s+([^\]]*))?\]")


def strip_links(text: str) -> str:
    """[[A|b]] -> b, [[A]] -> A, [http://example.org y] -> y."""
    text = _LINK.sub(lambda m: m.group(1), text)
    return _EXTLINK.sub(lambda m: m.group(1) or "", text)




def clean(fragment: str) -> str:
    """Wikitext fit for the data: no comments, files, categories, translate markup or switches.

    Links, bold and templates stay (they are content); blank runs collapse to one empty line.
    """
    # Comments go before parsing: mwparserfromhell is quadratic on runs of unclosed "<!--".
    code = mwparserfromhell.parse(_COMMENT.sub("", _TRANSLATE.sub("", fragment)))
    for node in list(code.nodes):
        if isinstance(node, Comment):
            code.remove(node)
        elif isinstance(node, Wikilink) and str(node.title).strip().lower().startswith(
            FILE_NAMESPACES + CATEGORY_NAMESPACES
        ):
            code.remove(node)
        elif isinstance(node, Tag) and str(node.tag).lower() in ("languages", "references"):
            code.remove(node)
    text = str(code)
    text = re.sub(r"__[A-Z]+__", "", text)
    lines = [ln.rstrip() for ln in text.split("\n")]
    out: list[str] = []
    for ln in lines:
        if not ln.strip():
            if out and out[-1] != "":
                out.append("")
        else:
            out.append(ln)
    return "\n".join(out).strip()


def paragraphs(fragment: str) -> list[str]:
    """The cleaned fragment split at blank lines."""
    text = clean(fragment)
    return [p for p in text.split("\n\n") if p.strip()] if text else []


def links(fragment: str) -> list[str]:
    """Internal link targets and external URLs in order, without files and categories."""
    found: list[str] = []
    code = mwparserfromhell.parse(mask(fragment))
    for node in code.ifilter(recursive=True):
        if isinstance(node, Wikilink):
            target = str(node.title).strip()
            if target.lower().startswith(FILE_NAMESPACES + CATEGORY_NAMESPACES):
                continue
            found.append(target.lstrip(":"))
        elif node.__class__.__name__ == "ExternalLink":
            found.append(str(node.url).strip())  # type: ignore[attr-defined]
    seen: set[str] = set()
    return [x for x in found if x and not (x in seen or seen.add(x))]


def list_items(fragment: str) -> list[str]:
    """The text of each list item (lines starting with * or #), cleaned, in order."""
    items: list[str] = []
    masked = mask(fragment).split("\n")
    original = fragment.split("\n")
    for m_line, o_line in zip(masked, original):
        s = m_line.lstrip()
        if s[:1] in ("*", "#") and not s.upper().startswith("#REDIRECT"):
            text = clean(o_line.lstrip().lstrip("*#:; "))
            if text:
                items.append(text)
    return items


def strip_translate(text: str) -> str:
    """Text without Translate markup (<translate>, <!--T:n-->, <tvar>, <languages/>); content kept."""
    return _TRANSLATE.sub("", text)


_GALLERY = re.compile(r"<gallery\b[^>]*>(.*?)(?:</gallery\s*>|\Z)", re.S | re.I)
_FILE_PARAMS = ("image", "file", "photo", "picture", "logo")
_FILE_NAME = re.compile(r"^[^\[\]{}|<>\n]+\.(?:jpe?g|png|gif|svg|tiff?|webp|webm|ogv|ogg|pdf|djvu)$", re.I)


def _file_title(name: str) -> str | None:
    name = name.strip()
    if ":" in name and name.lower().startswith(FILE_NAMESPACES):
        name = name.split(":", 1)[1]
    name = _SPACES.sub(" ", name.replace("_", " ")).strip()
    return f"File:{name[:1].upper()}{name[1:]}" if name else None


def images(fragment: str) -> list[str]:
    """Files shown in a fragment, as ``File:Name.jpg``, in order: [[File:...]], <gallery>, image= args."""
    found: list[str] = []
    masked = mask(fragment)
    for node in mwparserfromhell.parse(masked).ifilter(recursive=True):
        if isinstance(node, Wikilink):
            target = str(node.title).strip()  # [[:File:X]] is a link to the file page, not an image
            if target.lower().startswith(FILE_NAMESPACES):
                found.append(target)
        elif isinstance(node, Template):
            for p in node.params:
                value = str(p.value).strip()
                if str(p.name).strip().lower() in _FILE_PARAMS and _FILE_NAME.match(value):
                    found.append(value)
    for m in _GALLERY.finditer(masked):
        for line in m.group(1).split("\n"):
            name = line.split("|", 1)[0].strip()
            if name and (name.lower().startswith(FILE_NAMESPACES) or _FILE_NAME.match(name)):
                found.append(name)
    titles = [t for t in (_file_title(f) for f in found) if t]
    return list(dict.fromkeys(titles))


def _cell_text(wikitext: str) -> str:
    return " ".join(plain_line(ln) for ln in clean(wikitext).split("\n") if plain_line(ln))


def tables(fragment: str) -> list[list[list[str]]]:
    """Each wikitable of a fragment as rows of cell texts (header cells included), in order."""
    result: list[list[list[str]]] = []
    code = mwparserfromhell.parse(mask(fragment))
    for table in code.ifilter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "table"):
        rows: list[list[str]] = []
        loose: list[str] = []
        for node in table.contents.ifilter_tags(recursive=False):
            tag = str(node.tag).lower()
            if tag == "td" and str(node.contents).startswith("+"):
                continue  # '|+ Caption': mwparserfromhell reads a caption as a cell; MediaWiki does not
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


_FILE_OR_CATEGORY_LINK = re.compile(
    r"\[\[\s*(?:file|image|datei|fichier|media|category|kategorie|catégorie)\s*:(?:[^\[\]]|\[\[[^\[\]]*\]\])*\]\]",
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
