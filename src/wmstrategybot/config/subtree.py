"""Which pages an on-wiki config may touch: the subtree of the page holding it, and which
pages the bot's operator lets opt in at all. Pure: titles in, reasons out."""

from __future__ import annotations

import re
from dataclasses import dataclass

import mwparserfromhell

from wmstrategybot.model.titles import USER_NAMESPACES, shown_title, title_key


@dataclass(frozen=True)
class AllowRule:
    """Which pages may opt in (the bot operator's choice); None: no restriction.

    `pages`: titles, or prefixes ending in '/' that admit every subpage below them.
    """

    namespaces: frozenset[int] | None = None
    pages: frozenset[str] | None = None


def _relative_segments(title: str) -> bool:
    return any(segment.strip() in (".", "..") for segment in title.split("/"))


def subtree_problem(root: str, title: str) -> str | None:
    """Why `title` is outside the pages a config on `root` may make the bot write, or None.

    Inside: subpages of the root (``root/...``) and, when the root is not in a user
    namespace, Template: pages named after it (``Template:<root>`` and its subpages). Not
    ``Template:<root> anything``: a root named with a common word (``Wikimedia``, ``Event
    track``) would reach templates other people own, the bot's own among them.
    """
    if _relative_segments(title):
        return "contains a '.' or '..' segment: name the page itself, below the event's root page"
    root_ns, root_rest = title_key(root)
    ns, rest = title_key(title)
    if ns == root_ns and rest.startswith(root_rest + "/") and rest[len(root_rest) + 1:].strip():
        return None
    named_after = shown_title((root_ns, root_rest))
    if root_ns not in USER_NAMESPACES:
        inner_ns, inner = title_key(rest)  # Template:Meta:Event... for a root Meta:Event
        if ns == 10 and inner_ns == root_ns and (inner == root_rest or inner.startswith(root_rest + "/")):
            return None
        allowed = f"subpages of [[{root}]] or Template: pages named after it (Template:{named_after} and its subpages)"
    else:
        allowed = f"subpages of [[{root}]] (a config on a user's page writes only below it)"
    return f"is outside the event's pages: a config here may name only {allowed}"


def opt_in_problem(page: str, allowed: AllowRule) -> str | None:
    """Why the bot operator does not let `page` opt in, or None."""
    ns, _ = title_key(page)
    if allowed.namespaces is not None and ns not in allowed.namespaces:
        return f"is in namespace {ns}, where the bot's operator does not let events opt in"
    if allowed.pages is not None:
        shown = shown_title(title_key(page))
        for entry in allowed.pages:
            prefix = entry.endswith("/")
            key = shown_title(title_key(entry.rstrip("/")))
            if shown.startswith(key + "/") if prefix else shown == key:
                return None
        return "is not on the bot operator's list of pages that may opt in"
    return None


def allow_rule_from_text(text: str) -> frozenset[str]:
    """The titles and prefixes (ending in '/') of an allowlist page: one ``* [[Title]]`` a line
    (a line without a link gives its text)."""
    found: set[str] = set()
    for line in text.splitlines():
        if not line.lstrip().startswith("*"):
            continue
        item = line.lstrip().lstrip("*").strip()
        links = mwparserfromhell.parse(item).filter_wikilinks(recursive=False)
        title = str(links[0].title).strip() if links else item
        title = title.lstrip(":").strip()
        if title and not re.search(r"[\[\]{}|<>#]", title):
            found.add(title)
    return frozenset(found)
