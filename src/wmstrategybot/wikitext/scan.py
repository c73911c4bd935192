"""A linear scan of wikitext for links, templates, tables and top-level files. Pure.

The rules are mwparserfromhell's (which ``[[`` opens a link, which ``[`` an external link,
where a free URL ends, which lines are table syntax), applied with regular expressions in
one pass instead of a parse tree. Where the scan cannot tell for sure what the parser
would make of a text (a file inside a tag, a table with templates in it), it says so and
the caller falls back to the parser; bad wikitext never raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from mwparserfromhell.definitions import PARSER_BLACKLIST, URI_SCHEMES

from wmstrategybot.wikitext.escaping import FILE_OR_CATEGORY
from wmstrategybot.wikitext.spans import Positions, TagBlocks, blank

_SCHEMES = "|".join(sorted((re.escape(s) for s in URI_SCHEMES), key=len, reverse=True))
#: The scan's tokens are the first match of ``\[\[?|\]\]|\{\{|\}\}|(?<!\w)[A-Za-z0-9]+:`` (see _token),
#: found from the characters that can start or end one (a charset search is several times faster).
_TOKEN_CHAR = re.compile(r"[\[\]{}:]")
_BRACKET_TOKEN = re.compile(r"\[\[?|\]\]|\{\{|\}\}")
_WORD_CHAR = re.compile(r"\w")
_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_LONGEST_SCHEME = max(map(len, URI_SCHEMES))
#: A template call (one level of nesting) inside a URL: the parser reads the URL on through it.
_TEMPLATE_IN_URL = r"\{\{(?:[^{}]|\{\{[^{}]*\}\})*\}\}"
#: After ``[``: a bracketed external link (URL, optional title, closing bracket on the same line).
_BRACKETED = re.compile(
    rf"\[((?://|(?:{_SCHEMES}):(?://)?)(?:{_TEMPLATE_IN_URL}|[^\s\[\]<>\"'{{]|'(?!')|\{{(?!\{{))*)"
    r"((?:\[\[[^\[\]\n]*\]\]|[^\]\n])*)\]",
    re.I,
)
_WIKILINK_TITLE = re.compile(r"[^\n\[\]{}<>|]*")
_LINK_IN_TITLE = re.compile(r"\[\[([^\n\[\]{}<>|]*)(?:\|[^\]\n]*)?\]\]")
_FREE_URL_IN_TEMPLATE = re.compile(r"(?:[^\s\[\]<>\"'{}|]|'(?!'))+")
_ENTITY_END = re.compile(r"&(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")
#: A URL runs on through a template call written into it ("http://x/{{PAGENAME}}").
_FREE_URL_OUTSIDE = re.compile(rf"(?:{_TEMPLATE_IN_URL}|[^\s\[\]<>\"'{{]|'(?!')|\{{(?!\{{))+")
_CLOSING_BRACKET = re.compile(r"\]")
_NEWLINE = re.compile(r"\n")
_TEMPLATE_START = re.compile(r"(?=\{\{)")
_UNPARSED_TAGS = TagBlocks(PARSER_BLACKLIST, comments=False, self_closing=False)


def _token(text: str, pos: int) -> tuple[int, str] | None:
    r"""(start, token) of the first bracket token or URI scheme and colon at or after `pos`, or None.

    The same as the first match of ``\[\[?|\]\]|\{\{|\}\}|(?<!\w)[A-Za-z0-9]+:`` whose word, if any,
    is a URI scheme (the scan reads on past the others). A colon's word is read back at most
    one character more than the longest scheme: each character is read a bounded number of times.
    """
    while True:
        c = _TOKEN_CHAR.search(text, pos)
        if c is None:
            return None
        k = c.start()
        if text[k] != ":":
            t = _BRACKET_TOKEN.match(text, k)
            if t:
                return k, t.group(0)
            pos = k + 1
            continue
        s, limit = k, max(pos, k - _LONGEST_SCHEME - 1)
        while s > limit and text[s - 1] in _ALNUM:
            s -= 1
        if s < k and not (s > 0 and _WORD_CHAR.match(text, s - 1)) and text[s:k].lower() in URI_SCHEMES:
            return s, text[s : k + 1]
        pos = k + 1


@dataclass(frozen=True)
class Node:
    """A link or template found by the scan: kind, where it starts and ends, and its target."""

    kind: str  # "wikilink" | "extlink" | "freelink" | "template"
    start: int
    end: int
    value: str = ""  # link title or URL; "" for a template


def mask_unparsed(text: str) -> str:
    """Blank the contents of closed tags the parser leaves as text (<gallery>, <timeline>...)."""
    return blank(text, _UNPARSED_TAGS.spans(text))


def _free_link(text: str, start: int, colon: int, in_template: bool) -> tuple[str, int] | None:
    """The free URL whose scheme runs from `start` to `colon`, and where it ends; None if none."""
    scheme = text[start:colon].lower()
    slashes = text.startswith("//", colon + 1)
    if scheme not in URI_SCHEMES or (not slashes and URI_SCHEMES[scheme]):
        return None
    k = colon + 1 + (2 if slashes else 0)
    m = (_FREE_URL_IN_TEMPLATE if in_template else _FREE_URL_OUTSIDE).match(text, k)
    if not m:
        return None
    url = m.group(0)
    if "=" in url and text.startswith("=", text.rfind("\n", 0, start) + 1):
        cut = re.sub(r"\{\{(?:[^{}]|\{\{[^{}]*\}\})*\}\}", lambda t: "x" * len(t.group(0)), url).find("=")
        url = url[:cut] if cut >= 0 else url  # on a heading's line, '=' ends a URL
    punct = ",;\\.:!?" + ("" if "(" in url else ")")
    body = url.rstrip(punct)
    entity = _ENTITY_END.search(url, len(body) - 8 if len(body) > 8 else 0)
    if entity and entity.end() > len(body):  # "&amp;" is an entity, not text ending in ";"
        body = url[: entity.end()]
    if not body:
        return None
    return text[start:k] + body, k + len(body)


def scan_links(text: str) -> list[Node]:
    """Wikilinks, external links (bracketed and free) and templates of a text, in text order."""
    nodes: list[Node] = []
    stack: list[tuple[str, int, str]] = []  # (kind, start, title)
    pos, n = 0, len(text)
    positions: list[Positions] = []  # of ']', newlines and '{{': found at the first '['

    def bracketed(at: int) -> re.Match[str] | None:
        """``_BRACKETED.match(text, at)``; at once None where it must fail: no ']' before the line
        ends and no '{{' (a URL only crosses a line or a ']' inside a template call). The
        expression reads to the end of the line for each '[' of a line with no ']'."""
        if not positions:
            positions.extend(Positions(p, text) for p in (_CLOSING_BRACKET, _NEWLINE, _TEMPLATE_START))
        closing, newlines, templates = positions
        end = newlines.first(at)
        end = n if end < 0 else end
        if not 0 <= closing.first(at) < end and not 0 <= templates.first(at) < end:
            return None
        return _BRACKETED.match(text, at)

    url_end = 0  # inside a URL read on through a template, no other URL starts
    while pos < n:
        found = _token(text, pos)
        if found is None:
            break
        i, tok = found
        if tok == "[[":
            ext = bracketed(i + 1)
            if ext:
                nodes.append(Node("extlink", i + 1, ext.end(), ext.group(1)))
                pos = ext.end()
                continue
            t = _WIKILINK_TITLE.match(text, i + 2)
            assert t is not None
            after = t.end()
            if text.startswith("]]", after):
                nodes.append(Node("wikilink", i, after + 2, t.group(0)))
                pos = after + 2
            elif text.startswith("|", after):
                stack.append(("wikilink", i, t.group(0)))
                pos = after + 1
            else:
                pos = i + 2
        elif tok == "]]":
            if stack and stack[-1][0] == "wikilink":
                kind, start, title = stack.pop()
                nodes.append(Node(kind, start, i + 2, title))
            pos = i + 2
        elif tok == "{{":
            stack.append(("template", i, ""))
            pos = i + 2
        elif tok == "}}":
            if stack and stack[-1][0] == "template":
                _, start, _ = stack.pop()
                nodes.append(Node("template", start, i + 2))
            pos = i + 2
        elif tok == "[":
            ext = bracketed(i)
            if ext:
                nodes.append(Node("extlink", i, ext.end(), ext.group(1)))
                inside = text.find("{{", i, ext.end(1))
                if inside >= 0:  # the rest is read on: templates in the URL, links in the title
                    url_end = ext.end()
                    pos = inside
                    continue
                for inner in _LINK_IN_TITLE.finditer(ext.group(2)):
                    nodes.append(Node("wikilink", ext.start(2) + inner.start(), ext.start(2) + inner.end(), inner.group(1)))
                pos = ext.end()
            else:
                pos = i + 1
        else:  # a word and a colon: a free link if the word is a URI scheme
            if i < url_end:
                pos = i + len(tok)
                continue
            in_template = any(kind == "template" for kind, _, _ in stack)
            free = _free_link(text, i, i + len(tok) - 1, in_template)
            if free:
                nodes.append(Node("freelink", i, free[1], free[0]))
                inside = text.find("{{", i, free[1])
                url_end = free[1]
                pos = inside if inside >= 0 else free[1]  # templates in the URL are read on
            else:
                pos = i + len(tok)
    nodes.sort(key=lambda node: node.start)
    return nodes


@lru_cache(maxsize=8)
def _brackets_or(sep: str) -> re.Pattern[str]:
    return re.compile(rf"\[\[|\]\]|\{{\{{|\}}\}}|{re.escape(sep)}")


def separators_outside(text: str, sep: str) -> list[int]:
    """The offset of each `sep` outside [[...]] and {{...}}, left to right: a table's cell
    separators, a template's pipes. A ``]]`` or ``}}`` closes only an open pair of its kind."""
    found: list[int] = []
    depth_link = depth_tpl = 0
    for m in _brackets_or(sep).finditer(text):
        tok = m.group(0)
        if tok == "[[":
            depth_link += 1
        elif tok == "]]":
            depth_link = max(0, depth_link - 1)
        elif tok == "{{":
            depth_tpl += 1
        elif tok == "}}":
            depth_tpl = max(0, depth_tpl - 1)
        elif not depth_link and not depth_tpl:
            found.append(m.start())
    return found


