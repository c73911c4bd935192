"""Text from people's pages made safe to place in a generated page. Pure, linear in the text.

``escape_value`` keeps what is content (links, bold, ordinary templates, closed comments,
<nowiki>/<pre>) and turns into text, with the same look, whatever would change the page it
lands in or be rewritten when the bot saves:

- braces and brackets that MediaWiki's preprocessor would not pair inside the value (an
  unbalanced ``[[``, a stray ``}}``, ``{{{arg}}}``, ``-{``) become entities, and a ``|``
  outside a kept link or template becomes ``{{!}}``: the value stays one template parameter;
- pairs are found as the preprocessor finds them (a ``}}`` inside an open ``[[`` is text, and
  nothing pairs across a tag that may be an extension tag on some wiki, <ref> or <math> say);
- the pre-save transform finds nothing: no ``~~~``, no ``{{subst:``/``{{safesubst:``, no pipe
  trick ``[[A (b)|]]`` or ``[[|A]]``;
- no behaviour switch (``__NOINDEX__`` in any case), parser function or magic word with a
  colon (``{{DEFAULTSORT:..}}``, ``{{#if:..}}``), ``{{bots}}``/``{{nobots}}``, category
  (``[[Category:X]]`` becomes the link ``[[:Category:X]]``) or interlanguage link, and no
  <includeonly>, <noinclude>, <onlyinclude> or unclosed tag or comment;
- no heading: a line of the value starting with '=' would open one, and the preprocessor
  reads a heading's line to its end, past the '}}' of a call written on the same line.

``escape_text`` is for values that are text, not wikitext (a config's event name, an area's
name): every character that could start markup becomes an entity, so the value reads as typed.

Ordinary templates stay templates (they are content). One scan with a stack; tags are
looked up in an index built once, so the cost is linear (n log n for the lookups) whatever
the text holds.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

#: Tags MediaWiki always treats as extension tags: their content is opaque and kept as it is.
_OPAQUE_TAGS = frozenset({"nowiki", "pre"})
#: Tags that change what is transcluded or shown: never let one through as markup.
_INCLUSION_TAGS = frozenset({"includeonly", "noinclude", "onlyinclude"})
#: HTML tags MediaWiki allows: never extension tags, so their content is read like the rest.
_HTML_TAGS = frozenset(
    "abbr b bdi bdo big blockquote br caption center cite code data dd del dfn div dl dt em font "
    "h1 h2 h3 h4 h5 h6 hr i ins kbd li link mark meta ol p q rb rp rt rtc ruby s samp small span "
    "strike strong sub sup table td th time tr tt u ul var wbr".split()
)
CATEGORY_NAMESPACES = ("category:", "kategorie:", "catégorie:")
FILE_NAMESPACES = ("file:", "image:", "datei:", "fichier:", "media:")
#: the file and category prefixes as alternatives of a pattern, without their colon
FILE_OR_CATEGORY = "|".join(re.escape(n[:-1]) for n in FILE_NAMESPACES + CATEGORY_NAMESPACES)
_BOTS_TEMPLATES = frozenset({"bots", "nobots"})
_SUBST = ("subst:", "safesubst:")
#: An interlanguage prefix ("de", "zh-yue"): a link with it is kept as an inline link.
_LANGUAGE_PREFIX = re.compile(r"[a-z]{2,3}(?:-[a-z0-9]+)*")

_TOKEN = re.compile(r"\[{2,}|\]{2,}|\{+|\}+|\||<|~{3,}|_{2,}|\n=")
#: A value needs the scan if it holds one of these, "__" or "\n=" (as ``[\[\]{}|<~]|__|\n=`` would
#: find, at half the CPU: a plain character class is searched for without trying each alternative)
_NEEDS_SCAN = re.compile(r"[\[\]{}|<~]")
_TAG_NAME = re.compile(r"(/?)([A-Za-z][\w-]*)(?=[\s>]|/>)")
_CLOSING_TAG = re.compile(r"</([A-Za-z][\w-]*)\s*>")
_UNSAFE_IN_TAG = re.compile(r"[\[\]{}|~]|__")


class PlainText(str):
    """A value that is text, not wikitext (the event's name, an area's name from a config): a
    generated page shows it as typed (``escape_text``), whatever markup it holds."""


#: what makes markup of text, wherever it stands: brackets, braces and pipes, a tag, an entity,
#: a quote (which would end an attribute the value is put in: a navbox's aria-label),
#: bold or italics (''), a signature (~~~), a switch (__X__), a free link (scheme:), a magic link
_TEXT_MARKUP = re.compile(
    r"[\[\]{}|<\"]|&(?=#?\w+;)|'{2,}|~{3,}|_{2,}"
    r"|(?<=[A-Za-z]):(?=//|[^\s/])"  # https://x, mailto:x, File:x
    r"|(?<=\b(?:ISBN|PMID))[ \t]|(?<=\bRFC)[ \t]"
)
#: what makes markup at the start of a line: a list, a definition, a heading, a table, a rule,
#: preformatted text
_LINE_START = frozenset(" *#:;=!-{|")
_WHITESPACE = re.compile(r"\s*[\r\n]\s*|\t")


def _entity(run: str) -> str:
    return "".join(f"&#{ord(c)};" for c in run)


def escape_text(value: str) -> str:
    """`value` (text, not wikitext) as wikitext that shows exactly it, on one line: whatever
    would be markup becomes entities (``<div>`` shows as ``<div>``, ``[[File:X]]`` as
    ``[[File:X]]``, ``&amp;`` as ``&amp;``); ordinary text (``R&D - Day 1: Talks``) stays as it is."""
    text = _TEXT_MARKUP.sub(lambda m: _entity(m.group(0)), _WHITESPACE.sub(" ", value))
    if text and text[0] in _LINE_START:
        text = _entity(text[0]) + text[1:]
    return text


def escape_value(value: str) -> str:
    """`value` (wikitext from a person's page) made safe to place in a generated page."""
    if not (_NEEDS_SCAN.search(value) or "__" in value or "\n=" in value):
        return value
    return _Scan(value).run()


@dataclass
class _Open:
    """An open ``[[`` or ``{{`` (or a tag whose content pairs only within itself)."""

    kind: str  # "[[", "{{" or "tag"
    piece: int  # index of the opener's piece in the output
    start: int  # offset just after the opener in the value
    pipes: list[int] = field(default_factory=list)  # pieces of the '|' directly inside
    name_end: int = -1  # the template's name or the link's target ends here (at the first '|')
    dynamic: bool = False  # a name or target that holds another pair
    end: int = -1  # a tag: where its closing tag starts


_ENTITY = {"[": "&#91;", "]": "&#93;", "{": "&#123;", "}": "&#125;"}


def _entities(run: str) -> str:
    return "".join(_ENTITY[c] for c in run)


class _Scan:
    """One pass over a value: pieces of output, and a stack of what is open where a piece waits
    to be settled (kept, or made text) when its pair closes or the value ends."""

    def __init__(self, text: str):
        self.text = text
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self._closings: dict[str, list[int]] | None = None
        # the last search for "-->" and for ">": (searched from, found at or -1)
        self._comment_end = (len(text) + 1, -1)
        self._gt = (len(text) + 1, -1)
        self._last_pipe = (-1, -1)  # (offset, piece) of the last '|' inside a pair

    def run(self) -> str:
        text, out = self.text, self.out
        pos = 0
        for m in _TOKEN.finditer(text):
            i = m.start()
            if i < pos:
                continue  # inside a comment or tag passed over below
            out.append(text[pos:i])
            tok = m.group(0)
            pos = m.end()
            c = tok[0]
            if c == "|":
                self._pipe(i)
            elif c == "[":
                if len(tok) > 2:
                    out.append(_entities(tok[2:]))
                self._open("[[", pos)
            elif c == "{":
                if len(tok) == 2:
                    self._open("{{", pos)
                else:
                    out.append(_entities(tok))
            elif c in "]}":
                self._close(tok, i)
            elif c == "~":
                out.append("&#126;" * len(tok))
            elif c == "_":
                out.append("_" + "&#95;" * (len(tok) - 1))
            elif c == "\n":  # a heading line would hold the preprocessor until its end
                out.append("\n&#61;")
            else:
                pos = self._angle(i)
        out.append(text[pos:])
        while self.stack:
            self._unpair(self.stack.pop())
        return "".join(out)

    # -- pairs -------------------------------------------------------------------------------

    def _top(self) -> _Open | None:
        return self.stack[-1] if self.stack else None

    def _open(self, kind: str, after: int) -> None:
        top = self._top()
        if top is not None and top.kind != "tag" and top.name_end < 0:
            top.dynamic = True  # {{ {{X}} }}, [[{{X}}]]: the name is made by another pair
        self.out.append(kind)
        self.stack.append(_Open(kind, len(self.out) - 1, after))

    def _pipe(self, at: int) -> None:
        top = self._top()
        if top is None or top.kind == "tag":
            self.out.append("{{!}}")
            return
        self.out.append("|")
        if top.name_end < 0:
            top.name_end = at
        top.pipes.append(len(self.out) - 1)
        self._last_pipe = (at, len(self.out) - 1)

    def _close(self, run: str, at: int) -> None:
        kind = "[[" if run[0] == "]" else "{{"
        n = len(run)
        closed = 0
        while n - closed >= 2:
            top = self._top()
            if top is None or top.kind != kind:
                break
            self.stack.pop()
            self.out.append(run[:2])
            self._settle(top, at + closed, len(self.out) - 1)
            closed += 2
        if closed < n:
            rest = run[closed:]
            self.out.append(rest if rest == "]" else _entities(rest))

    def _settle(self, pair: _Open, close_at: int, close_piece: int) -> None:
        """A pair closed at `close_at`: keep it, or make it text when it is markup to defuse."""
        name_end = pair.name_end if pair.name_end >= 0 else close_at
        if "<" in re.sub(r"<!--.*?-->", "", self.text[pair.start:name_end], flags=re.S):
            # a tag in a name or target ({{nobots<pre></pre>}}, [[<nowiki/>Category:X]]): what the
            # wiki makes of it is not a plain call or link; shown as text
            self._unpair(pair, close_piece)
            return
        if pair.kind == "{{":
            if pair.dynamic or _defused_template(self.text[pair.start:name_end]):
                self._unpair(pair, close_piece)
            return
        if name_end == pair.start and name_end < close_at or "\n" in self.text[pair.start:name_end]:
            self._unpair(pair, close_piece)  # [[|A]] (the reverse pipe trick), or never a link
            return
        if self._last_pipe[0] == close_at - 1:  # [[A (b)|]]: the pipe trick would fill in a label
            self.out[self._last_pipe[1]] = "{{!}}"
        if pair.dynamic or _needs_colon(self.text[pair.start:name_end]):
            self.out[pair.piece] = "[[:"

    def _unpair(self, pair: _Open, close_piece: int | None = None) -> None:
        """The pair is text: its brackets become entities and the pipes directly inside it {{!}}."""
        if pair.kind == "tag":
            return
        self.out[pair.piece] = _entities(self.out[pair.piece])
        if close_piece is not None:
            self.out[close_piece] = _entities(self.out[close_piece])
        for piece in pair.pipes:
            self.out[piece] = "{{!}}"

    # -- tags and comments -------------------------------------------------------------------

    def _angle(self, i: int) -> int:
        """Handle the '<' at `i`; returns where scanning goes on."""
        text, out = self.text, self.out
        bound = self._bound()
        if i == bound < len(text):  # the closing tag of the tag being read
            while self.stack[-1].kind != "tag":
                self._unpair(self.stack.pop())
            self.stack.pop()
            close = _CLOSING_TAG.match(text, i)
            assert close is not None
            out.append(close.group(0))
            return close.end()
        if text.startswith("<!--", i):
            end = self._comment_close(i + 4)
            if 0 <= end and end + 3 <= bound:
                out.append(text[i:end + 3])
                return end + 3
            out.append("&lt;")
            return i + 1
        m = _TAG_NAME.match(text, i + 1)
        if not m:
            out.append("<")
            return i + 1
        name = m.group(2).lower()
        if name in _INCLUSION_TAGS:
            out.append("&lt;")
            return i + 1
        if m.group(1) or name in _HTML_TAGS:
            out.append("<")
            return i + 1
        gt = self._next_gt(m.end())
        if gt < 0 or gt >= bound or _UNSAFE_IN_TAG.search(text, i, gt):
            out.append("&lt;")
            return i + 1
        if text[gt - 1] == "/":  # <references/>, <nowiki/>
            out.append(text[i:gt + 1])
            return gt + 1
        end = self._closing(name, gt + 1, bound)
        if end < 0:
            out.append("&lt;")
            return i + 1
        if name in _OPAQUE_TAGS:
            close = _CLOSING_TAG.match(text, end)
            assert close is not None
            out.append(text[i:close.end()])
            return close.end()
        out.append(text[i:gt + 1])
        self.stack.append(_Open("tag", len(out) - 1, gt + 1, end=end))
        return gt + 1

    def _bound(self) -> int:
        """Where the innermost tag being read ends: nothing inside it may pair beyond."""
        for entry in reversed(self.stack):
            if entry.kind == "tag":
                return entry.end
        return len(self.text)

    def _comment_close(self, start: int) -> int:
        since, found = self._comment_end
        if not (since <= start and (found < 0 or start <= found)):
            found = self.text.find("-->", start)
            self._comment_end = (start, found)
        return found

    def _next_gt(self, start: int) -> int:
        since, found = self._gt
        if not (since <= start and (found < 0 or start <= found)):
            found = self.text.find(">", start)
            self._gt = (start, found)
        return found

    def _closing(self, name: str, start: int, bound: int) -> int:
        """Where the first ``</name>`` at or after `start` begins, if before `bound`; else -1."""
        if self._closings is None:
            self._closings = {}
            for m in _CLOSING_TAG.finditer(self.text):
                self._closings.setdefault(m.group(1).lower(), []).append(m.start())
        starts = self._closings.get(name, [])
        k = bisect.bisect_left(starts, start)
        return starts[k] if k < len(starts) and starts[k] < bound else -1


def _normalized_title(text: str) -> str:
    return " ".join(html.unescape(text).replace("_", " ").split())


def _defused_template(name: str) -> bool:
    """Whether a template call of this name must be shown as text: subst, a parser function or
    magic word with a colon, {{bots}}/{{nobots}}, a transclusion of another namespace."""
    title = _normalized_title(name).lower()
    if title.startswith("template:"):
        title = title[len("template:"):].strip()
    return title.startswith(("#", *_SUBST)) or ":" in title or title in _BOTS_TEMPLATES or not title


def _needs_colon(target: str) -> bool:
    """A link target that would make a category or interlanguage link rather than a link."""
    title = _normalized_title(target)
    if title.startswith(":") or ":" not in title:
        return False
    prefix = title.split(":", 1)[0].strip().lower()
    return prefix + ":" in CATEGORY_NAMESPACES or bool(_LANGUAGE_PREFIX.fullmatch(prefix))
