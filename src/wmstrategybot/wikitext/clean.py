"""Wikitext cleaned for the data: no comments, files, categories, translate markup or switches. Pure."""

from __future__ import annotations

import re
from functools import lru_cache

import mwparserfromhell
from mwparserfromhell.nodes import Comment, Tag, Wikilink

from wmstrategybot.wikitext.escaping import CATEGORY_NAMESPACES, FILE_NAMESPACES
from wmstrategybot.wikitext.scan import drop_top_level_files
from wmstrategybot.wikitext.text import strip_translate

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


@lru_cache(maxsize=2048)  # a session body is cleaned whole and again by paragraphs()
def clean(fragment: str) -> str:
    """Wikitext fit for the data: no comments, files, categories, translate markup or switches.

    Links, bold and templates stay (they are content); blank runs collapse to one empty line.
    Files and categories go only where they stand at the top level of the text (not inside a
    template, table, tag, heading, link or bold); ``_clean_tree`` decides the cases the scan
    here cannot settle at a glance.
    """
    text = _COMMENT.sub("", strip_translate(fragment))
    if _CLEAN_CANDIDATE.search(text):
        dropped = None if _CLEAN_BY_PARSER.search(text) else drop_top_level_files(text)
        text = _clean_tree(text) if dropped is None else dropped
    if "__" in text:
        text = _SWITCH.sub("", text)
    out: list[str] = []
    for ln in text.split("\n"):
        ln = ln.rstrip()
        if not ln.strip():
            if out and out[-1] != "":
                out.append("")
        else:
            out.append(ln)
    return "\n".join(out).strip()


_CLEAN_CANDIDATE = re.compile(
    r"\[\[\s*(?:file|image|datei|fichier|media|category|kategorie|catégorie):|<(?:(?:references|languages)\b|!--)", re.I
)


_CLEAN_BY_PARSER = re.compile(r"<(?:(?:references|languages)\b|!--)", re.I)


_SWITCH = re.compile(r"__[A-Z]+__")


def _clean_tree(text: str) -> str:
    """Top-level comments, files, categories and <references>/<languages> out, by the parser."""
    code = mwparserfromhell.parse(text)
    for node in list(code.nodes):
        if isinstance(node, Comment):
            code.remove(node)
        elif isinstance(node, Wikilink) and str(node.title).strip().lower().startswith(
            FILE_NAMESPACES + CATEGORY_NAMESPACES
        ):
            code.remove(node)
        elif isinstance(node, Tag) and str(node.tag).lower() in ("languages", "references"):
            code.remove(node)
    return str(code)


def paragraphs(fragment: str) -> list[str]:
    """The cleaned fragment split at blank lines."""
    text = clean(fragment)
    return [p for p in text.split("\n\n") if p.strip()] if text else []