def template_params(call: str) -> list[tuple[str | None, str]]:
    """(name or None for a positional argument, value) of each argument of one ``{{...}}`` call."""
    inner = call[2:-2]
    cuts = separators_outside(inner, "|")
    pieces = [inner[a: b] for a, b in zip([0, *(c + 1 for c in cuts)], [*cuts, len(inner)])]
    params: list[tuple[str | None, str]] = []
    for piece in pieces[1:]:
        eq = piece.find("=")
        if eq >= 0 and "{{" not in piece[:eq] and "[[" not in piece[:eq]:
            params.append((piece[:eq], piece[eq + 1:]))
        else:
            params.append((None, piece))
    return params


_FILE_OR_CATEGORY = re.compile(
    rf"\[\[\s*(?:{FILE_OR_CATEGORY}):", re.I
)
_HTML_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)\b[^<>]*?(/?)>")
_VOID_TAGS = {"br", "wbr", "hr", "meta", "link", "img"}
_OPEN_HEADING = re.compile(r"^=.*(?<!=)[^\S\n]*$", re.M)
_QUOTES = re.compile(r"'{2,}")
_TABLE_LINE = re.compile(r"^\s*(?:\{\||\|\}|\||!)", re.M)


def _open_style(text: str) -> bool | None:
    """True if bold or italic is open at the end of `text`; None when the quotes are unclear."""
    italic = bold = False
    for m in _QUOTES.finditer(text):
        run = len(m.group(0))
        if run == 2:
            italic = not italic
        elif run in (3, 4):
            bold = not bold
        elif run == 5:
            italic, bold = not italic, not bold
        else:
            return None
    return italic or bold


def _open_tags(text: str) -> bool:
    depth: dict[str, int] = {}
    for m in _HTML_TAG.finditer(text):
        name = m.group(2).lower()
        if name in _VOID_TAGS or m.group(3):
            continue
        depth[name] = max(0, depth.get(name, 0) + (-1 if m.group(1) else 1))
    return any(depth.values())


def drop_top_level_files(text: str) -> str | None:
    """`text` without the file and category links that stand at its top level.

    None when a candidate stands somewhere the scan cannot judge (inside a template, tag,
    table, heading, bold or another link): the caller then asks the parser.
    """
    nodes = scan_links(text)
    drop: list[Node] = []
    for m in _FILE_OR_CATEGORY.finditer(text):
        p = m.start()
        link = next((x for x in nodes if x.start == p and x.kind == "wikilink"), None)
        if link is None or any(x.start < p < x.end for x in nodes):
            return None
        line_start = text.rfind("\n", 0, p) + 1
        line = text[line_start:p].lstrip()
        if line.startswith(("=", "{|", "|", "!")) or "<" in text[p:link.end]:
            return None
        before = text[:p]
        if "{|" in before and _TABLE_LINE.search(before):
            return None
        if "=" in before and _OPEN_HEADING.search(before):
            return None  # a heading's line runs on through a tag
        if ("<" in before and _open_tags(before)) or ("''" in before and _open_style(before) is not False):
            return None
        drop.append(link)
    for link in reversed(drop):
        text = text[: link.start] + text[link.end:]
    return text


_TABLE_START = re.compile(r"^\s*\{\|")
_TABLE_END = re.compile(r"^\s*\|\}")


def simple_tables(masked: str) -> list[list[tuple[str, list[str]]]] | None:
    """The wikitables of a masked text as lines grouped by row, or None if one is not simple.

    A simple table has no nested table, template, link, tag or emphasis: what the parser
    makes of it follows from its lines alone. Each table is a list of (kind, cells) where
    kind is "row" for a ``|-`` line and "cells" for a line of ``|``/``!`` cells.
    """
    if "{|" not in masked:
        return []
    lines = masked.split("\n")
    tables: list[list[tuple[str, list[str]]]] = []
    i = 0
    while i < len(lines):
        if not _TABLE_START.match(lines[i]):
            i += 1
            continue
        j = next((k for k in range(i + 1, len(lines)) if _TABLE_END.match(lines[k]) or _TABLE_START.match(lines[k])), None)
        if j is None:
            return None if any(_TABLE_END.match(ln) for ln in lines[i + 1:]) else tables
        if _TABLE_START.match(lines[j]):
            return None  # a nested table
        body = lines[i + 1: j]
        if any(any(c in ln for c in ("[", "{", "}", "<", "''", "&")) for ln in body):
            return None
        if "{{" in "\n".join(lines[:i]):
            return None
        tables.append(_table_lines(body))
        i = j + 1
    return tables


def _table_lines(body: list[str]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for ln in body:
        s = ln.lstrip()
        if s.startswith("|-"):
            out.append(("row", []))
        elif s.startswith("|+"):
            out.append(("caption", []))
        elif s.startswith(("|", "!")):
            seps = r"\|\||!!" if s.startswith("!") else r"\|\|"
            cells = [c.split("|", 1)[1] if "|" in c else c for c in re.split(seps, s[1:])]
            out.append(("cells", cells))
        elif out and out[-1][0] == "cells":
            out[-1][1][-1] += "\n" + ln
    return out
